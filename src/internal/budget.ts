/**
 * The budget a request counts against in `TmdbRateLimiter`: its TMDB origin and a fingerprint of
 * its credentials, so every process using the same credentials on the same TMDB shares one budget
 * wherever the limiter keeps it (a Redis key, a log line of a user's own limiter) without the
 * secret ever being part of the key.
 */
import * as Redacted from "effect/Redacted"
import type { Credentials } from "../TmdbCredentials.js"
import { origin } from "./url.js"

const encoder = new TextEncoder()

/**
 * FNV-1a, 64 bits, as 16 hex digits: enough to keep credentials apart, and no way back to a
 * secret that has far more bits than that (an api_key has 128). Synchronous on purpose: an
 * asynchronous digest (WebCrypto's) before the pacing wait lets a test's `TestClock.adjust` run
 * before the call's sleeps are scheduled. A prefix keeps it from matching a hash of the bare key.
 */
const fingerprint = (secret: string): string => {
  let hash = 0xcbf29ce484222325n
  for (const byte of encoder.encode(`tmdb-effect/budget\n${secret}`)) {
    hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n)
  }
  return hash.toString(16).padStart(16, "0")
}

/** `"<origin> <credentials kind>:<fingerprint>"`. */
export const budgetKey = (baseUrl: string, credentials: Credentials): string =>
  `${origin(baseUrl)} ${credentials._tag}:${
    fingerprint(Redacted.value(credentials._tag === "BearerToken" ? credentials.token : credentials.key))
  }`

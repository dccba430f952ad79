/**
 * The budget a request counts against in `TmdbRateLimiter`: its TMDB origin and a fingerprint of
 * its credentials, so every process using the same credentials on the same TMDB shares one budget
 * wherever the limiter keeps it (a Redis key, a log line of a user's own limiter) without the
 * secret ever being part of the key.
 */
import * as Effect from "effect/Effect"
import * as Encoding from "effect/Encoding"
import * as Redacted from "effect/Redacted"
import type { Credentials } from "../TmdbCredentials.js"
import { origin } from "./url.js"

const encoder = new TextEncoder()

/**
 * 12 bytes of a SHA-256 digest, base64url: enough to keep credentials apart, and no way back to
 * the secret. A domain prefix keeps it from matching a plain digest of the key kept elsewhere.
 */
const fingerprint = (secret: string): Effect.Effect<string, unknown> =>
  Effect.tryPromise(() => globalThis.crypto.subtle.digest("SHA-256", encoder.encode(`tmdb-effect/budget\n${secret}`)))
    .pipe(Effect.map((digest) => Encoding.encodeBase64Url(new Uint8Array(digest, 0, 12))))

/**
 * `"<origin> <credentials kind>:<fingerprint>"`. Where WebCrypto is missing (a page served over
 * plain HTTP) it is the origin alone: every credential then shares the origin's budget, which
 * only ever paces more.
 */
export const budgetKey = (baseUrl: string, credentials: Credentials): Effect.Effect<string> => {
  const base = origin(baseUrl)
  const secret = Redacted.value(credentials._tag === "BearerToken" ? credentials.token : credentials.key)
  return fingerprint(secret).pipe(
    Effect.map((print) => `${base} ${credentials._tag}:${print}`),
    Effect.orElseSucceed(() => base)
  )
}

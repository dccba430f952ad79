/**
 * Identifiers and JWTs for the simulator.
 */
import * as Base64Url from "effect/encoding/Base64Url"

const toHex = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")

/**
 * A generator of lowercase hexadecimal ids of a given length (at least 9): random digits from
 * `crypto.getRandomValues` followed by a per-generator counter, so no two ids ever collide.
 */
export const makeIdGenerator = (): (length: number) => string => {
  let counter = 0
  return (length) => {
    counter += 1
    const suffix = counter.toString(16).padStart(8, "0")
    const random = toHex(globalThis.crypto.getRandomValues(new Uint8Array(Math.ceil(length / 2))))
    return random.slice(0, length - suffix.length) + suffix
  }
}

/** A JWT with the header TMDB uses, the given payload and a fake signature. */
export const encodeJwt = (payload: Readonly<Record<string, unknown>>, signature: string): string =>
  [
    Base64Url.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })),
    Base64Url.encode(JSON.stringify(payload)),
    Base64Url.encode(signature)
  ].join(".")

/**
 * The browser-login callback rule, once for every entry (the Node loopback server, a web
 * page): a login puts a random state in its `redirect_to` as a path segment
 * (`/callback/<state>`), which survives TMDB appending `?…`; only a request to that path ends
 * the login. A `request_token` in it must be this login's; `request_token`, `approved` and
 * `denied` are otherwise optional, as TMDB documents none of them (a v4 redirect carries
 * nothing). No `node:` import: a browser bundle can use it.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"

/** What an accepted callback says the user did. */
export type Outcome = "approved" | "denied"

/** Why a request is not this login's callback (fixed text: never echoes the request). */
export interface Rejection {
  readonly reason: string
}

/** A fresh state: 128 random bits as 32 hex characters, from the platform's CSPRNG. */
export const makeState: Effect.Effect<string> = Effect.sync(() =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0"))
    .join("")
)

/** The path a login redirects to: `${path}/${state}`. */
export const callbackPath = (path: string, state: string): string => `${path.replace(/\/+$/, "")}/${state}`

/** Compares in time that does not depend on where the strings first differ. */
const sameText = (a: string, b: string): boolean => {
  let difference = a.length ^ b.length
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    difference |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0)
  }
  return difference === 0
}

const reject = (reason: string) => Result.fail<Rejection>({ reason })

/**
 * Whether `url` (a request target such as `/callback/<state>?…`, or an absolute URL) is the
 * callback of the login that made `state` and `requestToken`. With `allowedHosts`, the `Host`
 * the request was sent to must be one of them (case aside): a page on another origin, or a DNS
 * name rebound to 127.0.0.1, does not get an answer.
 */
export const checkCallback = (input: {
  /** The login's callback path without the state, e.g. `"/callback"`. */
  readonly path: string
  readonly state: string
  readonly requestToken: string
  readonly url: string
  readonly method?: string | undefined
  readonly host?: string | undefined
  readonly allowedHosts?: ReadonlyArray<string> | undefined
}): Result.Result<Outcome, Rejection> => {
  if (input.method !== undefined && input.method !== "GET") return reject("not a GET request")
  if (input.allowedHosts !== undefined) {
    const host = input.host?.toLowerCase()
    if (host === undefined || !input.allowedHosts.some((allowed) => allowed.toLowerCase() === host)) {
      return reject("sent to another host")
    }
  }
  let url: URL
  try {
    url = new URL(input.url, "http://127.0.0.1")
  } catch {
    return reject("not a URL")
  }
  if (!sameText(url.pathname, callbackPath(input.path, input.state))) return reject("not this login's callback path")
  const tokens = url.searchParams.getAll("request_token").filter((token) => token !== "")
  if (tokens.some((token) => !sameText(token, input.requestToken))) {
    return reject("its request_token is not the one this login created")
  }
  const approved = url.searchParams.get("approved") === "true"
  const denied = url.searchParams.get("denied") === "true"
  if (approved && denied) return reject("both approved and denied")
  return Result.succeed(denied ? "denied" : "approved")
}

/**
 * The return URL of a redirect login, checked before any request: the approved request token
 * travels to it, so it must be https or loopback http, on the page's own origin or on one the app
 * allows (issue 26: an open redirect must not hand the token to another site). Reasons are fixed
 * text: never the value.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { text } from "../../internal/client/input.js"
import { isHttp } from "../../internal/util/url.js"
import { InvalidInput } from "../../TmdbError.js"
import { isSecureOrLoopback, pageOrigin, parseUrl, secureOrLoopbackRule } from "./origin.js"

const refuse = (field: "returnTo" | "allowedOrigins", reason: string) =>
  Effect.fail(new InvalidInput({ field, reason }))

/** An entry of `allowedOrigins`: an origin alone (a trailing `/` aside; no wildcard), as the URL parser spells it. */
const allowedOrigin = (entry: unknown): string | undefined => {
  const checked = text("allowedOrigins", entry)
  if (Result.isFailure(checked) || /[?#*]/.test(checked.success)) return undefined
  const url = parseUrl(checked.success)
  return url !== undefined && isSecureOrLoopback(url) && url.pathname === "/" && url.username === "" &&
      url.password === ""
    ? url.origin
    : undefined
}

/**
 * `returnTo` as a URL: absolute, https or loopback http, without credentials, query or fragment
 * (TMDB appends its own query to v3's), on the page's own origin or one of `allowedOrigins`
 * (required where there is no page origin). Both are read as `unknown`: they may come from
 * plain JavaScript.
 */
export const returnUrl = (options: {
  readonly returnTo?: unknown
  readonly allowedOrigins?: unknown
}): Effect.Effect<URL, InvalidInput> =>
  Effect.suspend(() => {
    const allowed = options.allowedOrigins
    const origins: Array<string> = []
    if (allowed !== undefined) {
      if (!Array.isArray(allowed)) {
        return refuse("allowedOrigins", "expected an array of origins (scheme, host and port)")
      }
      for (const entry of allowed) {
        const origin = allowedOrigin(entry)
        if (origin === undefined) {
          return refuse(
            "allowedOrigins",
            `each must be an origin alone (scheme, host and port; ${secureOrLoopbackRule}), ` +
              "without path, query, fragment, credentials or wildcard"
          )
        }
        origins.push(origin)
      }
    }
    const checked = text("returnTo", options.returnTo)
    if (Result.isFailure(checked)) return Effect.fail(checked.failure)
    const url = parseUrl(checked.success)
    if (
      url === undefined || !isHttp(url) || url.search !== "" || url.hash !== "" || checked.success.includes("#") ||
      url.username !== "" || url.password !== ""
    ) {
      return refuse("returnTo", "expected an absolute http(s) URL without credentials, query or fragment")
    }
    if (!isSecureOrLoopback(url)) {
      return refuse("returnTo", `expected ${secureOrLoopbackRule}: the approved token must not travel in the clear`)
    }
    const page = pageOrigin()
    if (page === undefined && allowed === undefined) {
      return refuse(
        "returnTo",
        "there is no page origin to check it against (no globalThis.location, as in tests or server-side " +
          "rendering): pass allowedOrigins"
      )
    }
    return url.origin === page || origins.includes(url.origin)
      ? Effect.succeed(url)
      : refuse("returnTo", "expected a URL on the page's own origin or on one of allowedOrigins")
  })

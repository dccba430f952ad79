/**
 * The denial of a browser login, one class for every entry (the Node loopback login and the
 * browser redirect login), so `catchTag("LoginDenied")` and `instanceof` mean the same in both.
 */
import * as Schema from "effect/Schema"

/**
 * The user denied access on TMDB's approval page (or TMDB refused the token as not approved).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { BrowserLogin } from "tmdb-effect/node"
 *
 * const login = BrowserLogin.login().pipe(
 *   Effect.catchTag("LoginDenied", () => Effect.succeed(null))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class LoginDenied
  extends /* @__PURE__ */ Schema.TaggedError<LoginDenied>("tmdb-effect/LoginDenied")("LoginDenied", {})
{
  override get message(): string {
    return "The login was denied on TMDB's approval page; run the login again and choose Approve"
  }
}

/**
 * The TMDB account behind a session: who logged in.
 *
 * @since 0.1.0
 */
import type * as Redacted from "effect/Redacted"
import * as Endpoints from "./internal/account.js"
import * as Http from "./internal/http.js"
import * as Input from "./internal/input.js"

export {
  /**
   * Account details as TMDB returns them (GET /3/account).
   *
   * @since 0.1.0
   * @category schemas
   */
  AccountDetails,
  /**
   * An account's avatar: a Gravatar hash and a TMDB image path, either of which may be null.
   *
   * @since 0.1.0
   * @category schemas
   */
  Avatar
} from "./internal/account.js"

/**
 * The account a session belongs to (GET /3/account?session_id=…). The session id travels in the
 * query string, as TMDB requires; it never appears in errors or spans.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account, Authentication } from "tmdb-effect"
 *
 * const program = Effect.gen(function*() {
 *   const session = yield* Authentication.loginWithPassword({ username: "jo", password: "secret" })
 *   const account = yield* Account.details({ session_id: session.session_id })
 *   console.log(`logged in as ${account.username} (#${account.id})`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category endpoints
 */
export const details = (input: { readonly session_id: string | Redacted.Redacted<string> }) =>
  Http.call(Endpoints.details, () => Input.query({ session_id: Input.secretToken("session_id", input?.session_id) }))

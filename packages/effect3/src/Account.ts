/**
 * The TMDB account behind a session: who logged in.
 *
 * @since 1.0.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import type { AccountDetails } from "./internal/account.js"
import { detailsOf } from "./internal/accountDetails.js"
import type { TmdbCredentials } from "./TmdbCredentials.js"
import type { CommonError, InvalidInput } from "./TmdbError.js"
import { TmdbSession } from "./TmdbSession.js"

export {
  /**
   * Account details as TMDB returns them.
   *
   * @example
   * ```ts
   * import { Schema } from "effect"
   * import { Account } from "tmdb-effect"
   *
   * const details = Schema.decodeUnknownSync(Account.AccountDetails)({
   *   id: 548,
   *   name: "",
   *   username: "travisbell",
   *   include_adult: false
   * })
   * ```
   *
   * @since 1.0.0
   * @category schemas
   */
  AccountDetails,
  /**
   * An account's avatar: a Gravatar hash and a TMDB image path, either of which may be null.
   *
   * @example
   * ```ts
   * import { Schema } from "effect"
   * import { Account } from "tmdb-effect"
   *
   * const avatar = Schema.decodeUnknownSync(Account.Avatar)({ gravatar: { hash: null }, tmdb: { avatar_path: null } })
   * ```
   *
   * @since 1.0.0
   * @category schemas
   */
  Avatar
} from "./internal/account.js"

/**
 * The account a session belongs to: the session given, or with no argument the one in
 * `TmdbSession`. The session id travels in the query string, as TMDB
 * requires; it never appears in errors or spans.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account, Authentication, TmdbSession } from "tmdb-effect"
 *
 * const program = Effect.gen(function*() {
 *   const session = yield* Authentication.loginWithPassword({ username: "jo", password: "secret" })
 *   const account = yield* Account.details({ session_id: session.session_id })
 *   console.log(`logged in as ${account.username} (#${account.id})`)
 * })
 *
 * // the session in context (TmdbSession), for code that runs after login
 * const whoAmI = Effect.map(Account.details(), (account) => account.username)
 * const afterLogin = whoAmI.pipe(
 *   Effect.provide(TmdbSession.layerFromLogin(Authentication.loginWithPassword({ username: "jo", password: "secret" })))
 * )
 * ```
 *
 * @since 1.0.0
 * @category endpoints
 */
export function details(): Effect.Effect<
  AccountDetails,
  CommonError | InvalidInput,
  TmdbSession | TmdbCredentials | HttpClient.HttpClient
>
export function details(
  input: { readonly session_id: string | Redacted.Redacted<string> }
): Effect.Effect<AccountDetails, CommonError | InvalidInput, TmdbCredentials | HttpClient.HttpClient>
export function details(...args: ReadonlyArray<{ readonly session_id: string | Redacted.Redacted<string> }>) {
  // the argument count, not its value, picks the form: `details(undefined)` is still InvalidInput
  return args.length === 0
    ? Effect.flatMap(TmdbSession, (session) => detailsOf(session.session_id))
    : detailsOf(args[0]?.session_id)
}

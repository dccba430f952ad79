/**
 * The TMDB account behind a session: who logged in.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { Requirements } from "./Authentication.js"
import * as Http from "./internal/http.js"
import * as Input from "./internal/input.js"
import type { CommonError, InvalidInput } from "./TmdbError.js"

const nullableString = Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })

/**
 * An account's avatar: a Gravatar hash and a TMDB image path, either of which may be null.
 *
 * @example
 * ```ts
 * import { Account } from "tmdb-effect"
 *
 * const avatarUrl = (avatar: Account.Avatar) =>
 *   avatar.tmdb.avatar_path === null ? undefined : `https://image.tmdb.org/t/p/w185${avatar.tmdb.avatar_path}`
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export class Avatar extends /* @__PURE__ */ Schema.Class<Avatar>("tmdb-effect/Avatar")({
  gravatar: Schema.optionalWith(Schema.Struct({ hash: nullableString }), { default: () => ({ hash: null }) }),
  /** `avatar_path` is relative to TMDB's image base URL, and null when none was uploaded. */
  tmdb: Schema.optionalWith(Schema.Struct({ avatar_path: nullableString }), { default: () => ({ avatar_path: null }) })
}) {}

/**
 * Account details as TMDB returns them (GET /3/account). Loose fields (null or missing in real
 * answers) decode to defaults.
 *
 * @example
 * ```ts
 * import { Account } from "tmdb-effect"
 *
 * const greeting = (account: Account.AccountDetails) => `Hello, ${account.name || account.username}`
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export class AccountDetails extends /* @__PURE__ */ Schema.Class<AccountDetails>("tmdb-effect/AccountDetails")({
  /** The v3 account id (an integer; v4's `account_id` is a different, string id). */
  id: Schema.Number,
  username: Schema.String,
  /** The display name; empty when the user has not set one. */
  name: Schema.optionalWith(Schema.String, { nullable: true, default: () => "" }),
  include_adult: Schema.optionalWith(Schema.Boolean, { nullable: true, default: () => false }),
  /** Preferred language (ISO 639-1). */
  iso_639_1: Schema.optionalWith(Schema.String, { nullable: true, default: () => "" }),
  /** Country (ISO 3166-1). */
  iso_3166_1: Schema.optionalWith(Schema.String, { nullable: true, default: () => "" }),
  avatar: Schema.optionalWith(Avatar, {
    nullable: true,
    default: () => new Avatar({ gravatar: { hash: null }, tmdb: { avatar_path: null } })
  })
}) {}

const endpoint = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Account.details",
  method: "GET",
  path: "/3/account",
  success: AccountDetails
})

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
export const details: (input: {
  readonly session_id: string | Redacted.Redacted<string>
}) => Effect.Effect<AccountDetails, CommonError | InvalidInput, Requirements> = (input) =>
  Http.call(endpoint, () => Input.query({ session_id: Input.secretToken("session_id", input?.session_id) }))

/**
 * TMDB's account endpoint, declared once: the answer's schema (fields in TMDB's wire order) and
 * its method, path and errors. The client (`Account`) and the simulator both read it.
 */
import * as Schema from "effect/Schema"
import * as Http from "./endpoint.js"

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
 * @since 1.0.0
 * @category schemas
 */
export class Avatar extends /* @__PURE__ */ Schema.Class<Avatar>("tmdb-effect/Avatar")({
  gravatar: Schema.optionalWith(Schema.Struct({ hash: nullableString }), { default: () => ({ hash: null }) }),
  /** `avatar_path` is relative to TMDB's image base URL, and null when none was uploaded. */
  tmdb: Schema.optionalWith(Schema.Struct({ avatar_path: nullableString }), { default: () => ({ avatar_path: null }) })
}) {}

/**
 * Account details as TMDB returns them. Loose fields (null or missing in real answers) decode to
 * defaults.
 *
 * @example
 * ```ts
 * import { Account } from "tmdb-effect"
 *
 * const greeting = (account: Account.AccountDetails) => `Hello, ${account.name || account.username}`
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export class AccountDetails extends /* @__PURE__ */ Schema.Class<AccountDetails>("tmdb-effect/AccountDetails")({
  avatar: Schema.optionalWith(Avatar, {
    nullable: true,
    default: () => new Avatar({ gravatar: { hash: null }, tmdb: { avatar_path: null } })
  }),
  /** The v3 account id (an integer; v4's `account_id` is a different, string id). */
  id: Schema.Number,
  /** Preferred language (ISO 639-1). */
  iso_639_1: Schema.optionalWith(Schema.String, { nullable: true, default: () => "" }),
  /** Country (ISO 3166-1). */
  iso_3166_1: Schema.optionalWith(Schema.String, { nullable: true, default: () => "" }),
  /** The display name; empty when the user has not set one. */
  name: Schema.optionalWith(Schema.String, { nullable: true, default: () => "" }),
  include_adult: Schema.optionalWith(Schema.Boolean, { nullable: true, default: () => false }),
  username: Schema.String
}) {}

export const details = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Account.details",
  method: "GET",
  path: "/3/account",
  success: AccountDetails
})

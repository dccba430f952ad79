/**
 * The TMDB account behind a session: who logged in.
 *
 * @since 2.0.0
 */
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import { call } from "./internal/client/call.js"
import type { Requirements } from "./internal/client/call.js"
import * as Endpoint from "./internal/client/endpoint.js"
import { TmdbSession } from "./internal/client/session.js"
import { NullableString, orDefault } from "./internal/util/schemas.js"
import type { CommonError, InvalidInput } from "./TmdbError.js"

/**
 * An account's avatar: a Gravatar hash and a TMDB image path, either of which may be null.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Account } from "tmdb-effect"
 *
 * const avatar = Schema.decodeUnknownSync(Account.Avatar)({ gravatar: { hash: null }, tmdb: { avatar_path: null } })
 * const avatarUrl = avatar.tmdb.avatar_path === null ? undefined : `https://image.tmdb.org/t/p/w185${avatar.tmdb.avatar_path}`
 * ```
 *
 * @since 2.0.0
 * @category schemas
 */
export class Avatar extends /* @__PURE__ */ Schema.Class<Avatar>("tmdb-effect/Avatar")({
  gravatar: /* @__PURE__ */ Schema.Struct({ hash: NullableString }).pipe(
    Schema.withDecodingDefault(/* @__PURE__ */ Effect.succeed({}))
  ),
  /** `avatar_path` is relative to TMDB's image base URL, and null when none was uploaded. */
  tmdb: /* @__PURE__ */ Schema.Struct({ avatar_path: NullableString }).pipe(
    Schema.withDecodingDefault(/* @__PURE__ */ Effect.succeed({}))
  )
}) {}

/**
 * Account details as TMDB returns them. Loose fields (null or missing in real answers) decode to
 * defaults.
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
 * const greeting = `Hello, ${details.name || details.username}`
 * ```
 *
 * @since 2.0.0
 * @category schemas
 */
export class AccountDetails extends /* @__PURE__ */ Schema.Class<AccountDetails>("tmdb-effect/AccountDetails")({
  avatar: /* @__PURE__ */ Schema.NullOr(Avatar).pipe(
    Schema.decodeTo(Schema.toType(Avatar), {
      decode: SchemaGetter.transform((avatar: Avatar | null) => avatar ?? noAvatar()),
      encode: SchemaGetter.transform((avatar: Avatar) => avatar)
    }),
    Schema.withDecodingDefault(/* @__PURE__ */ Effect.succeed(null))
  ),
  /** The v3 account id (an integer; v4's `account_id` is a different, string id). */
  id: Schema.Number,
  /** Preferred language (ISO 639-1). */
  iso_639_1: /* @__PURE__ */ orDefault(Schema.String, ""),
  /** Country (ISO 3166-1). */
  iso_3166_1: /* @__PURE__ */ orDefault(Schema.String, ""),
  /** The display name; empty when the user has not set one. */
  name: /* @__PURE__ */ orDefault(Schema.String, ""),
  include_adult: /* @__PURE__ */ orDefault(Schema.Boolean, false),
  username: Schema.String
}) {}

const noAvatar = () => new Avatar({ gravatar: { hash: null }, tmdb: { avatar_path: null } })

/**
 * TMDB's account endpoint, declared once: method, path, the field a call sends (the session id,
 * in the query string, as TMDB requires), the success schema.
 *
 * @example
 * ```ts
 * import { Account } from "tmdb-effect"
 *
 * const { method, path } = Account.endpoints.details // "GET", "/3/account"
 * ```
 *
 * @since 2.0.0
 * @category declarations
 */
export const endpoints = {
  details: /* @__PURE__ */ Endpoint.endpoint({
    span: "tmdb.Account.details",
    method: "GET",
    path: "/3/account",
    fields: { session_id: "secretToken" },
    fieldsIn: "query",
    success: AccountDetails
  })
} as const

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
 * @since 2.0.0
 * @category endpoints
 */
export function details(): Effect.Effect<AccountDetails, CommonError | InvalidInput, TmdbSession | Requirements>
export function details(
  input: { readonly session_id: string | Redacted.Redacted<string> }
): Effect.Effect<AccountDetails, CommonError | InvalidInput, Requirements>
export function details(...args: ReadonlyArray<{ readonly session_id: string | Redacted.Redacted<string> }>) {
  // the argument count, not its value, picks the form: `details(undefined)` is still InvalidInput
  return args.length === 0
    ? Effect.flatMap(TmdbSession, (session) => call(endpoints.details, { session_id: session.session_id }))
    : call(endpoints.details, args[0])
}

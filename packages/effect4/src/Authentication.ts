/**
 * TMDB's v3 authentication API: key validation, guest sessions, request tokens, user sessions
 * (by browser approval, by password, or from a v4 access token), logout, and the whole
 * password login as one Effect.
 *
 * Every endpoint needs `TmdbCredentials` and an `HttpClient`, reads `TmdbConfig` at each call,
 * and lists in its error type exactly the errors it can produce.
 *
 * @since 2.0.0
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaTransformation from "effect/SchemaTransformation"
import { call } from "./internal/client/call.js"
import type { Requirements as CallRequirements } from "./internal/client/call.js"
import * as Endpoint from "./internal/client/endpoint.js"
import * as Input from "./internal/client/input.js"
import { SecretString } from "./internal/util/schemas.js"
import { approvalPaths, withoutTrailingSlash } from "./internal/util/url.js"
import { defaults } from "./TmdbConfig.js"
import {
  AccountDisabled,
  EmailNotVerified,
  InvalidLogin,
  InvalidRequestToken,
  ResourceNotFound,
  SessionDenied
} from "./TmdbError.js"

/**
 * What every endpoint needs from its context: `TmdbCredentials` and an `HttpClient`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * // a helper of your own that keeps the endpoints' requirements
 * const twice = <A, E>(effect: Effect.Effect<A, E, Authentication.Requirements>) => Effect.zip(effect, effect)
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export type Requirements = CallRequirements

const EXPIRES_AT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) UTC$/

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** The instant TMDB's `"2016-08-26 17:04:39 UTC"` names, or `undefined` when it names none. */
const parseExpiresAt = (value: string): DateTime.Utc | undefined => {
  const match = EXPIRES_AT.exec(value)
  if (match === null) return undefined
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  const hours = Number(match[4])
  const minutes = Number(match[5])
  const seconds = Number(match[6])
  const date = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds))
  // Date.UTC rolls 2016-02-30 over into March: refuse dates that don't exist.
  const exists = date.getUTCDate() === day && date.getUTCMonth() === month - 1 && hours <= 23 && minutes <= 59 &&
    seconds <= 59
  return exists ? DateTime.makeUnsafe(date) : undefined
}

/**
 * TMDB's `expires_at` format, `"2016-08-26 17:04:39 UTC"` (not ISO-8601), as a `DateTime.Utc`.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const expiresAt = Schema.decodeUnknownSync(Authentication.ExpiresAt)("2016-08-26 17:04:39 UTC")
 * ```
 *
 * @since 2.0.0
 * @category schemas
 */
export const ExpiresAt: Schema.Codec<DateTime.Utc, string> = /* @__PURE__ */ Schema.String.pipe(
  /* @__PURE__ */ Schema.decodeTo(
    Schema.DateTimeUtc,
    /* @__PURE__ */ SchemaTransformation.transformEffect({
      decode: (value, options) => {
        const parsed = parseExpiresAt(value)
        return parsed === undefined
          ? Effect.fail(
            new SchemaIssue.InvalidValue(
              { message: "expected \"YYYY-MM-DD HH:MM:SS UTC\", a real date and time" },
              value,
              options
            )
          )
          : Effect.succeed(parsed)
      },
      encode: (dateTime) => {
        const d = DateTime.toDateUtc(dateTime)
        return Effect.succeed(
          `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
            `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
        )
      }
    })
  ),
  /* @__PURE__ */ Schema.annotate({ identifier: "ExpiresAt" })
)

/**
 * The answer to {@link validateKey}. TMDB sometimes sends `{ success: true }` alone.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const validation = Schema.decodeUnknownSync(Authentication.KeyValidation)({ success: true })
 * ```
 *
 * @since 2.0.0
 * @category schemas
 */
export class KeyValidation extends /* @__PURE__ */ Schema.Class<KeyValidation>("tmdb-effect/KeyValidation")({
  success: Schema.Boolean,
  status_code: /* @__PURE__ */ Schema.optional(Schema.Int),
  status_message: /* @__PURE__ */ Schema.optional(Schema.String)
}) {}

/**
 * A guest session: rate and list without a TMDB account, until `expires_at`. Its id is a secret,
 * so it is `Redacted`.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const guest = Schema.decodeUnknownSync(Authentication.GuestSession)({
 *   success: true,
 *   guest_session_id: "1ce82ec1223641636ad4a60b07de3581",
 *   expires_at: "2016-08-27 16:26:40 UTC"
 * })
 * ```
 *
 * @since 2.0.0
 * @category schemas
 */
export class GuestSession extends /* @__PURE__ */ Schema.Class<GuestSession>("tmdb-effect/GuestSession")({
  success: Schema.Boolean,
  /** The guest session id: a secret, so it is `Redacted`. */
  guest_session_id: SecretString,
  expires_at: ExpiresAt
}) {}

/**
 * A request token: approved by the user (in the browser or by password), then exchanged for a
 * session. Valid for 60 minutes, single use.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const token = Schema.decodeUnknownSync(Authentication.RequestToken)({
 *   success: true,
 *   expires_at: "2016-08-26 17:04:39 UTC",
 *   request_token: "ff5c7eeb5a8870efe3cd7fc5c282cffd26800ecd"
 * })
 * ```
 *
 * @since 2.0.0
 * @category schemas
 */
export class RequestToken extends /* @__PURE__ */ Schema.Class<RequestToken>("tmdb-effect/RequestToken")({
  success: Schema.Boolean,
  expires_at: ExpiresAt,
  request_token: Schema.NonEmptyString
}) {}

/**
 * A user session. The id is a secret (it acts as the user), so it is `Redacted`; it lives until
 * {@link deleteSession}.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const session = Schema.decodeUnknownSync(Authentication.Session)({
 *   success: true,
 *   session_id: "79191836ddaa0da3df76a5ffef6f07ad6ab0c641"
 * })
 * console.log(session) // session_id prints as <redacted>
 * ```
 *
 * @since 2.0.0
 * @category schemas
 */
export class Session extends /* @__PURE__ */ Schema.Class<Session>("tmdb-effect/Session")({
  success: Schema.Boolean,
  session_id: SecretString
}) {}

/**
 * The answer to {@link deleteSession}.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const deleted = Schema.decodeUnknownSync(Authentication.SessionDeleted)({ success: true })
 * ```
 *
 * @since 2.0.0
 * @category schemas
 */
export class SessionDeleted extends /* @__PURE__ */ Schema.Class<SessionDeleted>("tmdb-effect/SessionDeleted")({
  success: Schema.Boolean
}) {}

// One declaration per endpoint: a program bundles only the ones it calls.
const validateKeyEndpoint = /* @__PURE__ */ Endpoint.endpoint({
  span: "tmdb.Authentication.validateKey",
  method: "GET",
  path: "/3/authentication",
  fields: {},
  success: KeyValidation
})

const createGuestSessionEndpoint = /* @__PURE__ */ Endpoint.endpoint({
  span: "tmdb.Authentication.createGuestSession",
  method: "GET",
  path: "/3/authentication/guest_session/new",
  fields: {},
  success: GuestSession
})

const createRequestTokenEndpoint = /* @__PURE__ */ Endpoint.endpoint({
  span: "tmdb.Authentication.createRequestToken",
  method: "GET",
  path: "/3/authentication/token/new",
  fields: {},
  success: RequestToken
})

const createSessionWithLoginEndpoint = /* @__PURE__ */ Endpoint.endpoint({
  span: "tmdb.Authentication.createSessionWithLogin",
  method: "POST",
  path: "/3/authentication/token/validate_with_login",
  fields: { username: "text", password: "secret", request_token: "token" },
  success: RequestToken,
  // 30: recorded (wrong password); 26, 31, 32, 45: TMDB's status-code page (missing
  // credentials, disabled, unverified, suspended); 33: TMDB's docs (expired or used token)
  errors: [InvalidLogin, AccountDisabled, EmailNotVerified, InvalidRequestToken]
})

const createSessionEndpoint = /* @__PURE__ */ Endpoint.endpoint({
  span: "tmdb.Authentication.createSession",
  method: "POST",
  path: "/3/authentication/session/new",
  fields: { request_token: "token" },
  success: Session,
  // 17: recorded (an unapproved token); 41: TMDB's status-code page (not approved);
  // 33: TMDB's docs (expired or used token)
  errors: [InvalidRequestToken, SessionDenied]
})

const createSessionFromV4TokenEndpoint = /* @__PURE__ */ Endpoint.endpoint({
  span: "tmdb.Authentication.createSessionFromV4Token",
  method: "POST",
  path: "/3/authentication/session/convert/4",
  fields: { access_token: "secretToken" },
  success: Session
})

const deleteSessionEndpoint = /* @__PURE__ */ Endpoint.endpoint({
  span: "tmdb.Authentication.deleteSession",
  method: "DELETE",
  path: "/3/authentication/session",
  fields: { session_id: "secretToken" },
  success: SessionDeleted,
  goneAfterRetry: /* @__PURE__ */ new SessionDeleted({ success: true }),
  // 17: reported by peers' test suites for deleting an unknown session; 6, 34: TMDB's
  // status-code page (invalid id, resource not found) — what TMDB has answered for it over time
  errors: [ResourceNotFound, SessionDenied]
})

/**
 * TMDB's v3 authentication endpoints, declared once: method, path, the fields a call sends, the
 * success schema and the errors each can produce. The functions of this module call them; the
 * simulator (`tmdb-effect/testing`) serves them.
 *
 * @example
 * ```ts
 * import { Authentication } from "tmdb-effect"
 *
 * const { method, path } = Authentication.endpoints.createSession // "POST", "/3/authentication/session/new"
 * ```
 *
 * @since 2.0.0
 * @category declarations
 */
export const endpoints = {
  validateKey: validateKeyEndpoint,
  createGuestSession: createGuestSessionEndpoint,
  createRequestToken: createRequestTokenEndpoint,
  createSessionWithLogin: createSessionWithLoginEndpoint,
  createSession: createSessionEndpoint,
  createSessionFromV4Token: createSessionFromV4TokenEndpoint,
  deleteSession: deleteSessionEndpoint
} as const

/**
 * Checks that the credentials are accepted.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { Authentication, TmdbCredentials } from "tmdb-effect"
 *
 * const program = Effect.gen(function*() {
 *   const result = yield* Authentication.validateKey()
 *   console.log(result.success)
 * }).pipe(Effect.provide(TmdbCredentials.layerConfig), Effect.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 2.0.0
 * @category endpoints
 */
export const validateKey = () => call(validateKeyEndpoint)

/**
 * Creates a guest session.
 *
 * @example
 * ```ts
 * import { DateTime, Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const program = Effect.gen(function*() {
 *   const guest = yield* Authentication.createGuestSession()
 *   console.log(`guest session until ${DateTime.formatIso(guest.expires_at)}`)
 * })
 * ```
 *
 * @since 2.0.0
 * @category endpoints
 */
export const createGuestSession = () => call(createGuestSessionEndpoint)

/**
 * Creates a request token for the user to approve.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const program = Effect.gen(function*() {
 *   const token = yield* Authentication.createRequestToken()
 *   console.log(Authentication.approvalUrl(token.request_token))
 * })
 * ```
 *
 * @since 2.0.0
 * @category endpoints
 */
export const createRequestToken = () => call(createRequestTokenEndpoint)

/**
 * Approves a request token with the user's username and password. The password goes in the JSON
 * body only.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const program = Effect.gen(function*() {
 *   const token = yield* Authentication.createRequestToken()
 *   yield* Authentication.createSessionWithLogin({
 *     username: "jo",
 *     password: Redacted.make("secret"),
 *     request_token: token.request_token
 *   })
 * })
 * ```
 *
 * @since 2.0.0
 * @category endpoints
 */
export const createSessionWithLogin = (input: {
  readonly username: string
  readonly password: string | Redacted.Redacted<string>
  readonly request_token: string
}) => call(createSessionWithLoginEndpoint, input)

/**
 * Exchanges an approved request token for a session.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const finish = (request_token: string) =>
 *   Authentication.createSession({ request_token }).pipe(
 *     Effect.catchTag("SessionDenied", () => Effect.fail("the user did not approve"))
 *   )
 * ```
 *
 * @since 2.0.0
 * @category endpoints
 */
export const createSession = (input: { readonly request_token: string }) => call(createSessionEndpoint, input)

/**
 * Turns a v4 user access token into a v3 session.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const session = Authentication.createSessionFromV4Token({ access_token: Redacted.make("eyJ…") })
 * ```
 *
 * @since 2.0.0
 * @category endpoints
 */
export const createSessionFromV4Token = (input: { readonly access_token: string | Redacted.Redacted<string> }) =>
  call(createSessionFromV4TokenEndpoint, input)

/**
 * Logs out: deletes a session (its id goes in the JSON body).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const logout = (session: Authentication.Session) =>
 *   Authentication.deleteSession({ session_id: session.session_id }).pipe(
 *     Effect.catchTag("ResourceNotFound", () => Effect.void) // already gone
 *   )
 * ```
 *
 * @since 2.0.0
 * @category endpoints
 */
export const deleteSession = (input: { readonly session_id: string | Redacted.Redacted<string> }) =>
  call(deleteSessionEndpoint, input)

/**
 * The page where the user approves a request token:
 * `https://www.themoviedb.org/authenticate/{request_token}`, with `redirect_to` encoded when given.
 * Pure; in an Effect, call it in `Effect.try` to have the `InvalidInput` as a typed failure.
 *
 * @throws {InvalidInput} When `request_token` is not a request token (empty, not a string,
 *   `..`, characters a token does not have).
 *
 * @example
 * ```ts
 * import { Authentication } from "tmdb-effect"
 *
 * Authentication.approvalUrl("ff5c7eeb5a88", { redirectTo: "http://127.0.0.1:8788/callback?state=1" })
 * // "https://www.themoviedb.org/authenticate/ff5c7eeb5a88?redirect_to=http%3A%2F%2F127.0.0.1%3A8788%2Fcallback%3Fstate%3D1"
 * ```
 *
 * @since 2.0.0
 * @category approval
 */
export const approvalUrl = (
  request_token: string,
  options?: { readonly redirectTo?: string | undefined; readonly webUrl?: string | undefined }
): string => {
  const token = Input.orThrow(Input.requestToken(request_token))
  const web = withoutTrailingSlash(options?.webUrl ?? defaults.webUrl)
  const url = `${web}${approvalPaths.v3}${token}`
  return options?.redirectTo === undefined ? url : `${url}?redirect_to=${encodeURIComponent(options.redirectTo)}`
}

/**
 * The whole server-side login as one Effect: create a request token, approve it with the
 * username and password, exchange it for a session. Empty input fails with `InvalidInput`
 * before any request.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { Authentication, TmdbCredentials } from "tmdb-effect"
 *
 * const program = Authentication.loginWithPassword({ username: "jo", password: "secret" }).pipe(
 *   Effect.catchTag("InvalidLogin", () => Effect.succeed(undefined)),
 *   Effect.provide(TmdbCredentials.layerConfig),
 *   Effect.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 2.0.0
 * @category flows
 */
export const loginWithPassword = /* @__PURE__ */ Effect.fn("tmdb.Authentication.loginWithPassword")(function*(input: {
  readonly username: string
  readonly password: string | Redacted.Redacted<string>
}) {
  const username = yield* Effect.fromResult(Input.text("username", input?.username))
  const password = yield* Effect.fromResult(Input.secret("password", input?.password))
  const token = yield* createRequestToken()
  const approved = yield* createSessionWithLogin({ username, password, request_token: token.request_token })
  return yield* createSession({ request_token: approved.request_token })
})

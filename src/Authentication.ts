/**
 * TMDB's v3 authentication API: key validation, guest sessions, request tokens, user sessions
 * (by browser approval, by password, or from a v4 access token), logout, and the whole
 * password login as one Effect.
 *
 * Every endpoint needs `TmdbCredentials` and an `HttpClient`, reads `TmdbConfig` at each call,
 * and lists in its error type exactly the errors it can produce.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Http from "./internal/http.js"
import * as Input from "./internal/input.js"
import { ExpiresAt as ExpiresAtSchema, SecretString } from "./internal/schemas.js"
import { origin } from "./internal/url.js"
import { defaults } from "./TmdbConfig.js"
import type { TmdbCredentials } from "./TmdbCredentials.js"
import type {
  AccountDisabled,
  CommonError,
  EmailNotVerified,
  InvalidInput,
  InvalidLogin,
  InvalidRequestToken,
  ResourceNotFound,
  SessionDenied
} from "./TmdbError.js"

/**
 * What every endpoint needs from its context.
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
 * @since 0.1.0
 * @category models
 */
export type Requirements = TmdbCredentials | HttpClient.HttpClient

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
 * @since 0.1.0
 * @category schemas
 */
export const ExpiresAt: Schema.Schema<DateTime.Utc, string> = ExpiresAtSchema

/**
 * The answer to {@link validateKey}. TMDB sometimes sends `{ success: true }` alone.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const ok: Effect.Effect<boolean, unknown, Authentication.Requirements> = Effect.map(
 *   Authentication.validateKey(),
 *   (result: Authentication.KeyValidation) => result.success
 * )
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export class KeyValidation extends /* @__PURE__ */ Schema.Class<KeyValidation>("tmdb-effect/KeyValidation")({
  success: Schema.Boolean,
  status_code: Schema.optional(Schema.Number),
  status_message: Schema.optional(Schema.String)
}) {}

/**
 * A guest session: rate and list without a TMDB account, until `expires_at`.
 *
 * @example
 * ```ts
 * import { DateTime, Effect, Redacted } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const program = Effect.gen(function*() {
 *   const guest: Authentication.GuestSession = yield* Authentication.createGuestSession()
 *   const id = Redacted.value(guest.guest_session_id) // only where TMDB needs it
 *   const minutesLeft = DateTime.distance(yield* DateTime.now, guest.expires_at) / 60_000
 *   return { id, minutesLeft }
 * })
 * ```
 *
 * @since 0.1.0
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
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const url = Effect.map(
 *   Authentication.createRequestToken(),
 *   (token: Authentication.RequestToken) => Authentication.approvalUrl(token.request_token)
 * )
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export class RequestToken extends /* @__PURE__ */ Schema.Class<RequestToken>("tmdb-effect/RequestToken")({
  success: Schema.Boolean,
  request_token: Schema.String.pipe(Schema.minLength(1)),
  expires_at: ExpiresAt
}) {}

/**
 * A user session. The id is a secret (it acts as the user), so it is `Redacted`; it lives until
 * {@link deleteSession}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const program = Effect.gen(function*() {
 *   const session: Authentication.Session = yield* Authentication.loginWithPassword({ username: "jo", password: "pw" })
 *   yield* Effect.log("logged in", session) // prints session_id as <redacted>
 *   return session.session_id
 * })
 * ```
 *
 * @since 0.1.0
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
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const loggedOut = Effect.map(
 *   Authentication.deleteSession({ session_id: "…" }),
 *   (result: Authentication.SessionDeleted) => result.success
 * )
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export class SessionDeleted extends /* @__PURE__ */ Schema.Class<SessionDeleted>("tmdb-effect/SessionDeleted")({
  success: Schema.Boolean
}) {}

const validateKeyEndpoint = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Authentication.validateKey",
  method: "GET",
  path: "/3/authentication",
  success: KeyValidation
})

const createGuestSessionEndpoint = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Authentication.createGuestSession",
  method: "GET",
  path: "/3/authentication/guest_session/new",
  success: GuestSession
})

const createRequestTokenEndpoint = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Authentication.createRequestToken",
  method: "GET",
  path: "/3/authentication/token/new",
  success: RequestToken
})

const createSessionWithLoginEndpoint = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Authentication.createSessionWithLogin",
  method: "POST",
  path: "/3/authentication/token/validate_with_login",
  success: RequestToken,
  errors: ["InvalidLogin", "AccountDisabled", "EmailNotVerified", "InvalidRequestToken"]
})

const createSessionEndpoint = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Authentication.createSession",
  method: "POST",
  path: "/3/authentication/session/new",
  success: Session,
  errors: ["InvalidRequestToken", "SessionDenied"]
})

const createSessionFromV4TokenEndpoint = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Authentication.createSessionFromV4Token",
  method: "POST",
  path: "/3/authentication/session/convert/4",
  success: Session
})

const deleteSessionEndpoint = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Authentication.deleteSession",
  method: "DELETE",
  path: "/3/authentication/session",
  success: SessionDeleted,
  errors: ["ResourceNotFound"]
})

/**
 * Checks that the credentials are accepted (GET /3/authentication).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Authentication, TmdbCredentials } from "tmdb-effect"
 *
 * const program = Effect.gen(function*() {
 *   const result = yield* Authentication.validateKey()
 *   console.log(result.success)
 * }).pipe(Effect.provide(TmdbCredentials.layerConfig), Effect.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 * @category endpoints
 */
export const validateKey: () => Effect.Effect<KeyValidation, CommonError, Requirements> = () =>
  Http.call(validateKeyEndpoint)

/**
 * Creates a guest session (GET /3/authentication/guest_session/new).
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
 * @since 0.1.0
 * @category endpoints
 */
export const createGuestSession: () => Effect.Effect<GuestSession, CommonError, Requirements> = () =>
  Http.call(createGuestSessionEndpoint)

/**
 * Creates a request token for the user to approve (GET /3/authentication/token/new).
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
 * @since 0.1.0
 * @category endpoints
 */
export const createRequestToken: () => Effect.Effect<RequestToken, CommonError, Requirements> = () =>
  Http.call(createRequestTokenEndpoint)

/**
 * Approves a request token with the user's username and password
 * (POST /3/authentication/token/validate_with_login). The password goes in the JSON body only.
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
 * @since 0.1.0
 * @category endpoints
 */
export const createSessionWithLogin: (input: {
  readonly username: string
  readonly password: string | Redacted.Redacted<string>
  readonly request_token: string
}) => Effect.Effect<
  RequestToken,
  CommonError | InvalidInput | InvalidLogin | AccountDisabled | EmailNotVerified | InvalidRequestToken,
  Requirements
> = (input) =>
  Http.call(
    createSessionWithLoginEndpoint,
    () =>
      Input.body({
        username: Input.text("username", input?.username),
        password: Input.secret("password", input?.password),
        request_token: Input.token("request_token", input?.request_token)
      })
  )

/**
 * Exchanges an approved request token for a session (POST /3/authentication/session/new).
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
 * @since 0.1.0
 * @category endpoints
 */
export const createSession: (input: {
  readonly request_token: string
}) => Effect.Effect<Session, CommonError | InvalidInput | InvalidRequestToken | SessionDenied, Requirements> = (
  input
) =>
  Http.call(
    createSessionEndpoint,
    () => Input.body({ request_token: Input.token("request_token", input?.request_token) })
  )

/**
 * Turns a v4 user access token into a v3 session (POST /3/authentication/session/convert/4).
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const session = Authentication.createSessionFromV4Token({ access_token: Redacted.make("eyJ…") })
 * ```
 *
 * @since 0.1.0
 * @category endpoints
 */
export const createSessionFromV4Token: (input: {
  readonly access_token: string | Redacted.Redacted<string>
}) => Effect.Effect<Session, CommonError | InvalidInput, Requirements> = (input) =>
  Http.call(
    createSessionFromV4TokenEndpoint,
    () => Input.body({ access_token: Input.secretToken("access_token", input?.access_token) })
  )

/**
 * Logs out: deletes a session (DELETE /3/authentication/session, id in the JSON body).
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
 * @since 0.1.0
 * @category endpoints
 */
export const deleteSession: (input: {
  readonly session_id: string | Redacted.Redacted<string>
}) => Effect.Effect<SessionDeleted, CommonError | InvalidInput | ResourceNotFound, Requirements> = (input) =>
  Http.call(deleteSessionEndpoint, () => Input.body({ session_id: Input.secretToken("session_id", input?.session_id) }))

/**
 * The page where the user approves a request token:
 * `https://www.themoviedb.org/authenticate/{request_token}`, with `redirect_to` encoded when given.
 *
 * @example
 * ```ts
 * import { Authentication } from "tmdb-effect"
 *
 * Authentication.approvalUrl("ff5c7eeb5a88", { redirectTo: "http://127.0.0.1:8788/callback?state=1" })
 * // "https://www.themoviedb.org/authenticate/ff5c7eeb5a88?redirect_to=http%3A%2F%2F127.0.0.1%3A8788%2Fcallback%3Fstate%3D1"
 * ```
 *
 * @since 0.1.0
 * @category approval
 */
export const approvalUrl = (
  request_token: string,
  options?: { readonly redirectTo?: string | undefined; readonly webUrl?: string | undefined }
): string => {
  const web = origin(options?.webUrl ?? defaults.webUrl)
  const url = `${web}/authenticate/${encodeURIComponent(request_token)}`
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
 * import { FetchHttpClient } from "@effect/platform"
 * import { Authentication, TmdbCredentials } from "tmdb-effect"
 *
 * const program = Authentication.loginWithPassword({ username: "jo", password: "secret" }).pipe(
 *   Effect.catchTag("InvalidLogin", () => Effect.succeed(undefined)),
 *   Effect.provide(TmdbCredentials.layerConfig),
 *   Effect.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category flows
 */
export const loginWithPassword: (input: {
  readonly username: string
  readonly password: string | Redacted.Redacted<string>
}) => Effect.Effect<
  Session,
  | CommonError
  | InvalidInput
  | InvalidLogin
  | AccountDisabled
  | EmailNotVerified
  | InvalidRequestToken
  | SessionDenied,
  Requirements
> = /* @__PURE__ */ Effect.fn("tmdb.Authentication.loginWithPassword")(function*(input) {
  const username = yield* Input.text("username", input?.username)
  const password = yield* Input.secret("password", input?.password)
  const token = yield* createRequestToken()
  const approved = yield* createSessionWithLogin({ username, password, request_token: token.request_token })
  return yield* createSession({ request_token: approved.request_token })
})

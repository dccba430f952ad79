/**
 * TMDB's v3 authentication API: key validation, guest sessions, request tokens, user sessions
 * (by browser approval, by password, or from a v4 access token), logout, and the whole
 * password login as one Effect.
 *
 * Every endpoint needs `TmdbCredentials` and an `HttpClient`, reads `TmdbConfig` at each call,
 * and lists in its error type exactly the errors it can produce.
 *
 * @since 1.0.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import * as Endpoints from "./internal/authentication.js"
import * as Http from "./internal/http.js"
import * as Input from "./internal/input.js"
import { ExpiresAt as ExpiresAtSchema } from "./internal/schemas.js"
import { approvalPaths, origin } from "./internal/url.js"
import { defaults } from "./TmdbConfig.js"
import type { TmdbCredentials } from "./TmdbCredentials.js"

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
 * @since 1.0.0
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
 * @since 1.0.0
 * @category schemas
 */
export const ExpiresAt: Schema.Schema<DateTime.Utc, string> = ExpiresAtSchema

export {
  /**
   * A guest session: rate and list without a TMDB account, until `expires_at`.
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
   * @since 1.0.0
   * @category schemas
   */
  GuestSession,
  /**
   * The answer to {@link validateKey}.
   *
   * @example
   * ```ts
   * import { Schema } from "effect"
   * import { Authentication } from "tmdb-effect"
   *
   * const validation = Schema.decodeUnknownSync(Authentication.KeyValidation)({ success: true })
   * ```
   *
   * @since 1.0.0
   * @category schemas
   */
  KeyValidation,
  /**
   * A request token, valid for 60 minutes, single use.
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
   * @since 1.0.0
   * @category schemas
   */
  RequestToken,
  /**
   * A user session; its id is `Redacted`.
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
   * ```
   *
   * @since 1.0.0
   * @category schemas
   */
  Session,
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
   * @since 1.0.0
   * @category schemas
   */
  SessionDeleted
} from "./internal/authentication.js"

/**
 * Checks that the credentials are accepted.
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
 * @since 1.0.0
 * @category endpoints
 */
export const validateKey = () => Http.call(Endpoints.validateKey)

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
 * @since 1.0.0
 * @category endpoints
 */
export const createGuestSession = () => Http.call(Endpoints.createGuestSession)

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
 * @since 1.0.0
 * @category endpoints
 */
export const createRequestToken = () => Http.call(Endpoints.createRequestToken)

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
 * @since 1.0.0
 * @category endpoints
 */
export const createSessionWithLogin = (input: {
  readonly username: string
  readonly password: string | Redacted.Redacted<string>
  readonly request_token: string
}) =>
  Http.call(
    Endpoints.createSessionWithLogin,
    () =>
      Input.body({
        username: Input.text("username", input?.username),
        password: Input.secret("password", input?.password),
        request_token: Input.token("request_token", input?.request_token)
      })
  )

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
 * @since 1.0.0
 * @category endpoints
 */
export const createSession = (input: { readonly request_token: string }) =>
  Http.call(
    Endpoints.createSession,
    () => Input.body({ request_token: Input.token("request_token", input?.request_token) })
  )

/**
 * Turns a v4 user access token into a v3 session.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const session = Authentication.createSessionFromV4Token({ access_token: Redacted.make("eyJ…") })
 * ```
 *
 * @since 1.0.0
 * @category endpoints
 */
export const createSessionFromV4Token = (input: { readonly access_token: string | Redacted.Redacted<string> }) =>
  Http.call(
    Endpoints.createSessionFromV4Token,
    () => Input.body({ access_token: Input.secretToken("access_token", input?.access_token) })
  )

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
 * @since 1.0.0
 * @category endpoints
 */
export const deleteSession = (input: { readonly session_id: string | Redacted.Redacted<string> }) =>
  Http.call(
    Endpoints.deleteSession,
    () => Input.body({ session_id: Input.secretToken("session_id", input?.session_id) })
  )

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
 * @since 1.0.0
 * @category approval
 */
export const approvalUrl = (
  request_token: string,
  options?: { readonly redirectTo?: string | undefined; readonly webUrl?: string | undefined }
): string => {
  const token = Input.orThrow(Input.requestToken(request_token))
  const web = origin(options?.webUrl ?? defaults.webUrl)
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
 * @since 1.0.0
 * @category flows
 */
export const loginWithPassword = /* @__PURE__ */ Effect.fn("tmdb.Authentication.loginWithPassword")(function*(input: {
  readonly username: string
  readonly password: string | Redacted.Redacted<string>
}) {
  const username = yield* Input.text("username", input?.username)
  const password = yield* Input.secret("password", input?.password)
  const token = yield* createRequestToken()
  const approved = yield* createSessionWithLogin({ username, password, request_token: token.request_token })
  return yield* createSession({ request_token: approved.request_token })
})

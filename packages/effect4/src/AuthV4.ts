/**
 * TMDB's v4 user authentication: request tokens approved in the browser, user access tokens that
 * live until deleted, and the bridge to v3 — a v4 access token turned into a v3 `session_id`, or
 * used itself as the Bearer credential of v3 calls.
 *
 * TMDB's v4 API accepts only a Bearer token: with api_key credentials every endpoint here fails
 * with `BearerTokenRequired` before any request is sent.
 *
 * @since 2.0.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Authentication from "./Authentication.js"
import { call } from "./internal/client/call.js"
import * as Endpoint from "./internal/client/endpoint.js"
import * as Input from "./internal/client/input.js"
import { sessionFromAccessToken } from "./internal/login/v4Session.js"
import { SecretString } from "./internal/util/schemas.js"
import { approvalPaths, withoutTrailingSlash } from "./internal/util/url.js"
import { defaults } from "./TmdbConfig.js"
import { Credentials, TmdbCredentials } from "./TmdbCredentials.js"
import type { InvalidInput } from "./TmdbError.js"
import { InvalidRequestToken, ResourceNotFound, SessionDenied } from "./TmdbError.js"

/**
 * How long a v4 request token lives (its JWT's `exp - nbf`); its answer carries no `expires_at`.
 *
 * @example
 * ```ts
 * import { Duration } from "effect"
 * import { AuthV4 } from "tmdb-effect"
 *
 * console.log(Duration.toMinutes(AuthV4.requestTokenLifetime)) // 15
 * ```
 *
 * @since 2.0.0
 * @category constants
 */
export const requestTokenLifetime: Duration.Duration = /* @__PURE__ */ Duration.minutes(15)

/**
 * A v4 request token (a JWT): the user approves it at {@link approvalUrl}, then
 * {@link createAccessToken} exchanges it, once, within {@link requestTokenLifetime}.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { AuthV4 } from "tmdb-effect"
 *
 * const token = Schema.decodeUnknownSync(AuthV4.RequestToken)({
 *   request_token: "eyJhbGciOiJIUzI1NiJ9.request",
 *   success: true
 * })
 * ```
 *
 * @since 2.0.0
 * @category schemas
 */
export class RequestToken extends /* @__PURE__ */ Schema.Class<RequestToken>("tmdb-effect/AuthV4/RequestToken")({
  status_message: /* @__PURE__ */ Schema.optional(Schema.String),
  request_token: Schema.NonEmptyString,
  success: Schema.Boolean,
  status_code: /* @__PURE__ */ Schema.optional(Schema.Int)
}) {}

/**
 * A v4 user access token: it acts as the user (so it is `Redacted`) and lives until
 * {@link deleteAccessToken}. `account_id` is v4's string id, not the v3 integer account id.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { AuthV4 } from "tmdb-effect"
 *
 * const token = Schema.decodeUnknownSync(AuthV4.AccessToken)({
 *   account_id: "4bc889XXXXa3c0z92001001",
 *   access_token: "eyJhbGciOiJIUzI1NiJ9.user",
 *   success: true
 * })
 * ```
 *
 * @since 2.0.0
 * @category schemas
 */
export class AccessToken extends /* @__PURE__ */ Schema.Class<AccessToken>("tmdb-effect/AuthV4/AccessToken")({
  /** The v4 account id, e.g. `"4bc8892a017a3c0f92000002"`. */
  account_id: Schema.NonEmptyString,
  /** The user access token: a Bearer credential for the user, so it is `Redacted`. */
  access_token: SecretString,
  success: Schema.Boolean,
  status_message: /* @__PURE__ */ Schema.optional(Schema.String),
  status_code: /* @__PURE__ */ Schema.optional(Schema.Int)
}) {}

/**
 * The answer to {@link deleteAccessToken}.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { AuthV4 } from "tmdb-effect"
 *
 * const deleted = Schema.decodeUnknownSync(AuthV4.AccessTokenDeleted)({ success: true })
 * ```
 *
 * @since 2.0.0
 * @category schemas
 */
export class AccessTokenDeleted
  extends /* @__PURE__ */ Schema.Class<AccessTokenDeleted>("tmdb-effect/AuthV4/AccessTokenDeleted")({
    status_message: /* @__PURE__ */ Schema.optional(Schema.String),
    success: Schema.Boolean,
    status_code: /* @__PURE__ */ Schema.optional(Schema.Int)
  })
{}

/** One resource, two endpoints: a user access token is created by POST and deleted by DELETE. */
const accessTokenPath = "/4/auth/access_token"

const createRequestTokenEndpoint = /* @__PURE__ */ Endpoint.endpoint({
  span: "tmdb.AuthV4.createRequestToken",
  method: "POST",
  path: "/4/auth/request_token",
  fields: { redirect_to: "text?" },
  success: RequestToken,
  bearerOnly: true
})

const createAccessTokenEndpoint = /* @__PURE__ */ Endpoint.endpoint({
  span: "tmdb.AuthV4.createAccessToken",
  method: "POST",
  path: accessTokenPath,
  fields: { request_token: "token" },
  success: AccessToken,
  // 33: reported by peers for an unapproved or expired v4 token; 41: TMDB's status-code page
  errors: [InvalidRequestToken, SessionDenied],
  bearerOnly: true
})

const deleteAccessTokenEndpoint = /* @__PURE__ */ Endpoint.endpoint({
  span: "tmdb.AuthV4.deleteAccessToken",
  method: "DELETE",
  path: accessTokenPath,
  fields: { access_token: "secretToken" },
  success: AccessTokenDeleted,
  goneAfterRetry: /* @__PURE__ */ new AccessTokenDeleted({ success: true }),
  // as for the v3 logout: 6, 34 (not found) and 17 (session denied) for an unknown token
  errors: [ResourceNotFound, SessionDenied],
  bearerOnly: true
})

/**
 * TMDB's v4 authentication endpoints, declared once: method, path, the fields a call sends, the
 * success schema and the errors each can produce. All of them accept only a Bearer token. The
 * functions of this module call them; the simulator (`tmdb-effect/testing`) serves them.
 *
 * @example
 * ```ts
 * import { AuthV4 } from "tmdb-effect"
 *
 * const { method, path } = AuthV4.endpoints.createAccessToken // "POST", "/4/auth/access_token"
 * ```
 *
 * @since 2.0.0
 * @category declarations
 */
export const endpoints = {
  createRequestToken: createRequestTokenEndpoint,
  createAccessToken: createAccessTokenEndpoint,
  deleteAccessToken: deleteAccessTokenEndpoint
} as const

/**
 * Creates a v4 request token. With `redirect_to`, TMDB sends the user's browser there after
 * approval.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { AuthV4 } from "tmdb-effect"
 *
 * const program = Effect.gen(function*() {
 *   const token = yield* AuthV4.createRequestToken({ redirect_to: "http://127.0.0.1:8788/callback" })
 *   console.log(AuthV4.approvalUrl(token.request_token))
 * })
 * ```
 *
 * @since 2.0.0
 * @category endpoints
 */
export const createRequestToken = (options?: { readonly redirect_to?: string | undefined }) =>
  call(createRequestTokenEndpoint, options ?? {})

/**
 * Exchanges an approved v4 request token for a user access token.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { AuthV4 } from "tmdb-effect"
 *
 * const finish = (request_token: string) =>
 *   AuthV4.createAccessToken({ request_token }).pipe(
 *     Effect.catchTag("SessionDenied", () => Effect.fail("approve the token in the browser first"))
 *   )
 * ```
 *
 * @since 2.0.0
 * @category endpoints
 */
export const createAccessToken = (input: { readonly request_token: string }) => call(createAccessTokenEndpoint, input)

/**
 * Logs out of v4: deletes a user access token (it goes in the JSON body).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { AuthV4 } from "tmdb-effect"
 *
 * const logout = (token: AuthV4.AccessToken) =>
 *   AuthV4.deleteAccessToken({ access_token: token.access_token }).pipe(
 *     Effect.catchTag("ResourceNotFound", () => Effect.void) // already gone
 *   )
 * ```
 *
 * @since 2.0.0
 * @category endpoints
 */
export const deleteAccessToken = (input: { readonly access_token: string | Redacted.Redacted<string> }) =>
  call(deleteAccessTokenEndpoint, input)

/**
 * The page where the user approves a v4 request token:
 * `https://www.themoviedb.org/auth/access?request_token=…` (the redirect, if any, was given to
 * {@link createRequestToken}). Pure; in an Effect, call it in `Effect.try` to have the
 * `InvalidInput` as a typed failure.
 *
 * @throws {InvalidInput} When `request_token` is not a request token (empty, not a string,
 *   `..`, characters a token does not have).
 *
 * @example
 * ```ts
 * import { AuthV4 } from "tmdb-effect"
 *
 * AuthV4.approvalUrl("eyJhbGciOiJIUzI1NiJ9.e30.c2ln")
 * // "https://www.themoviedb.org/auth/access?request_token=eyJhbGciOiJIUzI1NiJ9.e30.c2ln"
 * ```
 *
 * @since 2.0.0
 * @category approval
 */
export const approvalUrl = (
  request_token: string,
  options?: { readonly webUrl?: string | undefined }
): string => {
  const token = Input.orThrow(Input.requestToken(request_token))
  const web = withoutTrailingSlash(options?.webUrl ?? defaults.webUrl)
  return `${web}${approvalPaths.v4}?request_token=${token}`
}

/**
 * What {@link loginToSession} returns: the v4 user access token and account id, and the v3
 * session converted from it. Both secrets are `Redacted`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account, AuthV4 } from "tmdb-effect"
 *
 * const whoAmI = (login: AuthV4.TokenAndSession) => Account.details({ session_id: login.session_id })
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export interface TokenAndSession {
  /** The v4 user access token; {@link deleteAccessToken} logs out. */
  readonly access_token: Redacted.Redacted<string>
  /** The v4 account id (a string, not the v3 integer id). */
  readonly account_id: string
  /** A v3 session id for the same user, for v3 account calls. */
  readonly session_id: Redacted.Redacted<string>
}

/**
 * The bridge from v4 to v3: exchanges an approved v4 request token for a user access token,
 * then converts that into a v3 session (`Authentication.createSessionFromV4Token`). If the
 * conversion fails, the access token just created is deleted (best effort) so none is left
 * behind, and the conversion's error is returned.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account, AuthV4 } from "tmdb-effect"
 *
 * const program = Effect.gen(function*() {
 *   const token = yield* AuthV4.createRequestToken()
 *   // … the user approves AuthV4.approvalUrl(token.request_token) in the browser …
 *   const login = yield* AuthV4.loginToSession({ request_token: token.request_token })
 *   const account = yield* Account.details({ session_id: login.session_id })
 *   yield* AuthV4.deleteAccessToken({ access_token: login.access_token }) // log out
 *   return account.username
 * })
 * ```
 *
 * @since 2.0.0
 * @category flows
 */
export const loginToSession = /* @__PURE__ */ Effect.fn("tmdb.AuthV4.loginToSession")(function*(input: {
  readonly request_token: string
}) {
  const access = yield* createAccessToken(input)
  const session = yield* sessionFromAccessToken(access.access_token, {
    createSessionFromV4Token: Authentication.createSessionFromV4Token,
    deleteAccessToken
  })
  const login: TokenAndSession = {
    access_token: access.access_token,
    account_id: access.account_id,
    session_id: session.session_id
  }
  return login
})

/**
 * Runs an effect with a v4 user access token as its credentials (`Authorization: Bearer …`) in
 * place of the app's: v3 calls then act as that user, as TMDB allows. The token is checked
 * locally (non-empty, printable, no whitespace) and an unusable one is `InvalidInput`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account, AuthV4 } from "tmdb-effect"
 *
 * const details = (login: AuthV4.TokenAndSession) =>
 *   Account.details({ session_id: login.session_id }).pipe(AuthV4.withAccessToken(login.access_token))
 * ```
 *
 * @since 2.0.0
 * @category credentials
 */
export const withAccessToken: {
  (
    access_token: string | Redacted.Redacted<string>
  ): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | InvalidInput, Exclude<R, TmdbCredentials>>
  <A, E, R>(
    self: Effect.Effect<A, E, R>,
    access_token: string | Redacted.Redacted<string>
  ): Effect.Effect<A, E | InvalidInput, Exclude<R, TmdbCredentials>>
} = /* @__PURE__ */ dual(2, <A, E, R>(
  self: Effect.Effect<A, E, R>,
  access_token: string | Redacted.Redacted<string>
): Effect.Effect<A, E | InvalidInput, Exclude<R, TmdbCredentials>> =>
  Effect.flatMap(
    Effect.fromResult(Input.secretToken("access_token", access_token)),
    (token) => Effect.provideService(self, TmdbCredentials, Credentials.BearerToken({ token }))
  ))

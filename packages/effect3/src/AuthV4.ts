/**
 * TMDB's v4 user authentication: request tokens approved in the browser, user access tokens that
 * live until deleted, and the bridge to v3 — a v4 access token turned into a v3 `session_id`, or
 * used itself as the Bearer credential of v3 calls.
 *
 * TMDB's v4 API accepts only a Bearer token: with api_key credentials every endpoint here fails
 * with `BearerTokenRequired` before any request is sent.
 *
 * @since 1.0.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import type * as Redacted from "effect/Redacted"
import * as Authentication from "./Authentication.js"
import * as Endpoints from "./internal/authV4.js"
import * as Http from "./internal/http.js"
import * as Input from "./internal/input.js"
import { approvalPaths, origin } from "./internal/url.js"
import { defaults } from "./TmdbConfig.js"
import { Credentials, TmdbCredentials } from "./TmdbCredentials.js"
import type { InvalidInput } from "./TmdbError.js"

export {
  /**
   * A v4 user access token (`Redacted`) and the v4 account id.
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
   * @since 1.0.0
   * @category schemas
   */
  AccessToken,
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
   * @since 1.0.0
   * @category schemas
   */
  AccessTokenDeleted,
  /**
   * A v4 request token (a JWT), valid for 15 minutes, single use.
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
   * @since 1.0.0
   * @category schemas
   */
  RequestToken
} from "./internal/authV4.js"

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
 * @since 1.0.0
 * @category endpoints
 */
export const createRequestToken = (options?: { readonly redirect_to?: string | undefined }) =>
  Http.call(Endpoints.createRequestToken, () =>
    options?.redirect_to === undefined
      ? Either.right({})
      : Input.body({ redirect_to: Input.text("redirect_to", options.redirect_to) }))

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
 * @since 1.0.0
 * @category endpoints
 */
export const createAccessToken = (input: { readonly request_token: string }) =>
  Http.call(
    Endpoints.createAccessToken,
    () => Input.body({ request_token: Input.token("request_token", input?.request_token) })
  )

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
 * @since 1.0.0
 * @category endpoints
 */
export const deleteAccessToken = (input: { readonly access_token: string | Redacted.Redacted<string> }) =>
  Http.call(
    Endpoints.deleteAccessToken,
    () => Input.body({ access_token: Input.secretToken("access_token", input?.access_token) })
  )

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
 * @since 1.0.0
 * @category approval
 */
export const approvalUrl = (
  request_token: string,
  options?: { readonly webUrl?: string | undefined }
): string => {
  const token = Input.orThrow(Input.requestToken(request_token))
  const web = origin(options?.webUrl ?? defaults.webUrl)
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
 * @since 1.0.0
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
 * @since 1.0.0
 * @category flows
 */
export const loginToSession = /* @__PURE__ */ Effect.fn("tmdb.AuthV4.loginToSession")(function*(input: {
  readonly request_token: string
}) {
  const access = yield* createAccessToken(input)
  const session = yield* Authentication.createSessionFromV4Token({ access_token: access.access_token }).pipe(
    Effect.tapError(() => Effect.ignore(deleteAccessToken({ access_token: access.access_token })))
  )
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
 * @since 1.0.0
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
} = dual(2, <A, E, R>(
  self: Effect.Effect<A, E, R>,
  access_token: string | Redacted.Redacted<string>
): Effect.Effect<A, E | InvalidInput, Exclude<R, TmdbCredentials>> =>
  Effect.flatMap(
    Input.secretToken("access_token", access_token),
    (token) => Effect.provideService(self, TmdbCredentials, Credentials.BearerToken({ token }))
  ))

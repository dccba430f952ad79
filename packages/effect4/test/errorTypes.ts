/**
 * Compile-time checks, run by `npm run typecheck`: each endpoint's error type lists only what it
 * can produce, so `catchTag` accepts exactly those tags. (Not a test file: nothing runs.)
 */
import { Effect } from "effect"
import type { HttpClient } from "effect/http"
import { Account, Authentication, AuthV4, TmdbAuth } from "tmdb-effect"

export const allowed = [
  Authentication.loginWithPassword({ username: "u", password: "p" }).pipe(
    Effect.catchTag("InvalidLogin", () => Effect.void),
    Effect.catchTag("AccountDisabled", () => Effect.void),
    Effect.catchTag("EmailNotVerified", () => Effect.void),
    Effect.catchTag("SessionDenied", () => Effect.void),
    Effect.catchTag("InvalidInput", () => Effect.void)
  ),
  Authentication.createSession({ request_token: "x" }).pipe(Effect.catchTag("SessionDenied", () => Effect.void)),
  Authentication.deleteSession({ session_id: "x" }).pipe(Effect.catchTag("ResourceNotFound", () => Effect.void)),
  // peers report 17 for deleting an unknown session
  Authentication.deleteSession({ session_id: "x" }).pipe(Effect.catchTag("SessionDenied", () => Effect.void)),
  Authentication.createGuestSession().pipe(Effect.catchTag("RateLimited", () => Effect.void)),
  Effect.flatMap(
    TmdbAuth.TmdbAuth,
    (tmdb) =>
      tmdb.authentication.loginWithPassword({ username: "u", password: "p" }).pipe(
        Effect.catchTag("InvalidLogin", () => Effect.void)
      )
  )
]

export const refused = [
  // @ts-expect-error a guest session can't fail with InvalidLogin
  Authentication.createGuestSession().pipe(Effect.catchTag("InvalidLogin", () => Effect.void)),
  // @ts-expect-error validateKey takes no input, so it can't fail with InvalidInput
  Authentication.validateKey().pipe(Effect.catchTag("InvalidInput", () => Effect.void)),
  // @ts-expect-error createSession can't fail with InvalidLogin
  Authentication.createSession({ request_token: "x" }).pipe(Effect.catchTag("InvalidLogin", () => Effect.void)),
  // @ts-expect-error account details can't fail with SessionDenied
  Account.details({ session_id: "x" }).pipe(Effect.catchTag("SessionDenied", () => Effect.void)),
  // @ts-expect-error v3 endpoints never need a Bearer token
  Authentication.createRequestToken().pipe(Effect.catchTag("BearerTokenRequired", () => Effect.void))
]

// The service's endpoints need nothing from the context.
export const provided: Effect.Effect<unknown, unknown, TmdbAuth.TmdbAuth> = Effect.flatMap(
  TmdbAuth.TmdbAuth,
  (tmdb) => tmdb.authentication.createRequestToken()
)

// v4: BearerTokenRequired is in every v4 error type, and each lists only its own errors.
export const allowedV4 = [
  AuthV4.createRequestToken().pipe(Effect.catchTag("BearerTokenRequired", () => Effect.void)),
  AuthV4.createAccessToken({ request_token: "x" }).pipe(
    Effect.catchTag("SessionDenied", () => Effect.void),
    Effect.catchTag("InvalidRequestToken", () => Effect.void),
    Effect.catchTag("BearerTokenRequired", () => Effect.void)
  ),
  AuthV4.deleteAccessToken({ access_token: "x" }).pipe(Effect.catchTag("ResourceNotFound", () => Effect.void)),
  AuthV4.deleteAccessToken({ access_token: "x" }).pipe(Effect.catchTag("SessionDenied", () => Effect.void)),
  AuthV4.loginToSession({ request_token: "x" }).pipe(
    Effect.catchTag("SessionDenied", () => Effect.void),
    Effect.catchTag("BearerTokenRequired", () => Effect.void)
  ),
  Account.details({ session_id: "x" }).pipe(
    AuthV4.withAccessToken("x"),
    Effect.catchTag("InvalidInput", () => Effect.void)
  ),
  Effect.flatMap(
    TmdbAuth.TmdbAuth,
    (tmdb) =>
      tmdb.v4.createAccessToken({ request_token: "x" }).pipe(Effect.catchTag("SessionDenied", () => Effect.void))
  )
]

export const refusedV4 = [
  // @ts-expect-error a v4 request token can't be refused as SessionDenied
  AuthV4.createRequestToken().pipe(Effect.catchTag("SessionDenied", () => Effect.void)),
  // @ts-expect-error deleting an access token can't fail with InvalidRequestToken
  AuthV4.deleteAccessToken({ access_token: "x" }).pipe(Effect.catchTag("InvalidRequestToken", () => Effect.void)),
  // @ts-expect-error createAccessToken can't fail with InvalidLogin
  AuthV4.createAccessToken({ request_token: "x" }).pipe(Effect.catchTag("InvalidLogin", () => Effect.void))
]

// withAccessToken provides the credentials: only the HTTP client is left to provide.
export const userCall: Effect.Effect<unknown, unknown, HttpClient.HttpClient> = Authentication.validateKey().pipe(
  AuthV4.withAccessToken("x")
)

// A bad TmdbConfig is InvalidConfig on every endpoint and flow.
const onInvalidConfig = () => Effect.void
export const invalidConfigEverywhere = [
  Authentication.validateKey().pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  Authentication.createGuestSession().pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  Authentication.createRequestToken().pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  Authentication.createSessionWithLogin({ username: "u", password: "p", request_token: "x" }).pipe(
    Effect.catchTag("InvalidConfig", onInvalidConfig)
  ),
  Authentication.createSession({ request_token: "x" }).pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  Authentication.createSessionFromV4Token({ access_token: "x" }).pipe(
    Effect.catchTag("InvalidConfig", onInvalidConfig)
  ),
  Authentication.deleteSession({ session_id: "x" }).pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  Authentication.loginWithPassword({ username: "u", password: "p" }).pipe(
    Effect.catchTag("InvalidConfig", onInvalidConfig)
  ),
  Account.details({ session_id: "x" }).pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  AuthV4.createRequestToken().pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  AuthV4.createAccessToken({ request_token: "x" }).pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  AuthV4.deleteAccessToken({ access_token: "x" }).pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  AuthV4.loginToSession({ request_token: "x" }).pipe(Effect.catchTag("InvalidConfig", onInvalidConfig))
]

/**
 * Compile-time checks, run by `npm run typecheck`: each endpoint's error type lists only what it
 * can produce, so `catchTag` accepts exactly those tags. (Not a test file: nothing runs.)
 */
import { Effect } from "effect"
import { Account, Authentication, TmdbAuth } from "tmdb-effect"

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

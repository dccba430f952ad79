/**
 * The bridge from a v4 login to a v3 session, written once for `AuthV4.loginToSession` and
 * `TmdbSession.layerFromV4Login`: the access token is converted into a session, and if that
 * fails, the access token just made is deleted (best effort) so none is left behind.
 *
 * The two endpoints (`Authentication.createSessionFromV4Token`, `AuthV4.deleteAccessToken`) are
 * passed in by the caller: `AuthV4` is built on this module, so this module imports neither.
 */
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"

/** The endpoints the bridge calls. */
export interface V4SessionEndpoints<S, E1, R1, E2, R2> {
  readonly createSessionFromV4Token: (
    input: { readonly access_token: Redacted.Redacted<string> }
  ) => Effect.Effect<S, E1, R1>
  readonly deleteAccessToken: (
    input: { readonly access_token: Redacted.Redacted<string> }
  ) => Effect.Effect<unknown, E2, R2>
}

/** A v3 session for a v4 access token; on failure the access token is deleted and the failure kept. */
export const sessionFromAccessToken = <S, E1, R1, E2, R2>(
  access_token: Redacted.Redacted<string>,
  { createSessionFromV4Token, deleteAccessToken }: V4SessionEndpoints<S, E1, R1, E2, R2>
): Effect.Effect<S, E1, R1 | R2> =>
  createSessionFromV4Token({ access_token }).pipe(
    Effect.tapError(() => Effect.ignore(deleteAccessToken({ access_token })))
  )

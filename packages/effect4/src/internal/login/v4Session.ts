/**
 * The bridge from a v4 login to a v3 session, written once for `AuthV4.loginToSession` and
 * `TmdbSession.layerFromV4Login`: the access token is converted into a session, and if that
 * fails, the access token just made is deleted (best effort) so none is left behind.
 *
 * The deletion is `AuthV4.deleteAccessToken`, passed in by the caller: `AuthV4` is built on this
 * module, so this module does not import it.
 */
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Authentication from "../../Authentication.js"

/** A v3 session for a v4 access token; on failure the access token is deleted and the failure kept. */
export const sessionFromAccessToken = <E, R>(
  access_token: Redacted.Redacted<string>,
  deleteAccessToken: (input: { readonly access_token: Redacted.Redacted<string> }) => Effect.Effect<unknown, E, R>
) =>
  Authentication.createSessionFromV4Token({ access_token }).pipe(
    Effect.tapError(() => Effect.ignore(deleteAccessToken({ access_token })))
  )

/**
 * Ending a kept login at TMDB, for the store's logout.
 */
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Authentication from "../Authentication.js"
import * as AuthV4 from "../AuthV4.js"

/** Ends a login at TMDB: a v3 session or a v4 access token; a guest session cannot be ended there. */
export const endAtTmdb = (login: {
  readonly kind: "session" | "guest" | "v4AccessToken"
  readonly session_id: Redacted.Redacted<string>
}) =>
  login.kind === "session"
    ? Effect.asVoid(Authentication.deleteSession({ session_id: login.session_id }))
    : login.kind === "v4AccessToken"
    ? Effect.asVoid(AuthV4.deleteAccessToken({ access_token: login.session_id }))
    : Effect.void

/** `tmdb-auth guest`: a guest session, kept in place of any login stored (which ends at TMDB). */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Authentication from "tmdb-effect/Authentication"
import * as SessionStore from "tmdb-effect/SessionStore"
import * as TmdbCredentials from "tmdb-effect/TmdbCredentials"
import type { Common, Printed } from "./environment.js"
import { iso, store } from "./environment.js"
import { keep } from "./keep.js"
import { tmdb } from "./tmdb.js"

export const run = (options: Common) =>
  Effect.gen(function*() {
    const session = yield* Authentication.createGuestSession()
    const created_at = yield* DateTime.now
    yield* keep(
      new SessionStore.Login({
        kind: "guest",
        session_id: session.guest_session_id,
        created_at,
        expires_at: session.expires_at
      })
    )
    return {
      text: `Guest session saved; it expires at ${iso(session.expires_at)}.`,
      json: { kind: "guest", expires_at: iso(session.expires_at) }
    } satisfies Printed
  }).pipe(Effect.provide(Layer.mergeAll(TmdbCredentials.layerConfig, tmdb(options), store(options))))

/**
 * The user name of a stored v3 session, as TMDB says it now: the one part of `whoami` that sends
 * a request, so `whoami` loads it (and the HTTP client) only for such a session.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Account from "tmdb-effect/Account"
import type * as SessionStore from "tmdb-effect/SessionStore"
import * as TmdbCredentials from "tmdb-effect/TmdbCredentials"
import { NotLoggedIn } from "../errors.js"
import type { Common } from "./environment.js"
import { shownName } from "./shownName.js"
import { tmdb } from "./tmdb.js"

/** The account's user name, as TMDB says it now. */
export const currentName = (options: Common, saved: SessionStore.Login) =>
  Effect.gen(function*() {
    const account = yield* Account.details({ session_id: saved.session_id }).pipe(
      Effect.catchTag(
        "AuthenticationFailed",
        () => Effect.fail(new NotLoggedIn({ reason: "TMDB no longer accepts the stored session" }))
      )
    )
    return yield* shownName(account.username, [saved.session_id])
  }).pipe(Effect.provide(Layer.merge(TmdbCredentials.layerConfig, tmdb(options))))

/**
 * `tmdb-auth logout`: the session ends at TMDB, then the stored copy goes — by the library's
 * logout rule (`SessionStore.logout`). What the JSON says is what happened: `loggedOut` is true
 * only when TMDB ended the login or already had; a corrupted file is removed, but the login it
 * may have held could not be ended (`loggedOut: false`, and a warning on stderr).
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as SessionStore from "tmdb-effect/SessionStore"
import * as TmdbCredentials from "tmdb-effect/TmdbCredentials"
import { LogoutIncomplete } from "../errors.js"
import * as Output from "../Output.js"
import type { Common, Printed } from "./environment.js"
import { store } from "./environment.js"
import { tmdb } from "./tmdb.js"

const incomplete = (error: { readonly message: string }) => Effect.fail(new LogoutIncomplete({ reason: error.message }))

const text = SessionStore.LogoutOutcome.$match({
  NothingStored: () => "Not logged in; nothing to do.",
  LoggedOut: ({ kind }) =>
    kind === "guest"
      ? "Logged out: the guest session is forgotten here (TMDB ends it when it expires)."
      : kind === "v4AccessToken"
      ? "Logged out: the access token is deleted at TMDB and here."
      : "Logged out: the session is deleted at TMDB and here.",
  AlreadyLoggedOut: () => "Already logged out: TMDB no longer knows the session; the stored copy is removed.",
  CorruptedRemoved: () => "The corrupted stored login is removed here; a session it held could not be ended at TMDB."
})

export const run = (options: Common) =>
  SessionStore.logout().pipe(
    Effect.catchTags({ TransportError: incomplete, TmdbUnavailable: incomplete, RateLimited: incomplete }),
    Effect.tap((outcome) =>
      outcome._tag === "CorruptedRemoved"
        ? Output.message(
          `warning: ${outcome.error.location} was corrupted (${outcome.error.reason}) and is removed; ` +
            "a session it held could not be ended at TMDB"
        )
        : Effect.void
    ),
    Effect.map((outcome): Printed => ({
      text: text(outcome),
      json: {
        outcome: outcome._tag,
        // what happened at TMDB: told (or it already knew), or not
        loggedOut: outcome._tag === "LoggedOut" || outcome._tag === "AlreadyLoggedOut",
        kind: "kind" in outcome ? outcome.kind : null
      }
    })),
    Effect.provide(Layer.mergeAll(TmdbCredentials.layerConfig, tmdb(options), store(options)))
  )

/**
 * Keeping a new login in place of the stored one, as `login` and `guest` do: saved first, then
 * the login it replaces is ended at TMDB (best effort: it may be gone already, or unreadable),
 * so no live session is left behind without a copy.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as SessionStore from "tmdb-effect/SessionStore"
// tmdb-effect's own rule for ending a login at TMDB (the CLI is built from its sources)
import { endAtTmdb } from "../../../effect4/src/internal/login/end.js"

/** Saves `login` in place of the stored one, then ends the one it replaced at TMDB. */
export const keep = (login: SessionStore.Login) =>
  Effect.gen(function*() {
    const sessions = yield* SessionStore.SessionStore
    const previous = yield* Effect.option(sessions.load)
    yield* sessions.save(login)
    if (Option.isSome(previous) && Option.isSome(previous.value)) yield* Effect.ignore(endAtTmdb(previous.value.value))
  })

/**
 * The one logout rule, checked on any `SessionStore`: TMDB failing → the login kept; TMDB saying
 * the session is unknown → removed; a corrupted stored value → removed. Against the in-memory
 * simulator, which does not know the stored session (so it answers 6).
 */
import { assert } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { SessionStore, TmdbConfig } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { login } from "./login.js"

export const checkLogoutRule = <E>(
  store: Layer.Layer<SessionStore.SessionStore, E>,
  corrupt: Effect.Effect<void>
) =>
  Effect.gen(function*() {
    const sessions = yield* SessionStore.SessionStore
    const simulator = yield* TmdbSimulator.TmdbSimulator
    yield* sessions.save(login())
    yield* simulator.inject(TmdbSimulator.Fault.Status({ status: 500 }), { path: "/3/authentication/session" })
    assert.strictEqual((yield* Effect.flip(SessionStore.logout()))._tag, "TmdbUnavailable")
    assert.isTrue(Option.isSome(yield* sessions.load), "kept while TMDB fails")
    assert.strictEqual((yield* SessionStore.logout())._tag, "AlreadyLoggedOut")
    assert.isTrue(Option.isNone(yield* sessions.load), "removed once TMDB says it is gone")
    yield* corrupt
    assert.strictEqual((yield* SessionStore.logout())._tag, "CorruptedRemoved")
    assert.isTrue(Option.isNone(yield* sessions.load), "a corrupted value is removed")
  }).pipe(
    Effect.provide(Layer.mergeAll(
      store,
      TmdbSimulator.layer(),
      TmdbSimulator.credentials,
      TmdbConfig.layer({ retry: false })
    ))
  )

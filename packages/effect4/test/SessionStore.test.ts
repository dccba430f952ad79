/**
 * SessionStore over a KeyValueStore: round-trips, expiry, corruption, and the one logout rule.
 * (The file store and its permission checks are tested with `tmdb-effect/node`.)
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { Authentication, SessionStore, TmdbConfig } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { login, SECRET } from "./utils/login.js"

const store = SessionStore.SessionStore

describe("SessionStore in memory", () => {
  it.effect("save, load and clear a login; the secret stays Redacted", () =>
    Effect.gen(function*() {
      const sessions = yield* store
      assert.isTrue(Option.isNone(yield* sessions.load))
      yield* sessions.save(login())
      const loaded = Option.getOrThrow(yield* sessions.load)
      assert.isTrue(Redacted.isRedacted(loaded.session_id))
      assert.strictEqual(Redacted.value(loaded.session_id), SECRET)
      assert.strictEqual(loaded.username, "demo")
      assert.strictEqual(loaded.account_id, 1000)
      assert.notInclude(String(loaded), SECRET)
      yield* sessions.clear
      assert.isTrue(Option.isNone(yield* sessions.load))
      yield* sessions.clear // nothing stored is not an error
    }).pipe(Effect.provide(SessionStore.layerMemory)))

  it.effect("an expired guest session is not returned", () =>
    Effect.gen(function*() {
      const sessions = yield* store
      yield* TestClock.setTime(Date.UTC(2026, 0, 1, 12))
      const now = yield* DateTime.now
      yield* sessions.save(login({
        kind: "guest",
        account_id: undefined,
        username: undefined,
        created_at: now,
        expires_at: DateTime.add(now, { hours: 24 })
      }))
      assert.strictEqual(Option.getOrThrow(yield* sessions.load).kind, "guest")
      yield* TestClock.adjust("23 hours")
      assert.isTrue(Option.isSome(yield* sessions.load))
      yield* TestClock.adjust("1 hour")
      assert.isTrue(Option.isNone(yield* sessions.load))
    }).pipe(Effect.provide(SessionStore.layerMemory)))

  it.effect("a corrupted value is CorruptedSession naming fields, never values", () =>
    Effect.gen(function*() {
      let value: string | undefined = "{not json"
      const sessions = SessionStore.fromBackend({
        location: "test",
        read: Effect.sync(() => Option.fromUndefinedOr(value)),
        write: (text) => Effect.sync(() => void (value = text)),
        remove: Effect.sync(() => void (value = undefined))
      })
      const notJson = yield* Effect.flip(sessions.load)
      assert.strictEqual(notJson._tag, "CorruptedSession")
      assert.include(notJson.message, "not valid JSON")
      value = JSON.stringify({ kind: "session", session_id: SECRET, created_at: 42 })
      const badField = yield* Effect.flip(sessions.load)
      assert.strictEqual(badField._tag, "CorruptedSession")
      assert.include(badField.message, "created_at")
      assert.notInclude(badField.message, SECRET)
    }))
})

// The file-backed store (`NodeSessionStore`: mode 0600, atomic writes, the refusals of a file or
// directory others could swap) moves here with `tmdb-effect/node`.

describe("SessionStore.logout: one rule", () => {
  const world = Layer.mergeAll(
    TmdbSimulator.layer(),
    TmdbSimulator.credentials,
    SessionStore.layerMemory,
    TmdbConfig.layer({ retry: false })
  )
  const simulator = TmdbSimulator.TmdbSimulator

  /** A live session at the simulator, saved in the store. */
  const loggedIn = Effect.gen(function*() {
    const { password, username } = TmdbSimulator.defaultAccount
    const session = yield* Authentication.loginWithPassword({ username, password })
    yield* Effect.flatMap(store, (s) => s.save(login({ session_id: session.session_id })))
    return session
  })

  const stored = Effect.flatMap(store, (s) => Effect.map(s.load, Option.isSome))

  const tmdbError = (status: number, status_code: number) =>
    TmdbSimulator.Fault.Status({
      status,
      body: JSON.stringify({ success: false, status_code, status_message: "x" }),
      headers: { "content-type": "application/json" }
    })

  it.effect("TMDB confirms: the session ends there and here", () =>
    Effect.gen(function*() {
      yield* loggedIn
      const outcome = yield* SessionStore.logout()
      assert.deepStrictEqual(outcome, SessionStore.LogoutOutcome.LoggedOut({ kind: "session" }))
      assert.isFalse(yield* stored)
      assert.deepStrictEqual(yield* (yield* simulator).sessions, [])
    }).pipe(Effect.provide(world)))

  it.effect("a v4 access token is deleted at TMDB; a guest session is only forgotten", () =>
    Effect.gen(function*() {
      const sim = yield* simulator
      const sessions = yield* store
      const access_token = yield* sim.grantAccessToken(TmdbSimulator.defaultAccount.username)
      yield* sessions.save(login({ kind: "v4AccessToken", session_id: Redacted.make(access_token) }))
      assert.strictEqual((yield* SessionStore.logout())._tag, "LoggedOut")
      const deletes = (yield* sim.requests).filter((r) => r.method === "DELETE")
      assert.deepStrictEqual(deletes.map((r) => r.path), ["/4/auth/access_token"])
      yield* sessions.save(login({ kind: "guest" }))
      assert.deepStrictEqual(yield* SessionStore.logout(), SessionStore.LogoutOutcome.LoggedOut({ kind: "guest" }))
      assert.strictEqual((yield* sim.requests).filter((r) => r.method === "DELETE").length, 1)
      assert.isFalse(yield* stored)
    }).pipe(Effect.provide(world)))

  it.effect("TMDB says the session is unknown or invalid (3, 6, 17, 34): already logged out, removed here", () =>
    Effect.gen(function*() {
      const sim = yield* simulator
      const sessions = yield* store
      // 6: what the simulator answers for a session it does not know
      yield* sessions.save(login())
      assert.deepStrictEqual(
        yield* SessionStore.logout(),
        SessionStore.LogoutOutcome.AlreadyLoggedOut({ kind: "session", status_code: 6 })
      )
      assert.isFalse(yield* stored)
      for (const [status, code] of [[401, 3], [401, 17], [404, 34]] as const) {
        yield* sim.inject(tmdbError(status, code), { path: "/3/authentication/session" })
        yield* sessions.save(login())
        const outcome = yield* SessionStore.logout()
        assert.deepStrictEqual(
          outcome,
          SessionStore.LogoutOutcome.AlreadyLoggedOut({ kind: "session", status_code: code })
        )
        assert.isFalse(yield* stored)
      }
    }).pipe(Effect.provide(world)))

  it.effect("a corrupted stored login is removed (nothing else can be done with it)", () =>
    Effect.gen(function*() {
      let value: string | undefined = `{"kind":"session","session_id":"${SECRET}"`
      const corrupted = SessionStore.fromBackend({
        location: "test",
        read: Effect.sync(() => Option.fromUndefinedOr(value)),
        write: (text) => Effect.sync(() => void (value = text)),
        remove: Effect.sync(() => void (value = undefined))
      })
      const outcome = yield* SessionStore.logout().pipe(Effect.provideService(SessionStore.SessionStore, corrupted))
      assert.strictEqual(outcome._tag, "CorruptedRemoved")
      assert.isUndefined(value)
      assert.strictEqual((yield* (yield* simulator).requests).length, 0)
    }).pipe(Effect.provide(world)))

  it.effect("TMDB unreachable, failing or rate limiting: the error, and the login kept to retry with", () =>
    Effect.gen(function*() {
      const sim = yield* simulator
      const session = yield* loggedIn
      const faults = [
        [TmdbSimulator.Fault.Refuse(), "TransportError"],
        [TmdbSimulator.Fault.Status({ status: 500 }), "TmdbUnavailable"],
        [TmdbSimulator.Fault.Html({ status: 503 }), "TmdbUnavailable"],
        [TmdbSimulator.Fault.RateLimit({ retryAfter: 1 }), "RateLimited"]
      ] as const
      for (const [fault, tag] of faults) {
        yield* sim.inject(fault, { path: "/3/authentication/session" })
        const error = yield* Effect.flip(SessionStore.logout())
        assert.strictEqual(error._tag, tag)
        assert.isTrue(yield* stored)
      }
      // TMDB refusing the credentials proves nothing about the session either: kept.
      yield* sim.inject(tmdbError(401, 7), { path: "/3/authentication/session" })
      assert.strictEqual((yield* Effect.flip(SessionStore.logout()))._tag, "InvalidApiKey")
      assert.isTrue(yield* stored)
      // The retry succeeds.
      assert.strictEqual((yield* SessionStore.logout())._tag, "LoggedOut")
      assert.isFalse((yield* sim.sessions).some((s) => s.session_id === Redacted.value(session.session_id)))
    }).pipe(Effect.provide(world)))

  it.effect("nothing stored: nothing to do", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* SessionStore.logout(), SessionStore.LogoutOutcome.NothingStored())
      assert.strictEqual((yield* (yield* simulator).requests).length, 0)
    }).pipe(Effect.provide(world)))
})

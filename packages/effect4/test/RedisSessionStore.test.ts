/**
 * The session store on a real redis-server, over the connection a user provides
 * (`NodeRedis.layer`): a login saved through one connection is loaded through another, a guest
 * session expires in Redis at its `expires_at`, keys never hold a secret, a foreign value is
 * `CorruptedSession`, and a Redis that is gone or stuck is a `SessionStoreError` within the
 * timeout. (The cross-process flow is in manyProcesses.test.ts.)
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, DateTime, Effect, Layer, Option, Redacted } from "effect"
import type { Duration } from "effect"
import { Persistence, Redis } from "effect/persistence"
import { Account, Authentication, SessionStore, TmdbSession } from "tmdb-effect"
import { RedisSessionStore } from "tmdb-effect/redis"
import { TmdbSimulator } from "tmdb-effect/testing"
import { login, SECRET } from "./utils/login.js"
import { checkLogoutRule } from "./utils/logoutRule.js"
import { connection, describeRedis, redisServer } from "./utils/redisServer.js"

/** The store's layer on a connection of its own (as another process would have). */
const storeLayer = (port: number, options: RedisSessionStore.Options = {}) =>
  RedisSessionStore.layer(options).pipe(Layer.provide(connection(port)))

/** A store on its own connection, open for the test's scope. */
const storeOn = (port: number, options: RedisSessionStore.Options = {}) =>
  Effect.map(Layer.build(storeLayer(port, options)), Context.get(SessionStore.SessionStore))

/** A connection of the test's own, to look at Redis as an operator would. */
const inspect = (port: number) => Effect.map(Layer.build(connection(port)), Context.get(Redis.Redis))

describeRedis("RedisSessionStore on redis-server", () => {
  it.live("saved through one connection, loaded and cleared through another; no secret in a key", () =>
    Effect.gen(function*() {
      const { port } = yield* redisServer
      const one = yield* storeOn(port)
      const other = yield* storeOn(port)
      yield* one.save(login())
      const loaded = Option.getOrThrow(yield* other.load)
      assert.strictEqual(Redacted.value(loaded.session_id), SECRET)
      assert.strictEqual(loaded.username, "demo")

      const redis = yield* inspect(port)
      assert.deepStrictEqual(yield* redis.send<Array<string>>("KEYS", "*"), ["tmdb-effect:session"])
      const stored = yield* redis.send<string>("GET", "tmdb-effect:session")
      assert.deepStrictEqual(JSON.parse(stored), {
        kind: "session",
        session_id: SECRET,
        account_id: 1000,
        username: "demo",
        created_at: "2026-01-01T00:00:00.000Z"
      }, "the same JSON as the file store (and as 1.x's Redis store)")
      assert.strictEqual(yield* redis.send<number>("PTTL", "tmdb-effect:session"), -1, "a session lasts")

      yield* other.clear
      assert.isTrue(Option.isNone(yield* one.load))
      assert.deepStrictEqual(yield* redis.send<Array<string>>("KEYS", "*"), [])
    }))

  it.live("TmdbSession.layerFromStore reads the login another process saved", () =>
    Effect.gen(function*() {
      const { port } = yield* redisServer
      const { session_id: saved } = yield* Authentication.loginWithPassword(TmdbSimulator.defaultAccount)
      yield* (yield* storeOn(port)).save(login({ session_id: saved })) // through another connection
      const account = yield* Effect.gen(function*() {
        const session = yield* TmdbSession.TmdbSession
        assert.strictEqual(Redacted.value(session.session_id), Redacted.value(saved))
        assert.deepStrictEqual(session.account_id, Option.some(1000))
        return yield* Account.details()
      }).pipe(
        Effect.provide(TmdbSession.layerFromStore),
        Effect.provide(storeLayer(port))
      )
      assert.strictEqual(account.username, TmdbSimulator.defaultAccount.username)
    }).pipe(Effect.provide(Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.credentials))))

  it.live("a guest session expires in Redis at its expires_at; an expired one is not kept", () =>
    Effect.gen(function*() {
      const { port } = yield* redisServer
      const store = yield* storeOn(port, { key: "session/guest" })
      const redis = yield* inspect(port)
      const now = yield* DateTime.now
      const guest = (expires_at: DateTime.Utc) =>
        login({ kind: "guest", account_id: undefined, username: undefined, created_at: now, expires_at })

      yield* store.save(guest(DateTime.add(now, { hours: 1 })))
      const ttl = yield* redis.send<number>("PTTL", "tmdb-effect:session/guest")
      assert.isAbove(ttl, 3_590_000)
      assert.isAtMost(ttl, 3_600_000)

      yield* store.save(guest(DateTime.add(now, { milliseconds: 300 })))
      assert.isTrue(Option.isSome(yield* store.load))
      yield* Effect.sleep("400 millis")
      assert.isNull(yield* redis.send<string | null>("GET", "tmdb-effect:session/guest"), "gone from Redis")
      assert.isTrue(Option.isNone(yield* store.load))

      yield* store.save(guest(DateTime.subtract(now, { minutes: 1 })))
      assert.deepStrictEqual(yield* redis.send<Array<string>>("KEYS", "*"), [])
    }))

  it.live("a value that is not a login is CorruptedSession, naming no value", () =>
    Effect.gen(function*() {
      const { port } = yield* redisServer
      const store = yield* storeOn(port)
      const redis = yield* inspect(port)
      yield* redis.send("SET", "tmdb-effect:session", "{not json")
      const notJson = yield* Effect.flip(store.load)
      assert.strictEqual(notJson._tag, "CorruptedSession")
      assert.include(notJson.message, "not valid JSON")
      yield* redis.send("SET", "tmdb-effect:session", JSON.stringify({ kind: "session", session_id: SECRET }))
      const partial = yield* Effect.flip(store.load)
      assert.strictEqual(partial._tag, "CorruptedSession")
      assert.include(partial.message, "created_at")
      assert.notInclude(partial.message, SECRET)
      yield* redis.send("SET", "tmdb-effect:session", "42")
      assert.strictEqual((yield* Effect.flip(store.load))._tag, "CorruptedSession", "JSON, but not an object")
      yield* store.clear // removing never decodes
      assert.isTrue(Option.isNone(yield* store.load))
    }))

  it.live("logout follows the one rule: kept while TMDB fails, removed once gone or corrupted", () =>
    Effect.gen(function*() {
      const { port } = yield* redisServer
      const redis = yield* inspect(port)
      yield* checkLogoutRule(
        storeLayer(port),
        Effect.asVoid(Effect.orDie(redis.send("SET", "tmdb-effect:session", "{\"kind\":\"sess")))
      )
      assert.deepStrictEqual(yield* redis.send<Array<string>>("KEYS", "*"), [])
    }))

  it.live("Redis gone or stuck: SessionStoreError within the timeout, never a hang", () =>
    Effect.gen(function*() {
      const gone = yield* redisServer
      const unreachable = yield* storeOn(gone.port, { timeout: "500 millis" })
      yield* gone.kill
      const failed = yield* Effect.flip(unreachable.load)
      assert.strictEqual(failed._tag, "SessionStoreError")
      assert.match(failed.message, /^Could not load the TMDB login at Redis key "tmdb-effect:session": Redis/)

      const redis = yield* redisServer
      const store = yield* storeOn(redis.port, { timeout: "500 millis" })
      yield* store.save(login())
      yield* redis.pause
      const stuck = yield* Effect.flip(store.load).pipe(Effect.ensuring(redis.resume))
      assert.strictEqual(stuck._tag, "SessionStoreError")
      assert.include(stuck.message, "Redis did not answer within 500ms")
      assert.isTrue(Option.isSome(yield* store.load), "back once Redis answers")
    }))

  it.live("a WRONGTYPE value at the key is a SessionStoreError saying what Redis said", () =>
    Effect.gen(function*() {
      const { port } = yield* redisServer
      const store = yield* storeOn(port)
      const redis = yield* inspect(port)
      yield* redis.send("HSET", "tmdb-effect:session", "kind", "session")
      const error = yield* Effect.flip(store.load)
      assert.strictEqual(error._tag, "SessionStoreError")
      assert.include(error.message, "WRONGTYPE")
    }))
})

describe("RedisSessionStore over any BackingPersistence (no redis-server needed)", () => {
  it.effect("a timeout that is not a positive, finite duration is InvalidConfig", () =>
    Effect.gen(function*() {
      for (const timeout of [0, Infinity, "soon" as Duration.Input]) {
        const error = yield* Effect.flip(
          Layer.build(
            RedisSessionStore.layerPersistence({ timeout }).pipe(Layer.provide(Persistence.layerBackingMemory))
          )
        )
        assert.deepInclude(error, { _tag: "InvalidConfig", setting: "RedisSessionStore.timeout" })
      }
    }))

  it.effect("layerPersistence: the same store over another backing (in memory here)", () =>
    Effect.gen(function*() {
      const store = yield* SessionStore.SessionStore
      yield* store.save(login())
      assert.strictEqual(Redacted.value(Option.getOrThrow(yield* store.load).session_id), SECRET)
      yield* store.clear
      assert.isTrue(Option.isNone(yield* store.load))
    }).pipe(Effect.provide(RedisSessionStore.layerPersistence().pipe(Layer.provide(Persistence.layerBackingMemory)))))
})

/**
 * The session store on a real redis-server: a login saved through one connection is loaded
 * through another, a guest session expires in Redis at its `expires_at`, keys never hold a
 * secret, a foreign value is `CorruptedSession`, and a Redis that is down or stuck is a
 * `SessionStoreError` within the timeout. (The cross-process flow is in manyProcesses.test.ts.)
 */
import { assert, it } from "@effect/vitest"
import { Context, DateTime, Effect, Layer, Option, Redacted } from "effect"
import { Redis } from "ioredis"
import { Account, Authentication, SessionStore, TmdbSession } from "tmdb-effect"
import { RedisSessionStore } from "tmdb-effect/redis"
import { TmdbSimulator } from "tmdb-effect/testing"
import { login, SECRET } from "./utils/login.js"
import { checkLogoutRule } from "./utils/logoutRule.js"
import { freePort } from "./utils/ports.js"
import { describeRedis, redisServer } from "./utils/redisServer.js"

/** A store on its own connection (as another process would have), open for the test's scope. */
const storeOn = (port: number, options: Partial<RedisSessionStore.Options> = {}) =>
  Effect.map(
    Layer.build(RedisSessionStore.layer({ host: "127.0.0.1", port, ...options })),
    Context.get(SessionStore.SessionStore)
  )

/** A plain client, to look at Redis as an operator would. */
const inspect = (port: number) =>
  Effect.acquireRelease(
    Effect.sync(() => new Redis({ host: "127.0.0.1", port })),
    (redis) => Effect.promise(() => redis.quit())
  )

describeRedis("RedisSessionStore on redis-server", () => {
  it.scoped("saved through one connection, loaded and cleared through another; no secret in a key", () =>
    Effect.gen(function*() {
      const { port } = yield* redisServer
      const one = yield* storeOn(port)
      const other = yield* storeOn(port)
      yield* one.save(login())
      const loaded = Option.getOrThrow(yield* other.load)
      assert.strictEqual(Redacted.value(loaded.session_id), SECRET)
      assert.strictEqual(loaded.username, "demo")

      const redis = yield* inspect(port)
      const keys = yield* Effect.promise(() => redis.keys("*"))
      assert.deepStrictEqual(keys, ["tmdb-effect:session"])
      const stored = yield* Effect.promise(() => redis.get("tmdb-effect:session"))
      assert.deepStrictEqual(JSON.parse(stored!), {
        kind: "session",
        session_id: SECRET,
        account_id: 1000,
        username: "demo",
        created_at: "2026-01-01T00:00:00.000Z"
      }, "the same JSON as the file store")
      assert.strictEqual(yield* Effect.promise(() => redis.pttl("tmdb-effect:session")), -1, "a session lasts")

      yield* other.clear
      assert.isTrue(Option.isNone(yield* one.load))
      assert.deepStrictEqual(yield* Effect.promise(() => redis.keys("*")), [])
    }))

  it.scoped("TmdbSession.layerFromStore reads the login another process saved", () =>
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
        Effect.provide(RedisSessionStore.layer({ host: "127.0.0.1", port }))
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
      const ttl = yield* Effect.promise(() => redis.pttl("tmdb-effect:session/guest"))
      assert.isAbove(ttl, 3_590_000)
      assert.isAtMost(ttl, 3_600_000)

      yield* store.save(guest(DateTime.add(now, { millis: 300 })))
      assert.isTrue(Option.isSome(yield* store.load))
      yield* Effect.sleep("400 millis")
      assert.isNull(yield* Effect.promise(() => redis.get("tmdb-effect:session/guest")), "gone from Redis")
      assert.isTrue(Option.isNone(yield* store.load))

      yield* store.save(guest(DateTime.subtract(now, { minutes: 1 })))
      assert.deepStrictEqual(yield* Effect.promise(() => redis.keys("*")), [])
    }).pipe(Effect.scoped))

  it.scoped("a value that is not a login is CorruptedSession, naming no value", () =>
    Effect.gen(function*() {
      const { port } = yield* redisServer
      const store = yield* storeOn(port)
      const redis = yield* inspect(port)
      yield* Effect.promise(() => redis.set("tmdb-effect:session", "{not json"))
      const notJson = yield* Effect.flip(store.load)
      assert.strictEqual(notJson._tag, "CorruptedSession")
      assert.include(notJson.message, "not valid JSON")
      yield* Effect.promise(() =>
        redis.set("tmdb-effect:session", JSON.stringify({ kind: "session", session_id: SECRET }))
      )
      const partial = yield* Effect.flip(store.load)
      assert.strictEqual(partial._tag, "CorruptedSession")
      assert.notInclude(partial.message, SECRET)
      yield* store.clear // removing never decodes
      assert.isTrue(Option.isNone(yield* store.load))
    }))

  it.scoped("logout follows the one rule: kept while TMDB fails, removed once gone or corrupted", () =>
    Effect.gen(function*() {
      const { port } = yield* redisServer
      const redis = yield* inspect(port)
      yield* checkLogoutRule(
        RedisSessionStore.layer({ host: "127.0.0.1", port }),
        Effect.asVoid(Effect.promise(() => redis.set("tmdb-effect:session", "{\"kind\":\"sess")))
      )
      assert.deepStrictEqual(yield* Effect.promise(() => redis.keys("*")), [])
    }))

  it.live("Redis down or stuck: SessionStoreError within the timeout, never a hang", () =>
    Effect.gen(function*() {
      const down = yield* freePort
      const unreachable = yield* storeOn(down, { timeout: "500 millis" })
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
    }).pipe(Effect.scoped))
})

/**
 * A Redis that quotes the commands it is sent in its errors (as Redis does for a command it does
 * not know): the password of the connection and the session id being saved go to it, and no
 * rendering of the store's or the limiter's errors shows them (String, JSON, inspect,
 * Cause.pretty, logs, spans). No redis-server needed.
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { Authentication, SessionStore, TmdbRateLimiter } from "tmdb-effect"
import { RedisRateLimiter, RedisSessionStore } from "tmdb-effect/redis"
import { TmdbSimulator } from "tmdb-effect/testing"
import { failureTag, makeCollector } from "./utils/collector.js"
import { echoingRedis } from "./utils/echoingRedis.js"
import { login, SECRET } from "./utils/login.js"

const PASSWORD = "redis-pa55-QZX7V3"

describe("a Redis that echoes the commands it is sent", () => {
  it.live("the session store's errors show neither the session id nor the connection's password", () =>
    Effect.gen(function*() {
      const port = yield* echoingRedis
      const c = makeCollector([SECRET, PASSWORD], ["qzx7v3", SECRET.slice(10, 20)])
      for (const password of [undefined, PASSWORD]) {
        const store = yield* Effect.map(
          Layer.build(RedisSessionStore.layer({ host: "127.0.0.1", port, timeout: "2 seconds", password })),
          Context.get(SessionStore.SessionStore)
        )
        yield* c.instrument(Effect.gen(function*() {
          for (
            const [label, run] of [["save", store.save(login())], ["load", store.load], ["clear", store.clear]] as const
          ) {
            const exit = yield* c.observe(`${label}, ${password === undefined ? "no password" : "a password"}`, run)
            assert.strictEqual(failureTag(exit), "SessionStoreError", label)
          }
        }))
      }
      // what the echo would have shown: the check above can fail
      assert.isTrue(c.texts.some((text) => text.includes("<withheld")))
      c.assertNoLeak()
    }).pipe(Effect.scoped))

  it.live("the rate limiter's errors, and the calls it paces, do not show the connection's password", () =>
    Effect.gen(function*() {
      const port = yield* echoingRedis
      const c = makeCollector([PASSWORD], ["qzx7v3"])
      const limiter = RedisRateLimiter.layer({ host: "127.0.0.1", port, timeout: "2 seconds", password: PASSWORD })
      yield* c.instrument(Effect.gen(function*() {
        const take = Effect.flatMap(
          TmdbRateLimiter.TmdbRateLimiter,
          (l) => l.take("https://api.themoviedb.org", { limit: 40, interval: "1 second" })
        )
        for (
          const [label, run] of [
            ["take", take],
            ["validateKey", Authentication.validateKey()]
          ] as const
        ) {
          const exit = yield* c.observe(label, run.pipe(Effect.provide(limiter)))
          assert.strictEqual(failureTag(exit), "RateLimiterUnavailable", label)
        }
      })).pipe(Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials)))
      assert.isTrue(c.texts.some((text) => text.includes("<withheld")))
      c.assertNoLeak()
    }).pipe(Effect.scoped))
})

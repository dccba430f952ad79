/**
 * Redis as an attacker (or a broken proxy) would answer, behind the connection a user provides
 * (`NodeRedis.layer`, with a password). One quotes the commands it is sent in its errors (as Redis
 * does for a command it does not know): the session id being saved goes to it, and no rendering
 * of the store's or the limiter's errors shows it or the connection's password (String, JSON,
 * inspect, Cause.pretty, logs, spans). Others answer the pacing script with what it never
 * returns: every paced call ends within `maxWait` with a typed error, and no request goes out
 * unpaced. No redis-server needed.
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { Authentication, SessionStore, TmdbConfig, TmdbRateLimiter } from "tmdb-effect"
import { RedisRateLimiter, RedisSessionStore } from "tmdb-effect/redis"
import { TmdbSimulator } from "tmdb-effect/testing"
import { failureTag, makeCollector } from "./utils/collector.js"
import { echoingRedis, fakeRedis } from "./utils/fakeRedis.js"
import { login, SECRET } from "./utils/login.js"
import { connection } from "./utils/redisServer.js"

const PASSWORD = "redis-pa55-QZX7V3"

describe("a Redis that echoes the commands it is sent", () => {
  it.live("the session store's errors show neither the session id nor the connection's password", () =>
    Effect.gen(function*() {
      const port = yield* echoingRedis
      const c = makeCollector([SECRET, PASSWORD], ["qzx7v3", SECRET.slice(10, 20)])
      for (const password of [undefined, PASSWORD]) {
        const store = yield* Effect.map(
          Layer.build(
            RedisSessionStore.layer({ timeout: "2 seconds" }).pipe(
              Layer.provide(connection(port, password === undefined ? {} : { password }))
            )
          ),
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
      // and what it showed where it quoted no secret
      assert.isTrue(c.texts.some((text) => text.includes("unknown command 'GET'")))
      c.assertNoLeak()
    }))

  it.live("the rate limiter's errors, and the calls it paces, do not show the connection's password", () =>
    Effect.gen(function*() {
      const port = yield* echoingRedis
      const c = makeCollector([PASSWORD], ["qzx7v3"])
      const limiter = RedisRateLimiter.layer({ timeout: "2 seconds" }).pipe(
        Layer.provide(connection(port, { password: PASSWORD }))
      )
      yield* c.instrument(Effect.gen(function*() {
        const take = Effect.flatMap(
          TmdbRateLimiter.TmdbRateLimiter,
          (l) => Effect.scoped(l.take("https://api.themoviedb.org", { limit: 40, interval: "1 second" }))
        )
        const runs: ReadonlyArray<readonly [string, Effect.Effect<unknown, unknown, Authentication.Requirements>]> = [
          ["take", take],
          ["validateKey", Authentication.validateKey()]
        ]
        for (const [label, run] of runs) {
          const exit = yield* c.observe(label, run.pipe(Effect.provide(limiter)))
          assert.strictEqual(failureTag(exit), "RateLimiterUnavailable", label)
        }
      })).pipe(Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials)))
      // the echo is shown (the pacing script's arguments are a key and a lease id): the check sees it
      assert.isTrue(c.texts.some((text) => text.includes("unknown command 'SCRIPT'")))
      c.assertNoLeak()
    }))
})

describe("a Redis that answers the pacing script with nonsense", () => {
  /** What `SCRIPT LOAD` answers: a script's id (its SHA-1, 40 hex digits). */
  const scriptId = `$40\r\n${"5".repeat(40)}\r\n`
  /** RESP replies the script never gives (it answers `{1, 0}` or `{0, ms}`), by `EVALSHA`. */
  const replies = {
    nil: "$-1\r\n",
    "an integer": ":5\r\n",
    "an empty array": "*0\r\n",
    strings: "*2\r\n$1\r\n1\r\n$1\r\n0\r\n",
    "a nested array": "*1\r\n*2\r\n:1\r\n:0\r\n",
    "a place with a wait": "*2\r\n:1\r\n:1000000000000\r\n",
    "a negative wait": "*2\r\n:0\r\n:-5\r\n",
    "a wait of hours": "*2\r\n:0\r\n:1000000000000\r\n",
    "an error": "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  }

  it.live("each paced call ends within maxWait with RateLimiterUnavailable, and sends nothing", () =>
    Effect.gen(function*() {
      const simulator = yield* TmdbSimulator.TmdbSimulator
      const outcomes: Record<string, string> = {}
      for (const [kind, reply] of Object.entries(replies)) {
        const port = yield* fakeRedis((name) => name.toUpperCase() === "SCRIPT" ? scriptId : reply)
        const started = Date.now()
        const error = yield* Effect.flip(Authentication.validateKey()).pipe(
          Effect.provide(RedisRateLimiter.layer({ timeout: "1 second" }).pipe(Layer.provide(connection(port)))),
          Effect.provide(TmdbConfig.layer({ rateLimit: { limit: 40, interval: "1 second", maxWait: "2 seconds" } }))
        )
        assert.strictEqual(error._tag, "RateLimiterUnavailable", kind)
        assert.isBelow(Date.now() - started, 2000 + 1000, `${kind}: within maxWait (and one Redis command)`)
        outcomes[kind] = error._tag === "RateLimiterUnavailable" ? error.reason : error._tag
      }
      assert.deepStrictEqual(outcomes, {
        nil: "UnexpectedReply",
        "an integer": "UnexpectedReply",
        "an empty array": "UnexpectedReply",
        strings: "UnexpectedReply",
        "a nested array": "UnexpectedReply",
        "a place with a wait": "UnexpectedReply",
        "a negative wait": "UnexpectedReply",
        "a wait of hours": "WaitTooLong",
        "an error": "StoreError"
      })
      // and a script id that is not one: Redis's client refuses to send it
      const port = yield* fakeRedis(() => ":5\r\n")
      const error = yield* Effect.flip(Authentication.validateKey()).pipe(
        Effect.provide(RedisRateLimiter.layer({ timeout: "1 second" }).pipe(Layer.provide(connection(port))))
      )
      assert.deepInclude(error, { _tag: "RateLimiterUnavailable", reason: "StoreError" })
      assert.lengthOf(yield* simulator.requests, 0, "no request went out unpaced")
    }).pipe(Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials))))
})

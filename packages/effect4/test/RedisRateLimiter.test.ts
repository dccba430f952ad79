/**
 * The shared limiter on a real redis-server, over the connection a user provides
 * (`NodeRedis.layer`): leases shared by two connections (as two processes), held while a request
 * is out and an interval after it, a dead process's lease ending at its lease timeout, the key it
 * keeps; Redis gone before a call, stuck, or its key poisoned: always a typed error, never a
 * hang. (Nonsense replies: test/hostileRedis.test.ts; arrivals at a server across 4 processes:
 * test/manyProcesses.test.ts.)
 */
import { assert, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer } from "effect"
import type { Duration } from "effect"
import { Redis } from "effect/persistence"
import { Authentication, TmdbConfig, TmdbRateLimiter } from "tmdb-effect"
import { RedisRateLimiter } from "tmdb-effect/redis"
import { TmdbSimulator } from "tmdb-effect/testing"
import { freePort } from "./utils/ports.js"
import { connection, describeRedis, redisServer } from "./utils/redisServer.js"

const KEY = "https://tmdb.test"

/**
 * `count` concurrent requests through the limiter in context, each holding its place for
 * `out` ms (the request's trip); the wall-clock time each one got its place.
 */
const placesOf = (count: number, rateLimit: TmdbRateLimiter.RateLimit, out = 0) =>
  Effect.flatMap(TmdbRateLimiter.TmdbRateLimiter, (limiter) =>
    Effect.forEach(
      Array.from({ length: count }),
      () =>
        Effect.scoped(
          Effect.andThen(
            limiter.take(KEY, rateLimit),
            Effect.tap(Effect.sync(() => Date.now()), Effect.sleep(out))
          )
        ),
      { concurrency: "unbounded" }
    ))

/** The limiter on a connection of its own (as another process would have). */
const limiterOn = (port: number, options: RedisRateLimiter.Options = {}) =>
  RedisRateLimiter.layer(options).pipe(Layer.provide(connection(port)))

/** A connection of the test's own, to look at Redis as an operator would. */
const inspect = (port: number) => Effect.map(Layer.build(connection(port)), Context.get(Redis.Redis))

describeRedis("RedisRateLimiter on redis-server", () => {
  it.live("two connections (as two processes) share one budget: limit at once, the rest an interval later", () =>
    Effect.gen(function*() {
      const redis = yield* redisServer
      const rateLimit = { limit: 4, interval: "1 second" } as const
      const [a, b] = yield* Effect.all([
        placesOf(5, rateLimit).pipe(Effect.provide(limiterOn(redis.port))),
        placesOf(5, rateLimit).pipe(Effect.provide(limiterOn(redis.port)))
      ], { concurrency: "unbounded" })
      const places = [...a, ...b].sort((x, y) => x - y)
      // the first 4 at once; the others wait for an interval after the first ones' answers
      assert.isBelow(places[3]! - places[0]!, 500)
      assert.isAtLeast(places[4]! - places[0]!, 1000)
      assert.isAtLeast(places[8]! - places[0]!, 2000)
    }))

  it.live("a lease is held while its request is out, and an interval after its answer", () =>
    Effect.gen(function*() {
      const redis = yield* redisServer
      const rateLimit = { limit: 1, interval: "500 millis" } as const
      const [[first], [second]] = yield* Effect.all([
        placesOf(1, rateLimit, 1500).pipe(Effect.provide(limiterOn(redis.port))),
        Effect.delay(placesOf(1, rateLimit).pipe(Effect.provide(limiterOn(redis.port))), "100 millis")
      ], { concurrency: "unbounded" })
      assert.isAtLeast(second! - first!, 1500 + 500, "not before the first answer came back, plus the interval")
    }))

  it.live("a lease whose process died ends at its lease timeout", () =>
    Effect.gen(function*() {
      const redis = yield* redisServer
      const client = yield* inspect(redis.port)
      // a process took the only place, then died without giving it back
      const [seconds, micros] = yield* client.send<[string, string]>("TIME")
      const redisNow = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)
      yield* client.send("ZADD", `${RedisRateLimiter.prefix}${KEY}`, String(redisNow + 1500), "dead-process")
      const started = Date.now()
      const [place] = yield* placesOf(1, { limit: 1, interval: "1 second" }).pipe(
        Effect.provide(limiterOn(redis.port))
      )
      assert.isAtLeast(place! - started, 1500 - 50)
      assert.isBelow(place! - started, 1500 + 1000)
    }))

  it.live("a call given up by its caller gives its lease back: the next one goes an interval later, not a lease timeout", () =>
    Effect.gen(function*() {
      const redis = yield* redisServer
      const simulator = yield* TmdbSimulator.TmdbSimulator
      yield* simulator.inject(TmdbSimulator.Fault.Delay({ duration: "2 seconds" }), { times: 1 })
      yield* Effect.gen(function*() {
        const started = Date.now()
        const gaveUp = yield* Effect.exit(Effect.timeout(Authentication.validateKey(), "200 millis"))
        assert.isTrue(Exit.isFailure(gaveUp))
        yield* Authentication.validateKey()
        // cut short at 200 ms, it counts two intervals (it may still be on its way), not a minute
        assert.isBelow(Date.now() - started, 200 + 2 * 500 + 1000)
      }).pipe(
        Effect.provide(limiterOn(redis.port)),
        Effect.provide(TmdbConfig.layer({ rateLimit: { limit: 1, interval: "500 millis" } }))
      )
    }).pipe(Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials))))

  it.live("a lease counts its whole interval, however short the lease timeout: the key lives as long", () =>
    Effect.gen(function*() {
      const redis = yield* redisServer
      const layer = () => limiterOn(redis.port, { leaseTimeout: "1 second" })
      const rateLimit = { limit: 1, interval: "3 seconds", maxWait: "10 seconds" } as const
      const [first] = yield* placesOf(1, rateLimit).pipe(Effect.provide(layer()))
      yield* Effect.sleep("1500 millis")
      const [second] = yield* placesOf(1, rateLimit).pipe(Effect.provide(layer()))
      assert.isAtLeast(second! - first!, 3000)
    }))

  it.live("a lease timeout or command timeout that is not a positive, finite duration is InvalidConfig", () =>
    Effect.gen(function*() {
      const redis = yield* redisServer
      for (
        const [setting, options] of [
          ["RedisRateLimiter.leaseTimeout", { leaseTimeout: 0 }],
          ["RedisRateLimiter.leaseTimeout", { leaseTimeout: "forever" as Duration.Input }],
          ["RedisRateLimiter.timeout", { timeout: Infinity }],
          ["RedisRateLimiter.timeout", { timeout: -5 }]
        ] as const
      ) {
        const error = yield* Effect.flip(Layer.build(limiterOn(redis.port, options)))
        assert.deepInclude(error, { _tag: "InvalidConfig", setting })
      }
    }))

  it.live("the library's calls are paced under the TMDB origin: the key and its members hold no secret", () =>
    Effect.gen(function*() {
      const redis = yield* redisServer
      yield* Authentication.validateKey().pipe(
        Effect.provide(limiterOn(redis.port)),
        // a minute's window: the lease outlives the call, to be looked at
        Effect.provide(TmdbConfig.layer({ rateLimit: { limit: 1, interval: "1 minute", maxWait: "2 minutes" } })),
        Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials))
      )
      const client = yield* inspect(redis.port)
      const [key, ...others] = yield* client.send<Array<string>>("KEYS", "*")
      assert.deepStrictEqual(others, [])
      assert.strictEqual(key, "tmdb-effect:pace:https://api.themoviedb.org")
      const [member, ...more] = yield* client.send<Array<string>>("ZRANGE", key!, "0", "-1")
      assert.deepStrictEqual(more, [])
      assert.match(member!, /^[0-9a-f-]{36}$/, "a random lease id")
    }))

  it.live("Redis gone before the first call: RateLimiterUnavailable within the timeout, no hang", () =>
    Effect.gen(function*() {
      const redis = yield* redisServer
      const exit = yield* Effect.gen(function*() {
        yield* redis.kill
        return yield* Effect.exit(placesOf(1, { limit: 40, interval: "1 second" }))
      }).pipe(Effect.provide(limiterOn(redis.port, { timeout: "1 second" })))
      assert.isTrue(Exit.isFailure(exit))
      const error = Exit.isFailure(exit) && exit.cause.reasons[0]?._tag === "Fail"
        ? exit.cause.reasons[0].error
        : undefined
      assert.strictEqual(error?._tag, "RateLimiterUnavailable")
      assert.match(error?.message ?? "", /^The TMDB request was not sent: it got no place in its rate limit/)
    }))

  it.live("Redis down at start: the connection layer you provide fails to build (a RedisError), no hang", () =>
    Effect.gen(function*() {
      const port = yield* freePort
      const error = yield* Effect.flip(Layer.build(limiterOn(port)))
      assert.strictEqual(error._tag, "RedisError")
    }))

  it.live("Redis stuck (SIGSTOP): RateLimiterUnavailable after the timeout, then paced again", () =>
    Effect.gen(function*() {
      const redis = yield* redisServer
      const rateLimit = { limit: 40, interval: "1 second" } as const
      yield* Effect.gen(function*() {
        yield* placesOf(1, rateLimit) // connected, the scripts loaded
        yield* redis.pause
        const stuck = yield* Effect.flip(placesOf(1, rateLimit))
        assert.strictEqual(stuck._tag, "RateLimiterUnavailable")
        assert.strictEqual(stuck.reason, "Timeout")
        assert.strictEqual(stuck.detail, "Redis did not answer within 500ms")
        yield* redis.resume
        const again = yield* placesOf(2, rateLimit)
        assert.lengthOf(again, 2)
      }).pipe(
        Effect.ensuring(redis.resume),
        Effect.provide(limiterOn(redis.port, { timeout: "500 millis" }))
      )
    }))

  it.live("a key poisoned with an hour's expiry: each call fails at once with a typed error, none is sent", () =>
    Effect.gen(function*() {
      const redis = yield* redisServer
      const client = yield* inspect(redis.port)
      yield* client.send("SET", `${RedisRateLimiter.prefix}https://api.themoviedb.org`, "1", "PX", "3600000")
      const simulator = yield* TmdbSimulator.TmdbSimulator
      const started = Date.now()
      const errors = yield* Effect.forEach(
        Array.from({ length: 3 }),
        () => Effect.flip(Authentication.validateKey()),
        { concurrency: "unbounded" }
      ).pipe(Effect.provide(limiterOn(redis.port)))
      assert.isBelow(Date.now() - started, 2000)
      assert.deepStrictEqual(
        errors.map((error) => error._tag === "RateLimiterUnavailable" ? error.reason : error._tag),
        ["StoreError", "StoreError", "StoreError"]
      )
      assert.match(errors[0]!.message, /WRONGTYPE/)
      assert.lengthOf(yield* simulator.requests, 0)
    }).pipe(Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials))))
})

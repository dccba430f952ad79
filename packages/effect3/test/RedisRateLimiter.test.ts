/**
 * The shared limiter: its windowing on `@effect/experimental`'s in-memory store under `TestClock`
 * (exact start times), then on a real redis-server — two connections sharing one budget, Redis
 * down at start, Redis stuck — always a typed error, never a hang.
 */
import { RateLimiter } from "@effect/experimental"
import { assert, describe, it } from "@effect/vitest"
import type { Duration } from "effect"
import { Effect, Exit, Fiber, Layer, TestClock } from "effect"
import { Redis } from "ioredis"
import { Authentication, TmdbConfig, TmdbRateLimiter } from "tmdb-effect"
import { RedisRateLimiter } from "tmdb-effect/redis"
import { TmdbSimulator } from "tmdb-effect/testing"
import { freePort } from "./utils/ports.js"
import { describeRedis, redisServer } from "./utils/redisServer.js"

/** The most starts found in any window of `interval` ms (a start leaves it `interval` later). */
const busiest = (starts: ReadonlyArray<number>, interval: number): number => {
  const sorted = [...starts].sort((a, b) => a - b)
  let most = 0
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j]! + interval <= sorted[i]!) j++
    most = Math.max(most, i - j + 1)
  }
  return most
}

/** `count` concurrent takes on the limiter in context; the Clock time each one started. */
const startsOf = (count: number, rateLimit: TmdbRateLimiter.RateLimit, key = "https://tmdb.test ApiKey:x") =>
  Effect.flatMap(TmdbRateLimiter.TmdbRateLimiter, (limiter) =>
    Effect.forEach(
      Array.from({ length: count }),
      () => Effect.zipRight(limiter.take(key, rateLimit), Effect.clockWith((clock) => clock.currentTimeMillis)),
      { concurrency: "unbounded" }
    ))

describe("RedisRateLimiter windowing (in-memory store, TestClock)", () => {
  const inMemory = RedisRateLimiter.layerStore().pipe(Layer.provide(RateLimiter.layerStoreMemory))

  it.effect("one start per interval ÷ limit: never more than limit in any sliding interval", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(startsOf(12, { limit: 4, interval: "1 second" }))
      yield* TestClock.adjust("5 seconds")
      const starts = yield* Fiber.join(fiber)
      assert.deepStrictEqual(starts, Array.from({ length: 12 }, (_, i) => i * 250))
      assert.strictEqual(busiest(starts, 1000), 4)
    }).pipe(Effect.provide(inMemory)))

  it.effect("what it avoids: a fixed window of limit per interval lets twice the limit through", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.RateLimiter
      const take = (limit: number, window: Duration.DurationInput) =>
        Effect.flatMap(
          limiter.consume({ key: "k", limit, window, onExceeded: "delay", algorithm: "fixed-window" }),
          ({ delay }) => Effect.zipRight(Effect.sleep(delay), Effect.clockWith((clock) => clock.currentTimeMillis))
        )
      // 1 start at 0, then 3 more just before the window ends and 4 as the next one opens
      const first = yield* take(4, "1 second")
      yield* TestClock.adjust("900 millis")
      const fiber = yield* Effect.fork(Effect.forEach(Array.from({ length: 7 }), () => take(4, "1 second")))
      yield* TestClock.adjust("2 seconds")
      const starts = [first, ...yield* Fiber.join(fiber)]
      assert.isAbove(busiest(starts, 1000), 4)
    }).pipe(Effect.provide(RateLimiter.layer), Effect.provide(RateLimiter.layerStoreMemory)))

  it.effect("budgets are per key: another origin does not wait", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(Effect.all([
        startsOf(3, { limit: 1, interval: "1 second" }, "a"),
        startsOf(3, { limit: 1, interval: "1 second" }, "b")
      ], { concurrency: "unbounded" }))
      yield* TestClock.adjust("5 seconds")
      const [a, b] = yield* Fiber.join(fiber)
      assert.deepStrictEqual([a, b], [[0, 1000, 2000], [0, 1000, 2000]])
    }).pipe(Effect.provide(inMemory)))
})

describeRedis("RedisRateLimiter on redis-server", () => {
  it.live("two connections (as two processes) share one budget", () =>
    Effect.gen(function*() {
      const redis = yield* redisServer
      const rateLimit = { limit: 10, interval: "1 second" } as const
      const layer = () => RedisRateLimiter.layer({ host: "127.0.0.1", port: redis.port })
      const begun = Date.now()
      const [a, b] = yield* Effect.all([
        startsOf(5, rateLimit).pipe(Effect.provide(layer())),
        startsOf(5, rateLimit).pipe(Effect.provide(layer()))
      ], { concurrency: "unbounded" })
      // 10 starts from two clients take 9 slots of 100 ms between them; alone, each client's 5
      // would take 4 (400 ms). Starts are seen when each process gets to run again, so a loaded
      // machine may see one late by a few ms: one slot of margin still tells the two apart.
      const starts = [...a, ...b].sort((x, y) => x - y)
      assert.isAtLeast(starts[9]! - starts[0]!, 900 - 100, "the second client waited for the first one's starts")
      assert.isAtLeast(Date.now() - begun, 900 - 10)
    }).pipe(Effect.scoped))

  it.live("the library's calls are paced in Redis under the TMDB origin: no key holds a secret", () =>
    Effect.gen(function*() {
      const redis = yield* redisServer
      yield* Authentication.validateKey().pipe(
        Effect.provide(RedisRateLimiter.layer({ host: "127.0.0.1", port: redis.port })),
        // a slot of a minute: the key outlives the call, to be looked at
        Effect.provide(TmdbConfig.layer({ rateLimit: { limit: 1, interval: "1 minute" } })),
        Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials))
      )
      const client = yield* Effect.acquireRelease(
        Effect.sync(() => new Redis({ host: "127.0.0.1", port: redis.port })),
        (client) => Effect.promise(() => client.quit())
      )
      const [key, ...others] = yield* Effect.promise(() => client.keys("*"))
      assert.deepStrictEqual(others, [])
      assert.strictEqual(key, "tmdb-effect:pace:https://api.themoviedb.org")
    }).pipe(Effect.scoped))

  it.live("Redis down at start: RateLimiterUnavailable, no hang", () =>
    Effect.gen(function*() {
      const port = yield* freePort
      const exit = yield* Effect.exit(
        startsOf(1, { limit: 40, interval: "1 second" }).pipe(
          Effect.provide(RedisRateLimiter.layer({ host: "127.0.0.1", port, timeout: "1 second" }))
        )
      )
      assert.isTrue(Exit.isFailure(exit))
      const error = Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined
      assert.strictEqual(error?._tag, "RateLimiterUnavailable")
      assert.match(error?.message ?? "", /^The TMDB request was not sent: its rate limiter could not be asked/)
    }))

  it.live("Redis stuck (SIGSTOP): RateLimiterUnavailable after the timeout, then paced again", () =>
    Effect.gen(function*() {
      const redis = yield* redisServer
      const rateLimit = { limit: 40, interval: "1 second" } as const
      yield* Effect.gen(function*() {
        yield* startsOf(1, rateLimit) // connected
        yield* redis.pause
        const stuck = yield* Effect.flip(startsOf(1, rateLimit))
        assert.strictEqual(stuck._tag, "RateLimiterUnavailable")
        assert.strictEqual(stuck.reason, "Timeout")
        assert.strictEqual(stuck.detail, "Redis did not answer within 500ms")
        yield* redis.resume
        const again = yield* startsOf(2, rateLimit)
        assert.lengthOf(again, 2)
      }).pipe(
        Effect.ensuring(redis.resume),
        Effect.provide(RedisRateLimiter.layer({ host: "127.0.0.1", port: redis.port, timeout: "500 millis" }))
      )
    }).pipe(Effect.scoped))
})

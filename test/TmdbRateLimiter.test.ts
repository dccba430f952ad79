/**
 * The sliding-window limiter, on TestClock.
 */
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Fiber, TestClock } from "effect"
import { TmdbRateLimiter } from "tmdb-effect"

/** Starts `count` takes at once and returns when each got through, in millis since the first. */
const startTimes = (limiter: TmdbRateLimiter.Service, count: number, rateLimit: TmdbRateLimiter.RateLimit) =>
  Effect.gen(function*() {
    const times: Array<number> = []
    const fiber = yield* Effect.fork(
      Effect.forEach(
        Array.from({ length: count }),
        () =>
          Effect.zipRight(limiter.take("origin", rateLimit), Effect.map(Clock.currentTimeMillis, (t) => times.push(t))),
        { concurrency: "unbounded" }
      )
    )
    yield* TestClock.adjust("1 hour")
    yield* Fiber.join(fiber)
    return times.map((t) => t - times[0]!)
  })

/** The most starts in any window (t - interval, t]. */
const busiestWindow = (times: ReadonlyArray<number>, interval: number) =>
  Math.max(...times.map((end) => times.filter((t) => t > end - interval && t <= end).length))

describe("TmdbRateLimiter", () => {
  it.effect("lets `limit` start at once, then one more each time the oldest leaves the window", () =>
    Effect.gen(function*() {
      const limiter = yield* TmdbRateLimiter.make
      const times = yield* startTimes(limiter, 7, { limit: 3, interval: "1 second" })
      assert.deepStrictEqual(times, [0, 0, 0, 1000, 1000, 1000, 2000])
    }))

  it.effect("never more than `limit` starts in any sliding interval, whatever the arrival pattern", () =>
    Effect.gen(function*() {
      const limiter = yield* TmdbRateLimiter.make
      const times: Array<number> = []
      const take = Effect.zipRight(
        limiter.take("origin", { limit: 10, interval: "1 second" }),
        Effect.map(Clock.currentTimeMillis, (t) => void times.push(t))
      )
      // bursts of 7 every 300 ms: a fixed window of 10 per second would let 14 through at a boundary
      const fiber = yield* Effect.fork(
        Effect.forEach(
          Array.from({ length: 10 }),
          (_, burst) =>
            Effect.delay(
              Effect.forEach(Array.from({ length: 7 }), () => take, { concurrency: "unbounded" }),
              burst * 300
            ),
          {
            concurrency: "unbounded"
          }
        )
      )
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      assert.strictEqual(times.length, 70)
      assert.strictEqual(busiestWindow(times, 1000), 10)
    }))

  it.effect("keys have budgets of their own", () =>
    Effect.gen(function*() {
      const limiter = yield* TmdbRateLimiter.make
      const rateLimit: TmdbRateLimiter.RateLimit = { limit: 1, interval: "1 second" }
      yield* limiter.take("a", rateLimit)
      yield* limiter.take("b", rateLimit) // would wait a second if it shared a's budget
      const fiber = yield* Effect.fork(limiter.take("a", rateLimit))
      yield* TestClock.adjust("999 millis")
      assert.isNull(fiber.unsafePoll())
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(fiber)
    }))

  it.effect("unlimited never waits", () =>
    Effect.gen(function*() {
      const times = yield* startTimes(TmdbRateLimiter.unlimited, 50, { limit: 1, interval: "1 hour" })
      assert.deepStrictEqual(new Set(times), new Set([0]))
    }))

  it.effect("the default is one limiter for the whole process; layer gives a fresh one", () =>
    Effect.gen(function*() {
      const first = yield* TmdbRateLimiter.TmdbRateLimiter
      const second = yield* TmdbRateLimiter.TmdbRateLimiter
      assert.strictEqual(first, second)
      const fresh = yield* TmdbRateLimiter.TmdbRateLimiter.pipe(Effect.provide(TmdbRateLimiter.layer))
      assert.notStrictEqual(fresh, first)
    }))
})

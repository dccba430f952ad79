/**
 * The sliding-window limiter, on TestClock: a place is held from a request's start until an
 * interval (and the margin) after its answer; `maxWait` bounds the wait. (Arrivals at a real
 * server under load: test/pacing/arrivals.test.ts.)
 */
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Fiber, Layer, TestClock } from "effect"
import { Authentication, TmdbConfig, TmdbCredentials, TmdbRateLimiter } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { margin as MARGIN } from "../src/internal/window.js"

/** A request through `limiter` that is out for `out` ms (its place held meanwhile); when it started. */
const request = (limiter: TmdbRateLimiter.Service, rateLimit: TmdbRateLimiter.RateLimit, out = 0, key = "origin") =>
  Effect.scoped(
    Effect.zipRight(limiter.take(key, rateLimit), Effect.zipLeft(Clock.currentTimeMillis, Effect.sleep(out)))
  )

/** Starts `count` requests at once and returns when each got through, in millis since the first. */
const startTimes = (limiter: TmdbRateLimiter.Service, count: number, rateLimit: TmdbRateLimiter.RateLimit) =>
  Effect.gen(function*() {
    const times: Array<number> = []
    const fiber = yield* Effect.fork(
      Effect.forEach(
        Array.from({ length: count }),
        () => Effect.map(request(limiter, rateLimit), (t) => times.push(t)),
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
  it.effect("lets `limit` start at once, then one more an interval (and the margin) after each answer", () =>
    Effect.gen(function*() {
      const limiter = yield* TmdbRateLimiter.make
      const times = yield* startTimes(limiter, 7, { limit: 3, interval: "1 second" })
      const later = 1000 + MARGIN
      assert.deepStrictEqual(times, [0, 0, 0, later, later, later, 2 * later])
    }))

  it.effect("a place is held while its request is out: the next one waits for the answer, then an interval", () =>
    Effect.gen(function*() {
      const limiter = yield* TmdbRateLimiter.make
      const rateLimit: TmdbRateLimiter.RateLimit = { limit: 2, interval: "1 second" }
      const slow = yield* Effect.fork(request(limiter, rateLimit, 3000)) // out for 3 s
      const quick = yield* Effect.fork(request(limiter, rateLimit))
      const third = yield* Effect.fork(Effect.zipRight(Effect.sleep(10), request(limiter, rateLimit, 5000)))
      const fourth = yield* Effect.fork(Effect.zipRight(Effect.sleep(20), request(limiter, rateLimit)))
      yield* TestClock.adjust("20 seconds")
      assert.deepStrictEqual(
        yield* Effect.all([Fiber.join(slow), Fiber.join(quick), Fiber.join(third), Fiber.join(fourth)]),
        // the quick one's place frees at 1005 (the third takes it, and is out for 5 s); the slow
        // one's, answered at 3000, at 4005
        [0, 0, 1000 + MARGIN, 3000 + 1000 + MARGIN]
      )
    }))

  it.effect("a wait that is interrupted takes no place", () =>
    Effect.gen(function*() {
      const limiter = yield* TmdbRateLimiter.make
      const rateLimit: TmdbRateLimiter.RateLimit = { limit: 1, interval: "1 second" }
      const out = yield* Effect.fork(request(limiter, rateLimit, 500))
      const waiting = yield* Effect.fork(request(limiter, rateLimit))
      yield* TestClock.adjust("100 millis")
      yield* Fiber.interrupt(waiting)
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(out)
      // had the interrupted wait taken a place, this one would wait another interval
      assert.strictEqual(yield* request(limiter, rateLimit), 10_100)
    }))

  it.effect("a request cut short (interrupted) keeps its place one interval longer: it may still arrive", () =>
    Effect.gen(function*() {
      const limiter = yield* TmdbRateLimiter.make
      const rateLimit: TmdbRateLimiter.RateLimit = { limit: 1, interval: "1 second" }
      const cut = yield* Effect.fork(request(limiter, rateLimit, 5000))
      yield* TestClock.adjust("100 millis")
      yield* Fiber.interrupt(cut)
      const next = yield* Effect.fork(request(limiter, rateLimit))
      yield* TestClock.adjust("10 seconds")
      assert.strictEqual(yield* Fiber.join(next), 100 + 2 * 1000 + MARGIN)
    }))

  it.effect("a waiter hears of a release that frees a place sooner than the end it was waiting for", () =>
    Effect.gen(function*() {
      const limiter = yield* TmdbRateLimiter.make
      // one origin, two intervals: a place answered at once that counts 10 s, one out for 100 ms
      yield* request(limiter, { limit: 2, interval: "10 seconds" })
      const out = yield* Effect.fork(request(limiter, { limit: 2, interval: "1 second" }, 100))
      const waiting = yield* Effect.fork(request(limiter, { limit: 2, interval: "1 second" }))
      yield* TestClock.adjust("20 seconds")
      yield* Fiber.join(out)
      assert.strictEqual(yield* Fiber.join(waiting), 100 + 1000 + MARGIN)
    }))

  it.effect("never more than `limit` starts in any sliding interval, whatever the arrival pattern", () =>
    Effect.gen(function*() {
      const limiter = yield* TmdbRateLimiter.make
      const times: Array<number> = []
      const take = Effect.map(request(limiter, { limit: 10, interval: "1 second" }), (t) => void times.push(t))
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
      yield* request(limiter, rateLimit, 0, "a")
      yield* request(limiter, rateLimit, 0, "b") // would wait a second if it shared a's budget
      const fiber = yield* Effect.fork(request(limiter, rateLimit, 0, "a"))
      yield* TestClock.adjust(1000 + MARGIN - 1)
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

describe("pacing the library's calls", () => {
  /** When each request reached the simulator, on the test's clock. */
  const arrivals = Effect.map(
    Effect.flatMap(TmdbSimulator.TmdbSimulator, (simulator) => simulator.requests),
    (requests) => requests.map((request) => request.at)
  )

  it.effect(
    "1,000 concurrent logins against a TMDB-like limit: never more than `limit` starts in any sliding second, no 429",
    () =>
      Effect.gen(function*() {
        const simulator = yield* TmdbSimulator.TmdbSimulator
        const accounts = Array.from({ length: 1000 }, (_, i) => ({ username: `user${i}`, password: `pw-${i}` }))
        for (const account of accounts) yield* simulator.addAccount(account)
        const fiber = yield* Effect.fork(
          Effect.forEach(accounts, (account) => Authentication.loginWithPassword(account), { concurrency: "unbounded" })
        )
        // 3,000 requests at 40 a second: 75 seconds of the test's clock
        for (let second = 0; second < 80; second++) yield* TestClock.adjust("1 second")
        // with retries off, a single 429 would have failed its login with RateLimited
        const sessions = yield* Fiber.join(fiber)
        assert.strictEqual(sessions.length, 1000)
        const times = yield* arrivals
        assert.strictEqual(times.length, 3000)
        assert.strictEqual(busiestWindow(times, 1000), 40)
      }).pipe(
        Effect.provide(TmdbConfig.layer({ retry: false })),
        // the process-wide default limiter, as in production (the simulator's layer provides one that never waits)
        Effect.provide(TmdbRateLimiter.layer),
        Effect.provide(Layer.merge(TmdbSimulator.layer({ rateLimit: { limit: 40 } }), TmdbSimulator.credentials))
      ),
    120_000
  )

  it.effect("a call that would wait past maxWait fails with RateLimiterUnavailable, unsent; the next one goes", () =>
    Effect.gen(function*() {
      const simulator = yield* TmdbSimulator.TmdbSimulator
      yield* simulator.inject(TmdbSimulator.Fault.Delay({ duration: "10 seconds" }), { times: 1 })
      const slow = yield* Effect.fork(Authentication.validateKey()) // holds the only place for 10 s
      yield* TestClock.adjust("1 millis")
      const waiting = yield* Effect.fork(Effect.flip(Authentication.validateKey()))
      yield* TestClock.adjust("2 seconds")
      const error = yield* Fiber.join(waiting)
      assert.deepInclude(error, { _tag: "RateLimiterUnavailable", reason: "WaitTooLong" })
      assert.lengthOf(yield* arrivals, 1, "the call that waited too long sent nothing")
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(slow)
      assert.isTrue((yield* Authentication.validateKey()).success)
    }).pipe(
      Effect.provide(
        TmdbConfig.layer({
          timeout: "20 seconds",
          retry: false,
          rateLimit: { limit: 1, interval: "1 second", maxWait: "2 seconds" }
        })
      ),
      Effect.provide(TmdbRateLimiter.layer),
      Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials))
    ))

  it.effect("100 sequential calls against TmdbSimulator.layer() with the default config need no TestClock.adjust", () =>
    Effect.gen(function*() {
      for (let i = 0; i < 100; i++) yield* Authentication.validateKey()
      assert.strictEqual((yield* arrivals).length, 100)
    }).pipe(Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials))))

  it.effect("rateLimit: false turns pacing off", () =>
    Effect.gen(function*() {
      for (let i = 0; i < 100; i++) yield* Authentication.validateKey()
      const times = yield* arrivals
      assert.strictEqual(times.length, 100)
      assert.strictEqual(busiestWindow(times, 1000), 100)
    }).pipe(
      Effect.provide(TmdbConfig.layer({ rateLimit: false })),
      Effect.provide(TmdbRateLimiter.layer),
      Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials))
    ))
})

describe("the budget a call counts against", () => {
  /** The keys a call's attempts were paced under. */
  const keysOf = (credentials: typeof TmdbSimulator.credentials, baseUrl?: string) => {
    const keys: Array<string> = []
    const recording: TmdbRateLimiter.Service = { take: (key) => Effect.sync(() => void keys.push(key)) }
    return Authentication.validateKey().pipe(
      Effect.provide(TmdbConfig.layer(baseUrl === undefined ? {} : { baseUrl })),
      Effect.provideService(TmdbRateLimiter.TmdbRateLimiter, recording),
      Effect.provide(Layer.merge(TmdbSimulator.layer(), credentials)),
      Effect.ignore, // the simulator refuses a credential it does not know: the key was taken before
      Effect.as(keys)
    )
  }

  it.effect("is the TMDB origin, whatever the credentials (TMDB limits per client address)", () =>
    Effect.gen(function*() {
      const [bearer] = yield* keysOf(TmdbSimulator.credentials)
      const [apiKey] = yield* keysOf(TmdbSimulator.apiKeyCredentials)
      // a server acting with a user's access token still counts against the one budget
      const [userToken] = yield* keysOf(TmdbCredentials.bearer("a-user-access-token").pipe(Layer.orDie))
      // the origin, however the base URL spells it: one server, one budget
      const [spelled] = yield* keysOf(TmdbSimulator.credentials, "https://API.themoviedb.org:443/")
      const [elsewhere] = yield* keysOf(TmdbSimulator.credentials, "https://tmdb-proxy.test/base/")
      assert.deepStrictEqual([bearer, apiKey, userToken, spelled], Array(4).fill("https://api.themoviedb.org"))
      assert.strictEqual(elsewhere, "https://tmdb-proxy.test", "another TMDB origin has a budget of its own")
    }))
})

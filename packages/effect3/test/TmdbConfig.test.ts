/**
 * Per-call settings: base URL, timeout and the retry policy, driven by TestClock.
 */
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Exit, Fiber, Layer, Random, TestClock } from "effect"
import { Authentication, AuthV4, TmdbConfig } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"

const env = Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.credentials)
const { Fault } = TmdbSimulator

const inject = (fault: TmdbSimulator.Fault, options?: { times?: number; path?: string }) =>
  Effect.flatMap(TmdbSimulator.TmdbSimulator, (simulator) => simulator.inject(fault, options))
const requests = Effect.flatMap(TmdbSimulator.TmdbSimulator, (simulator) => simulator.requests)
const requestCount = Effect.map(requests, (all) => all.length)
/** When each request reached the simulator, on the test's clock. */
const arrivals = Effect.map(requests, (all) => all.map((request) => request.at))

describe("TmdbConfig defaults", () => {
  it.effect("need no layer", () =>
    Effect.gen(function*() {
      const config = yield* TmdbConfig.TmdbConfig
      assert.strictEqual(config.baseUrl, "https://api.themoviedb.org")
      assert.strictEqual(config.webUrl, "https://www.themoviedb.org")
      assert.strictEqual(Duration.toSeconds(config.timeout), 10)
      assert.deepStrictEqual(config.retry, TmdbConfig.defaultRetry)
      assert.strictEqual(config.maxResponseBytes, 1024 * 1024)
    }))

  it.effect("layer overrides only what it names", () =>
    Effect.gen(function*() {
      const config = yield* TmdbConfig.TmdbConfig.pipe(Effect.provide(TmdbConfig.layer({ retry: false })))
      assert.strictEqual(config.retry, false)
      assert.strictEqual(config.baseUrl, "https://api.themoviedb.org")
    }))
})

describe("timeout", () => {
  it.effect("an answer slower than the timeout is TransportError (Timeout)", () =>
    Effect.gen(function*() {
      yield* inject(Fault.Delay({ duration: "1 minute" }))
      const fiber = yield* Effect.fork(
        Authentication.validateKey().pipe(Effect.provide(TmdbConfig.layer({ timeout: "5 seconds", retry: false })))
      )
      yield* TestClock.adjust("5 seconds")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag === "TransportError") {
        assert.strictEqual(error.reason, "Timeout")
        assert.strictEqual(error.endpoint, "GET /3/authentication")
      }
    }).pipe(Effect.provide(env)))
})

describe("retries", () => {
  it.effect("a GET is retried on 503 with backoff, then succeeds", () =>
    Effect.gen(function*() {
      yield* inject(Fault.Html({ status: 503 }), { times: 2 })
      const fiber = yield* Effect.fork(Authentication.createRequestToken())
      yield* TestClock.adjust("10 seconds")
      const token = yield* Fiber.join(fiber)
      assert.isTrue(token.success)
      assert.strictEqual(yield* requestCount, 3)
    }).pipe(Effect.provide(env)))

  it.effect("a GET gives up after `times` retries", () =>
    Effect.gen(function*() {
      yield* inject(Fault.Html({ status: 502 }), { times: 10 })
      const fiber = yield* Effect.fork(
        Authentication.createRequestToken().pipe(
          Effect.provide(TmdbConfig.layer({ retry: { ...TmdbConfig.defaultRetry, times: 2 } }))
        )
      )
      yield* TestClock.adjust("1 minute")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "TmdbUnavailable")
      assert.strictEqual(yield* requestCount, 3)
    }).pipe(Effect.provide(env)))

  it.effect("a POST that may have reached TMDB is never retried", () =>
    Effect.gen(function*() {
      yield* inject(Fault.Html({ status: 503 }), { path: "/3/authentication/session/new" })
      const error = yield* Effect.flip(Authentication.createSession({ request_token: "a".repeat(40) }))
      assert.strictEqual(error._tag, "TmdbUnavailable")
      yield* inject(Fault.Drop({ afterProcessing: false }), { path: "/3/authentication/session/new" })
      const reset = yield* Effect.flip(Authentication.createSession({ request_token: "a".repeat(40) }))
      assert.strictEqual(reset._tag, "TransportError")
      assert.strictEqual(yield* requestCount, 2)
    }).pipe(Effect.provide(env)))

  it.effect("a throttled POST waits Retry-After, then is retried", () =>
    Effect.gen(function*() {
      const { username, password } = TmdbSimulator.defaultAccount
      yield* inject(Fault.RateLimit({ retryAfter: 3 }), { path: "/3/authentication/token/validate_with_login" })
      const fiber = yield* Effect.fork(Authentication.loginWithPassword({ username, password }))
      yield* TestClock.adjust("2 seconds")
      assert.strictEqual(yield* requestCount, 2, "still waiting out Retry-After")
      yield* TestClock.adjust("1 second")
      const session = yield* Fiber.join(fiber)
      assert.isTrue(session.success)
      assert.strictEqual(yield* requestCount, 4)
    }).pipe(Effect.provide(env)))

  it.effect("a POST whose connection was refused is retried", () =>
    Effect.gen(function*() {
      yield* inject(Fault.Refuse(), { path: "/3/authentication/session/convert/4" })
      const simulator = yield* TmdbSimulator.TmdbSimulator
      const access_token = yield* simulator.grantAccessToken(TmdbSimulator.defaultAccount.username)
      const fiber = yield* Effect.fork(Authentication.createSessionFromV4Token({ access_token }))
      yield* TestClock.adjust("5 seconds")
      const session = yield* Fiber.join(fiber)
      assert.isTrue(session.success)
    }).pipe(Effect.provide(env)))

  it.effect("a Retry-After longer than maxDelay ends the retries", () =>
    Effect.gen(function*() {
      yield* inject(Fault.RateLimit({ retryAfter: 120 }))
      const error = yield* Effect.flip(Authentication.validateKey())
      assert.strictEqual(error._tag, "RateLimited")
      if (error._tag === "RateLimited") assert.strictEqual(Duration.toSeconds(error.retryAfter), 120)
      assert.strictEqual(yield* requestCount, 1)
    }).pipe(Effect.provide(env)))

  it.effect("a logout whose answer was lost, retried, hears the session is gone: it has succeeded", () =>
    Effect.gen(function*() {
      const simulator = yield* TmdbSimulator.TmdbSimulator
      const { password, username } = TmdbSimulator.defaultAccount
      const session = yield* Authentication.loginWithPassword({ username, password })
      yield* inject(Fault.Drop({ afterProcessing: true }), { path: "/3/authentication/session" })
      const fiber = yield* Effect.fork(Authentication.deleteSession({ session_id: session.session_id }))
      yield* TestClock.adjust("10 seconds")
      const deleted = yield* Fiber.join(fiber)
      assert.isTrue(deleted.success)
      assert.deepStrictEqual(yield* simulator.sessions, [])
      // on a first attempt, the same answer stays a typed error
      const again = yield* Effect.flip(Authentication.deleteSession({ session_id: session.session_id }))
      assert.include(["ResourceNotFound", "SessionDenied", "AuthenticationFailed"], again._tag)
      const access_token = yield* simulator.grantAccessToken(username)
      yield* inject(Fault.Drop({ afterProcessing: true }), { path: "/4/auth/access_token" })
      const v4 = yield* Effect.fork(AuthV4.deleteAccessToken({ access_token }))
      yield* TestClock.adjust("10 seconds")
      assert.isTrue((yield* Fiber.join(v4)).success)
    }).pipe(Effect.provide(env)))

  it.effect("retry: false turns retries off", () =>
    Effect.gen(function*() {
      yield* inject(Fault.Html({ status: 503 }))
      const error = yield* Effect.flip(
        Authentication.validateKey().pipe(Effect.provide(TmdbConfig.layer({ retry: false })))
      )
      assert.strictEqual(error._tag, "TmdbUnavailable")
      assert.strictEqual(yield* requestCount, 1)
    }).pipe(Effect.provide(env)))
})

describe("retry waits and budget", () => {
  it.effect("backoff doubles with jitter: each wait is within [0.5, 1.5] × base × 2^n", () =>
    Effect.gen(function*() {
      yield* inject(Fault.Html({ status: 503 }), { times: 10 })
      const fiber = yield* Effect.fork(Authentication.createRequestToken())
      yield* TestClock.adjust("1 minute")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "TmdbUnavailable")
      const times = yield* arrivals
      assert.strictEqual(times.length, 4, "first attempt + defaultRetry.times (3)")
      const waits = times.slice(1).map((time, index) => time - times[index]!)
      waits.forEach((wait, n) => {
        const nominal = 250 * 2 ** n
        assert.isAtLeast(wait, nominal * 0.5, `wait ${n}`)
        assert.isAtMost(wait, nominal * 1.5, `wait ${n}`)
      })
    }).pipe(Effect.provide(env)))

  it.effect("jitter differs between random seeds", () =>
    Effect.gen(function*() {
      const firstWait = (seed: number) =>
        Effect.gen(function*() {
          yield* inject(Fault.Html({ status: 503 }))
          const fiber = yield* Effect.fork(Authentication.createRequestToken())
          yield* TestClock.adjust("1 second")
          yield* Fiber.join(fiber)
          const times = yield* arrivals
          return times[1]! - times[0]!
        }).pipe(Effect.withRandom(Random.make(seed)), Effect.provide(env))
      const waits = yield* Effect.forEach([1, 2, 3, 4, 5], firstWait)
      assert.isAbove(new Set(waits).size, 1, `waits: ${waits.join(", ")}`)
    }))

  it.effect("Retry-After is honoured exactly, and at least 1 second when absent or 0", () =>
    Effect.gen(function*() {
      yield* inject(Fault.RateLimit({ retryAfter: 7 }))
      yield* inject(Fault.RateLimit({}))
      yield* inject(Fault.RateLimit({ retryAfter: 0 }))
      const fiber = yield* Effect.fork(Authentication.validateKey())
      yield* TestClock.adjust("6999 millis")
      assert.strictEqual(yield* requestCount, 1, "still waiting out Retry-After: 7")
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* requestCount, 2)
      yield* TestClock.adjust("1 minute")
      assert.isTrue((yield* Fiber.join(fiber)).success)
      const times = yield* arrivals
      assert.deepStrictEqual(times.map((time) => time - times[0]!), [0, 7000, 8000, 9000])
    }).pipe(Effect.provide(env)))

  it.effect("no retry starts whose wait would cross the budget", () =>
    Effect.gen(function*() {
      // Default budget 30 s: the first wait (20 s) fits, the second (20 + 20 = 40 s) does not.
      yield* inject(Fault.RateLimit({ retryAfter: 20 }), { times: 5 })
      const fiber = yield* Effect.fork(Authentication.validateKey())
      yield* TestClock.adjust("19 seconds")
      assert.strictEqual(yield* requestCount, 1)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* requestCount, 2)
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "RateLimited")
      const times = yield* arrivals
      assert.deepStrictEqual(times.map((time) => time - times[0]!), [0, 20000])
    }).pipe(Effect.provide(env)))

  it.effect("a custom budget bounds backoff retries, whatever `times` says", () =>
    Effect.gen(function*() {
      yield* inject(Fault.Html({ status: 502 }), { times: 50 })
      const fiber = yield* Effect.fork(
        Authentication.createRequestToken().pipe(
          Effect.provide(TmdbConfig.layer({
            retry: { times: 10, baseDelay: "1 second", maxDelay: "4 seconds", budget: "10 seconds" }
          }))
        )
      )
      yield* TestClock.adjust("5 minutes")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "TmdbUnavailable")
      const times = yield* arrivals
      assert.isAtLeast(times.length, 3)
      assert.isBelow(times.length, 11)
      assert.isAtMost(times[times.length - 1]! - times[0]!, 10_000)
    }).pipe(Effect.provide(env)))
})

describe("interruption", () => {
  it.effect("interrupting a call cancels its request: a delayed POST is never processed", () =>
    Effect.gen(function*() {
      const simulator = yield* TmdbSimulator.TmdbSimulator
      const token = yield* Authentication.createRequestToken()
      yield* simulator.approve(token.request_token)
      yield* inject(Fault.Delay({ duration: "30 seconds" }), { path: "/3/authentication/session/new" })
      const fiber = yield* Effect.fork(Authentication.createSession({ request_token: token.request_token }))
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(fiber)
      yield* TestClock.adjust("1 minute")
      // The token was not spent: the interrupted request never reached TMDB's processing.
      const session = yield* Authentication.createSession({ request_token: token.request_token })
      assert.isTrue(session.success)
      assert.strictEqual((yield* simulator.sessions).length, 1)
    }).pipe(Effect.provide(env)))
})

describe("settings are checked before any request", () => {
  const bad: ReadonlyArray<readonly [string, Partial<TmdbConfig.Settings>]> = [
    ["baseUrl", { baseUrl: undefined as unknown as string }],
    ["baseUrl", { baseUrl: "ftp://api.themoviedb.org" }],
    ["baseUrl", { baseUrl: "javascript:alert(1)" }],
    ["baseUrl", { baseUrl: "not a url" }],
    ["baseUrl", { baseUrl: "https://user:pw@api.themoviedb.org" }],
    ["webUrl", { webUrl: "file:///etc/passwd" }],
    ["timeout", { timeout: "garbage" as Duration.DurationInput }],
    ["timeout", { timeout: 0 }],
    ["timeout", { timeout: -5 }],
    ["timeout", { timeout: Number.NaN }],
    ["retry", { retry: null as unknown as false }],
    ["retry", { retry: "3 times" as unknown as false }],
    ["retry.times", { retry: { times: Infinity, baseDelay: 0, maxDelay: "1 second" } }],
    ["retry.times", { retry: { times: 11, baseDelay: "1 second", maxDelay: "1 second" } }],
    ["retry.times", { retry: { times: -1, baseDelay: "1 second", maxDelay: "1 second" } }],
    ["retry.times", { retry: { times: 1.5, baseDelay: "1 second", maxDelay: "1 second" } }],
    ["retry.baseDelay", { retry: { times: 3, baseDelay: "soon" as Duration.DurationInput, maxDelay: "1 second" } }],
    ["retry.maxDelay", { retry: { times: 3, baseDelay: 10, maxDelay: -1 } }],
    ["retry.budget", { retry: { times: 3, baseDelay: 10, maxDelay: 10, budget: Number.NaN } }],
    ["maxResponseBytes", { maxResponseBytes: 0 }],
    ["maxResponseBytes", { maxResponseBytes: -1 }],
    ["maxResponseBytes", { maxResponseBytes: Number.NaN }],
    ["maxResponseBytes", { maxResponseBytes: Infinity }],
    ["maxResponseBytes", { maxResponseBytes: "1 MiB" as unknown as number }],
    ["rateLimit", { rateLimit: null as unknown as false }],
    ["rateLimit", { rateLimit: true as unknown as false }],
    ["rateLimit", { rateLimit: "40/s" as unknown as false }],
    ["rateLimit.limit", { rateLimit: { limit: 0, interval: "1 second" } }],
    ["rateLimit.limit", { rateLimit: { limit: -40, interval: "1 second" } }],
    ["rateLimit.limit", { rateLimit: { limit: 1.5, interval: "1 second" } }],
    ["rateLimit.limit", { rateLimit: { limit: Infinity, interval: "1 second" } }],
    ["rateLimit.limit", { rateLimit: { interval: "1 second" } as unknown as false }],
    ["rateLimit.interval", { rateLimit: { limit: 40, interval: 0 } }],
    ["rateLimit.interval", { rateLimit: { limit: 40, interval: -1 } }],
    ["rateLimit.interval", { rateLimit: { limit: 40, interval: "soon" as Duration.DurationInput } }],
    ["rateLimit.interval", { rateLimit: { limit: 40 } as unknown as false }],
    ["rateLimit.interval", { rateLimit: { limit: 1, interval: Duration.infinity } }],
    // finite, about 31 years: longer than maxWait, so every call after the first would fail
    ["rateLimit.maxWait", { rateLimit: { limit: 1, interval: 1e12 } }],
    ["rateLimit.maxWait", { rateLimit: { limit: 1, interval: "1 minute", maxWait: "30 seconds" } }],
    // a call that finds every place taken waits an interval and the margin at least
    ["rateLimit.maxWait", { rateLimit: { limit: 1, interval: "1 second", maxWait: "1 second" } }],
    ["rateLimit.maxWait", { rateLimit: { limit: 1, interval: "1 second", maxWait: 0 } }],
    ["rateLimit.maxWait", { rateLimit: { limit: 1, interval: "1 second", maxWait: Duration.infinity } }],
    ["rateLimit.maxWait", { rateLimit: { limit: 1, interval: "1 second", maxWait: "later" as Duration.DurationInput } }]
  ]

  it.effect("a bad setting is InvalidConfig naming it, never a defect and never a request", () =>
    Effect.gen(function*() {
      for (const [setting, settings] of bad) {
        const exit = yield* Effect.exit(
          Authentication.createRequestToken().pipe(Effect.provide(TmdbConfig.layer(settings)))
        )
        assert.isTrue(Exit.isFailure(exit), setting)
        const error = yield* Effect.flip(exit)
        assert.strictEqual(error._tag, "InvalidConfig", `${setting}: ${JSON.stringify(settings)}`)
        if (error._tag === "InvalidConfig") {
          assert.strictEqual(error.setting, setting)
          assert.include(error.message, `Invalid TmdbConfig ${setting}`)
        }
      }
      const notSettings = yield* Effect.flip(
        Authentication.createRequestToken().pipe(
          Effect.provideService(TmdbConfig.TmdbConfig, null as unknown as TmdbConfig.Settings)
        )
      )
      assert.deepInclude(notSettings, { _tag: "InvalidConfig", setting: "TmdbConfig" })
      assert.strictEqual(yield* requestCount, 0)
    }).pipe(Effect.provide(env)))

  it.effect("an answer longer than maxResponseBytes is UnexpectedResponse", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Authentication.createRequestToken().pipe(Effect.provide(TmdbConfig.layer({ maxResponseBytes: 10 })))
      )
      assert.strictEqual(error._tag, "UnexpectedResponse")
      if (error._tag === "UnexpectedResponse") assert.include(error.reason, "maxResponseBytes")
    }).pipe(Effect.provide(env)))

  it.effect("good settings of every kind pass", () =>
    Effect.gen(function*() {
      const good: ReadonlyArray<Partial<TmdbConfig.Settings>> = [
        { timeout: 1 },
        { timeout: Duration.infinity },
        { timeout: "250 millis", retry: false },
        { retry: { times: 0, baseDelay: 0, maxDelay: 0 } },
        { retry: { times: 10, baseDelay: "1 milli", maxDelay: "1 second", budget: "5 seconds" } },
        { maxResponseBytes: 4096 },
        { rateLimit: false },
        { rateLimit: { limit: 1, interval: "1 millis" } },
        { rateLimit: { limit: 5, interval: "1 minute", maxWait: "61 seconds" } }
      ]
      for (const settings of good) {
        const token = yield* Authentication.createRequestToken().pipe(Effect.provide(TmdbConfig.layer(settings)))
        assert.isTrue(token.success)
      }
    }).pipe(Effect.provide(env)))
})

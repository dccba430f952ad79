/**
 * Per-call settings: base URL, timeout and the retry policy, driven by TestClock.
 */
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Exit, Fiber, Layer, Random, TestClock } from "effect"
import { Authentication, AuthV4, TmdbConfig, type TmdbError } from "tmdb-effect"
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
  const boom = (): never => {
    throw new Error("a getter that throws")
  }
  const revoked = Proxy.revocable({}, {})
  revoked.revoke()
  const notAnything = revoked.proxy as never
  const second = 1000
  const longest = 2 ** 31 - 1

  /** The setting named, its settings, and words its reason must hold. */
  const bad: ReadonlyArray<readonly [string, Partial<TmdbConfig.Settings>, string]> = [
    ["baseUrl", { baseUrl: undefined as unknown as string }, "expected an http(s) URL, got undefined"],
    ["baseUrl", { baseUrl: 42 as unknown as string }, "expected an http(s) URL, got number"],
    ["baseUrl", { baseUrl: "ftp://api.themoviedb.org" }, "it is not an http(s) URL"],
    ["baseUrl", { baseUrl: "javascript:alert(1)" }, "it is not an http(s) URL"],
    ["baseUrl", { baseUrl: "not a url" }, "it is not a URL"],
    ["baseUrl", { baseUrl: "https://user:pw@api.themoviedb.org" }, "it holds a user name or password"],
    // a query would end up beside the path of every request, and in the rate limit's key
    ["baseUrl", { baseUrl: "https://api.themoviedb.org?api_key=k" }, "it holds a query or fragment"],
    ["baseUrl", { baseUrl: "https://api.themoviedb.org/#x" }, "it holds a query or fragment"],
    ["webUrl", { webUrl: "file:///etc/passwd" }, "it is not an http(s) URL"],
    ["timeout", { timeout: "garbage" as Duration.DurationInput }, "it is not a duration"],
    ["timeout", { timeout: 0 }, "it is not positive"],
    ["timeout", { timeout: "0 seconds" }, "it is not positive"],
    ["timeout", { timeout: -5 }, "it is not a duration"],
    ["timeout", { timeout: "-5 seconds" }, "it is not a duration"],
    ["timeout", { timeout: -1n }, "it is not a duration"],
    ["timeout", { timeout: Number.NaN }, "it is not a duration"],
    // a call that never times out
    ["timeout", { timeout: Infinity }, "it is not finite"],
    ["timeout", { timeout: Duration.infinity }, "it is not finite"],
    ["timeout", { timeout: [Infinity, 0] }, "it is not finite"],
    // finite, but longer than any timer waits: Effect's clock never ends it
    ["timeout", { timeout: longest + 1 }, "the longest a timer waits"],
    ["timeout", { timeout: "1000 weeks" }, "the longest a timer waits"],
    ["retry", { retry: null as unknown as false }, "expected a retry policy or false, got null"],
    ["retry", { retry: undefined as unknown as false }, "expected a retry policy or false, got undefined"],
    ["retry", { retry: true as unknown as false }, "expected a retry policy or false, got boolean"],
    ["retry", { retry: "3 times" as unknown as false }, "expected a retry policy or false, got string"],
    ["retry", { retry: [3, 250, 30_000] as unknown as false }, "expected a retry policy or false, got an array"],
    ["retry.times", { retry: { times: Infinity, baseDelay: 1, maxDelay: "1 second" } }, "from 0 to 10"],
    ["retry.times", { retry: { times: 11, baseDelay: "1 second", maxDelay: "1 second" } }, "from 0 to 10"],
    ["retry.times", { retry: { times: -1, baseDelay: "1 second", maxDelay: "1 second" } }, "from 0 to 10"],
    ["retry.times", { retry: { times: 1.5, baseDelay: "1 second", maxDelay: "1 second" } }, "from 0 to 10"],
    ["retry.times", { retry: { times: "3", baseDelay: 1, maxDelay: 1 } as unknown as false }, "from 0 to 10"],
    ["retry.times", { retry: { baseDelay: 1, maxDelay: 1 } as unknown as false }, "from 0 to 10"],
    [
      "retry.baseDelay",
      { retry: { times: 3, baseDelay: "soon" as Duration.DurationInput, maxDelay: "1 second" } },
      "it is not a duration"
    ],
    ["retry.baseDelay", { retry: { times: 3, baseDelay: 0, maxDelay: "1 second" } }, "it is not positive"],
    ["retry.baseDelay", { retry: { times: 3, baseDelay: -1, maxDelay: "1 second" } }, "it is not a duration"],
    [
      "retry.baseDelay",
      { retry: { times: 3, baseDelay: Duration.infinity, maxDelay: "1 second" } },
      "it is not finite"
    ],
    // after one 503, a call with this policy waited forever
    [
      "retry.baseDelay",
      { retry: { times: 3, baseDelay: Infinity, maxDelay: Infinity, budget: Infinity } },
      "it is not finite"
    ],
    ["retry.maxDelay", { retry: { times: 3, baseDelay: 10, maxDelay: -1 } }, "it is not a duration"],
    ["retry.maxDelay", { retry: { times: 3, baseDelay: 10, maxDelay: 0 } }, "it is not positive"],
    ["retry.maxDelay", { retry: { times: 3, baseDelay: 10, maxDelay: Infinity } }, "it is not finite"],
    ["retry.maxDelay", { retry: { times: 3, baseDelay: 10, maxDelay: "30 days" } }, "the longest a timer waits"],
    ["retry.budget", { retry: { times: 3, baseDelay: 10, maxDelay: 10, budget: Number.NaN } }, "it is not a duration"],
    ["retry.budget", { retry: { times: 3, baseDelay: 10, maxDelay: 10, budget: 0 } }, "it is not positive"],
    ["retry.budget", { retry: { times: 3, baseDelay: 10, maxDelay: 10, budget: Infinity } }, "it is not finite"],
    ["retry.budget", { retry: { times: 3, baseDelay: 10, maxDelay: 10, budget: longest + 1 } }, "the longest"],
    ["maxResponseBytes", { maxResponseBytes: 0 }, "expected a positive whole number, got 0"],
    ["maxResponseBytes", { maxResponseBytes: -1 }, "expected a positive whole number, got -1"],
    ["maxResponseBytes", { maxResponseBytes: Number.NaN }, "expected a positive whole number, got NaN"],
    ["maxResponseBytes", { maxResponseBytes: Infinity }, "expected a positive whole number, got Infinity"],
    ["maxResponseBytes", { maxResponseBytes: 1.5 }, "expected a positive whole number, got 1.5"],
    [
      "maxResponseBytes",
      { maxResponseBytes: "1 MiB" as unknown as number },
      "expected a positive whole number, got string"
    ],
    ["rateLimit", { rateLimit: null as unknown as false }, "expected { limit, interval, maxWait? } or false, got null"],
    ["rateLimit", { rateLimit: true as unknown as false }, "got boolean"],
    ["rateLimit", { rateLimit: "40/s" as unknown as false }, "got string"],
    ["rateLimit.limit", { rateLimit: { limit: 0, interval: "1 second" } }, "expected a positive whole number, got 0"],
    ["rateLimit.limit", { rateLimit: { limit: -40, interval: "1 second" } }, "positive whole number"],
    ["rateLimit.limit", { rateLimit: { limit: 1.5, interval: "1 second" } }, "positive whole number"],
    ["rateLimit.limit", { rateLimit: { limit: Infinity, interval: "1 second" } }, "positive whole number"],
    ["rateLimit.limit", { rateLimit: { interval: "1 second" } as unknown as false }, "got undefined"],
    ["rateLimit.interval", { rateLimit: { limit: 40, interval: 0 } }, "it is not positive"],
    ["rateLimit.interval", { rateLimit: { limit: 40, interval: -1 } }, "it is not a duration"],
    ["rateLimit.interval", { rateLimit: { limit: 40, interval: "soon" as Duration.DurationInput } }, "not a duration"],
    ["rateLimit.interval", { rateLimit: { limit: 40 } as unknown as false }, "it is not a duration"],
    ["rateLimit.interval", { rateLimit: { limit: 1, interval: Duration.infinity } }, "it is not finite"],
    ["rateLimit.interval", { rateLimit: { limit: 1, interval: Infinity } }, "it is not finite"],
    // finite, about 31 years
    ["rateLimit.interval", { rateLimit: { limit: 1, interval: 1e12 } }, "the longest a timer waits"],
    // longer than the default maxWait (30 seconds), so every call after the first would fail
    ["rateLimit.maxWait", { rateLimit: { limit: 1, interval: "1 day" } }, "longer than the interval (1d) and 5 ms"],
    ["rateLimit.maxWait", { rateLimit: { limit: 1, interval: "1 minute", maxWait: "30 seconds" } }, "the interval"],
    // a call that finds every place taken waits an interval and the margin at least
    ["rateLimit.maxWait", { rateLimit: { limit: 1, interval: second, maxWait: second } }, "(1s) and 5 ms"],
    ["rateLimit.maxWait", { rateLimit: { limit: 1, interval: second, maxWait: second + 5 } }, "(1s) and 5 ms"],
    ["rateLimit.maxWait", { rateLimit: { limit: 1, interval: "1 second", maxWait: 0 } }, "it is not positive"],
    ["rateLimit.maxWait", { rateLimit: { limit: 1, interval: "1 second", maxWait: -1 } }, "it is not a duration"],
    ["rateLimit.maxWait", { rateLimit: { limit: 1, interval: "1 second", maxWait: Duration.infinity } }, "not finite"],
    ["rateLimit.maxWait", { rateLimit: { limit: 1, interval: "1 second", maxWait: Infinity } }, "not finite"],
    [
      "rateLimit.maxWait",
      { rateLimit: { limit: 1, interval: "1 second", maxWait: "later" as Duration.DurationInput } },
      "it is not a duration"
    ],
    // a getter that throws, at every level, fails its setting in the check
    ["baseUrl", {
      get baseUrl(): string {
        return boom()
      }
    }, "reading it threw"],
    ["timeout", {
      get timeout(): Duration.DurationInput {
        return boom()
      }
    }, "reading it threw"],
    ["retry", {
      get retry(): false {
        return boom()
      }
    }, "reading it threw"],
    ["retry.times", {
      retry: {
        get times(): number {
          return boom()
        },
        baseDelay: 1,
        maxDelay: 1
      }
    }, "reading it threw"],
    ["retry.baseDelay", {
      retry: {
        times: 3,
        get baseDelay(): Duration.DurationInput {
          return boom()
        },
        maxDelay: 1
      }
    }, "reading it threw"],
    ["rateLimit", {
      get rateLimit(): false {
        return boom()
      }
    }, "reading it threw"],
    ["rateLimit.interval", {
      rateLimit: {
        limit: 1,
        get interval(): Duration.DurationInput {
          return boom()
        }
      }
    }, "reading it threw"],
    ["rateLimit.maxWait", {
      rateLimit: {
        limit: 1,
        interval: 1,
        get maxWait(): Duration.DurationInput {
          return boom()
        }
      }
    }, "reading it threw"],
    // a revoked proxy throws at the first thing read from it
    ["baseUrl", notAnything, "reading it threw"],
    ["retry.times", { retry: notAnything }, "reading it threw"],
    ["rateLimit.limit", { rateLimit: notAnything }, "reading it threw"]
  ]

  it.effect("a bad setting is InvalidConfig naming it, never a defect and never a request", () =>
    Effect.gen(function*() {
      for (const [setting, settings, reason] of bad) {
        const exit = yield* Effect.exit(
          Authentication.createRequestToken().pipe(Effect.provide(TmdbConfig.layer(settings)))
        )
        assert.isTrue(Exit.isFailure(exit), `${setting} passed: ${reason}`)
        const error = yield* Effect.flip(exit)
        assert.strictEqual(error._tag, "InvalidConfig", `${setting}: ${reason}`)
        if (error._tag === "InvalidConfig") {
          assert.strictEqual(error.setting, setting, reason)
          assert.include(error.message, `Invalid TmdbConfig ${setting}: `)
          assert.include(error.reason, reason, setting)
          // what was given is never quoted (a URL may carry more than it should)
          assert.notInclude(error.reason, "themoviedb", setting)
          assert.notInclude(error.reason, "a getter that throws", setting)
        }
      }
      assert.strictEqual(yield* requestCount, 0)
    }).pipe(Effect.provide(env)))

  it.effect("settings that are not an object fail every call with InvalidConfig, never meaning the defaults", () =>
    Effect.gen(function*() {
      const notSettings: ReadonlyArray<readonly [unknown, string]> = [
        [null, "null"],
        [undefined, "undefined"],
        [42, "number"],
        ["https://api.themoviedb.org", "string"],
        [[], "an array"],
        [() => TmdbConfig.defaults, "function"]
      ]
      const refused = (call: Effect.Effect<unknown, TmdbError.TmdbError, Authentication.Requirements>) =>
        Effect.gen(function*() {
          const exit = yield* Effect.exit(call)
          assert.isTrue(Exit.isFailure(exit))
          const error = yield* Effect.flip(exit)
          return error._tag === "InvalidConfig"
            ? { _tag: error._tag, setting: error.setting, reason: error.reason }
            : { _tag: error._tag }
        })
      for (const [value, kind] of notSettings) {
        const settings = value as Partial<TmdbConfig.Settings>
        const expected = {
          _tag: "InvalidConfig" as const,
          setting: "TmdbConfig",
          reason: `expected the settings, got ${kind}`
        }
        // TmdbConfig.layer(null) pointed every call at production TMDB
        assert.deepStrictEqual(
          yield* refused(Authentication.createRequestToken().pipe(Effect.provide(TmdbConfig.layer(settings)))),
          expected
        )
        // a layer over it keeps it bad, rather than reading the defaults under it
        assert.deepStrictEqual(
          yield* refused(
            Authentication.validateKey().pipe(
              Effect.provide(TmdbConfig.layer({ retry: false })),
              Effect.provide(TmdbConfig.layer(settings))
            )
          ),
          expected
        )
        assert.deepStrictEqual(
          yield* refused(
            Authentication.createRequestToken().pipe(Effect.provideService(TmdbConfig.TmdbConfig, settings as never))
          ),
          expected
        )
      }
      assert.strictEqual(yield* requestCount, 0)
    }).pipe(Effect.provide(env)))

  it.effect("a layer reads no setting where it is built: a getter runs where a call checks, on its own object", () =>
    Effect.gen(function*() {
      let reads = 0
      const settings = {
        seconds: 5,
        get timeout(): Duration.DurationInput {
          reads++
          return `${this.seconds} seconds`
        }
      }
      const config = yield* TmdbConfig.TmdbConfig.pipe(Effect.provide(TmdbConfig.layer(settings)))
      assert.strictEqual(reads, 0)
      assert.strictEqual(Duration.toSeconds(Duration.decode(config.timeout)), 5)
      assert.strictEqual(config.baseUrl, TmdbConfig.defaults.baseUrl)
      assert.strictEqual(reads, 1)
      // a getter that throws is no defect where the layer is built, only the call's InvalidConfig
      const exit = yield* Effect.exit(
        TmdbConfig.TmdbConfig.pipe(Effect.provide(TmdbConfig.layer({
          get timeout(): Duration.DurationInput {
            return boom()
          }
        })))
      )
      assert.isTrue(Exit.isSuccess(exit))
    }))

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
        { timeout: 2 ** 31 - 1 },
        { timeout: 1_000_000n },
        { timeout: [2, 500_000_000] },
        { timeout: Duration.seconds(3) },
        { timeout: "250 millis", retry: false },
        { retry: { times: 0, baseDelay: 1, maxDelay: 1 } },
        { retry: { times: 10, baseDelay: "1 milli", maxDelay: "1 second", budget: "5 seconds" } },
        { retry: { ...TmdbConfig.defaultRetry, budget: undefined } },
        { maxResponseBytes: 4096 },
        { rateLimit: false },
        { rateLimit: { limit: 1, interval: "1 millis" } },
        { rateLimit: { limit: 1, interval: "1 millis", maxWait: undefined } },
        { rateLimit: { limit: 5, interval: "1 minute", maxWait: "61 seconds" } },
        TmdbConfig.defaults,
        Object.create(null)
      ]
      for (const settings of good) {
        const token = yield* Authentication.createRequestToken().pipe(Effect.provide(TmdbConfig.layer(settings)))
        assert.isTrue(token.success)
      }
    }).pipe(Effect.provide(env)))
})

/**
 * The pacing of `TmdbConfig.rateLimit` shared by every process that uses one Redis: a
 * `TmdbRateLimiter` whose places are leases in a Redis sorted set per TMDB origin, so four
 * replicas behind one address send what one would, not four times that.
 *
 * The promise is the in-process limiter's — TMDB never receives more than `limit` requests in
 * any sliding `interval` — kept the same way across processes: a request takes a lease when it
 * starts and gives it back when its answer came back, and the lease counts `interval` (and a few
 * milliseconds) longer. Redis's own clock times every lease, and a lease whose process died
 * ends `leaseTimeout` after it was taken. Pacing fails closed: when Redis does not answer within
 * `timeout`, fails, or answers something else than a lease or a wait, the call fails with
 * `RateLimiterUnavailable` and its request is not sent.
 *
 * The connection is yours: the layer requires Effect's `Redis` service (`effect/persistence`),
 * e.g. `NodeRedis.layer` from `@effect/platform-node`, so no client is opened behind your back.
 * The leases are 1.x's, key and scripts alike: 1.x and 2.x processes on one Redis share a budget.
 *
 * @since 2.0.0
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redis from "effect/persistence/Redis"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Semaphore from "effect/Semaphore"
import { hold } from "../internal/util/window.js"
import type { InvalidConfig } from "../TmdbError.js"
import { RateLimiterUnavailable } from "../TmdbError.js"
import * as TmdbRateLimiter from "../TmdbRateLimiter.js"
import { defaultTimeout, failureOf, positiveDuration } from "./internal/command.js"

/**
 * How long one Redis command may take, and how long a lease counts at most. (The connection is
 * the `Redis` layer you provide.)
 *
 * @example
 * ```ts
 * import type { RedisRateLimiter } from "tmdb-effect/redis"
 *
 * const options: RedisRateLimiter.Options = { timeout: "500 millis", leaseTimeout: "1 minute" }
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export interface Options {
  /** How long one Redis command may take before the call fails; default 2 seconds. */
  readonly timeout?: Duration.Input | undefined
  /**
   * How long a lease counts at most, when the process that took it never gives it back (it
   * died); default 1 minute. Keep it longer than any request may take (`TmdbConfig.timeout`).
   */
  readonly leaseTimeout?: Duration.Input | undefined
}

/**
 * Where the budgets live in Redis: `tmdb-effect:pace:<TMDB origin>`.
 *
 * @example
 * ```ts
 * import { RedisRateLimiter } from "tmdb-effect/redis"
 *
 * console.log(RedisRateLimiter.prefix) // "tmdb-effect:pace:"
 * ```
 *
 * @since 2.0.0
 * @category constants
 */
export const prefix = "tmdb-effect:pace:"

/**
 * The lease scripts' clock — Redis's own, in millis, the same for every process (scripts may
 * read it before they write since Redis 5) — and the key kept as long as its latest lease counts.
 */
const now = `local time = redis.call("TIME")
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`
const keepKey = `local last = redis.call("ZRANGE", KEYS[1], -1, -1, "WITHSCORES")
if last[2] then redis.call("PEXPIRE", KEYS[1], math.ceil(tonumber(last[2]) - now) + 1) end`

/**
 * Ends the leases of a budget that stopped counting; then takes one, answering `{1, 0}`, or
 * answers `{0, ms}` until the earliest lease ends (its release has not come yet when that is more
 * than an interval away).
 */
const takeLease = /* @__PURE__ */ Redis.script(
  (budget: string, limit: number, leaseTimeout: number, lease: string) => [budget, limit, leaseTimeout, lease],
  {
    numberOfKeys: 1,
    lua: `${now}
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", now)
if redis.call("ZCARD", KEYS[1]) < tonumber(ARGV[1]) then
  redis.call("ZADD", KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  ${keepKey}
  return {1, 0}
end
local first = redis.call("ZRANGE", KEYS[1], 0, 0, "WITHSCORES")
return {0, math.max(0, tonumber(first[2]) - now)}`
  }
).withReturnType<unknown>()

/**
 * Gives a lease back: it counts `ms` from now. `"XX"` when the lease may never have been granted
 * (then one that does not exist stays so).
 */
const giveBack = /* @__PURE__ */ Redis.script(
  (budget: string, lease: string, ms: number, granted: "" | "XX") => [budget, lease, ms, granted],
  {
    numberOfKeys: 1,
    lua: `${now}
if ARGV[3] == "XX" then
  redis.call("ZADD", KEYS[1], "XX", now + tonumber(ARGV[2]), ARGV[1])
else
  redis.call("ZADD", KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
end
${keepKey}
return 1`
  }
).withReturnType<unknown>()

/** What `takeLease` answers: a lease taken, or none and the millis until the earliest ends. */
const Reply = /* @__PURE__ */ Schema.Union([
  Schema.Tuple([Schema.Literal(1), Schema.Literal(0)]),
  Schema.Tuple([Schema.Literal(0), Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))])
])
const decodeReply = /* @__PURE__ */ Schema.decodeUnknownResult(Reply)

/** One key's queue of waiters in this process, and the signal of Redis failing one of them. */
interface Turn {
  readonly queue: Semaphore.Semaphore
  /** Completed when a question of this process to Redis fails, then replaced. */
  failed: Deferred.Deferred<undefined>
}

/**
 * A limiter over the `Redis` service in context. `timeout` (default 2 seconds) bounds each
 * question to Redis, not the wait for a turn; both it and `leaseTimeout` must be positive and
 * finite (else `InvalidConfig`).
 *
 * @example
 * ```ts
 * import { NodeRedis } from "@effect/platform-node"
 * import { Effect, Layer } from "effect"
 * import { TmdbRateLimiter } from "tmdb-effect"
 * import { RedisRateLimiter } from "tmdb-effect/redis"
 *
 * // on the Redis connection your app already has
 * const SharedPacing = Layer.effect(TmdbRateLimiter.TmdbRateLimiter, RedisRateLimiter.make()).pipe(
 *   Layer.provide(NodeRedis.layer({ url: "redis://127.0.0.1:6379" }))
 * )
 * const program = Effect.void.pipe(Effect.provide(SharedPacing))
 * ```
 *
 * @since 2.0.0
 * @category constructors
 */
export const make = (options?: Options): Effect.Effect<TmdbRateLimiter.Service, InvalidConfig, Redis.Redis> =>
  Effect.gen(function*() {
    const timeout = yield* positiveDuration("RedisRateLimiter.timeout", options?.timeout ?? defaultTimeout)
    const leaseTimeout = Duration.toMillis(
      yield* positiveDuration("RedisRateLimiter.leaseTimeout", options?.leaseTimeout ?? "1 minute")
    )
    const redis = yield* Redis.Redis
    const take = redis.eval(takeLease)
    const release = redis.eval(giveBack)
    const turns = new Map<string, Turn>()
    const turnOf = (key: string): Turn => {
      let turn = turns.get(key)
      if (turn === undefined) {
        turn = { queue: Semaphore.makeUnsafe(1), failed: Deferred.makeUnsafe<undefined>() }
        turns.set(key, turn)
      }
      return turn
    }
    /** One question to Redis, bounded by `timeout`; its failure says only what Redis said. */
    const bounded = <A>(question: Effect.Effect<A, Redis.RedisError>) =>
      question.pipe(
        Effect.mapError(({ cause }) =>
          new RateLimiterUnavailable({ reason: "StoreError", detail: failureOf(cause, []) })
        ),
        Effect.timeoutOrElse({
          duration: timeout,
          orElse: () =>
            Effect.fail(
              new RateLimiterUnavailable({
                reason: "Timeout",
                detail: `Redis did not answer within ${Duration.format(timeout)}`
              })
            )
        })
      )
    /** A lease taken (`"taken"`), or when to ask again (epoch millis on `Clock`). */
    const ask = (
      key: string,
      limit: number,
      lease: string,
      interval: number
    ): Effect.Effect<"taken" | number, RateLimiterUnavailable> =>
      Effect.flatMap(
        bounded(take(`${prefix}${key}`, limit, leaseTimeout, lease)),
        (reply) =>
          Result.match(decodeReply(reply), {
            onFailure: () =>
              Effect.fail(
                new RateLimiterUnavailable({
                  reason: "UnexpectedReply",
                  detail: "Redis answered the pacing script with neither a lease nor a wait"
                })
              ),
            // a lease that ends more than a hold away is still out: ask again soon
            onSuccess: ([taken, wait]): Effect.Effect<"taken" | number> =>
              taken === 1 ? Effect.succeed("taken") : Effect.map(
                Clock.currentTimeMillis,
                (now) => now + (wait <= hold(interval) ? wait : Math.min(100, Math.max(5, interval / limit)))
              )
          })
      )
    return {
      take: (key, rateLimit) =>
        Effect.suspend(() => {
          const interval = Duration.toMillis(rateLimit.interval)
          const lease = globalThis.crypto.randomUUID()
          const turn = turnOf(key)
          let granted = false
          const askOnce = ask(key, rateLimit.limit, lease, interval).pipe(
            Effect.tap((next) =>
              Effect.sync(() => {
                granted = next === "taken"
              })
            ),
            Effect.tapError(() =>
              Effect.sync(() => {
                const failed = turn.failed
                turn.failed = Deferred.makeUnsafe<undefined>()
                Deferred.doneUnsafe(failed, Effect.undefined)
              })
            )
          )
          // Asked at once (whoever asks when a lease ends gets it, across processes and within
          // one); while it is not granted, this process's waiters ask again one at a time, in
          // order, each once the wait Redis gave it is over. When Redis fails one of them, the
          // others stop queueing and ask at once, so that a Redis in trouble fails each call
          // within its own timeout, not a queue's worth of them.
          const queued = (next: number): Effect.Effect<void, RateLimiterUnavailable> =>
            Effect.flatMap(
              Effect.raceFirst(
                Semaphore.withPermit(
                  turn.queue,
                  Effect.andThen(Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sleep(next - now)), askOnce)
                ),
                Effect.andThen(Deferred.await(turn.failed), askOnce)
              ),
              (after) => after === "taken" ? Effect.void : queued(after)
            )
          // Given back when the scope closes, in a fiber of its own (an interrupted call still
          // gives it back), which a call that succeeded waits for, so that its next request sees
          // the lease given back. The lease is named before it is asked for: one never granted is
          // left so, and a question cut short by its timeout that Redis answers later is given
          // back right after it (one connection keeps the order).
          const giveBackAtClose = Effect.addFinalizer((exit) =>
            Effect.flatMap(
              Effect.forkDetach(
                Effect.ignore(
                  bounded(
                    release(`${prefix}${key}`, lease, hold(interval, Exit.hasInterrupts(exit)), granted ? "" : "XX")
                  )
                )
              ),
              (fiber) => Exit.isSuccess(exit) ? Fiber.join(fiber) : Effect.void
            )
          )
          const untilTaken = Effect.flatMap(askOnce, (next) => next === "taken" ? Effect.void : queued(next))
          return Effect.andThen(giveBackAtClose, untilTaken)
        })
    } satisfies TmdbRateLimiter.Service
  })

/**
 * Provides a limiter whose budgets live in Redis, shared by every process connected to it, over
 * the `Redis` service you provide (the connection is yours: opened, configured and closed by
 * your layer). A Redis that goes down is not an error here but at each call
 * (`RateLimiterUnavailable`).
 *
 * @example
 * ```ts
 * import { NodeRedis } from "@effect/platform-node"
 * import { Effect, Layer } from "effect"
 * import { Authentication } from "tmdb-effect"
 * import { RedisRateLimiter } from "tmdb-effect/redis"
 *
 * const SharedPacing = RedisRateLimiter.layer({ timeout: "1 second" }).pipe(
 *   Layer.provide(NodeRedis.layer({ url: "redis://127.0.0.1:6379" }))
 * )
 * const login = Authentication.loginWithPassword({ username: "jo", password: "pw" }).pipe(
 *   Effect.provide(SharedPacing)
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<never, InvalidConfig, Redis.Redis> =>
  Layer.effect(TmdbRateLimiter.TmdbRateLimiter, make(options))

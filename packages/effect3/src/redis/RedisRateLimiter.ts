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
 * @since 1.0.0
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type { Redis, RedisOptions } from "ioredis"
import { randomUUID } from "node:crypto"
import { hold } from "../internal/window.js"
import { withhold } from "../internal/withhold.js"
import type { InvalidConfig } from "../TmdbError.js"
import { RateLimiterUnavailable } from "../TmdbError.js"
import * as TmdbRateLimiter from "../TmdbRateLimiter.js"
import { client, defaultTimeout, positiveMillis, secretsOf } from "./internal/connection.js"

/**
 * The Redis connection (ioredis's options: `host`, `port`, `password`, `tls`, `db`, …), how
 * long one Redis command may take, and how long a lease counts at most.
 *
 * @example
 * ```ts
 * import type { RedisRateLimiter } from "tmdb-effect/redis"
 *
 * const options: RedisRateLimiter.Options = { host: "127.0.0.1", port: 6379, timeout: "500 millis" }
 * ```
 *
 * @since 1.0.0
 * @category models
 */
export interface Options extends RedisOptions {
  /** How long one Redis command may take before the call fails; default 2 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * How long a lease counts at most, when the process that took it never gives it back (it
   * died); default 1 minute. Keep it longer than any request may take (`TmdbConfig.timeout`).
   */
  readonly leaseTimeout?: Duration.DurationInput | undefined
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
 * @since 1.0.0
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
 * KEYS[1] the budget, ARGV limit, lease timeout (ms), lease id. Ends the leases that stopped
 * counting; then takes one, answering `{1, 0}`, or answers `{0, ms}` until the earliest lease
 * ends (its release has not come yet when that is more than an interval away).
 */
const takeLease = `${now}
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", now)
if redis.call("ZCARD", KEYS[1]) < tonumber(ARGV[1]) then
  redis.call("ZADD", KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  ${keepKey}
  return {1, 0}
end
local first = redis.call("ZRANGE", KEYS[1], 0, 0, "WITHSCORES")
return {0, math.max(0, tonumber(first[2]) - now)}`

/**
 * KEYS[1] the budget, ARGV lease id, how long it still counts (ms), and "XX" when the lease may
 * never have been granted (then one that does not exist stays so).
 */
const giveBack = `${now}
if ARGV[3] == "XX" then
  redis.call("ZADD", KEYS[1], "XX", now + tonumber(ARGV[2]), ARGV[1])
else
  redis.call("ZADD", KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
end
${keepKey}
return 1`

/** What `takeLease` answers: a lease taken, or none and the millis until the earliest ends. */
const Reply = Schema.Union(
  Schema.Tuple(Schema.Literal(1), Schema.Literal(0)),
  Schema.Tuple(Schema.Literal(0), Schema.NonNegativeInt)
)
const decodeReply = Schema.decodeUnknownEither(Reply)

/** One key's queue of waiters in this process, and the signal of Redis failing one of them. */
interface Turn {
  readonly semaphore: Effect.Semaphore
  /** Completed when a question of this process to Redis fails, then replaced. */
  failed: Deferred.Deferred<void>
}

/**
 * A limiter on an ioredis client you opened (the layer opens its own). `timeout` (default 2
 * seconds) bounds each question to Redis, not the wait for a turn; both it and `leaseTimeout`
 * must be positive and finite (else `InvalidConfig`).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import type { Redis } from "ioredis"
 * import { TmdbRateLimiter } from "tmdb-effect"
 * import { RedisRateLimiter } from "tmdb-effect/redis"
 *
 * // on the client your app already has
 * const SharedPacing = (redis: Redis) => Layer.effect(TmdbRateLimiter.TmdbRateLimiter, RedisRateLimiter.make(redis))
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const make = (
  redis: Redis,
  options?: Pick<Options, "timeout" | "leaseTimeout">
): Effect.Effect<TmdbRateLimiter.Service, InvalidConfig> =>
  Effect.gen(function*() {
    const timeout = Duration.millis(
      yield* positiveMillis("RedisRateLimiter.timeout", options?.timeout ?? defaultTimeout)
    )
    const leaseTimeout = yield* positiveMillis("RedisRateLimiter.leaseTimeout", options?.leaseTimeout ?? "1 minute")
    const secrets = secretsOf(redis.options)
    const turns = new Map<string, Turn>()
    const turnOf = (key: string) => {
      let turn = turns.get(key)
      if (turn === undefined) {
        turn = { semaphore: Effect.unsafeMakeSemaphore(1), failed: Deferred.unsafeMake(FiberId.none) }
        turns.set(key, turn)
      }
      return turn
    }
    const run = (script: string, key: string, args: ReadonlyArray<string | number>) =>
      Effect.tryPromise({
        try: () => redis.eval(script, 1, `${prefix}${key}`, ...args),
        catch: (error) =>
          new RateLimiterUnavailable({
            reason: "StoreError",
            detail: withhold(`Redis failed (${error instanceof Error ? error.message : String(error)})`, secrets)
          })
      }).pipe(
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            new RateLimiterUnavailable({
              reason: "Timeout",
              detail: `Redis did not answer within ${Duration.format(timeout)}`
            })
        })
      )
    /** A lease taken (`"taken"`), or when to ask again (epoch millis on `Clock`). */
    const ask = (
      key: string,
      limit: number,
      lease: string,
      interval: number
    ): Effect.Effect<"taken" | number, RateLimiterUnavailable> =>
      Effect.flatMap(run(takeLease, key, [limit, leaseTimeout, lease]), (reply) =>
        Either.match(decodeReply(reply), {
          onLeft: () =>
            Effect.fail(
              new RateLimiterUnavailable({
                reason: "UnexpectedReply",
                detail: "Redis answered the pacing script with neither a lease nor a wait"
              })
            ),
          // a lease that ends more than a hold away is still out: ask again soon
          onRight: ([taken, wait]): Effect.Effect<"taken" | number> =>
            taken === 1 ? Effect.succeed("taken") : Effect.map(
              Clock.currentTimeMillis,
              (now) => now + (wait <= hold(interval) ? wait : Math.min(100, Math.max(5, interval / limit)))
            )
        }))
    return {
      take: (key, rateLimit) =>
        Effect.suspend(() => {
          const interval = Duration.toMillis(rateLimit.interval)
          const lease = randomUUID()
          const turn = turnOf(key)
          let granted = false
          const askOnce: Effect.Effect<"taken" | number, RateLimiterUnavailable> = ask(
            key,
            rateLimit.limit,
            lease,
            interval
          ).pipe(
            Effect.tap((next) => {
              granted = next === "taken"
            }),
            Effect.tapError(() =>
              Effect.sync(() => {
                const failed = turn.failed
                turn.failed = Deferred.unsafeMake(FiberId.none)
                Deferred.unsafeDone(failed, Effect.void)
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
                turn.semaphore.withPermits(1)(
                  Effect.zipRight(Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sleep(next - now)), askOnce)
                ),
                Effect.zipRight(Deferred.await(turn.failed), askOnce)
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
              Effect.forkDaemon(
                Effect.ignore(
                  run(giveBack, key, [lease, hold(interval, Exit.isInterrupted(exit)), granted ? "" : "XX"])
                )
              ),
              (fiber) => Exit.isSuccess(exit) ? Fiber.join(fiber) : Effect.void
            )
          )
          const untilTaken = Effect.flatMap(askOnce, (next) => next === "taken" ? Effect.void : queued(next))
          return Effect.zipRight(giveBackAtClose, untilTaken)
        })
    }
  })

/**
 * Provides a limiter whose budgets live in Redis, shared by every process connected to it. The
 * connection opens when the layer is built and closes with it; a Redis that is down is not an
 * error here but at each call (`RateLimiterUnavailable`), so a process starts while Redis
 * restarts.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 * import { RedisRateLimiter } from "tmdb-effect/redis"
 *
 * const login = Authentication.loginWithPassword({ username: "jo", password: "pw" }).pipe(
 *   Effect.provide(RedisRateLimiter.layer({ host: "127.0.0.1", port: 6379 }))
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = ({
  leaseTimeout,
  timeout,
  ...redis
}: Options): Layer.Layer<TmdbRateLimiter.TmdbRateLimiter, InvalidConfig> =>
  Layer.scoped(
    TmdbRateLimiter.TmdbRateLimiter,
    Effect.flatMap(
      positiveMillis("RedisRateLimiter.timeout", timeout ?? defaultTimeout),
      (ms) => Effect.flatMap(client(redis, Duration.millis(ms)), (opened) => make(opened, { timeout, leaseTimeout }))
    )
  )

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
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type { Redis, RedisOptions } from "ioredis"
import { randomUUID } from "node:crypto"
import { margin } from "../internal/window.js"
import { withhold } from "../internal/withhold.js"
import { RateLimiterUnavailable } from "../TmdbError.js"
import * as TmdbRateLimiter from "../TmdbRateLimiter.js"
import { client, defaultTimeout, secretsOf } from "./internal/connection.js"

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

/** The lease scripts' clock: Redis's own, in millis, the same for every process. */
const now = `local time = redis.call("TIME")
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`

/**
 * KEYS[1] the budget, ARGV limit, lease timeout (ms), lease id. Ends the leases that stopped
 * counting; then takes one, answering `{1, 0}`, or answers `{0, ms}` until the earliest lease
 * ends (its release has not come yet when that is more than an interval away).
 */
const takeLease = `${now}
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", now)
if redis.call("ZCARD", KEYS[1]) < tonumber(ARGV[1]) then
  redis.call("ZADD", KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  return {1, 0}
end
local first = redis.call("ZRANGE", KEYS[1], 0, 0, "WITHSCORES")
return {0, math.max(0, tonumber(first[2]) - now)}`

/** KEYS[1] the budget, ARGV lease id, how long it still counts (ms), lease timeout (ms). */
const giveBack = `${now}
redis.call("ZADD", KEYS[1], "XX", now + tonumber(ARGV[2]), ARGV[1])
redis.call("PEXPIRE", KEYS[1], ARGV[3])
return 1`

/** What `takeLease` answers: a lease taken, or none and the millis until the earliest ends. */
const Reply = Schema.Union(
  Schema.Tuple(Schema.Literal(1), Schema.Literal(0)),
  Schema.Tuple(Schema.Literal(0), Schema.NonNegativeInt)
)
const decodeReply = Schema.decodeUnknownEither(Reply)

/**
 * A limiter on an ioredis client you opened (the layer opens its own). `timeout` (default 2
 * seconds) bounds each question to Redis, not the wait for a turn.
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
): Effect.Effect<TmdbRateLimiter.Service> =>
  Effect.sync(() => {
    const timeout = Duration.decode(options?.timeout ?? defaultTimeout)
    const leaseTimeout = Duration.toMillis(options?.leaseTimeout ?? "1 minute")
    const secrets = secretsOf(redis.options)
    const turns = new Map<string, Effect.Semaphore>()
    const turnOf = (key: string) => {
      let turn = turns.get(key)
      if (turn === undefined) {
        turn = Effect.unsafeMakeSemaphore(1)
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
    const ask = (key: string, limit: number, lease: string) =>
      Effect.flatMap(run(takeLease, key, [limit, leaseTimeout, lease]), (reply) =>
        Either.match(decodeReply(reply), {
          onLeft: () =>
            Effect.fail(
              new RateLimiterUnavailable({
                reason: "UnexpectedReply",
                detail: "Redis answered the pacing script with neither a lease nor a wait"
              })
            ),
          onRight: Effect.succeed
        }))
    return {
      take: (key, { interval, limit }) => {
        const hold = Duration.toMillis(interval) + margin
        // a lease that ends more than a hold away is still out: ask again soon
        const poll = Math.min(100, Math.max(5, Math.floor(hold / limit)))
        const lease = randomUUID()
        // Asked at once; while it is not granted, this process's waiters ask again one at a time
        // (in order, and without every one of them polling Redis).
        const askedAgain: Effect.Effect<void, RateLimiterUnavailable> = Effect.flatMap(
          ask(key, limit, lease),
          ([taken, wait]) =>
            taken === 1 ? Effect.void : Effect.zipRight(Effect.sleep(wait <= hold ? wait : poll), askedAgain)
        )
        const untilTaken = Effect.flatMap(
          ask(key, limit, lease),
          ([taken]) => taken === 1 ? Effect.void : turnOf(key).withPermits(1)(askedAgain)
        )
        // Given back when the scope closes, whether Redis granted it or not: the lease is named
        // before it is asked for, giving back one never granted changes nothing, and a question
        // cut short by its timeout that Redis answers later is given back right after it (one
        // connection keeps the order). Interruptible, so that its timeout holds in a finalizer.
        const giveBackAtClose = Effect.addFinalizer(() =>
          Effect.ignore(Effect.interruptible(run(giveBack, key, [lease, hold, leaseTimeout])))
        )
        return Effect.zipRight(giveBackAtClose, untilTaken)
      }
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
export const layer = ({ leaseTimeout, timeout, ...redis }: Options): Layer.Layer<TmdbRateLimiter.TmdbRateLimiter> =>
  Layer.scoped(
    TmdbRateLimiter.TmdbRateLimiter,
    Effect.flatMap(
      client(redis, Duration.decode(timeout ?? defaultTimeout)),
      (opened) => make(opened, { timeout, leaseTimeout })
    )
  )

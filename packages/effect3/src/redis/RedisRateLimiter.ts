/**
 * The pacing of `TmdbConfig.rateLimit` shared by every process that uses one Redis: a
 * `TmdbRateLimiter` on `@effect/experimental`'s `RateLimiter` and its Redis store, keyed by TMDB
 * origin, so four replicas behind one address send what one would, not four times that.
 *
 * The promise is the in-process limiter's — never more than `limit` starts in any sliding
 * `interval` — kept across processes by handing out one start per `interval ÷ limit` (a fixed
 * window of `limit` per `interval` would let twice the limit through at a boundary). Pacing fails
 * closed: when Redis does not answer within `timeout`, or fails, the call fails with
 * `RateLimiterUnavailable` and its request is not sent.
 *
 * @since 1.0.0
 */
import * as RateLimiter from "@effect/experimental/RateLimiter"
import * as RateLimiterRedis from "@effect/experimental/RateLimiter/Redis"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { RedisOptions } from "ioredis"
import { withhold } from "../internal/withhold.js"
import { RateLimiterUnavailable } from "../TmdbError.js"
import * as TmdbRateLimiter from "../TmdbRateLimiter.js"
import { defaultTimeout, secretsOf, withClient } from "./internal/connection.js"

/**
 * The Redis connection (ioredis's options: `host`, `port`, `password`, `tls`, `db`, …) and how
 * long one Redis command may take.
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

const describe = (error: RateLimiter.RateLimiterError): string => {
  const cause = "cause" in error && error.cause instanceof Error ? `: ${error.cause.message}` : ""
  return `Redis failed (${error.message}${cause})`
}

/**
 * A limiter on the `RateLimiter` in context (whatever its store). `timeout` (default 2 seconds)
 * bounds each question to the store, not the wait for a turn.
 *
 * @example
 * ```ts
 * import { RateLimiter } from "@effect/experimental"
 * import { Effect } from "effect"
 * import { RedisRateLimiter } from "tmdb-effect/redis"
 *
 * const inMemory = RedisRateLimiter.make().pipe(
 *   Effect.provide(RateLimiter.layer),
 *   Effect.provide(RateLimiter.layerStoreMemory)
 * )
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const make = (
  options?: Pick<Options, "timeout">
): Effect.Effect<TmdbRateLimiter.Service, never, RateLimiter.RateLimiter> => makeWithholding(options, [])

/** The limiter, its errors withholding a Redis message that quotes `secrets` (the connection's password). */
const makeWithholding = (
  options: Pick<Options, "timeout"> | undefined,
  secrets: ReadonlyArray<string>
): Effect.Effect<TmdbRateLimiter.Service, never, RateLimiter.RateLimiter> =>
  Effect.map(RateLimiter.RateLimiter, (limiter) => {
    const timeout = Duration.decode(options?.timeout ?? defaultTimeout)
    return {
      take: (key, { interval, limit }) =>
        limiter.consume({
          key,
          algorithm: "fixed-window",
          onExceeded: "delay",
          // One start per slot; Redis counts whole milliseconds, and rounding up never lets more through.
          limit: 1,
          window: Duration.millis(Math.ceil(Duration.toMillis(interval) / limit))
        }).pipe(
          Effect.mapError((error) =>
            new RateLimiterUnavailable({ reason: "StoreError", detail: withhold(describe(error), secrets) })
          ),
          Effect.timeoutFail({
            duration: timeout,
            onTimeout: () =>
              new RateLimiterUnavailable({
                reason: "Timeout",
                detail: `Redis did not answer within ${Duration.format(timeout)}`
              })
          }),
          Effect.flatMap(({ delay }) => Effect.sleep(delay))
        )
    }
  })

/**
 * Provides the limiter on the `RateLimiterStore` in context (`RateLimiter.layerStoreMemory` in a
 * test, or a store of your own).
 *
 * @example
 * ```ts
 * import { RateLimiter } from "@effect/experimental"
 * import { Layer } from "effect"
 * import { RedisRateLimiter } from "tmdb-effect/redis"
 *
 * const inMemory = RedisRateLimiter.layerStore().pipe(Layer.provide(RateLimiter.layerStoreMemory))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerStore = (
  options?: Pick<Options, "timeout">
): Layer.Layer<TmdbRateLimiter.TmdbRateLimiter, never, RateLimiter.RateLimiterStore> => layerWithholding(options, [])

/** {@link layerStore}, its errors withholding a Redis message that quotes `secrets`. */
const layerWithholding = (
  options: Pick<Options, "timeout"> | undefined,
  secrets: ReadonlyArray<string>
): Layer.Layer<TmdbRateLimiter.TmdbRateLimiter, never, RateLimiter.RateLimiterStore> =>
  Layer.effect(TmdbRateLimiter.TmdbRateLimiter, makeWithholding(options, secrets)).pipe(
    Layer.provide(RateLimiter.layer)
  )

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
export const layer = ({ timeout, ...redis }: Options): Layer.Layer<TmdbRateLimiter.TmdbRateLimiter> =>
  layerWithholding({ timeout }, secretsOf(redis)).pipe(
    Layer.provide(withClient(redis, (options) => RateLimiterRedis.layerStore({ ...options, prefix })))
  )

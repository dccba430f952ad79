/**
 * Pacing of requests to TMDB: never more than `limit` requests start in any sliding `interval`
 * for one key (the library keys by TMDB origin: TMDB limits per client address, whatever the
 * credentials), so concurrent logins stay within TMDB's rate limit instead of collecting 429s.
 *
 * A sliding window of start times read from `Clock`: a token bucket lets a full bucket and a
 * refill through inside one interval, and a fixed window lets twice the limit through across a
 * boundary; this never does. The service has a process-wide default, so every call in the
 * process shares one budget per TMDB origin; provide another (a fresh one with {@link layer},
 * none with {@link layerUnlimited}, or one shared by many processes on Redis from
 * `tmdb-effect/redis`) to change that.
 *
 * @since 1.0.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { RateLimiterUnavailable } from "./TmdbError.js"

/**
 * How many requests may start in any sliding interval.
 *
 * @example
 * ```ts
 * import { TmdbRateLimiter } from "tmdb-effect"
 *
 * const tmdbDefault: TmdbRateLimiter.RateLimit = { limit: 40, interval: "1 second" }
 * ```
 *
 * @since 1.0.0
 * @category models
 */
export interface RateLimit {
  readonly limit: number
  readonly interval: Duration.DurationInput
}

/**
 * A rate limiter: `take` waits until one more request may start for `key`, and counts it. A
 * limiter that cannot count (its store is unreachable) fails with `RateLimiterUnavailable`, and
 * the request is not sent.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbRateLimiter } from "tmdb-effect"
 *
 * // a limiter that logs each start and lets it through
 * const logging: TmdbRateLimiter.Service = {
 *   take: (key) => Effect.logDebug(`request to ${key}`)
 * }
 * ```
 *
 * @since 1.0.0
 * @category models
 */
export interface Service {
  readonly take: (key: string, rateLimit: RateLimit) => Effect.Effect<void, RateLimiterUnavailable>
}

/** The starts of one key within the last interval, oldest first, and the queue of waiters. */
interface Window {
  readonly starts: Array<number>
  readonly turn: Effect.Semaphore
}

/**
 * A fresh in-process limiter with its own budget, without an Effect (for a default value).
 *
 * @example
 * ```ts
 * import { TmdbRateLimiter } from "tmdb-effect"
 *
 * const limiter = TmdbRateLimiter.unsafeMake()
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const unsafeMake = (): Service => {
  const windows = new Map<string, Window>()
  const windowOf = (key: string): Window => {
    let window = windows.get(key)
    if (window === undefined) {
      window = { starts: [], turn: Effect.unsafeMakeSemaphore(1) }
      windows.set(key, window)
    }
    return window
  }
  // Waiters take turns in arrival order; the one whose turn it is sleeps until the oldest start
  // leaves the window.
  const waitForRoom = (window: Window, limit: number, interval: number): Effect.Effect<void> =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      while (window.starts.length > 0 && window.starts[0]! + interval <= now) window.starts.shift()
      if (window.starts.length < limit) {
        window.starts.push(now)
        return Effect.void
      }
      return Effect.zipRight(Effect.sleep(window.starts[0]! + interval - now), waitForRoom(window, limit, interval))
    })
  return {
    take: (key, { interval, limit }) =>
      Effect.suspend(() => {
        const window = windowOf(key)
        return window.turn.withPermits(1)(waitForRoom(window, limit, Duration.toMillis(interval)))
      })
  }
}

/**
 * A fresh in-process limiter with its own budget.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbRateLimiter } from "tmdb-effect"
 *
 * const twoASecond = Effect.flatMap(TmdbRateLimiter.make, (limiter) =>
 *   Effect.forEach([1, 2, 3], () => limiter.take("tmdb", { limit: 2, interval: "1 second" }))
 * )
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const make: Effect.Effect<Service> = Effect.sync(unsafeMake)

/**
 * A limiter that never waits.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbRateLimiter } from "tmdb-effect"
 *
 * const immediate = TmdbRateLimiter.unlimited.take("tmdb", { limit: 1, interval: "1 hour" })
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const unlimited: Service = { take: () => Effect.void }

/**
 * The limiter every TMDB request waits on. By default one in-process limiter shared by the whole
 * process, so all calls to one TMDB origin share one budget.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbRateLimiter } from "tmdb-effect"
 *
 * const pace = Effect.flatMap(TmdbRateLimiter.TmdbRateLimiter, (limiter) =>
 *   limiter.take("https://api.themoviedb.org", { limit: 40, interval: "1 second" })
 * )
 * ```
 *
 * @since 1.0.0
 * @category tags
 */
export class TmdbRateLimiter extends /* @__PURE__ */ Context.Reference<TmdbRateLimiter>()(
  "tmdb-effect/TmdbRateLimiter",
  { defaultValue: unsafeMake }
) {}

/**
 * Provides a fresh in-process limiter, with a budget of its own (not the process-wide one).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication, TmdbRateLimiter } from "tmdb-effect"
 *
 * const alone = Authentication.createRequestToken().pipe(Effect.provide(TmdbRateLimiter.layer))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer: Layer.Layer<TmdbRateLimiter> = /* @__PURE__ */ Layer.effect(TmdbRateLimiter, make)

/**
 * Provides a limiter that never waits (the simulator's layers provide it, so tests never queue).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication, TmdbRateLimiter } from "tmdb-effect"
 *
 * const unpaced = Authentication.createRequestToken().pipe(Effect.provide(TmdbRateLimiter.layerUnlimited))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerUnlimited: Layer.Layer<TmdbRateLimiter> = /* @__PURE__ */ Layer.succeed(
  TmdbRateLimiter,
  unlimited
)

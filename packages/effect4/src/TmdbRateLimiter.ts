/**
 * Pacing of requests to TMDB: never more than `limit` requests reach TMDB in any sliding
 * `interval` for one key (the library keys by TMDB origin: TMDB limits per client address,
 * whatever the credentials), so concurrent logins stay within TMDB's rate limit instead of
 * collecting 429s.
 *
 * TMDB counts a request when it arrives, and a request arrives some time between its start and
 * its answer. So a request takes a place in a sliding window when it starts and keeps it until
 * `interval` after its answer came back, plus a few milliseconds: whatever the latency, the
 * arrival it stands for has left TMDB's window by then (a request cut short, which may still be
 * on its way, keeps it one interval longer). The first `limit` requests still go at once.
 * The service has a process-wide default, so every call in the process shares one budget
 * per TMDB origin; provide another (a fresh one with {@link layer}, none with
 * {@link layerUnlimited}, or one shared by many processes on Redis from `tmdb-effect/redis`) to
 * change that.
 *
 * @since 2.0.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Semaphore from "effect/Semaphore"
import { hold, SlidingWindow } from "./internal/util/window.js"
import type { RateLimiterUnavailable } from "./TmdbError.js"

/**
 * How many requests may reach TMDB in any sliding interval, and how long a call waits for its
 * turn at most (default 30 seconds) before it fails with `RateLimiterUnavailable`.
 *
 * @example
 * ```ts
 * import { TmdbRateLimiter } from "tmdb-effect"
 *
 * const tmdbDefault: TmdbRateLimiter.RateLimit = { limit: 40, interval: "1 second", maxWait: "30 seconds" }
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export interface RateLimit {
  readonly limit: number
  readonly interval: Duration.Input
  readonly maxWait?: Duration.Input | undefined
}

/**
 * A rate limiter: `take` waits until one more request to `key` fits, and takes a place for it
 * in the scope: the place is given back when the scope closes (the request's answer came back,
 * or it failed), and counts `interval` longer. Calls to one key wait in one queue, whatever
 * their `limit` (a positive whole number). A limiter that cannot count (its store is
 * unreachable) fails with `RateLimiterUnavailable`, and the request is not sent. The library
 * bounds the wait with `maxWait`; a limiter need not.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbRateLimiter } from "tmdb-effect"
 *
 * // a limiter that logs each request and lets it through
 * const logging: TmdbRateLimiter.Service = {
 *   take: (key) => Effect.logDebug(`request to ${key}`)
 * }
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export interface Service {
  readonly take: (key: string, rateLimit: RateLimit) => Effect.Effect<void, RateLimiterUnavailable, Scope.Scope>
}

/** One key's places, the queue of its waiters, and the signal of the next release. */
interface Budget {
  readonly window: SlidingWindow
  readonly turn: Semaphore.Semaphore
  /** Completed by the next release, then replaced: a waiter that looked before it hears of it. */
  released: Deferred.Deferred<undefined>
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
 * @since 2.0.0
 * @category constructors
 */
export const unsafeMake = (): Service => {
  const budgets = new Map<string, Budget>()
  const budgetOf = (key: string): Budget => {
    let budget = budgets.get(key)
    if (budget === undefined) {
      budget = {
        window: new SlidingWindow(),
        turn: Semaphore.makeUnsafe(1),
        released: Deferred.makeUnsafe<undefined>()
      }
      budgets.set(key, budget)
    }
    return budget
  }
  // Waiters take turns in arrival order; the one whose turn it is waits until the next place
  // frees up: the earliest end it knows of, or a release it has not seen, whichever comes first.
  const waitForRoom = (budget: Budget, limit: number): Effect.Effect<void> =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      if (budget.window.fits(now, limit)) return Effect.void
      const next = budget.window.nextFree(now)
      const released = Deferred.await(budget.released)
      const wait = next === undefined ? released : Effect.raceFirst(Effect.sleep(next - now), released)
      return Effect.andThen(wait, waitForRoom(budget, limit))
    })
  const takePlace = (budget: Budget, interval: number): Effect.Effect<void, never, Scope.Scope> =>
    Effect.asVoid(Effect.acquireRelease(
      Effect.sync(() => budget.window.take(Infinity)),
      (place, exit) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          place.until = now + hold(interval, Exit.hasInterrupts(exit))
          const released = budget.released
          budget.released = Deferred.makeUnsafe<undefined>()
          return Deferred.succeed(released, undefined)
        })
    ))
  return {
    take: (key, { interval, limit }) =>
      Effect.suspend(() => {
        const budget = budgetOf(key)
        return Semaphore.withPermit(
          budget.turn,
          Effect.andThen(waitForRoom(budget, limit), takePlace(budget, Duration.toMillis(interval)))
        )
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
 * // the third request waits until a second after the first one's answer
 * const twoASecond = Effect.flatMap(TmdbRateLimiter.make, (limiter) =>
 *   Effect.forEach([1, 2, 3], () => Effect.scoped(limiter.take("tmdb", { limit: 2, interval: "1 second" })))
 * )
 * ```
 *
 * @since 2.0.0
 * @category constructors
 */
export const make: Effect.Effect<Service> = /* @__PURE__ */ Effect.sync(unsafeMake)

/**
 * A limiter that never waits.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbRateLimiter } from "tmdb-effect"
 *
 * const immediate = Effect.scoped(TmdbRateLimiter.unlimited.take("tmdb", { limit: 1, interval: "1 hour" }))
 * ```
 *
 * @since 2.0.0
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
 * const paced = <A, E, R>(request: Effect.Effect<A, E, R>) =>
 *   Effect.flatMap(TmdbRateLimiter.TmdbRateLimiter, (limiter) =>
 *     Effect.scoped(Effect.andThen(limiter.take("https://api.themoviedb.org", { limit: 40, interval: "1 second" }), request))
 *   )
 * ```
 *
 * @since 2.0.0
 * @category references
 */
export const TmdbRateLimiter: Context.Reference<Service> = /* @__PURE__ */ Context.Reference<Service>(
  "tmdb-effect/TmdbRateLimiter",
  { defaultValue: unsafeMake }
)

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
 * @since 2.0.0
 * @category layers
 */
export const layer: Layer.Layer<never> = /* @__PURE__ */ Layer.effect(TmdbRateLimiter, make)

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
 * @since 2.0.0
 * @category layers
 */
export const layerUnlimited: Layer.Layer<never> = /* @__PURE__ */ Layer.succeed(
  TmdbRateLimiter,
  unlimited
)

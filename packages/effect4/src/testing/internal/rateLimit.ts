/**
 * The simulator's opt-in rate limit, as TMDB throttles: at most `limit` API requests arrive in any
 * sliding `interval` — counted in the library's own window (`internal/util/window.ts`), each
 * arrival for one interval from when it arrived — and the others get TMDB's throttling answer,
 * with `Retry-After`, and do not count.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as HttpServerResponse from "effect/http/HttpServerResponse"
import type { SlidingWindow } from "../../internal/util/window.js"
import { rateLimited } from "./responses.js"

/** One simulator's limit and the arrivals still inside its window. */
export interface Limit {
  readonly limit: number
  /** Millis. */
  readonly interval: number
  readonly window: SlidingWindow
}

/**
 * Counts a request arriving at `now` and returns `undefined` when it fits; otherwise the whole
 * seconds (at least 1) until the oldest arrival leaves the window.
 */
export const admit = ({ interval, limit, window }: Limit, now: number): number | undefined => {
  if (window.fits(now, limit)) {
    window.take(now + interval)
    return undefined
  }
  return Math.max(1, Math.ceil((window.nextFree(now)! - now) / 1000))
}

/** The handler when the request fits the window (or there is none), else TMDB's 429. */
export const limited = <E, R>(
  limit: Limit | undefined,
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, E, R> =>
  limit === undefined ? handler : Effect.flatMap(Clock.currentTimeMillis, (now) => {
    const retryAfter = admit(limit, now)
    return retryAfter === undefined ? handler : Effect.succeed(rateLimited(retryAfter))
  })

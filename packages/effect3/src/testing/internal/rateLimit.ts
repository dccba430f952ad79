/**
 * The simulator's opt-in rate limit, as TMDB throttles: at most `limit` API requests start in
 * any sliding `interval` (a start leaves the window `interval` after it, as in the library's
 * own limiter, so a client pacing at the same limit is never throttled); the others get TMDB's
 * throttling answer, with `Retry-After`, and do not count.
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import { rateLimited } from "./responses.js"

/** The window of one simulator: its limit and the starts (epoch millis) still inside it. */
export interface Window {
  readonly limit: number
  /** Millis. */
  readonly interval: number
  readonly starts: Array<number>
}

/**
 * Counts a request starting at `now` and returns `undefined` when it fits; otherwise the whole
 * seconds (at least 1) until the oldest start leaves the window.
 */
export const admit = (window: Window, now: number): number | undefined => {
  const { interval, limit, starts } = window
  while (starts.length > 0 && starts[0]! + interval <= now) starts.shift()
  if (starts.length < limit) {
    starts.push(now)
    return undefined
  }
  return Math.max(1, Math.ceil((starts[0]! + interval - now) / 1000))
}

/** The handler when the request fits the window (or there is none), else TMDB's 429. */
export const limited = (window: Window | undefined, handler: HttpApp.Default): HttpApp.Default =>
  window === undefined ? handler : Effect.flatMap(Clock.currentTimeMillis, (now) => {
    const retryAfter = admit(window, now)
    return retryAfter === undefined ? handler : Effect.succeed(rateLimited(retryAfter))
  })

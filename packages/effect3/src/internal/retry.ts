/**
 * Retrying a call where that is safe, as a `Schedule` of its errors.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import type { RetryPolicy } from "../TmdbConfig.js"
import type { CommonError, EndpointError } from "../TmdbError.js"

/** The HTTP methods TMDB's auth API uses. */
export type Method = "GET" | "POST" | "DELETE"

/** Whether repeating the request is safe: a POST that may have reached TMDB is never repeated. */
const isRetryable = (error: CommonError | EndpointError, method: Method): boolean => {
  switch (error._tag) {
    case "RateLimited":
      return true
    case "TransportError":
      return method !== "POST" || error.reason === "ConnectionRefused"
    case "TmdbUnavailable":
      return method !== "POST" && (error.httpStatus === 502 || error.httpStatus === 503 || error.httpStatus === 504)
    default:
      return false
  }
}

const defaultBudget = Duration.seconds(30)

/**
 * The retries of one call: exponential backoff with jitter (each wait within [0.5, 1.5] of its
 * nominal value, at most `maxDelay`), or the `Retry-After` TMDB asked for; at most `times`
 * retries, only of what {@link isRetryable} allows, ending when a `Retry-After` is over `maxDelay`
 * or a wait would end past the budget (measured from `started`, when the first attempt began).
 */
export const retrySchedule = (
  policy: RetryPolicy,
  method: Method,
  started: number
): Schedule.Schedule<unknown, CommonError | EndpointError> => {
  const maxDelay = Duration.decode(policy.maxDelay)
  const budget = policy.budget === undefined ? defaultBudget : Duration.decode(policy.budget)
  return Schedule.exponential(policy.baseDelay).pipe(
    Schedule.jitteredWith({ min: 0.5, max: 1.5 }),
    Schedule.passthrough<Duration.Duration, CommonError | EndpointError, never>,
    Schedule.modifyDelay((error, delay) =>
      error._tag === "RateLimited" ? error.retryAfter : Duration.min(delay, maxDelay)
    ),
    Schedule.whileInput((error) =>
      isRetryable(error, method) && !(error._tag === "RateLimited" && Duration.greaterThan(error.retryAfter, maxDelay))
    ),
    Schedule.intersect(Schedule.recurs(policy.times)),
    Schedule.delays,
    Schedule.checkEffect((_, delay) =>
      Effect.map(
        Clock.currentTimeMillis,
        (now) => Duration.lessThanOrEqualTo(Duration.millis(now - started + Duration.toMillis(delay)), budget)
      )
    )
  )
}

/**
 * Retrying a call where that is safe, as a `Schedule` of its errors: what may be repeated is a
 * property of the error (`TmdbError.repeatableOf`), read here for the call's method.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import { defaultRetry } from "../../TmdbConfig.js"
import { repeatableOf } from "../../TmdbError.js"
import type { CommonError, EndpointError } from "../../TmdbError.js"
import type { Checked } from "./config.js"
import type { Method } from "./endpoint.js"

/** A retry policy as checked. */
type Policy = Exclude<Checked["retry"], false>

/** Whether repeating the request is safe: a POST that may have reached TMDB is never repeated. */
const isRetryable = (error: CommonError | EndpointError, method: Method): boolean => {
  const repeatable = repeatableOf(error)
  return repeatable === "anyMethod" || (repeatable === "getAndDelete" && method !== "POST")
}

/** The budget of a policy that gives none: the default policy's. */
const defaultBudget = /* @__PURE__ */ Duration.fromInputUnsafe(defaultRetry.budget)

/**
 * The retries of one call: exponential backoff with jitter (each wait within [0.5, 1.5] of its
 * nominal value, at most `maxDelay`), or the `Retry-After` TMDB asked for; at most `times`
 * retries, only of what {@link isRetryable} allows, ending when a `Retry-After` is over `maxDelay`
 * or a wait would end past the budget (measured from `started`, when the first attempt began).
 */
export const retrySchedule = (
  policy: Policy,
  method: Method,
  started: number
): Schedule.Schedule<unknown, CommonError | EndpointError> => {
  const { maxDelay } = policy
  const budget = policy.budget ?? defaultBudget
  return Schedule.exponential(policy.baseDelay).pipe(
    Schedule.setInputType<CommonError | EndpointError>(),
    Schedule.modifyDelay(({ duration, input: error }) =>
      error._tag === "RateLimited"
        ? Effect.succeed(error.retryAfter)
        : Effect.map(Random.next, (draw) => Duration.min(Duration.times(duration, 0.5 + draw), maxDelay))
    ),
    Schedule.while(({ attempt, duration, input: error, now }) =>
      attempt <= policy.times &&
      isRetryable(error, method) &&
      !(error._tag === "RateLimited" && Duration.isGreaterThan(error.retryAfter, maxDelay)) &&
      Duration.isLessThanOrEqualTo(Duration.millis(now - started + Duration.toMillis(duration)), budget)
    )
  )
}

/**
 * Checking `TmdbConfig` before any request: settings may come from plain JavaScript or from
 * parsed configuration, so each is read as `unknown`. A bad one is `InvalidConfig`, never a
 * defect and never a storm of requests.
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Record from "effect/Record"
import { defaultRateLimit } from "../TmdbConfig.js"
import type { Settings } from "../TmdbConfig.js"
import { InvalidConfig } from "../TmdbError.js"
import { isHttp } from "./url.js"
import { hold, margin } from "./window.js"

/** The most retries a policy may ask for. */
const MAX_RETRIES = 10

/** Settings as the pipeline uses them: durations decoded. */
export interface Checked {
  readonly baseUrl: string
  readonly webUrl: string
  readonly timeout: Duration.Duration
  readonly retry: {
    readonly times: number
    readonly baseDelay: Duration.Duration
    readonly maxDelay: Duration.Duration
    readonly budget: Duration.Duration | undefined
  } | false
  readonly maxResponseBytes: number
  readonly rateLimit: {
    readonly limit: number
    readonly interval: Duration.Duration
    readonly maxWait: Duration.Duration
  } | false
}

type Check<A> = (value: unknown, setting: string) => Either.Either<A, InvalidConfig>

const invalid = (setting: string, reason: string) => Either.left(new InvalidConfig({ setting, reason }))

const kindOf = (value: unknown): string => value === null ? "null" : Array.isArray(value) ? "an array" : typeof value

const httpUrl: Check<string> = (value, setting) => {
  if (typeof value !== "string") return invalid(setting, `expected an http(s) URL, got ${kindOf(value)}`)
  const url = URL.canParse(value) ? new URL(value) : undefined
  if (url === undefined) return invalid(setting, "it is not a URL")
  if (!isHttp(url)) return invalid(setting, "it is not an http(s) URL")
  if (url.username !== "" || url.password !== "") return invalid(setting, "it holds a user name or password")
  return Either.right(value)
}

/** Negative numbers and `NaN` decode to zero: they are refused instead. */
const isNegative = (value: unknown): boolean =>
  (typeof value === "number" && !(value >= 0)) || (typeof value === "bigint" && value < 0n) ||
  (typeof value === "string" && value.trim().startsWith("-"))

const duration: Check<Duration.Duration> = (value, setting) =>
  Option.match(isNegative(value) ? Option.none() : Duration.decodeUnknown(value), {
    onNone: () =>
      invalid(setting, "it is not a duration (e.g. \"10 seconds\" or a number of milliseconds, not negative)"),
    onSome: (decoded) => Either.right(decoded)
  })

const positiveDuration: Check<Duration.Duration> = (value, setting) =>
  Either.flatMap(
    duration(value, setting),
    (decoded) => Duration.isZero(decoded) ? invalid(setting, "it is not positive") : Either.right(decoded)
  )

const positiveInteger: Check<number> = (value, setting) =>
  typeof value === "number" && Number.isSafeInteger(value) && value > 0
    ? Either.right(value)
    : invalid(setting, `expected a positive whole number, got ${typeof value === "number" ? value : kindOf(value)}`)

const retry: Check<Checked["retry"]> = (value, setting) => {
  if (value === false) return Either.right(false)
  if (typeof value !== "object" || value === null) {
    return invalid(setting, `expected a retry policy or false, got ${kindOf(value)}`)
  }
  const policy = value as Record<string, unknown>
  const { times } = policy
  if (typeof times !== "number" || !Number.isInteger(times) || times < 0 || times > MAX_RETRIES) {
    return invalid(`${setting}.times`, `expected a whole number from 0 to ${MAX_RETRIES}`)
  }
  return Either.all({
    times: Either.right(times),
    baseDelay: duration(policy.baseDelay, `${setting}.baseDelay`),
    maxDelay: duration(policy.maxDelay, `${setting}.maxDelay`),
    budget: policy.budget === undefined ? Either.right(undefined) : duration(policy.budget, `${setting}.budget`)
  })
}

/** How long a call waits for its turn when `rateLimit` does not say. */
const defaultMaxWait = Duration.decode(defaultRateLimit.maxWait)

const finiteDuration: Check<Duration.Duration> = (value, setting) =>
  Either.flatMap(
    positiveDuration(value, setting),
    (decoded) => Duration.isFinite(decoded) ? Either.right(decoded) : invalid(setting, "it is not finite")
  )

const rateLimit: Check<Checked["rateLimit"]> = (value, setting) => {
  if (value === false) return Either.right(false)
  if (typeof value !== "object" || value === null) {
    return invalid(setting, `expected { limit, interval, maxWait? } or false, got ${kindOf(value)}`)
  }
  const { interval, limit, maxWait } = value as Record<string, unknown>
  return Either.flatMap(
    Either.all({
      limit: positiveInteger(limit, `${setting}.limit`),
      interval: finiteDuration(interval, `${setting}.interval`),
      maxWait: maxWait === undefined ? Either.right(defaultMaxWait) : finiteDuration(maxWait, `${setting}.maxWait`)
    }),
    // a call that finds every place taken waits at least this long (a place frees up an
    // interval, and the margin, after an answer): a maxWait no longer would fail it every time
    (checked) =>
      Duration.toMillis(checked.maxWait) <= hold(Duration.toMillis(checked.interval))
        ? invalid(
          `${setting}.maxWait`,
          `it must be longer than the interval (${Duration.format(checked.interval)}) and ${margin} ms`
        )
        : Either.right(checked)
  )
}

/** One check per setting: a new setting does not compile until it has one. */
const checks: { readonly [K in keyof Settings]-?: Check<Checked[K]> } = {
  baseUrl: httpUrl,
  webUrl: httpUrl,
  timeout: positiveDuration,
  retry,
  maxResponseBytes: positiveInteger,
  rateLimit
}

/** The settings checked, or the first bad one. */
export const check = (settings: Settings): Either.Either<Checked, InvalidConfig> => {
  const value = settings as unknown
  if (typeof value !== "object" || value === null) {
    return invalid("TmdbConfig", `expected the settings, got ${kindOf(value)}`)
  }
  return Either.all(
    Record.map(checks, (check: Check<unknown>, setting) => check((value as Record<string, unknown>)[setting], setting))
  ) as Either.Either<Checked, InvalidConfig>
}

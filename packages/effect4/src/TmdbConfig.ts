/**
 * Where and how requests are sent: base URLs, the per-request timeout, the retry policy and the
 * largest answer read. A `Context.Reference`, so the defaults need no layer, and it is read at
 * each call, where it is checked before any request (a bad setting fails with `InvalidConfig`).
 * Every duration is positive and finite, and no longer than a timer waits (2³¹ − 1 ms, about
 * 24.8 days): no setting can make a call wait forever.
 *
 * @since 2.0.0
 */
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { isObject } from "./internal/util/object.js"
import type { RateLimit } from "./TmdbRateLimiter.js"

/**
 * How failed requests are retried. Only safe retries are made: throttling (`RateLimited`) on
 * every method, honouring `Retry-After`; 502/503/504 and transport failures on GET and DELETE
 * only; on POST a refused connection (nothing was sent). A POST that may have reached TMDB is
 * never repeated, because request tokens are single-use.
 *
 * @example
 * ```ts
 * import { TmdbConfig } from "tmdb-effect"
 *
 * const policy: TmdbConfig.RetryPolicy = { ...TmdbConfig.defaultRetry, times: 5, maxDelay: "10 seconds" }
 * const layer = TmdbConfig.layer({ retry: policy })
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export interface RetryPolicy {
  /** Retries after the first attempt (so `times: 2` means at most three attempts); 0 to 10. */
  readonly times: number
  /** First backoff delay; doubled each retry, with jitter. Positive and finite. */
  readonly baseDelay: Duration.Input
  /** No single wait is longer than this (a longer `Retry-After` ends the retries). Positive and finite. */
  readonly maxDelay: Duration.Input
  /**
   * The total time budget, measured from the start of the first attempt: no retry is started
   * whose wait would end past it (the last error is returned instead). Default 30 seconds;
   * positive and finite.
   */
  readonly budget?: Duration.Input | undefined
}

/**
 * The settings every endpoint reads.
 *
 * @example
 * ```ts
 * import { TmdbConfig } from "tmdb-effect"
 *
 * const local: TmdbConfig.Settings = { ...TmdbConfig.defaults, baseUrl: "http://127.0.0.1:8080" }
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export interface Settings {
  /** TMDB's API origin (http or https). */
  readonly baseUrl: string
  /** TMDB's website origin, where users approve request tokens (http or https). */
  readonly webUrl: string
  /**
   * How long one attempt may take before it fails with `TransportError` (reason `"Timeout"`);
   * positive and finite.
   */
  readonly timeout: Duration.Input
  /** The retry policy, or `false` for none. */
  readonly retry: RetryPolicy | false
  /**
   * The most bytes of an answer that are read (default 1 MiB; TMDB's auth answers are under
   * 2 KB). A longer answer is aborted while it streams in and fails with `UnexpectedResponse`.
   */
  readonly maxResponseBytes: number
  /**
   * Pacing: TMDB never receives more than `limit` requests in any sliding `interval`, from all
   * calls in the process to the same TMDB origin (default 40 a second, TMDB's documented
   * ceiling), or `false` for none. The wait is on the `TmdbRateLimiter` service, outside each
   * attempt's `timeout`, and lasts at most `maxWait` (default 30 seconds): past it the call fails
   * with `RateLimiterUnavailable`. 429s that still come are retried as the retry policy says.
   */
  readonly rateLimit: RateLimit | false
}

/**
 * The default retry policy: up to 3 retries, 250 ms doubling backoff, no wait over 30 seconds,
 * and no retry that would start more than 30 seconds after the first attempt (the budget of a
 * policy that gives none).
 *
 * @example
 * ```ts
 * import { TmdbConfig } from "tmdb-effect"
 *
 * const patient = TmdbConfig.layer({ retry: { ...TmdbConfig.defaultRetry, times: 6 } })
 * ```
 *
 * @since 2.0.0
 * @category defaults
 */
export const defaultRetry: RetryPolicy & { readonly budget: Duration.Input } = {
  times: 3,
  baseDelay: "250 millis",
  maxDelay: "30 seconds",
  budget: "30 seconds"
}

/**
 * The default pacing: at most 40 requests reaching TMDB in any second (TMDB's documented
 * ceiling), each call waiting at most 30 seconds for its turn. A `rateLimit` without `maxWait`
 * waits this long.
 *
 * @example
 * ```ts
 * import { TmdbConfig } from "tmdb-effect"
 *
 * const patient = TmdbConfig.layer({ rateLimit: { ...TmdbConfig.defaultRateLimit, maxWait: "2 minutes" } })
 * ```
 *
 * @since 2.0.0
 * @category defaults
 */
export const defaultRateLimit: RateLimit & { readonly maxWait: Duration.Input } = {
  limit: 40,
  interval: "1 second",
  maxWait: "30 seconds"
}

/**
 * The default settings: TMDB's production URLs, a 10-second timeout, {@link defaultRetry},
 * answers of at most 1 MiB, and at most 40 requests reaching TMDB in any second, each waiting
 * at most 30 seconds for its turn.
 *
 * @example
 * ```ts
 * import { TmdbConfig } from "tmdb-effect"
 *
 * console.log(TmdbConfig.defaults.baseUrl) // "https://api.themoviedb.org"
 * ```
 *
 * @since 2.0.0
 * @category defaults
 */
export const defaults: Settings = {
  baseUrl: "https://api.themoviedb.org",
  webUrl: "https://www.themoviedb.org",
  timeout: "10 seconds",
  retry: defaultRetry,
  maxResponseBytes: 1024 * 1024,
  rateLimit: defaultRateLimit
}

/**
 * The settings, with {@link defaults} as defaults.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbConfig } from "tmdb-effect"
 *
 * const baseUrl = Effect.map(TmdbConfig.TmdbConfig, (config) => config.baseUrl)
 * ```
 *
 * @since 2.0.0
 * @category references
 */
export const TmdbConfig: Context.Reference<Settings> = /* @__PURE__ */ Context.Reference<Settings>(
  "tmdb-effect/TmdbConfig",
  { defaultValue: () => defaults }
)

/**
 * The setting `key` of `partial` over `current`, without reading it: a value is copied, a
 * getter is called where a call checks the settings (on its own object), and what throws here
 * (a proxy) throws there too.
 */
const propertyOf = (key: string, partial: object, current: object): PropertyDescriptor => {
  try {
    const source = Object.hasOwn(partial, key) ? partial : current
    const own = Object.getOwnPropertyDescriptor(source, key)
    return own !== undefined && "value" in own ? { value: own.value } : { get: () => Reflect.get(source, key) }
  } catch (error) {
    return {
      get: () => {
        throw error
      }
    }
  }
}

/**
 * `partial` over `current`, read by no one until a call checks it: a value that is not settings
 * (`null`, `undefined`, a string) takes their place, so that every call fails with
 * `InvalidConfig` rather than running with the defaults.
 */
const merge = (current: Settings, partial: Partial<Settings>): Settings => {
  if (!isObject(current)) return current
  if (!isObject(partial)) return partial as Settings
  const merged = {}
  for (const key of Object.keys(defaults)) {
    Object.defineProperty(merged, key, { enumerable: true, ...propertyOf(key, partial, current) })
  }
  return merged as Settings
}

/**
 * Overrides some settings, keeping the others as they are where the layer is built. Nothing is
 * read here: each call checks the settings it runs with, so settings that are not an object
 * (`null`, `undefined`), or a getter that throws, fail every call with `InvalidConfig` — never
 * all defaults, never a defect, never a request.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication, TmdbConfig } from "tmdb-effect"
 *
 * // one call against a local server, without retries
 * Authentication.validateKey().pipe(
 *   Effect.provide(TmdbConfig.layer({ baseUrl: "http://127.0.0.1:8080", retry: false }))
 * )
 *
 * // no request: the call fails with InvalidConfig (setting "TmdbConfig")
 * Authentication.validateKey().pipe(
 *   Effect.provide(TmdbConfig.layer(JSON.parse("null"))),
 *   Effect.catchTag("InvalidConfig", (e) => Effect.succeed(e.setting))
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layer = (settings: Partial<Settings>): Layer.Layer<never> =>
  Layer.effect(TmdbConfig, Effect.map(TmdbConfig, (current) => merge(current, settings)))

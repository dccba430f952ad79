/**
 * Checking `TmdbConfig` before any request, with one Schema: settings may come from plain
 * JavaScript or from parsed configuration, so each is read as `unknown`, and read inside the
 * check, where a getter that throws fails its setting. A bad one is `InvalidConfig` naming it,
 * never a defect, never a default and never a storm of requests — nor a call that waits forever.
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { defaultRateLimit } from "../TmdbConfig.js"
import type { Settings } from "../TmdbConfig.js"
import { InvalidConfig } from "../TmdbError.js"
import { isHttp } from "./url.js"
import { hold, margin } from "./window.js"

/** The most retries a policy may ask for. */
const MAX_RETRIES = 10

/**
 * The longest wait a timer keeps (2³¹ − 1 ms, 24.8 days): Effect's clock never ends a longer
 * one, so a longer duration would mean "forever" as surely as `Infinity`.
 */
const longest = Duration.millis(2 ** 31 - 1)

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

/** Whether a value is an array; a revoked proxy is not one (reading it fails instead). */
const isArray = (value: object): boolean => Either.getOrElse(Either.try(() => Array.isArray(value)), () => false)

/** What a value is, for a reason that never quotes it. */
const kindOf = (value: unknown): string =>
  value === null ? "null" : typeof value === "object" && isArray(value) ? "an array" : typeof value

/** A number is named in the reason (it holds no secret); anything else by its kind. */
const describe = (value: unknown): string => typeof value === "number" ? String(value) : kindOf(value)

/** The failure reason of a schema, or of a filter, whatever it was given. */
const because = (reason: string) => ({ message: () => reason })

/** An http(s) URL without a user name or password, query or fragment. */
const HttpUrl = Schema.String.annotations({
  message: (issue) => `expected an http(s) URL, got ${kindOf(issue.actual)}`
}).pipe(
  Schema.filter((value) => URL.canParse(value), because("it is not a URL")),
  Schema.filter((value) => isHttp(new URL(value)), because("it is not an http(s) URL")),
  Schema.filter((value) => {
    const url = new URL(value)
    return url.username === "" && url.password === ""
  }, because("it holds a user name or password")),
  Schema.filter((value) => {
    const url = new URL(value)
    return url.search === "" && url.hash === "" && !value.includes("?") && !value.includes("#")
  }, because("it holds a query or fragment"))
)

/** Negative numbers and `NaN` decode to zero: they are refused instead. */
const isNegative = (value: unknown): boolean =>
  (typeof value === "number" && !(value >= 0)) || (typeof value === "bigint" && value < 0n) ||
  (typeof value === "string" && value.trim().startsWith("-"))

/** Any `Duration.DurationInput`, decoded. */
const DurationInput = Schema.transformOrFail(Schema.Unknown, Schema.DurationFromSelf, {
  strict: true,
  decode: (input, _, ast) =>
    Option.match(isNegative(input) ? Option.none() : Duration.decodeUnknown(input), {
      onNone: () =>
        ParseResult.fail(
          new ParseResult.Type(
            ast,
            input,
            "it is not a duration (e.g. \"10 seconds\" or a number of milliseconds, not negative)"
          )
        ),
      onSome: ParseResult.succeed
    }),
  encode: ParseResult.succeed
})

/** A duration that ends: positive, finite, and no longer than a timer keeps. */
const Wait = DurationInput.pipe(
  Schema.filter((duration) => !Duration.isZero(duration), because("it is not positive")),
  Schema.filter(Duration.isFinite, because("it is not finite")),
  Schema.filter(
    Duration.lessThanOrEqualTo(longest),
    because(`it is longer than ${Duration.format(longest)}, the longest a timer waits`)
  )
)

const positiveWhole = {
  message: (issue: ParseResult.ParseIssue) => `expected a positive whole number, got ${describe(issue.actual)}`
}

/** A count of one or more. */
const PositiveWhole = Schema.Number.annotations(positiveWhole).pipe(
  Schema.int(positiveWhole),
  Schema.positive(positiveWhole)
)

const timesReason = because(`expected a whole number from 0 to ${MAX_RETRIES}`)

/** How many retries a policy makes. */
const Times = Schema.Number.annotations(timesReason).pipe(
  Schema.int(timesReason),
  Schema.between(0, MAX_RETRIES, timesReason)
)

/** Whether a value is an object whose fields can be read (not `null`, not an array). */
const isObject = (value: unknown): value is object => typeof value === "object" && value !== null && !isArray(value)

/**
 * An object's fields, each read here (own or inherited), so that a getter that throws fails
 * that field rather than the check; a value that is not an object fails as not `what`. A field
 * it lacks is read as `undefined`, which its schema refuses or reads as its default.
 */
const fieldsOf = <Fields extends Schema.Struct.Fields>(fields: Fields, what: string) =>
  Schema.transformOrFail(Schema.Unknown, Schema.Struct(fields), {
    strict: false,
    decode: (input, _, ast) => {
      if (!isObject(input)) {
        return ParseResult.fail(new ParseResult.Type(ast, input, `expected ${what}, got ${kindOf(input)}`))
      }
      const read: Record<string, unknown> = {}
      for (const key of Object.keys(fields)) {
        const value = Either.try(() => Reflect.get(input, key))
        if (Either.isLeft(value)) {
          const threw = new ParseResult.Type(Schema.Unknown.ast, undefined, "reading it threw (a getter or a proxy)")
          return ParseResult.fail(new ParseResult.Pointer(key, input, threw))
        }
        read[key] = value.right
      }
      return ParseResult.succeed(read as Schema.Struct.Encoded<Fields>)
    },
    encode: ParseResult.succeed
  })

/**
 * `schema`, or `when` itself, read as `then`: `false` for "none", `undefined` for the default.
 * Not a Union, whose failure would list every member: a failure here is the schema's alone.
 */
const unless = <A, const W, const B>(
  schema: Schema.Schema<A, unknown>,
  when: W,
  then: B
): Schema.Schema<A | B, unknown> =>
  Schema.declare<A | B, unknown, readonly [Schema.Schema<A, unknown>]>([schema], {
    decode: (inner) => (input, options) =>
      input === when ? ParseResult.succeed<A | B>(then) : ParseResult.decodeUnknown(inner)(input, options),
    encode: (inner) => (input, options) =>
      input === then ? ParseResult.succeed<unknown>(when) : ParseResult.encodeUnknown(inner)(input, options)
  })

const RetryPolicy = fieldsOf({
  times: Times,
  baseDelay: Wait,
  maxDelay: Wait,
  budget: unless(Wait, undefined, undefined)
}, "a retry policy or false")

/** How long a call waits for its turn when `rateLimit` does not say. */
const defaultMaxWait = Duration.decode(defaultRateLimit.maxWait)

const RateLimit = fieldsOf({
  limit: PositiveWhole,
  interval: Wait,
  maxWait: unless(Wait, undefined, defaultMaxWait)
}, "{ limit, interval, maxWait? } or false").pipe(
  // a call that finds every place taken waits at least this long (a place frees up an
  // interval, and the margin, after an answer): a maxWait no longer would fail it every time
  Schema.filter(({ interval, maxWait }) =>
    Duration.toMillis(maxWait) > hold(Duration.toMillis(interval)) || {
      path: ["maxWait"],
      message: `it must be longer than the interval (${Duration.format(interval)}) and ${margin} ms`
    }
  )
)

/** One schema per setting: a new setting does not compile until it has one. */
const fields = {
  baseUrl: HttpUrl,
  webUrl: HttpUrl,
  timeout: Wait,
  retry: unless(RetryPolicy, false, false),
  maxResponseBytes: PositiveWhole,
  rateLimit: unless(RateLimit, false, false)
} satisfies { readonly [K in keyof Settings]-?: Schema.Schema.AnyNoContext }

/** The settings: what the pipeline uses, decoded from whatever `TmdbConfig` holds. */
const TmdbSettings: Schema.Schema<Checked, unknown> = fieldsOf(fields, "the settings")

const decode = Schema.decodeUnknownEither(TmdbSettings, { errors: "first" })

/** The check's first failure, naming its setting by its path (`"retry.baseDelay"`). */
const toInvalidConfig = (error: ParseResult.ParseError): InvalidConfig => {
  const [first] = ParseResult.ArrayFormatter.formatErrorSync(error)
  const setting = first === undefined || first.path.length === 0 ? "TmdbConfig" : first.path.join(".")
  return new InvalidConfig({ setting, reason: first?.message ?? "it is not valid" })
}

/** The settings checked, or the first bad one. */
export const check = (settings: Settings): Either.Either<Checked, InvalidConfig> =>
  Either.mapLeft(decode(settings), toInvalidConfig)

const decodeWait = Schema.decodeUnknownEither(Wait, { errors: "first" })

/**
 * A duration setting of another module (a login's timeout) by the rule `TmdbConfig`'s durations
 * keep — positive, finite, no longer than a timer waits — or `InvalidConfig` naming `setting`.
 */
export const checkDuration = (setting: string, value: unknown): Either.Either<Duration.Duration, InvalidConfig> =>
  Either.mapLeft(decodeWait(value), (error) => new InvalidConfig({ setting, reason: toInvalidConfig(error).reason }))

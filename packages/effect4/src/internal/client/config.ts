/**
 * Checking `TmdbConfig` before any request, with one Schema: settings may come from plain
 * JavaScript or from parsed configuration, so each is read as `unknown`, and read inside the
 * check, where a getter that throws fails its setting. A bad one is `InvalidConfig` naming it,
 * never a defect, never a default and never a storm of requests — nor a call that waits forever.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaParser from "effect/SchemaParser"
import * as SchemaTransformation from "effect/SchemaTransformation"
import { defaultRateLimit } from "../../TmdbConfig.js"
import type { Settings } from "../../TmdbConfig.js"
import { InvalidConfig } from "../../TmdbError.js"
import { leavesOf, pathName } from "../util/issues.js"
import { isArray, isObject } from "../util/object.js"
import { isHttp } from "../util/url.js"
import { hold, margin } from "../util/window.js"

/** The most retries a policy may ask for. */
const MAX_RETRIES = 10

/**
 * The longest wait a timer keeps (2³¹ − 1 ms, 24.8 days): Effect's clock never ends a longer
 * one, so a longer duration would mean "forever" as surely as `Infinity`.
 */
const longest = /* @__PURE__ */ Duration.millis(2 ** 31 - 1)

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

/** What a value is, for a reason that never quotes it. */
const kindOf = (value: unknown): string =>
  value === null ? "null" : typeof value === "object" && isArray(value) ? "an array" : typeof value

/** A number is named in the reason (it holds no secret); anything else by its kind. */
const describe = (value: unknown): string => typeof value === "number" ? String(value) : kindOf(value)

/** A check that fails with `reason`, and stops the checks after it (they assume it passed). */
const must = <T>(holds: (value: T) => boolean, reason: string | ((value: T) => string)) =>
  Schema.makeFilter<T>(
    (value) => holds(value) || (typeof reason === "string" ? reason : reason(value)),
    undefined,
    true
  )

/** An http(s) URL without a user name or password, query or fragment. */
const HttpUrl = /* @__PURE__ */ Schema.String.pipe(
  Schema.annotate({ expected: "an http(s) URL" }),
  Schema.check(
    must((value) => URL.canParse(value), "it is not a URL"),
    must((value) => isHttp(new URL(value)), "it is not an http(s) URL"),
    must((value) => {
      const url = new URL(value)
      return url.username === "" && url.password === ""
    }, "it holds a user name or password"),
    must((value) => {
      const url = new URL(value)
      return url.search === "" && url.hash === "" && !value.includes("?") && !value.includes("#")
    }, "it holds a query or fragment")
  )
)

/** Negative numbers and `NaN` would read as zero or fail late: they are refused instead. */
const isNegative = (value: unknown): boolean =>
  (typeof value === "number" && !(value >= 0)) || (typeof value === "bigint" && value < 0n) ||
  (typeof value === "string" && value.trim().startsWith("-"))

const notADuration = "it is not a duration (e.g. \"10 seconds\" or a number of milliseconds, not negative)"

/** Any `Duration.Input`, decoded. */
const DurationInput = /* @__PURE__ */ Schema.Unknown.pipe(
  Schema.decodeTo(
    Schema.Duration,
    SchemaTransformation.transformEffect<Duration.Duration, unknown>({
      decode: (input) =>
        Option.match(
          isNegative(input) ? Option.none() : Option.flatMap(
            Option.liftThrowable(() => Duration.fromInputUnsafe(input as Duration.Input))(),
            Option.liftPredicate((duration) => !Duration.isNegative(duration))
          ),
          {
            onNone: () => Effect.fail(new SchemaIssue.InvalidValue({ message: notADuration }, input)),
            onSome: Effect.succeed
          }
        ),
      encode: Effect.succeed
    })
  )
)

/** A duration that ends: positive, finite, and no longer than a timer keeps. */
const Wait = /* @__PURE__ */ DurationInput.pipe(
  Schema.check(
    must((duration: Duration.Duration) => !Duration.isZero(duration), "it is not positive"),
    must(Duration.isFinite, "it is not finite"),
    must(
      Duration.isLessThanOrEqualTo(longest),
      `it is longer than ${Duration.format(longest)}, the longest a timer waits`
    )
  )
)

/** A count of one or more. */
const PositiveWhole = /* @__PURE__ */ Schema.Number.pipe(
  Schema.annotate({ expected: "a positive whole number" }),
  Schema.check(
    must(
      (value) => Number.isInteger(value) && value > 0,
      (value) => `expected a positive whole number, got ${describe(value)}`
    )
  )
)

const timesReason = `expected a whole number from 0 to ${MAX_RETRIES}`

/** How many retries a policy makes. */
const Times = /* @__PURE__ */ Schema.Number.pipe(
  Schema.annotate({ message: timesReason }),
  Schema.check(must((value) => Number.isInteger(value) && value >= 0 && value <= MAX_RETRIES, timesReason))
)

/**
 * An object's fields, each read here (own or inherited), so that a getter that throws fails
 * that field rather than the check; a value that is not an object fails as not `what`. A field
 * it lacks is read as `undefined`, which its schema refuses or reads as its default.
 */
const fieldsOf = <Fields extends Schema.Struct.Fields>(fields: Fields, what: string) =>
  Schema.Unknown.pipe(
    Schema.decodeTo(
      Schema.Struct(fields),
      SchemaTransformation.transformEffect<Schema.Struct.Encoded<Fields>, unknown>({
        decode: (input) => {
          if (!isObject(input)) {
            return Effect.fail(
              new SchemaIssue.InvalidValue({ message: `expected ${what}, got ${kindOf(input)}` }, input)
            )
          }
          const read: Record<string, unknown> = {}
          for (const key of Object.keys(fields)) {
            const value = Result.try(() => Reflect.get(input, key))
            if (Result.isFailure(value)) {
              return Effect.fail(
                new SchemaIssue.Pointer(
                  [key],
                  new SchemaIssue.InvalidValue({ message: "reading it threw (a getter or a proxy)" })
                )
              )
            }
            read[key] = value.success
          }
          return Effect.succeed(read as Schema.Struct.Encoded<Fields>)
        },
        encode: Effect.succeed
      })
    )
  )

/**
 * `schema`, or `when` itself, read as `then`: `false` for "none", `undefined` for the default.
 * Not a Union, whose failure would list every member: a failure here is the schema's alone.
 */
const unless = <S extends Schema.Top & { readonly DecodingServices: never }, const W, const B>(
  schema: S,
  when: W,
  then: B
) =>
  Schema.declareConstructor<S["Type"] | B, unknown>()(
    [],
    () => (input, _, options) =>
      input === when ? Effect.succeed(then) : SchemaParser.decodeUnknownEffect(schema)(input, options)
  )

const RetryPolicy = /* @__PURE__ */ fieldsOf({
  times: Times,
  baseDelay: Wait,
  maxDelay: Wait,
  budget: unless(Wait, undefined, undefined)
}, "a retry policy or false")

/** How long a call waits for its turn when `rateLimit` does not say. */
const defaultMaxWait = /* @__PURE__ */ Duration.fromInputUnsafe(defaultRateLimit.maxWait)

const RateLimit = /* @__PURE__ */ fieldsOf({
  limit: PositiveWhole,
  interval: Wait,
  maxWait: unless(Wait, undefined, defaultMaxWait)
}, "{ limit, interval, maxWait? } or false").pipe(
  // a call that finds every place taken waits at least this long (a place frees up an
  // interval, and the margin, after an answer): a maxWait no longer would fail it every time
  Schema.check(
    Schema.makeFilter(({ interval, maxWait }) =>
      Duration.toMillis(maxWait) > hold(Duration.toMillis(interval)) || {
        path: ["maxWait"],
        issue: `it must be longer than the interval (${Duration.format(interval)}) and ${margin} ms`
      }
    )
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
} satisfies { readonly [K in keyof Settings]-?: Schema.Top }

/** The settings: what the pipeline uses, decoded from whatever `TmdbConfig` holds. */
const TmdbSettings = /* @__PURE__ */ fieldsOf(fields, "the settings")

const decode = /* @__PURE__ */ SchemaParser.decodeUnknownResult(TmdbSettings, { errors: "first", reportInput: true })

/** The message an annotation gives, if any. */
const annotated = (annotations: SchemaAST.AST["annotations"], key: "message" | "expected") => {
  const value = annotations?.[key]
  return typeof value === "string" ? value : undefined
}

/** Why a leaf issue failed, in words that name the value's kind, never the value. */
const reasonOf = (leaf: SchemaIssue.Leaf): string => {
  switch (leaf._tag) {
    case "InvalidValue":
      return typeof leaf.annotations?.message === "string" ? leaf.annotations.message : "it is not valid"
    case "InvalidType":
      return annotated(leaf.ast.annotations, "message") ??
        `expected ${annotated(leaf.ast.annotations, "expected") ?? "another type"}, got ${kindOf(leaf.input)}`
    case "MissingKey":
      return "it is missing"
    default:
      return "it is not valid"
  }
}

/** The check's first failure, naming its setting by its path (`"retry.baseDelay"`). */
const toInvalidConfig = (issue: SchemaIssue.Issue): InvalidConfig => {
  const [first] = leavesOf(issue)
  if (first === undefined) return new InvalidConfig({ setting: "TmdbConfig", reason: "it is not valid" })
  return new InvalidConfig({
    setting: first.path.length === 0 ? "TmdbConfig" : pathName(first.path),
    reason: reasonOf(first.leaf)
  })
}

/** The settings checked, or the first bad one. */
export const check = (settings: Settings): Result.Result<Checked, InvalidConfig> =>
  Result.mapError(decode(settings), toInvalidConfig)

const decodeWait = /* @__PURE__ */ SchemaParser.decodeUnknownResult(Wait, { errors: "first" })

/**
 * A duration setting of another module (a login's timeout, a Redis command's) by the rule
 * `TmdbConfig`'s durations keep — positive, finite, no longer than a timer waits — or
 * `InvalidConfig` naming `setting`.
 */
export const checkDuration = (setting: string, value: unknown): Result.Result<Duration.Duration, InvalidConfig> =>
  Result.mapError(decodeWait(value), (issue) => new InvalidConfig({ setting, reason: toInvalidConfig(issue).reason }))

/**
 * Local checks of user input, run before any request. Messages say what is wrong and never
 * repeat the value.
 */
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { InvalidInput } from "../../TmdbError.js"
import { textProblem, tokenProblem } from "../util/token.js"

/** The longest input accepted (as in 1.x). */
const MAX_LENGTH = 1024

/** What a value is, for a reason that never quotes it. */
const kindOfInput = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : typeof value

/** `value`, if it is a string in which `problemOf` finds nothing wrong. */
const checked = (
  field: string,
  value: unknown,
  problemOf: (value: string, maxLength: number) => string | undefined
): Result.Result<string, InvalidInput> => {
  if (typeof value !== "string") {
    return Result.fail(new InvalidInput({ field, reason: `expected a string, got ${kindOfInput(value)}` }))
  }
  const problem = problemOf(value, MAX_LENGTH)
  return problem === undefined ? Result.succeed(value) : Result.fail(new InvalidInput({ field, reason: problem }))
}

/** A required string argument: non-empty, not only whitespace, no control characters, bounded. */
export const text = (field: string, value: unknown): Result.Result<string, InvalidInput> =>
  checked(field, value, textProblem)

/** A token that travels as is in a URL path or a header: no whitespace or non-ASCII at all. */
export const token = (field: string, value: unknown): Result.Result<string, InvalidInput> =>
  checked(field, value, tokenProblem)

/** A secret (a string or a `Redacted` one) checked as `check` says, and held `Redacted`. */
const redactedAfter = (
  value: unknown,
  check: (raw: unknown) => Result.Result<string, InvalidInput>
): Result.Result<Redacted.Redacted<string>, InvalidInput> =>
  Result.map(
    check(Redacted.isRedacted(value) ? Redacted.value(value) : value),
    (valid) => Redacted.make(valid)
  )

/** A free-text secret (a password) given as `string | Redacted<string>`, checked like {@link text}. */
export const secret = (field: string, value: unknown): Result.Result<Redacted.Redacted<string>, InvalidInput> =>
  redactedAfter(value, (raw) => text(field, raw))

/**
 * A secret TMDB issued (session id, access token) given as `string | Redacted<string>`: an opaque
 * token that travels in URLs and headers, so it is checked like {@link token}.
 */
export const secretToken = (
  field: string,
  value: unknown
): Result.Result<Redacted.Redacted<string>, InvalidInput> => redactedAfter(value, (raw) => token(field, raw))

/**
 * A request token as it goes into an approval URL: TMDB's are hex (v3) or a JWT (v4), so only
 * URL-safe characters, and never a path step such as `..`.
 */
export const requestToken = (value: unknown): Result.Result<string, InvalidInput> =>
  Result.flatMap(token("request_token", value), (checked) =>
    !/^[A-Za-z0-9._~-]+$/.test(checked)
      ? Result.fail(
        new InvalidInput({ field: "request_token", reason: "it has characters a request token does not have" })
      )
      : /^\.+$/.test(checked)
      ? Result.fail(new InvalidInput({ field: "request_token", reason: "it is only dots" }))
      : Result.succeed(checked))

/** The value, or the `InvalidInput` thrown: for the pure functions whose documented contract is to throw. */
export const orThrow = <A>(checked: Result.Result<A, InvalidInput>): A =>
  Result.getOrThrowWith(checked, (error) => error)

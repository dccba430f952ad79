/**
 * Local checks of user input, run before any request. Messages say what is wrong and never
 * repeat the value.
 */
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { InvalidInput } from "../../TmdbError.js"

const MAX_LENGTH = 1024

const typeName = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : typeof value

const problemWith = (value: unknown): string | undefined => {
  if (typeof value !== "string") return `expected a string, got ${typeName(value)}`
  if (value.trim().length === 0) return value.length === 0 ? "it is empty" : "it is only whitespace"
  if (value.length > MAX_LENGTH) return `it is ${value.length} characters long (${MAX_LENGTH} at most)`
  if (/[\r\n]/.test(value)) return "it contains a line break (CR or LF), which could inject an HTTP header"
  if (/[\u0000-\u001f\u007f]/.test(value)) return "it contains a control character"
  return undefined
}

const tokenProblem = (value: string): string | undefined => {
  if (/\s/.test(value)) return "it contains whitespace (a token is one printable ASCII word)"
  if (!/^[\x21-\x7e]+$/.test(value)) return "it contains non-ASCII characters (a token is printable ASCII)"
  return undefined
}

/** A required string argument: non-empty, not only whitespace, no control characters, bounded. */
export const text = (field: string, value: unknown): Result.Result<string, InvalidInput> => {
  const problem = problemWith(value)
  return problem === undefined
    ? Result.succeed(value as string)
    : Result.fail(new InvalidInput({ field, reason: problem }))
}

/** A token that travels as is in a URL path or a header: no whitespace or non-ASCII at all. */
export const token = (field: string, value: unknown): Result.Result<string, InvalidInput> =>
  Result.flatMap(text(field, value), (checked) => {
    const problem = tokenProblem(checked)
    return problem === undefined ? Result.succeed(checked) : Result.fail(new InvalidInput({ field, reason: problem }))
  })

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

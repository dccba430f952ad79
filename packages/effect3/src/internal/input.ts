/**
 * Local checks of user input, run before any request. Messages say what is wrong and never
 * repeat the value.
 */
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import { InvalidInput } from "../TmdbError.js"

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
export const text = (field: string, value: unknown): Either.Either<string, InvalidInput> => {
  const problem = problemWith(value)
  return problem === undefined
    ? Either.right(value as string)
    : Either.left(new InvalidInput({ field, reason: problem }))
}

/** A token that travels as is in a URL path or a header: no whitespace or non-ASCII at all. */
export const token = (field: string, value: unknown): Either.Either<string, InvalidInput> =>
  Either.flatMap(text(field, value), (checked) => {
    const problem = tokenProblem(checked)
    return problem === undefined ? Either.right(checked) : Either.left(new InvalidInput({ field, reason: problem }))
  })

const redactedAfter = (
  value: unknown,
  check: (raw: unknown) => Either.Either<string, InvalidInput>
): Either.Either<Redacted.Redacted<string>, InvalidInput> =>
  Either.map(
    check(Redacted.isRedacted(value) ? Redacted.value(value) : value),
    (valid) => Redacted.isRedacted(value) ? value as Redacted.Redacted<string> : Redacted.make(valid)
  )

/** A free-text secret (a password) given as `string | Redacted<string>`, checked like {@link text}. */
export const secret = (field: string, value: unknown): Either.Either<Redacted.Redacted<string>, InvalidInput> =>
  redactedAfter(value, (raw) => text(field, raw))

/**
 * A secret TMDB issued (session id, access token) given as `string | Redacted<string>`: an opaque
 * token that travels in URLs and headers, so it is checked like {@link token}.
 */
export const secretToken = (
  field: string,
  value: unknown
): Either.Either<Redacted.Redacted<string>, InvalidInput> => redactedAfter(value, (raw) => token(field, raw))

type Checked = Record<string, Either.Either<string | Redacted.Redacted<string>, InvalidInput>>
type Values<Fields extends Checked> = { readonly [K in keyof Fields]: Either.Either.Right<Fields[K]> }

/** A call's JSON body from checked fields: the first field that failed its check, or the body. */
export const body = <const Fields extends Checked>(
  fields: Fields
): Either.Either<{ readonly body: Values<Fields> }, InvalidInput> =>
  Either.map(Either.all(fields) as Either.Either<Values<Fields>, InvalidInput>, (body) => ({ body }))

/** A call's query parameters from checked fields, as {@link body}. */
export const query = <const Fields extends Checked>(
  fields: Fields
): Either.Either<{ readonly query: Values<Fields> }, InvalidInput> =>
  Either.map(Either.all(fields) as Either.Either<Values<Fields>, InvalidInput>, (query) => ({ query }))

/**
 * A request token as it goes into an approval URL: TMDB's are hex (v3) or a JWT (v4), so only
 * URL-safe characters, and never a path step such as `..`.
 */
export const requestToken = (value: unknown): Either.Either<string, InvalidInput> =>
  Either.flatMap(token("request_token", value), (checked) =>
    !/^[A-Za-z0-9._~-]+$/.test(checked)
      ? Either.left(
        new InvalidInput({ field: "request_token", reason: "it has characters a request token does not have" })
      )
      : /^\.+$/.test(checked)
      ? Either.left(new InvalidInput({ field: "request_token", reason: "it is only dots" }))
      : Either.right(checked))

/** The value, or the `InvalidInput` thrown: for the pure functions whose documented contract is to throw. */
export const orThrow = <A>(checked: Either.Either<A, InvalidInput>): A =>
  Either.getOrThrowWith(checked, (error) => error)

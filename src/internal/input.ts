/**
 * Local checks of user input, run before any request. Messages say what is wrong and never
 * repeat the value.
 */
import * as Effect from "effect/Effect"
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
export const text = (field: string, value: unknown): Effect.Effect<string, InvalidInput> => {
  const problem = problemWith(value)
  return problem === undefined
    ? Effect.succeed(value as string)
    : Effect.fail(new InvalidInput({ field, reason: problem }))
}

/** A token that travels as is in a URL path or a header: no whitespace or non-ASCII at all. */
export const token = (field: string, value: unknown): Effect.Effect<string, InvalidInput> =>
  Effect.flatMap(text(field, value), (checked) => {
    const problem = tokenProblem(checked)
    return problem === undefined ? Effect.succeed(checked) : Effect.fail(new InvalidInput({ field, reason: problem }))
  })

const redactedAfter = (
  value: unknown,
  check: (raw: unknown) => Effect.Effect<string, InvalidInput>
): Effect.Effect<Redacted.Redacted<string>, InvalidInput> =>
  Effect.map(
    check(Redacted.isRedacted(value) ? Redacted.value(value) : value),
    (valid) => Redacted.isRedacted(value) ? value as Redacted.Redacted<string> : Redacted.make(valid)
  )

/** A free-text secret (a password) given as `string | Redacted<string>`, checked like {@link text}. */
export const secret = (field: string, value: unknown): Effect.Effect<Redacted.Redacted<string>, InvalidInput> =>
  redactedAfter(value, (raw) => text(field, raw))

/**
 * A secret TMDB issued (session id, access token) given as `string | Redacted<string>`: an opaque
 * token that travels in URLs and headers, so it is checked like {@link token}.
 */
export const secretToken = (field: string, value: unknown): Effect.Effect<Redacted.Redacted<string>, InvalidInput> =>
  redactedAfter(value, (raw) => token(field, raw))

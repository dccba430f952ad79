/**
 * Local checks of user input, run before any request. Messages say what is wrong and never
 * repeat the value.
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { InvalidInput } from "../TmdbError.js"

const MAX_LENGTH = 1024

const typeName = (value: unknown): string => value === null ? "null" : Array.isArray(value) ? "an array" : typeof value

const problemWith = (value: unknown): string | undefined => {
  if (typeof value !== "string") return `expected a string, got ${typeName(value)}`
  if (value.trim().length === 0) return value.length === 0 ? "it is empty" : "it is only whitespace"
  if (value.length > MAX_LENGTH) return `it is ${value.length} characters long (${MAX_LENGTH} at most)`

  if (/[\u0000-\u001f\u007f]/.test(value)) return "it contains a control character (such as a line break)"
  return undefined
}

/** A required string argument: non-empty, not only whitespace, no control characters, bounded. */
export const text = (field: string, value: unknown): Effect.Effect<string, InvalidInput> => {
  const problem = problemWith(value)
  return problem === undefined
    ? Effect.succeed(value as string)
    : Effect.fail(new InvalidInput({ field, reason: problem }))
}

/** A secret argument given as `string | Redacted<string>`, checked like {@link text}. */
export const secret = (field: string, value: unknown): Effect.Effect<Redacted.Redacted<string>, InvalidInput> =>
  Redacted.isRedacted(value)
    ? Effect.map(text(field, Redacted.value(value)), () => value as Redacted.Redacted<string>)
    : Effect.map(text(field, value), Redacted.make)

/** A token that travels as is in a URL path or a header: no whitespace or non-ASCII at all. */
export const token = (field: string, value: unknown): Effect.Effect<string, InvalidInput> =>
  Effect.flatMap(
    text(field, value),
    (checked) =>
      /^[\x21-\x7e]+$/.test(checked)
        ? Effect.succeed(checked)
        : Effect.fail(new InvalidInput({ field, reason: "it contains whitespace or non-ASCII characters" }))
  )

/** The argument object itself: a missing or non-object argument is `InvalidInput`. */
export const object = <A extends object>(field: string, value: A): Effect.Effect<A, InvalidInput> =>
  typeof value === "object" && value !== null
    ? Effect.succeed(value)
    : Effect.fail(new InvalidInput({ field, reason: `expected an object, got ${typeName(value)}` }))

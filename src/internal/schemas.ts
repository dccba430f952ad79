/**
 * Schemas shared by the endpoint modules.
 */
import * as DateTime from "effect/DateTime"
import * as ParseResult from "effect/ParseResult"
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
    const [year, month, day, hours, minutes, seconds] = match.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number
    ]
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

/** A secret string on the wire, `Redacted` in the decoded value. */
export const SecretString = Schema.Redacted(Schema.String.pipe(Schema.minLength(1)))

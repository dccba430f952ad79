/** `login --timeout`: a duration as people write one. */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"

const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const

/** What `--timeout` takes, for its description and its error. */
export const timeoutSyntax = "a duration such as 30s, 10m or 1h (or a number of seconds), more than 0 and at most 24h"

/**
 * `30s`, `10m`, `1h`, `1500ms` or, as before, a number of seconds; more than nothing and at most
 * a day. Anything else is `None`.
 */
export const parseTimeout = (text: string): Option.Option<Duration.Duration> => {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim())
  const millis = match === null ? Number.NaN : Number(match[1]) * unit[(match[2] ?? "s") as keyof typeof unit]
  return millis > 0 && millis <= 86_400_000 ? Option.some(Duration.millis(millis)) : Option.none()
}

/**
 * What the Redis modules share about one command: how long it may take, and how its failure is
 * told without quoting a secret.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { excerpt, withhold } from "../../internal/redact/withhold.js"
import { InvalidConfig } from "../../TmdbError.js"

/** How long one Redis command may take, unless the options say. */
export const defaultTimeout: Duration.Duration = /* @__PURE__ */ Duration.seconds(2)

/** The longest wait a timer keeps (2³¹ − 1 ms): a longer one would never end. */
const longest = 2 ** 31 - 1

/**
 * A positive, finite duration no longer than a timer waits, decoded (its millis rounded up), or
 * `InvalidConfig` naming `setting`.
 */
export const positiveDuration = (setting: string, value: unknown): Effect.Effect<Duration.Duration, InvalidConfig> =>
  Option.match(
    Option.filter(
      Duration.fromInput(value as Duration.Input),
      (duration) =>
        Duration.isFinite(duration) && Duration.toMillis(duration) > 0 && Duration.toMillis(duration) <= longest
    ),
    {
      onNone: () => Effect.fail(new InvalidConfig({ setting, reason: "it is not a positive, finite duration" })),
      onSome: (duration) => Effect.succeed(Duration.millis(Math.ceil(Duration.toMillis(duration))))
    }
  )

/**
 * What a Redis client said went wrong, on one line: withheld whole when it quotes one of
 * `secrets` (a server may echo a command's arguments — Redis itself does for a command it does
 * not know — and a login is one of them when it is saved).
 */
export const failureOf = (cause: unknown, secrets: ReadonlyArray<string>): string =>
  `Redis failed (${withhold(excerpt(cause instanceof Error ? cause.message : String(cause)), secrets)})`

/**
 * What the Redis modules share about one command: how long it may take, and how its failure is
 * told without quoting a secret.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { checkDuration } from "../../internal/client/config.js"
import { excerpt, withhold } from "../../internal/redact/withhold.js"
import type { InvalidConfig } from "../../TmdbError.js"

/** How long one Redis command may take, unless the options say. */
export const defaultTimeout: Duration.Duration = /* @__PURE__ */ Duration.seconds(2)

/**
 * A duration setting, checked as `TmdbConfig`'s are, in whole milliseconds (rounded up: Redis
 * counts in them), or `InvalidConfig` naming `setting`.
 */
export const positiveDuration = (setting: string, value: unknown): Effect.Effect<Duration.Duration, InvalidConfig> =>
  Effect.map(
    Effect.fromResult(checkDuration(setting, value)),
    (duration) => Duration.millis(Math.ceil(Duration.toMillis(duration)))
  )

/**
 * What a Redis client said went wrong, on one line: withheld whole when it quotes one of
 * `secrets` (a server may echo a command's arguments — Redis itself does for a command it does
 * not know — and a login is one of them when it is saved).
 */
export const failureOf = (cause: unknown, secrets: ReadonlyArray<string>): string =>
  `Redis failed (${withhold(excerpt(cause instanceof Error ? cause.message : String(cause)), secrets)})`

/**
 * What both Redis layers share: the ioredis client they open, set so that a lost Redis neither
 * piles up commands nor holds the process open at shutdown, and so that ioredis never prints.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import { Redis } from "ioredis"
import type { RedisOptions } from "ioredis"
import { InvalidConfig } from "../../TmdbError.js"

/** How long one Redis command may take, unless the options say. */
export const defaultTimeout = Duration.seconds(2)

/** A positive, finite duration in whole millis (rounded up), or `InvalidConfig` naming `setting`. */
export const positiveMillis = (setting: string, value: Duration.DurationInput): Effect.Effect<number, InvalidConfig> =>
  Option.match(Option.filter(Duration.decodeUnknown(value), (d) => Duration.isFinite(d) && !Duration.isZero(d)), {
    onNone: () => Effect.fail(new InvalidConfig({ setting, reason: "it is not a positive, finite duration" })),
    onSome: (d) => Effect.succeed(Math.ceil(Duration.toMillis(d)))
  })

/** The secrets in a connection's options, which a Redis error must not show. */
export const secretsOf = (options: RedisOptions): ReadonlyArray<string> =>
  [options.password, options.sentinelPassword].filter((secret): secret is string =>
    typeof secret === "string" && secret !== ""
  )

const defaultRetry = (times: number): number => Math.min(times * 50, 2000)

/**
 * An ioredis client for the scope, quit when it closes. Commands issued while Redis is
 * unreachable are dropped at the next failed reconnect (ioredis's default keeps them through
 * 20), and once the scope is closed the client stops reconnecting: its `quit` would otherwise
 * wait for a Redis that never comes back, keeping the process alive. An error the client meets
 * also fails the command that met it, where the layers turn it into a typed error; ioredis
 * prints one that reaches no "error" listener (stack and all, and the arguments a server
 * quoted: an echoed AUTH's password), so the client has one that keeps it quiet.
 */
export const client = (options: RedisOptions, timeout: Duration.Duration): Effect.Effect<Redis, never, Scope.Scope> =>
  Effect.suspend(() => {
    const retry = options.retryStrategy ?? defaultRetry
    let released = false
    return Effect.acquireRelease(
      Effect.sync(() =>
        new Redis({ maxRetriesPerRequest: 0, ...options, retryStrategy: (times) => released ? null : retry(times) })
          .on("error", () => {})
      ),
      (redis) =>
        Effect.sync(() => {
          released = true
        }).pipe(
          // interruptible, so that the timeout holds in a finalizer
          Effect.zipRight(Effect.interruptible(Effect.tryPromise(() => redis.quit()))),
          Effect.timeout(timeout),
          Effect.ignore,
          Effect.ensuring(Effect.sync(() => redis.disconnect()))
        )
    )
  })

/**
 * What both Redis layers share: the ioredis settings that keep a lost Redis from piling up
 * commands, and a way out at shutdown when Redis is gone.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import type { RedisOptions } from "ioredis"

/** How long one Redis command may take, unless the options say. */
export const defaultTimeout = Duration.seconds(2)

/** The secrets in a connection's options, which a Redis error must not show. */
export const secretsOf = (options: RedisOptions): ReadonlyArray<string> =>
  [options.password, options.sentinelPassword].filter((secret): secret is string =>
    typeof secret === "string" && secret !== ""
  )

const defaultRetry = (times: number): number => Math.min(times * 50, 2000)

/**
 * A Redis store's layer, built from ioredis options, with the client it opens (as
 * `@effect/experimental`'s Redis stores do) quit when the layer is released. Two settings keep a
 * lost Redis from holding on: commands issued while it is unreachable are dropped at the next
 * failed reconnect (ioredis's default keeps them through 20), and once the layer is released the
 * client stops reconnecting — its `quit` would otherwise wait in the offline queue for a Redis
 * that never comes back, keeping the process alive; the failure of that `quit` is nobody's
 * business at shutdown.
 */
export const withClient = <I>(
  options: RedisOptions,
  layer: (options: RedisOptions) => Layer.Layer<I>
): Layer.Layer<I> =>
  Layer.scopedContext(Effect.gen(function*() {
    const retry = options.retryStrategy ?? defaultRetry
    // The client reads it at each reconnect: a flag of this layer, set as it is released.
    let released = false
    const scope = yield* Scope.make()
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        released = true
      }).pipe(
        Effect.zipRight(Scope.close(scope, Exit.void)),
        Effect.catchAllCause(() => Effect.void)
      )
    )
    return yield* Layer.buildWithScope(
      layer({ maxRetriesPerRequest: 0, ...options, retryStrategy: (times) => released ? null : retry(times) }),
      scope
    )
  }))

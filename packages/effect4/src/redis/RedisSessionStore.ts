/**
 * A `SessionStore` on Redis, through the `BackingPersistence` of Effect's `Persistence`
 * (`effect/persistence`): a login saved by one process is loaded by every other one connected to
 * the same Redis.
 *
 * The login is kept at `tmdb-effect:<key>` (default key `session`) as the same JSON the file
 * store writes — the secret in it raw, as any other process must read it; keys never hold one
 * (and 1.x processes read and write the same key). A guest session is saved with Redis's own
 * expiry at its `expires_at`, so it lapses there for every process. A Redis that does not answer
 * within `timeout`, or fails, is a `SessionStoreError`; a value that is not a login is a
 * `CorruptedSession`.
 *
 * It sits on `BackingPersistence` (JSON values with a time to live) rather than the
 * `Persistence` service above it, which keeps Schema-encoded `Exit`s of requests: a login wrapped
 * in an `Exit` would no longer be the JSON every other store of it reads.
 *
 * @since 2.0.0
 */
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Persistence from "effect/persistence/Persistence"
import type * as Redis from "effect/persistence/Redis"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as SessionStore from "../SessionStore.js"
import type { InvalidConfig } from "../TmdbError.js"
import { defaultTimeout, failureOf, positiveDuration } from "./internal/command.js"

/**
 * The key of the login and how long one Redis command may take. (The connection is the `Redis`
 * layer you provide.)
 *
 * @example
 * ```ts
 * import type { RedisSessionStore } from "tmdb-effect/redis"
 *
 * const perUser = (user: string): RedisSessionStore.Options => ({ key: `session/${user}`, timeout: "1 second" })
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export interface Options {
  /** Under `tmdb-effect:`; default `"session"`. Name it after the user, never after a secret. */
  readonly key?: string | undefined
  /** How long one Redis command may take before the call fails; default 2 seconds. */
  readonly timeout?: Duration.Input | undefined
}

/**
 * The `Persistence` store the logins live in: Redis keys start with `tmdb-effect:`.
 *
 * @example
 * ```ts
 * import { RedisSessionStore } from "tmdb-effect/redis"
 *
 * console.log(`${RedisSessionStore.storeId}:session`) // the Redis key of the default login
 * ```
 *
 * @since 2.0.0
 * @category constants
 */
export const storeId = "tmdb-effect"

type Operation = "load" | "save" | "clear"

/**
 * A store over the `BackingPersistence` in context (Redis, or `Persistence.layerBackingMemory`
 * in a test). `timeout` (default 2 seconds) bounds each command.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Persistence } from "effect/persistence"
 * import { RedisSessionStore } from "tmdb-effect/redis"
 *
 * const inMemory = RedisSessionStore.make().pipe(Effect.provide(Persistence.layerBackingMemory), Effect.scoped)
 * ```
 *
 * @since 2.0.0
 * @category constructors
 */
export const make = (
  options?: Options
): Effect.Effect<SessionStore.Service, InvalidConfig, Persistence.BackingPersistence | Scope.Scope> =>
  Effect.gen(function*() {
    const key = options?.key ?? "session"
    const timeout = yield* positiveDuration("RedisSessionStore.timeout", options?.timeout ?? defaultTimeout)
    const location = `Redis key "${storeId}:${key}"`
    const store = yield* Effect.flatMap(Persistence.BackingPersistence, (backing) => backing.make(storeId))
    // A Redis message may quote what it was sent (Redis does for a command it does not know):
    // withheld when that holds the login being saved.
    const command = <A>(
      operation: Operation,
      effect: Effect.Effect<A, Persistence.PersistenceError>,
      login?: SessionStore.Login
    ): Effect.Effect<A, SessionStore.StoreError> =>
      effect.pipe(
        Effect.mapError((error) =>
          operation === "load" && error.cause instanceof SyntaxError
            ? new SessionStore.CorruptedSession({ location, reason: "not valid JSON" })
            : new SessionStore.SessionStoreError({
              operation,
              location,
              reason: failureOf(error.cause, login === undefined ? [] : [Redacted.value(login.session_id)])
            })
        ),
        Effect.timeoutOrElse({
          duration: timeout,
          orElse: () =>
            Effect.fail(
              new SessionStore.SessionStoreError({
                operation,
                location,
                reason: `Redis did not answer within ${Duration.format(timeout)}`
              })
            )
        })
      )
    return SessionStore.fromBackend({
      location,
      // the backing hands back parsed JSON; the store decodes text
      read: command("load", store.get(key)).pipe(
        Effect.map((value) => value === undefined ? Option.none() : Option.some(JSON.stringify(value)))
      ),
      write: (text, login) =>
        Effect.flatMap(DateTime.now, (now) => {
          const value = JSON.parse(text) as object
          if (login.expires_at === undefined) return command("save", store.set(key, value, undefined), login)
          const left = DateTime.distance(now, login.expires_at)
          // already over: nothing to keep, as `load` would not return it
          return Duration.isGreaterThan(left, Duration.zero)
            ? command("save", store.set(key, value, left), login)
            : command("save", store.remove(key))
        }),
      remove: command("clear", store.remove(key))
    })
  })

/**
 * Provides the store over the `BackingPersistence` in context.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { Persistence } from "effect/persistence"
 * import { RedisSessionStore } from "tmdb-effect/redis"
 *
 * const inMemory = RedisSessionStore.layerPersistence({ key: "session/alice" }).pipe(
 *   Layer.provide(Persistence.layerBackingMemory)
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layerPersistence = (
  options?: Options
): Layer.Layer<SessionStore.SessionStore, InvalidConfig, Persistence.BackingPersistence> =>
  Layer.effect(SessionStore.SessionStore, make(options))

/**
 * Provides the store on Redis, over the `Redis` service you provide (the connection is yours:
 * opened, configured and closed by your layer). A Redis that goes down is not an error here but
 * at each `save`, `load` or `clear`.
 *
 * @example
 * ```ts
 * import { NodeRedis } from "@effect/platform-node"
 * import { Effect, Layer, Option } from "effect"
 * import { SessionStore } from "tmdb-effect"
 * import { RedisSessionStore } from "tmdb-effect/redis"
 *
 * const StoreLive = RedisSessionStore.layer({ key: "session/alice" }).pipe(
 *   Layer.provide(NodeRedis.layer({ url: "redis://127.0.0.1:6379" }))
 * )
 * const loggedIn = Effect.flatMap(SessionStore.SessionStore, (store) => store.load).pipe(
 *   Effect.map(Option.isSome),
 *   Effect.provide(StoreLive)
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<SessionStore.SessionStore, InvalidConfig, Redis.Redis> =>
  layerPersistence(options).pipe(Layer.provide(Persistence.layerBackingRedis))

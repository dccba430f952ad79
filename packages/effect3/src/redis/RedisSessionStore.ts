/**
 * A `SessionStore` on Redis, through `@effect/experimental`'s `Persistence`: a login saved by one
 * process is loaded by every other one connected to the same Redis.
 *
 * The login is kept at `tmdb-effect:<key>` (default key `session`) as the same JSON the file
 * store writes — the secret in it raw, as any other process must read it; keys never hold one.
 * A guest session is saved with Redis's own expiry at its `expires_at`, so it lapses there for
 * every process. A Redis that does not answer within `timeout`, or fails, is a
 * `SessionStoreError`; a value that is not a login is a `CorruptedSession`.
 *
 * @since 1.0.0
 */
import * as Persistence from "@effect/experimental/Persistence"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { withhold } from "../internal/withhold.js"
import * as SessionStore from "../SessionStore.js"
import type { InvalidConfig } from "../TmdbError.js"
import { client, defaultTimeout, positiveMillis, secretsOf } from "./internal/connection.js"
import { backing } from "./internal/persistence.js"
import type * as RedisRateLimiter from "./RedisRateLimiter.js"

/**
 * The Redis connection and command timeout (as for {@link RedisRateLimiter.Options}) and the key
 * of the login.
 *
 * @example
 * ```ts
 * import type { RedisSessionStore } from "tmdb-effect/redis"
 *
 * const perUser = (user: string): RedisSessionStore.Options => ({ host: "127.0.0.1", key: `session/${user}` })
 * ```
 *
 * @since 1.0.0
 * @category models
 */
export interface Options extends Omit<RedisRateLimiter.Options, "leaseTimeout"> {
  /** Under `tmdb-effect:`; default `"session"`. Name it after the user, never after a secret. */
  readonly key?: string | undefined
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
 * @since 1.0.0
 * @category constants
 */
export const storeId = "tmdb-effect"

type Operation = "load" | "save" | "clear"

/**
 * A store over the `BackingPersistence` in context (Redis, or `Persistence.layerMemory` in a
 * test). `timeout` (default 2 seconds) bounds each command.
 *
 * @example
 * ```ts
 * import { Persistence } from "@effect/experimental"
 * import { Effect } from "effect"
 * import { RedisSessionStore } from "tmdb-effect/redis"
 *
 * const inMemory = RedisSessionStore.make().pipe(Effect.provide(Persistence.layerMemory), Effect.scoped)
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const make = (
  options?: Pick<Options, "key" | "timeout">
): Effect.Effect<SessionStore.Service, InvalidConfig, Persistence.BackingPersistence | Scope.Scope> =>
  makeWithholding(options, [])

/**
 * The store, its errors withholding a Redis message that quotes `secrets` (the connection's
 * password) or the session id being saved: a server may echo a command's arguments (Redis
 * itself does for a command it does not know).
 */
const makeWithholding = (
  options: Pick<Options, "key" | "timeout"> | undefined,
  secrets: ReadonlyArray<string>
): Effect.Effect<SessionStore.Service, InvalidConfig, Persistence.BackingPersistence | Scope.Scope> =>
  Effect.gen(function*() {
    const key = options?.key ?? "session"
    const timeout = Duration.millis(
      yield* positiveMillis("RedisSessionStore.timeout", options?.timeout ?? defaultTimeout)
    )
    const location = `Redis key "${storeId}:${key}"`
    const store = yield* Effect.flatMap(Persistence.BackingPersistence, (backing) => backing.make(storeId))
    const command = <A>(
      operation: Operation,
      effect: Effect.Effect<A, Persistence.PersistenceError>,
      login?: SessionStore.Login
    ) =>
      effect.pipe(
        Effect.mapError((error) =>
          error.reason === "BackingError" && error.method === "get" && error.cause instanceof SyntaxError
            ? new SessionStore.CorruptedSession({ location, reason: "not valid JSON" })
            : new SessionStore.SessionStoreError({
              operation,
              location,
              reason: withhold(
                reasonOf(error),
                login === undefined ? secrets : [...secrets, Redacted.value(login.session_id)]
              )
            })
        ),
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            new SessionStore.SessionStoreError({
              operation,
              location,
              reason: `Redis did not answer within ${Duration.format(timeout)}`
            })
        })
      )
    return SessionStore.fromBackend({
      location,
      // Persistence hands back parsed JSON; the store decodes text.
      read: command("load", store.get(key)).pipe(Effect.map(Option.map((value) => JSON.stringify(value)))),
      write: (text, login) =>
        Effect.flatMap(DateTime.now, (now) => {
          if (login.expires_at === undefined) {
            return command("save", store.set(key, JSON.parse(text), Option.none()), login)
          }
          const left = DateTime.distance(now, login.expires_at)
          // Already over: nothing to keep, as `load` would not return it.
          return left <= 0
            ? Effect.asVoid(command("save", store.remove(key)))
            : command("save", store.set(key, JSON.parse(text), Option.some(Duration.millis(left))), login)
        }),
      remove: Effect.asVoid(command("clear", store.remove(key)))
    })
  })

const reasonOf = (error: Persistence.PersistenceError): string =>
  error.reason === "BackingError"
    ? `Redis failed (${error.method}${error.cause instanceof Error ? `: ${error.cause.message}` : ""})`
    : `not a stored value (${error.method})`

/**
 * Provides the store over the `BackingPersistence` in context.
 *
 * @example
 * ```ts
 * import { Persistence } from "@effect/experimental"
 * import { Layer } from "effect"
 * import { RedisSessionStore } from "tmdb-effect/redis"
 *
 * const inMemory = RedisSessionStore.layerPersistence({ key: "session/alice" }).pipe(
 *   Layer.provide(Persistence.layerMemory)
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerPersistence = (
  options?: Pick<Options, "key" | "timeout">
): Layer.Layer<SessionStore.SessionStore, InvalidConfig, Persistence.BackingPersistence> =>
  Layer.scoped(SessionStore.SessionStore, make(options))

/**
 * Provides the store on Redis. The connection opens when the layer is built and closes with it;
 * a Redis that is down is not an error here but at each `save`, `load` or `clear`.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { SessionStore } from "tmdb-effect"
 * import { RedisSessionStore } from "tmdb-effect/redis"
 *
 * const loggedIn = Effect.flatMap(SessionStore.SessionStore, (store) => store.load).pipe(
 *   Effect.map(Option.isSome),
 *   Effect.provide(RedisSessionStore.layer({ host: "127.0.0.1", port: 6379, key: "session/alice" }))
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = ({ key, timeout, ...redis }: Options): Layer.Layer<SessionStore.SessionStore, InvalidConfig> =>
  Layer.scoped(
    SessionStore.SessionStore,
    Effect.flatMap(
      positiveMillis("RedisSessionStore.timeout", timeout ?? defaultTimeout),
      (ms) =>
        Effect.flatMap(
          client(redis, Duration.millis(ms)),
          (opened) =>
            makeWithholding({ key, timeout }, secretsOf(redis)).pipe(
              Effect.provideService(Persistence.BackingPersistence, backing(opened))
            )
        )
    )
  )

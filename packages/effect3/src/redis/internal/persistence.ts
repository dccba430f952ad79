/**
 * `@effect/experimental`'s `BackingPersistence` on a client of our own: JSON values at
 * `<store>:<key>`, as experimental's Redis backing keeps them, which opens a client of its own
 * that nothing can quiet (see `connection.ts`).
 */
import * as Persistence from "@effect/experimental/Persistence"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Redis } from "ioredis"

type Method = "get" | "getMany" | "set" | "setMany" | "remove" | "clear"

const redisCall = <A>(method: Method, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: (error) => Persistence.PersistenceBackingError.make(method, error) })

const parsed = (method: Method, text: string | null) =>
  text === null ? Effect.succeedNone : Effect.try({
    try: () => Option.some(JSON.parse(text) as unknown),
    catch: (error) => Persistence.PersistenceBackingError.make(method, error)
  })

/** The backing, on `redis`. */
export const backing = (redis: Redis): Persistence.BackingPersistence =>
  Persistence.BackingPersistence.of({
    [Persistence.BackingPersistenceTypeId]: Persistence.BackingPersistenceTypeId,
    make: (store) =>
      Effect.sync(() => {
        const at = (key: string) => `${store}:${key}`
        const set = (key: string, value: unknown, ttl: Option.Option<Duration.Duration>) =>
          Option.match(ttl, {
            onNone: () => redis.set(at(key), JSON.stringify(value)),
            onSome: (left) => redis.set(at(key), JSON.stringify(value), "PX", Math.max(1, Duration.toMillis(left)))
          })
        return {
          get: (key) => Effect.flatMap(redisCall("get", () => redis.get(at(key))), (text) => parsed("get", text)),
          getMany: (keys) =>
            Effect.flatMap(
              redisCall("getMany", () => redis.mget(keys.map(at))),
              Effect.forEach((text) => parsed("getMany", text))
            ),
          set: (key, value, ttl) => Effect.asVoid(redisCall("set", () => set(key, value, ttl))),
          setMany: (entries) =>
            Effect.asVoid(
              redisCall("setMany", () => Promise.all(entries.map(([key, value, ttl]) => set(key, value, ttl))))
            ),
          remove: (key) => Effect.asVoid(redisCall("remove", () => redis.del(at(key)))),
          clear: Effect.asVoid(redisCall("clear", async () => {
            const keys = await redis.keys(at("*"))
            return keys.length === 0 ? 0 : redis.del(keys)
          }))
        }
      })
  })

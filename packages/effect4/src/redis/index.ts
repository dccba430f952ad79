/**
 * tmdb-effect/redis: many processes, one TMDB limit — the pacing and the session store on Redis,
 * for a pool of workers or replicas behind one address. Built on Effect's own `Redis` service
 * (`effect/persistence`): you provide the connection as a layer (`NodeRedis.layer` from
 * `@effect/platform-node`, or your own `Redis.make`); this entry opens no client of its own.
 *
 * @since 2.0.0
 */

/**
 * The pacing of `TmdbConfig.rateLimit` shared through Redis by every process using it.
 *
 * @since 2.0.0
 */
export * as RedisRateLimiter from "./RedisRateLimiter.js"

/**
 * A SessionStore on Redis: a login saved by one process is loaded by the others.
 *
 * @since 2.0.0
 */
export * as RedisSessionStore from "./RedisSessionStore.js"

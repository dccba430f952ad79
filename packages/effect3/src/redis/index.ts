/**
 * tmdb-effect/redis: many processes, one TMDB limit — the pacing and the session store on Redis,
 * for a pool of workers or replicas behind one address. Needs `ioredis` 5 and
 * `@effect/experimental` (optional peers: a single process installs neither).
 *
 * @since 1.0.0
 */

/**
 * The pacing of `TmdbConfig.rateLimit` shared through Redis by every process using it.
 *
 * @since 1.0.0
 */
export * as RedisRateLimiter from "./RedisRateLimiter.js"

/**
 * A SessionStore on Redis: a login saved by one process is loaded by the others.
 *
 * @since 1.0.0
 */
export * as RedisSessionStore from "./RedisSessionStore.js"

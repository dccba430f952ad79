/**
 * tmdb-effect: The Movie Database (TMDB) authentication API for Effect 4.
 *
 * @since 2.0.0
 */

/**
 * The TMDB account behind a session.
 *
 * @since 2.0.0
 */
export * as Account from "./Account.js"

/**
 * TMDB's v3 authentication endpoints and the password login flow.
 *
 * @since 2.0.0
 */
export * as Authentication from "./Authentication.js"

/**
 * TMDB's v4 user access tokens, and the bridge from them to v3 sessions.
 *
 * @since 2.0.0
 */
export * as AuthV4 from "./AuthV4.js"

/**
 * Keep a login across runs, over Effect's KeyValueStore (effect/persistence).
 *
 * @since 2.0.0
 */
export * as SessionStore from "./SessionStore.js"

/**
 * Every endpoint as one service, requirements provided.
 *
 * @since 2.0.0
 */
export * as TmdbAuth from "./TmdbAuth.js"

/**
 * Base URLs, timeout and retry policy.
 *
 * @since 2.0.0
 */
export * as TmdbConfig from "./TmdbConfig.js"

/**
 * Pacing within TMDB's rate limit: a sliding window per TMDB origin, replaceable.
 *
 * @since 2.0.0
 */
export * as TmdbRateLimiter from "./TmdbRateLimiter.js"

/**
 * After login: the user's v3 session as a service that account-level code requires.
 *
 * @since 2.0.0
 */
export * as TmdbSession from "./TmdbSession.js"

/**
 * Bearer token or api_key credentials, detected and held redacted.
 *
 * @since 2.0.0
 */
export * as TmdbCredentials from "./TmdbCredentials.js"

/**
 * TMDB's status codes and the tagged errors.
 *
 * @since 2.0.0
 */
export * as TmdbError from "./TmdbError.js"

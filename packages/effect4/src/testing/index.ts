/**
 * Test helpers for `tmdb-effect`: a stateful simulator of TMDB's authentication API.
 *
 * @since 2.0.0
 */
export * as TmdbSimulator from "./TmdbSimulator.js"

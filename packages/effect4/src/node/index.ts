/**
 * tmdb-effect/node: Node-only parts — a file-backed session store, browser login with a
 * loopback redirect, and the recommended undici `HttpClient`.
 *
 * @since 2.0.0
 */

/**
 * A SessionStore kept in one file, written atomically with mode 0600.
 *
 * @since 2.0.0
 */
export * as NodeSessionStore from "./NodeSessionStore.js"

/**
 * Browser login (v3 and v4) with a loopback redirect to 127.0.0.1.
 *
 * @since 2.0.0
 */
export * as BrowserLogin from "./BrowserLogin.js"

/**
 * The recommended `HttpClient` on Node: undici, keep-alive after a DELETE with a body, at most
 * 20 connections per origin (TMDB's limit).
 *
 * @since 2.0.0
 */
export * as NodeTmdbHttpClient from "./NodeTmdbHttpClient.js"

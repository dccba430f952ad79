/**
 * tmdb-effect/browser: logging in from a web page — TMDB's redirect login with the way back
 * checked, and a session store in `localStorage`. No Node import anywhere in it.
 *
 * @since 2.0.0
 */

/**
 * TMDB's redirect login (v4 or v3) for a page: start, then complete on the return page.
 *
 * @since 2.0.0
 */
export * as RedirectLogin from "./RedirectLogin.js"

/**
 * A SessionStore in the page's localStorage.
 *
 * @since 2.0.0
 */
export * as BrowserSessionStore from "./BrowserSessionStore.js"

/**
 * The `SessionStore` of a web page: the login in `localStorage`, so it survives a reload and a
 * new tab. Any script on the page can read `localStorage`: see the guide "In the browser" (docs/browser.md).
 *
 * @since 2.0.0
 */
import * as Layer from "effect/Layer"
import * as KeyValueStore from "effect/persistence/KeyValueStore"
import * as SessionStore from "../SessionStore.js"

/**
 * `SessionStore` over the page's `localStorage` (under `key`, default `SessionStore.defaultKey`),
 * with Effect's Web Storage `KeyValueStore`. `SessionStore.logout()` with it ends the login at
 * TMDB, then removes it here.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { SessionStore, TmdbCredentials } from "tmdb-effect"
 * import { BrowserSessionStore } from "tmdb-effect/browser"
 *
 * const logOut = SessionStore.logout().pipe(
 *   Effect.provide(Layer.mergeAll(
 *     BrowserSessionStore.layer(),
 *     TmdbCredentials.bearer("eyJ…"),
 *     FetchHttpClient.layer
 *   ))
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layer = (
  options?: { readonly key?: string | undefined }
): Layer.Layer<SessionStore.SessionStore> =>
  SessionStore.layer(options).pipe(Layer.provide(KeyValueStore.layerStorage(() => localStorage)))

/**
 * The recommended `HttpClient` for TMDB on Node: `@effect/platform-node`'s undici client with at
 * most 20 connections per origin (TMDB's limit per IP address) and keep-alive after a DELETE
 * with a body. undici closes the connection after such a request by default; TMDB's logout sends
 * the session id in a JSON body, with its `content-length`, so the connection stays well framed.
 *
 * @since 2.0.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as Undici from "@effect/platform-node/Undici"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"

/**
 * TMDB's limit of simultaneous connections from one IP address, the default pool size.
 *
 * @example
 * ```ts
 * import { NodeTmdbHttpClient } from "tmdb-effect/node"
 *
 * const half = NodeTmdbHttpClient.layerWith({ connections: NodeTmdbHttpClient.maxConnections / 2 })
 * ```
 *
 * @since 2.0.0
 * @category constants
 */
export const maxConnections: number = 20

/**
 * How the connection pool is set up.
 *
 * @example
 * ```ts
 * import { NodeTmdbHttpClient } from "tmdb-effect/node"
 *
 * const options: NodeTmdbHttpClient.Options = { connections: 4, keepAliveTimeout: "30 seconds" }
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export interface Options {
  /** Connections per origin, at most; default {@link maxConnections}. */
  readonly connections?: number | undefined
  /** How long an idle connection is kept open; default undici's (4 seconds). */
  readonly keepAliveTimeout?: Duration.Input | undefined
}

/**
 * Keep-alive after a DELETE with a body. The platform sets `method`, `path` and the rest over
 * these; `UndiciOptions` of your own, provided around a request, replace them.
 */
const requestOptions = /* @__PURE__ */ Context.make(NodeHttpClient.UndiciOptions, { reset: false })

/**
 * An `HttpClient` over an undici dispatcher you set up (an `Agent`, a `Pool`, a proxy agent),
 * with keep-alive after a DELETE with a body; the dispatcher stays yours to close. Your own
 * `NodeHttpClient.UndiciOptions`, provided around a request, replace these.
 *
 * @example
 * ```ts
 * import * as Undici from "@effect/platform-node/Undici"
 * import { NodeTmdbHttpClient } from "tmdb-effect/node"
 *
 * const client = NodeTmdbHttpClient.make(new Undici.Agent({ connections: 8 }))
 * ```
 *
 * @since 2.0.0
 * @category constructors
 */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient =>
  HttpClient.transformResponse(
    // building the client only reads the dispatcher: nothing runs until a request is sent
    Effect.runSync(Effect.provideService(NodeHttpClient.makeUndici, NodeHttpClient.Dispatcher, dispatcher)),
    Effect.updateContext((context: Context.Context<never>) => Context.merge(requestOptions, context))
  )

/**
 * An `HttpClient` over its own undici pool, set up with `options`, closed with the layer.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication, TmdbCredentials } from "tmdb-effect"
 * import { NodeTmdbHttpClient } from "tmdb-effect/node"
 *
 * const token = Authentication.createRequestToken().pipe(
 *   Effect.provide(NodeTmdbHttpClient.layerWith({ connections: 4 })),
 *   Effect.provide(TmdbCredentials.layerConfig)
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layerWith = (options?: Options): Layer.Layer<HttpClient.HttpClient> =>
  // the platform's layer merges what it was built with (the options below) into each request
  NodeHttpClient.layerUndiciNoDispatcher.pipe(
    Layer.provide(Layer.succeedContext(requestOptions)),
    Layer.provide(NodeHttpClient.layerDispatcherOptions({
      connections: options?.connections ?? maxConnections,
      ...(options?.keepAliveTimeout !== undefined &&
        { keepAliveTimeout: Duration.toMillis(options.keepAliveTimeout) })
    }))
  )

/**
 * The recommended `HttpClient` on Node: undici, keep-alive (after a DELETE with a body too),
 * up to {@link maxConnections} connections per origin.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication, TmdbCredentials } from "tmdb-effect"
 * import { NodeTmdbHttpClient } from "tmdb-effect/node"
 *
 * const session = Authentication.loginWithPassword({ username: "jo", password: "secret" }).pipe(
 *   Effect.provide(NodeTmdbHttpClient.layer),
 *   Effect.provide(TmdbCredentials.layerConfig)
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = /* @__PURE__ */ layerWith()

/**
 * The recommended `HttpClient` for TMDB on Node: undici (the copy `@effect/platform-node`
 * brings), one connection pool per origin of at most 20 connections (TMDB's limit per IP
 * address), keep-alive kept after a DELETE that carries a body, and no per-request machinery
 * TMDB's small JSON answers don't need.
 *
 * - Node's `fetch` and undici by default close the connection after any request whose method
 *   does not expect a body but sends one; TMDB's logout (`DELETE /3/authentication/session`)
 *   sends the session id in its JSON body, so every login flow over them opens a new
 *   connection. TMDB reads that body and the request carries its `content-length`, so the
 *   connection stays well framed: this client keeps it.
 * - Each answer is read whole before `execute` succeeds (TMDB's answers are a few hundred
 *   bytes), straight from undici's dispatcher: no stream, no `AbortController`, no
 *   `FinalizationRegistry` per request. Interruption aborts the request. tmdb-effect hands it
 *   `TmdbConfig`'s timeout, which it enforces with a timer (under the live clock; `TestClock`
 *   drives the usual path), so a call needs no extra fiber for it.
 * - No client span and no trace headers (TMDB ignores them; tmdb-effect's own spans say
 *   which endpoint was called). Requests with a `FormData` or stream body go through
 *   `@effect/platform-node`'s undici client, with its spans.
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Undici from "@effect/platform-node/Undici"
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { IncomingHttpHeaders } from "node:http"

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
 * @since 0.1.0
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
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Connections per origin, at most; default {@link maxConnections}. */
  readonly connections?: number | undefined
  /** How long an idle connection is kept open; default undici's (4 seconds). */
  readonly keepAliveTimeout?: Duration.DurationInput | undefined
}

const decoder = new TextDecoder()

/** An answer read whole. */
class Response extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private cachedHeaders: Headers.Headers | undefined
  private cachedText: string | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    private readonly rawHeaders: IncomingHttpHeaders,
    private readonly body: Uint8Array
  ) {
    super()
  }

  get headers(): Headers.Headers {
    return this.cachedHeaders ??= Headers.fromInput(this.rawHeaders as Headers.Input)
  }

  get cookies(): Cookies.Cookies {
    const header = this.rawHeaders["set-cookie"]
    return header === undefined ? Cookies.empty : Cookies.fromSetCookie(header)
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.sync(() => this.cachedText ??= decoder.decode(this.body))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => text === "" ? null : JSON.parse(text) as unknown,
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => UrlParams.fromInput(new URLSearchParams(text)),
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.sync(() => this.body.slice().buffer as ArrayBuffer)
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => new globalThis.Response(this.body.slice().buffer as ArrayBuffer, { headers: this.headers }).formData(),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.succeed(this.body)
  }

  override toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

const bodyOf = (body: HttpClientRequest.HttpClientRequest["body"]): string | Uint8Array | null | undefined => {
  switch (body._tag) {
    case "Empty":
      return null
    case "Uint8Array":
      return body.body
    case "Raw":
      return typeof body.body === "string" || body.body instanceof Uint8Array ? body.body : undefined
    default:
      return undefined
  }
}

const transportError = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.RequestError({ request, reason: "Transport", cause })

/**
 * One request straight to the dispatcher, the answer collected in memory; with `millis`, a timer
 * aborts it and fails with `RequestError` caused by `timedOut` (tmdb-effect's timeout, without
 * a fiber for it).
 */
const send = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  body: string | Uint8Array | null,
  millis?: number
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) => {
    let settled = false
    let controller: Undici.Dispatcher.DispatchController | undefined
    const timer = millis === undefined ? undefined : setTimeout(() => {
      if (settled) return
      settled = true
      controller?.abort(new Error("timed out"))
      resume(Effect.fail(transportError(request, new Error("timed out"))))
    }, millis)
    let status = 0
    let headers: IncomingHttpHeaders = {}
    const chunks: Array<Buffer> = []
    const handler: Undici.Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started
        if (settled) started.abort(new Error("interrupted"))
      },
      onResponseStart(_, statusCode, responseHeaders) {
        status = statusCode
        headers = responseHeaders
      },
      onResponseData(_, chunk) {
        chunks.push(chunk)
      },
      onResponseEnd() {
        if (settled) return
        settled = true
        clearTimeout(timer)
        const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
        resume(Effect.succeed(new Response(request, status, headers, data)))
      },
      onResponseError(_, error) {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resume(Effect.fail(transportError(request, error)))
      }
    }
    try {
      dispatcher.dispatch({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method,
        headers: request.headers,
        body,
        // keep the connection after a DELETE with a body (undici closes it by default)
        reset: false,
        // timeouts are the caller's (tmdb-effect's TmdbConfig.timeout)
        headersTimeout: 60 * 60 * 1000,
        bodyTimeout: 0
      }, handler)
    } catch (error) {
      settled = true
      clearTimeout(timer)
      resume(Effect.fail(transportError(request, error)))
    }
    return Effect.sync(() => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      controller?.abort(new Error("interrupted"))
    })
  })

/**
 * An `HttpClient` over an undici dispatcher you set up (an `Agent`, a `Pool`, a proxy agent):
 * the requests of {@link layer}, without the pool it owns.
 *
 * @example
 * ```ts
 * import { Undici } from "@effect/platform-node"
 * import { NodeTmdbHttpClient } from "tmdb-effect/node"
 *
 * const client = NodeTmdbHttpClient.make(new Undici.Agent({ connections: 8 }))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient => {
  const general = NodeHttpClient.makeUndici(dispatcher)
  const execute = (request: HttpClientRequest.HttpClientRequest, millis: number | undefined) => {
    const body = bodyOf(request.body)
    if (body === undefined) return general.execute(request)
    const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
    return url._tag === "Left"
      ? Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
      : send(dispatcher, request, url.right, body, millis)
  }
  // tmdb-effect finds `execute` under TimedExecute and hands it its timeout: no fiber for it
  return HttpClient.makeWith(
    (effect: Effect.Effect<HttpClientRequest.HttpClientRequest>) =>
      Effect.flatMap(effect, (request) => execute(request, undefined)),
    Effect.succeed
  )
}

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
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options?: Options): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(
    HttpClient.HttpClient,
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() =>
          new Undici.Agent({
            connections: options?.connections ?? maxConnections,
            ...(options?.keepAliveTimeout === undefined
              ? {}
              : { keepAliveTimeout: Duration.toMillis(Duration.decode(options.keepAliveTimeout)) })
          })
        ),
        (agent) => Effect.promise(() => agent.destroy())
      ),
      make
    )
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
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith()

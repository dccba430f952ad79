/**
 * A stateful in-memory fake of TMDB's authentication API (v3 and v4), for tests: accounts with
 * passwords, request tokens to approve or deny, single-use tokens, expiry driven by Effect's
 * `Clock`, guest sessions, v4 access tokens, TMDB's documented error bodies and injectable
 * faults; where a test would otherwise pass here and fail against TMDB, it answers as TMDB does
 * (bodies and headers as recorded from the live API, redirects after approval, an opt-in rate
 * limit, CORS for pages in a browser). One HTTP app (an `HttpRouter` of TMDB's routes) answers
 * every request, offered in memory as a `FetchHttpClient` over its web handler ({@link layer})
 * and as a real HTTP server on 127.0.0.1 ({@link serve}, {@link layerServer}).
 *
 * Developers run it next to a browser, so it is careful as a test tool: it reads no more than
 * 16 KiB of a request body (a longer one is answered 413, TMDB's error body with code 47); its
 * approval pages decide only on a POST of their own form (its `Origin` the simulator's own) or
 * by the test's script, never by a link, and send the browser on only to an http(s)
 * `redirect_to`; served, it answers only requests sent to its own address (`Host`
 * `127.0.0.1:PORT` or `localhost:PORT`), as the login's callback server does.
 *
 * @since 2.0.0
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as TmdbConfig from "../TmdbConfig.js"
import * as TmdbCredentials from "../TmdbCredentials.js"
import * as TmdbRateLimiter from "../TmdbRateLimiter.js"
import { encodeJwt } from "./internal/ids.js"
import { makeFetch } from "./internal/memory.js"
import type * as Model from "./internal/model.js"
import * as Server from "./internal/server.js"
import * as Simulator from "./internal/service.js"

/**
 * The v3 api_key the simulator accepts by default (32 lowercase hexadecimal characters).
 *
 * @example
 * ```ts
 * import { TmdbCredentials } from "tmdb-effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * // what TmdbSimulator.apiKeyCredentials provides
 * const credentials = TmdbCredentials.apiKey(TmdbSimulator.apiKey)
 * ```
 *
 * @since 2.0.0
 * @category credentials
 */
export const apiKey: string = "c0ffee00d15ea5e5a11ce0b0b5ca1ab1"

/**
 * The API Read Access Token the simulator accepts by default: a structurally valid JWT shaped
 * like TMDB's (`aud` is {@link apiKey}, scope `api_read`), with a fake signature.
 *
 * @example
 * ```ts
 * import { TmdbCredentials } from "tmdb-effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * // what TmdbSimulator.credentials provides
 * const credentials = TmdbCredentials.bearer(TmdbSimulator.bearerToken)
 * ```
 *
 * @since 2.0.0
 * @category credentials
 */
export const bearerToken: string = encodeJwt({
  aud: apiKey,
  nbf: 1700000000,
  sub: "6553f2a0c0ffee0000d15ea5",
  scopes: ["api_read"],
  version: 1
}, "tmdb-effect simulator signature")

/**
 * `TmdbCredentials` holding {@link bearerToken}.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Authentication } from "tmdb-effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * Authentication.createRequestToken().pipe(
 *   Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials))
 * )
 * ```
 *
 * @since 2.0.0
 * @category credentials
 */
export const credentials: Layer.Layer<TmdbCredentials.TmdbCredentials> = Layer.succeed(
  TmdbCredentials.TmdbCredentials,
  TmdbCredentials.Credentials.BearerToken({ token: Redacted.make(bearerToken) })
)

/**
 * `TmdbCredentials` holding {@link apiKey}.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Authentication } from "tmdb-effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * Authentication.validateKey().pipe(
 *   Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.apiKeyCredentials))
 * )
 * ```
 *
 * @since 2.0.0
 * @category credentials
 */
export const apiKeyCredentials: Layer.Layer<TmdbCredentials.TmdbCredentials> = Layer.succeed(
  TmdbCredentials.TmdbCredentials,
  TmdbCredentials.Credentials.ApiKey({ key: Redacted.make(apiKey) })
)

/**
 * The account every simulator has unless `options.accounts` is given.
 *
 * @example
 * ```ts
 * import { Authentication } from "tmdb-effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const login = Authentication.loginWithPassword(TmdbSimulator.defaultAccount)
 * ```
 *
 * @since 2.0.0
 * @category accounts
 */
export const defaultAccount: { readonly username: "demo"; readonly password: "demo-password" } = {
  username: "demo",
  password: "demo-password"
}

/**
 * An account to create: a username and password, the rest defaulted.
 *
 * @example
 * ```ts
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const simulator = TmdbSimulator.layer({
 *   accounts: [{ username: "ann", password: "pw" }, { username: "old", password: "pw", status: "disabled" }]
 * })
 * ```
 *
 * @since 2.0.0
 * @category accounts
 */
export type AccountInput = Model.AccountInput

/**
 * An account of the simulator.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const id = Effect.flatMap(TmdbSimulator.TmdbSimulator, (simulator) =>
 *   Effect.map(simulator.addAccount({ username: "bo", password: "pw" }), (account: TmdbSimulator.Account) => account.id))
 * ```
 *
 * @since 2.0.0
 * @category accounts
 */
export type Account = Model.Account

/**
 * How a simulator starts.
 *
 * @example
 * ```ts
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const options: TmdbSimulator.Options = { guestSessionTtl: "60 minutes", requestTokenTtl: "10 minutes" }
 * const simulator = TmdbSimulator.layer(options)
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export type Options = Model.Options

/**
 * The simulator's opt-in rate limit (`Options.rateLimit`): at most `limit` API requests arriving in any
 * sliding `interval` (default 1 second), as TMDB throttles; the others get TMDB's throttling answer,
 * with `Retry-After`. Approval pages and CORS preflights are not counted.
 *
 * @example
 * ```ts
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const tmdbLike: TmdbSimulator.RateLimit = { limit: 40 }
 * const simulator = TmdbSimulator.layerServer({ rateLimit: tmdbLike })
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export type RateLimit = Model.RateLimit

/**
 * A fault to inject in place of (or around) the normal answer.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const flaky = Effect.flatMap(TmdbSimulator.TmdbSimulator, (simulator) =>
 *   simulator.inject(TmdbSimulator.Fault.Html({ status: 502 }), { times: 2, path: "/3/authentication/token/new" }))
 * ```
 *
 * @since 2.0.0
 * @category faults
 */
export type Fault = Model.Fault

/**
 * Constructors and matchers for {@link Fault}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const outage = Effect.flatMap(TmdbSimulator.TmdbSimulator, (simulator) =>
 *   simulator.inject(TmdbSimulator.Fault.Html({ status: 502 }), { times: 2 }))
 * ```
 *
 * @since 2.0.0
 * @category faults
 */
export const Fault: Data.TaggedEnum.Constructor<Fault> = Data.taggedEnum<Fault>()

/**
 * A request the simulator saw.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const paths = Effect.flatMap(TmdbSimulator.TmdbSimulator, (simulator) =>
 *   Effect.map(simulator.requests, (requests) => requests.map((r: TmdbSimulator.RecordedRequest) => `${r.method} ${r.path}`)))
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export type RecordedRequest = Model.RecordedRequest

/**
 * A live v3 session.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const users = Effect.flatMap(TmdbSimulator.TmdbSimulator, (simulator) =>
 *   Effect.map(simulator.sessions, (sessions) => sessions.map((s: TmdbSimulator.SessionInfo) => s.username)))
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export type SessionInfo = Model.SessionInfo

/**
 * The control side of a simulator.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const approveAll = (simulator: TmdbSimulator.Service) => simulator.scriptApproval({ decision: "approve", times: "always" })
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export type Service = Model.Service

/**
 * The simulator's control service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const approve = (request_token: string) =>
 *   Effect.flatMap(TmdbSimulator.TmdbSimulator, (simulator) => simulator.approve(request_token))
 * ```
 *
 * @since 2.0.0
 * @category tags
 */
export class TmdbSimulator extends Context.Service<TmdbSimulator, Service>()("tmdb-effect/testing/TmdbSimulator") {}

/**
 * A simulator with fresh state.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const program = Effect.gen(function*() {
 *   const simulator = yield* TmdbSimulator.make({ accounts: [{ username: "jo", password: "pw" }] })
 *   return yield* simulator.sessions
 * })
 * ```
 *
 * @since 2.0.0
 * @category constructors
 */
export const make = (options?: Options): Effect.Effect<Service> =>
  Simulator.make(options, { apiKey, bearerToken, account: defaultAccount })

/**
 * A fresh simulator and an in-memory `HttpClient` talking to it, no sockets: `FetchHttpClient`
 * over the simulator's web handler, which runs with the services of the fiber that builds the
 * layer (so `TestClock` drives delays and expiry). A refused or dropped connection fails as
 * Node's `fetch` does (`ECONNREFUSED`, `ECONNRESET`). It also provides a `TmdbRateLimiter` that
 * never waits, so tests never queue on the library's pacing.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Authentication } from "tmdb-effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const program = Effect.gen(function*() {
 *   const simulator = yield* TmdbSimulator.TmdbSimulator
 *   const { request_token } = yield* Authentication.createRequestToken()
 *   yield* simulator.approve(request_token)
 *   return yield* Authentication.createSession({ request_token })
 * }).pipe(Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials)))
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<TmdbSimulator | HttpClient.HttpClient> =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      // The app runs with the services of the fiber that builds the layer: its Clock is the caller's.
      const fetch = makeFetch(yield* Effect.flatMap(TmdbSimulator, Simulator.appOf), yield* Effect.context<never>())
      // only this client's requests reach the simulator, not every FetchHttpClient in the program
      return HttpClient.transformResponse(client, Effect.provideService(FetchHttpClient.Fetch, fetch))
    })
  ).pipe(
    Layer.provide(FetchHttpClient.layer),
    Layer.provideMerge(Layer.effect(TmdbSimulator, make(options))),
    // tests never queue on the library's pacing by accident (the simulator's own limit is opt-in)
    Layer.merge(TmdbRateLimiter.layerUnlimited)
  )

/**
 * Serves the simulator in context over HTTP on 127.0.0.1 (a random port unless given) and
 * returns its base URL, `"http://127.0.0.1:PORT"`. The server and its connections close with
 * the scope. Requests run with the services captured here, so `TestClock` drives expiry too.
 * It answers only requests sent to `127.0.0.1:PORT` or `localhost:PORT` (by their `Host`):
 * any other name, such as a DNS name rebound to 127.0.0.1, gets a 400 without CORS headers.
 * Needs Node (`node:http` is imported on first use).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const baseUrl = TmdbSimulator.serve().pipe(
 *   Effect.provideServiceEffect(TmdbSimulator.TmdbSimulator, TmdbSimulator.make())
 * )
 * ```
 *
 * @since 2.0.0
 * @category servers
 */
export const serve = (
  options?: { readonly port?: number | undefined }
): Effect.Effect<string, never, Scope.Scope | TmdbSimulator> =>
  TmdbSimulator.pipe(
    Effect.flatMap(Simulator.appOf),
    Effect.flatMap((app) => Server.serve(app, options?.port ?? 0))
  )

/**
 * A fresh simulator served on 127.0.0.1, with `TmdbConfig` pointing both `baseUrl` and `webUrl`
 * at it. Provide an `HttpClient` yourself (e.g. `FetchHttpClient.layer`).
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { Authentication } from "tmdb-effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * Authentication.createGuestSession().pipe(
 *   Effect.provide(Layer.mergeAll(TmdbSimulator.layerServer(), TmdbSimulator.credentials, FetchHttpClient.layer))
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layerServer = (options?: Options): Layer.Layer<TmdbSimulator> =>
  Layer.unwrap(
    Effect.map(serve(), (baseUrl) => TmdbConfig.layer({ baseUrl, webUrl: baseUrl }))
  ).pipe(
    Layer.provideMerge(Layer.effect(TmdbSimulator, make(options))),
    Layer.merge(TmdbRateLimiter.layerUnlimited)
  )

/**
 * A stateful in-memory fake of TMDB's authentication API (v3 and v4), for tests: accounts with
 * passwords, request tokens to approve or deny, single-use tokens, expiry driven by Effect's
 * `Clock`, guest sessions, v4 access tokens, TMDB's documented error bodies and injectable
 * faults. Offered as an in-memory `HttpClient` ({@link layer}) and as a real HTTP server on
 * 127.0.0.1 ({@link serve}, {@link layerServer}); both share one request-handling core.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as TmdbConfig from "../TmdbConfig.js"
import * as TmdbCredentials from "../TmdbCredentials.js"
import { encodeJwt } from "./internal/ids.js"
import * as Memory from "./internal/memory.js"
import * as Server from "./internal/server.js"
import * as Simulator from "./internal/service.js"

/**
 * The v3 api_key the simulator accepts by default (32 lowercase hexadecimal characters).
 *
 * @example
 * ```ts
 * import { HttpClientRequest } from "@effect/platform"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const request = HttpClientRequest.get("https://api.themoviedb.org/3/authentication").pipe(
 *   HttpClientRequest.setUrlParam("api_key", TmdbSimulator.apiKey)
 * )
 * ```
 *
 * @since 0.1.0
 * @category credentials
 */
export const apiKey: string = "c0ffee00d15ea5e5a11ce0b0b5ca1ab1"

/**
 * The API Read Access Token the simulator accepts by default: a structurally valid JWT shaped
 * like TMDB's (`aud` is {@link apiKey}, scope `api_read`), with a fake signature.
 *
 * @example
 * ```ts
 * import { HttpClientRequest } from "@effect/platform"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const request = HttpClientRequest.get("https://api.themoviedb.org/3/authentication").pipe(
 *   HttpClientRequest.bearerToken(TmdbSimulator.bearerToken)
 * )
 * ```
 *
 * @since 0.1.0
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
 * @since 0.1.0
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
 * @since 0.1.0
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
 * @since 0.1.0
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
 * @since 0.1.0
 * @category accounts
 */
export interface AccountInput {
  readonly username: string
  readonly password: string
  /** Default `""`. */
  readonly name?: string | undefined
  /** `"disabled"` logs in with code 31, `"unverified"` with code 32. Default `"active"`. */
  readonly status?: "active" | "disabled" | "unverified" | undefined
  /** Default `false`. */
  readonly include_adult?: boolean | undefined
  /** Default `"en"`. */
  readonly iso_639_1?: string | undefined
  /** Default `"US"`. */
  readonly iso_3166_1?: string | undefined
  /** Default `null`. */
  readonly avatar_path?: string | null | undefined
}

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
 * @since 0.1.0
 * @category accounts
 */
export interface Account {
  /** Assigned in order, from 1000 up. */
  readonly id: number
  readonly username: string
  readonly password: string
  readonly name: string
  readonly status: "active" | "disabled" | "unverified"
  readonly include_adult: boolean
  readonly iso_639_1: string
  readonly iso_3166_1: string
  readonly avatar_path: string | null
  /** The `avatar.gravatar.hash` of account details (32 hexadecimal characters). */
  readonly gravatar_hash: string
}

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
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The accounts; default `[defaultAccount]`. */
  readonly accounts?: ReadonlyArray<AccountInput> | undefined
  /** The api_keys accepted; default `[apiKey]`. */
  readonly apiKeys?: ReadonlyArray<string> | undefined
  /** The Bearer tokens accepted (besides tokens from `grantAccessToken`); default `[bearerToken]`. */
  readonly bearerTokens?: ReadonlyArray<string> | undefined
  /** How long a guest session lives; default 24 hours. */
  readonly guestSessionTtl?: Duration.DurationInput | undefined
  /** How long a v3 request token lives; default 60 minutes. (v4 ones live 15 minutes, as their JWT says.) */
  readonly requestTokenTtl?: Duration.DurationInput | undefined
}

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
 * @since 0.1.0
 * @category faults
 */
export type Fault = Data.TaggedEnum<{
  /** Answer with this status, body (default `""`) and headers, without processing the request. */
  readonly Status: {
    readonly status: number
    readonly body?: string | undefined
    readonly headers?: Readonly<Record<string, string>> | undefined
  }
  /** Answer with a CDN-style HTML error page, e.g. `<title>502 Bad Gateway</title>`. */
  readonly Html: { readonly status: number }
  /** Answer with `Content-Type: application/json` and a truncated body. */
  readonly MalformedJson: { readonly status: number }
  /**
   * Announce a longer `Content-Length` than is sent, send the start of a JSON body, then close
   * the connection (the client's body read fails). The request is not processed.
   */
  readonly Truncated: { readonly status: number }
  /** Wait (`Effect.sleep`, so `TestClock` drives it), then answer normally. */
  readonly Delay: { readonly duration: Duration.DurationInput }
  /** Refuse the connection: the request is not processed (`ECONNREFUSED` in memory). */
  readonly Refuse: Record<never, never>
  /** Reset the connection without an answer; with `afterProcessing` the state changes happen first. */
  readonly Drop: { readonly afterProcessing: boolean }
  /** TMDB's 429 with code 25, and `Retry-After` (seconds) when given. */
  readonly RateLimit: { readonly retryAfter?: number | undefined }
}>

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
 * @since 0.1.0
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
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** Lowercase names. */
  readonly headers: Readonly<Record<string, string>>
  /** The parsed JSON body, or `undefined` (no body, not JSON, or never read: a refused connection). */
  readonly body: unknown
}

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
 * @since 0.1.0
 * @category models
 */
export interface SessionInfo {
  readonly session_id: string
  readonly username: string
}

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
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Adds an account (dies if the username is taken). */
  readonly addAccount: (input: AccountInput) => Effect.Effect<Account>
  /**
   * Approves a request token as the user would in the browser, for the given account (default:
   * the first one): a v3 token (then `session/new` succeeds) or a v4 one from
   * `POST /4/auth/request_token` (then `/4/auth/access_token` succeeds). Dies on an unknown or
   * used token, or an unknown account.
   */
  readonly approve: (
    request_token: string,
    options?: { readonly username?: string | undefined }
  ) => Effect.Effect<void>
  /**
   * Denies a request token (v3 or v4) as the user would in the browser. Dies on an unknown or
   * used token.
   */
  readonly deny: (request_token: string) => Effect.Effect<void>
  /**
   * A v4 user access token for an account (a JWT with scopes `api_read` and `api_write`), accepted
   * as a Bearer token and by `session/convert/4` until `DELETE /4/auth/access_token`, which also
   * ends the sessions converted from it. Dies on an unknown account.
   */
  readonly grantAccessToken: (username: string) => Effect.Effect<string>
  /**
   * Queues a fault for the next `times` (default 1) requests to `path` (default: any path); each
   * request consumes the first matching queued fault.
   */
  readonly inject: (
    fault: Fault,
    options?: { readonly path?: string | undefined; readonly times?: number | undefined }
  ) => Effect.Effect<void>
  /**
   * Scripts what the user does on the next approval page(s) the simulator serves over HTTP
   * (`/authenticate/{request_token}` for v3, `/auth/access?request_token=…` for v4): approve
   * for `username` (default: the first account) or deny, for `times` pages (default 1) or
   * `"always"`. Scripts are used in order. The page then redirects to `redirect_to` with
   * `?request_token=…&approved=true` (or `&denied=true`), as TMDB does. Dies on an unknown account.
   */
  readonly scriptApproval: (approval: {
    readonly decision: "approve" | "deny"
    readonly username?: string | undefined
    readonly times?: number | "always" | undefined
  }) => Effect.Effect<void>
  /** Removes every queued fault. */
  readonly clearFaults: Effect.Effect<void>
  /** Every request seen, in order, faulted ones included. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /** The live v3 sessions. */
  readonly sessions: Effect.Effect<ReadonlyArray<SessionInfo>>
}

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
 * @since 0.1.0
 * @category tags
 */
export class TmdbSimulator extends Context.Tag("tmdb-effect/testing/TmdbSimulator")<TmdbSimulator, Service>() {}

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
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: Options): Effect.Effect<Service> =>
  Simulator.make(options, { apiKey, bearerToken, account: defaultAccount })

/**
 * A fresh simulator and an in-memory `HttpClient` talking to it (no sockets).
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
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<TmdbSimulator | HttpClient.HttpClient> =>
  Layer.effectContext(Effect.gen(function*() {
    const service = yield* make(options)
    const handler = yield* Simulator.handlerOf(service)
    return Context.make(TmdbSimulator, service).pipe(Context.add(HttpClient.HttpClient, Memory.makeClient(handler)))
  }))

/**
 * Serves the simulator in context over HTTP on 127.0.0.1 (a random port unless given) and
 * returns its base URL, `"http://127.0.0.1:PORT"`. The server and its connections close with
 * the scope. Requests run in the runtime captured here, so `TestClock` drives expiry too.
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
 * @since 0.1.0
 * @category servers
 */
export const serve = (
  options?: { readonly port?: number | undefined }
): Effect.Effect<string, never, Scope.Scope | TmdbSimulator> =>
  TmdbSimulator.pipe(
    Effect.flatMap(Simulator.handlerOf),
    Effect.flatMap((handler) => Server.serve(handler, options?.port ?? 0))
  )

/**
 * A fresh simulator served on 127.0.0.1, with `TmdbConfig` pointing both `baseUrl` and `webUrl`
 * at it. Provide an `HttpClient` yourself (e.g. `FetchHttpClient.layer`).
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
 * import { Authentication } from "tmdb-effect"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * Authentication.createGuestSession().pipe(
 *   Effect.provide(Layer.mergeAll(TmdbSimulator.layerServer(), TmdbSimulator.credentials, FetchHttpClient.layer))
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerServer = (options?: Options): Layer.Layer<TmdbSimulator | TmdbConfig.TmdbConfig> =>
  Layer.unwrapScoped(
    Effect.map(serve(), (baseUrl) => TmdbConfig.layer({ baseUrl, webUrl: baseUrl }))
  ).pipe(Layer.provideMerge(Layer.effect(TmdbSimulator, make(options))))

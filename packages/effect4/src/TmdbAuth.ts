/**
 * Every endpoint as one service with its requirements already provided, for composing into
 * your own services: `yield* TmdbAuth.TmdbAuth` once, then call endpoints that need nothing.
 *
 * @since 2.0.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as Account from "./Account.js"
import * as Authentication from "./Authentication.js"
import * as AuthV4 from "./AuthV4.js"
import { TmdbConfig } from "./TmdbConfig.js"
import { TmdbCredentials } from "./TmdbCredentials.js"

type Endpoints = Readonly<
  Record<string, (...args: ReadonlyArray<never>) => Effect.Effect<unknown, unknown, Authentication.Requirements>>
>

/**
 * The endpoints of `T` with their requirements provided.
 *
 * @example
 * ```ts
 * import type { Authentication, TmdbAuth } from "tmdb-effect"
 *
 * // createSession as the service offers it: no requirements left
 * type CreateSession = TmdbAuth.Provided<{ createSession: typeof Authentication.createSession }>["createSession"]
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export type Provided<T extends Endpoints> = {
  readonly [K in keyof T]: T[K] extends (...args: infer Args) => Effect.Effect<infer A, infer E, infer _R>
    ? (...args: Args) => Effect.Effect<A, E>
    : never
}

const authentication = {
  validateKey: Authentication.validateKey,
  createGuestSession: Authentication.createGuestSession,
  createRequestToken: Authentication.createRequestToken,
  createSessionWithLogin: Authentication.createSessionWithLogin,
  createSession: Authentication.createSession,
  createSessionFromV4Token: Authentication.createSessionFromV4Token,
  deleteSession: Authentication.deleteSession,
  loginWithPassword: Authentication.loginWithPassword
}

const v4 = {
  createRequestToken: AuthV4.createRequestToken,
  createAccessToken: AuthV4.createAccessToken,
  deleteAccessToken: AuthV4.deleteAccessToken,
  loginToSession: AuthV4.loginToSession
}

const account = {
  // the explicit form: the service has no TmdbSession to read
  details: (input: { readonly session_id: string | Redacted.Redacted<string> }) => Account.details(input)
}

/**
 * The service's shape: the v3 endpoints, the v4 ones and account details, needing nothing.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { TmdbAuth } from "tmdb-effect"
 *
 * const logout = (tmdb: TmdbAuth.Service, session_id: string) => tmdb.authentication.deleteSession({ session_id })
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export interface Service {
  readonly authentication: Provided<typeof authentication>
  readonly v4: Provided<typeof v4>
  readonly account: Provided<typeof account>
}

/**
 * The TMDB authentication service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbAuth } from "tmdb-effect"
 *
 * const whoAmI = (session_id: string) =>
 *   Effect.gen(function*() {
 *     const tmdb = yield* TmdbAuth.TmdbAuth
 *     const account = yield* tmdb.account.details({ session_id })
 *     return account.username
 *   })
 * ```
 *
 * @since 2.0.0
 * @category services
 */
export class TmdbAuth extends /* @__PURE__ */ Context.Service<TmdbAuth, Service>()("tmdb-effect/TmdbAuth") {}

const provideAll = <T extends Endpoints>(
  endpoints: T,
  context: Context.Context<Authentication.Requirements>
) => {
  const provided: Record<string, unknown> = {}
  for (const name in endpoints) {
    const endpoint = endpoints[name]!
    provided[name] = (...args: ReadonlyArray<never>) => Effect.provide(endpoint(...args), context)
  }
  return provided as Provided<T>
}

/**
 * Builds the service from the credentials, HTTP client and `TmdbConfig` in context where it is
 * built: its calls use those, whatever their callers provide. A service built against the
 * simulator (`TmdbSimulator.layerServer()` sets `TmdbConfig.baseUrl`) never sends a request to
 * TMDB; for different settings, build another service with another `TmdbConfig`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { TmdbAuth, TmdbCredentials } from "tmdb-effect"
 *
 * const service = TmdbAuth.make.pipe(
 *   Effect.provide(TmdbCredentials.layerConfig),
 *   Effect.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 2.0.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, Authentication.Requirements> = /* @__PURE__ */ Effect.gen(function*() {
  const context = Context.make(TmdbCredentials, yield* TmdbCredentials).pipe(
    Context.add(HttpClient.HttpClient, yield* HttpClient.HttpClient),
    Context.add(TmdbConfig, yield* TmdbConfig)
  )
  return {
    authentication: provideAll(authentication, context),
    v4: provideAll(v4, context),
    account: provideAll(account, context)
  }
})

/**
 * Provides {@link TmdbAuth}; needs `TmdbCredentials` and an `HttpClient`, and keeps the
 * `TmdbConfig` in force where it is built (the defaults unless a `TmdbConfig` layer is provided
 * to it).
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { TmdbAuth, TmdbCredentials } from "tmdb-effect"
 *
 * const TmdbLive = TmdbAuth.layer.pipe(
 *   Layer.provide(TmdbCredentials.layerConfig),
 *   Layer.provide(FetchHttpClient.layer)
 * )
 *
 * const program = Effect.gen(function*() {
 *   const tmdb = yield* TmdbAuth.TmdbAuth
 *   return yield* tmdb.authentication.createGuestSession()
 * }).pipe(Effect.provide(TmdbLive))
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layer: Layer.Layer<TmdbAuth, never, Authentication.Requirements> = /* @__PURE__ */ Layer.effect(
  TmdbAuth,
  make
)

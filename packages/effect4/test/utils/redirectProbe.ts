/**
 * Bundled for Chromium by browser.test.ts: `probeRedirects(baseUrl, token)` calls TMDB at
 * `baseUrl` (a server that answers every request with a redirect) with `FetchHttpClient` as a web
 * page would — one endpoint, and `RedirectLogin.start` — and reports how each failed.
 */
import { Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { Authentication, TmdbConfig, TmdbCredentials } from "tmdb-effect"
import { RedirectLogin } from "tmdb-effect/browser"

interface Failure {
  readonly tag: string
  readonly httpStatus: number | null
}

const failureOf = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error): Failure => ({
    tag: error._tag,
    httpStatus: "httpStatus" in error && typeof error.httpStatus === "number" ? error.httpStatus : null
  }))

const probeRedirects = (baseUrl: string, token: string) =>
  Effect.runPromise(
    Effect.all({
      createRequestToken: failureOf(Authentication.createRequestToken()),
      start: failureOf(RedirectLogin.start({ returnTo: `${location.origin}/callback` }))
    }).pipe(
      Effect.provide(
        Layer.mergeAll(FetchHttpClient.layer, TmdbCredentials.bearer(token), RedirectLogin.layerSessionStorage)
      ),
      Effect.provide(TmdbConfig.layer({ baseUrl, webUrl: baseUrl, retry: false }))
    )
  )

Object.assign(globalThis, { probeRedirects })

/**
 * The contenders, each a `setup(baseUrl)` returning `{ flow, close }`, where `flow()` runs the
 * login flow once: createRequestToken → validateKey → validate_with_login → session/new →
 * DELETE session (JSON body). tmdb-effect is imported from the built package (`dist/`), as users
 * get it.
 */
import { createRequire } from "node:module"

export const TOKEN =
  "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiIwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZiIsInNjb3BlcyI6WyJhcGlfcmVhZCJdfQ.c2lnbmF0dXJl"
export const USER = { username: "demo", password: "demo-password" }

/** undici as @effect/platform-node depends on it (no direct dependency of ours). */
export const loadUndici = () =>
  createRequire(createRequire(import.meta.url).resolve("@effect/platform-node/package.json"))("undici")

const headers = { authorization: `Bearer ${TOKEN}`, accept: "application/json" }
const jsonHeaders = { ...headers, "content-type": "application/json" }

const check = (status, body) => {
  if (status !== 200 || body.success !== true) throw new Error(`unexpected answer ${status} ${JSON.stringify(body)}`)
  return body
}

/** A hand-written flow over any `call(method, path, body?) => Promise<json>`. */
const plainFlow = (call) => async () => {
  const token = await call("GET", "/3/authentication/token/new")
  await call("GET", "/3/authentication")
  const approved = await call("POST", "/3/authentication/token/validate_with_login", {
    ...USER,
    request_token: token.request_token
  })
  const session = await call("POST", "/3/authentication/session/new", { request_token: approved.request_token })
  await call("DELETE", "/3/authentication/session", { session_id: session.session_id })
}

const fetchClient = async (baseUrl) => ({
  flow: plainFlow(async (method, path, body) => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: body === undefined ? headers : jsonHeaders,
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    return check(response.status, await response.json())
  }),
  close: async () => {}
})

/** Raw undici: the floor. A pool of 20 (TMDB's limit), keep-alive kept after the DELETE too. */
const undiciClient = async (baseUrl) => {
  const { Pool } = loadUndici()
  const pool = new Pool(baseUrl, { connections: 20 })
  return {
    flow: plainFlow(async (method, path, body) => {
      const response = await pool.request({
        method,
        path,
        headers: body === undefined ? headers : jsonHeaders,
        body: body === undefined ? undefined : JSON.stringify(body),
        reset: false
      })
      return check(response.statusCode, await response.body.json())
    }),
    close: () => pool.close()
  }
}

const effectClient = (httpLayer) => async (baseUrl) => {
  const [Effect, Layer, ManagedRuntime, { Authentication, TmdbConfig, TmdbCredentials }, http] = await Promise.all([
    import("effect/Effect"),
    import("effect/Layer"),
    import("effect/ManagedRuntime"),
    import("../dist/index.js"),
    httpLayer()
  ])
  const runtime = ManagedRuntime.make(
    // throughput of the transport: pacing (40 a second by default) is off
    Layer.mergeAll(http, TmdbCredentials.bearer(TOKEN), TmdbConfig.layer({ baseUrl, rateLimit: false }))
  )
  await runtime.runtime()
  const flow = Effect.gen(function*() {
    const token = yield* Authentication.createRequestToken()
    yield* Authentication.validateKey()
    const approved = yield* Authentication.createSessionWithLogin({ ...USER, request_token: token.request_token })
    const session = yield* Authentication.createSession({ request_token: approved.request_token })
    yield* Authentication.deleteSession({ session_id: session.session_id })
  })
  return { flow: () => runtime.runPromise(flow), close: () => runtime.dispose() }
}

const fetchLayer = async () => (await import("@effect/platform/FetchHttpClient")).layer

const nodeTmdbLayer = async () => (await import("../dist/node/index.js")).NodeTmdbHttpClient.layer
const layerUndici = async () => (await import("@effect/platform-node/NodeHttpClient")).layerUndici

export const clients = {
  "fetch": fetchClient,
  "undici Pool": undiciClient,
  "tmdb-effect + FetchHttpClient": effectClient(fetchLayer),
  "tmdb-effect + NodeTmdbHttpClient": effectClient(nodeTmdbLayer),
  "tmdb-effect + layerUndici (no keep-alive after DELETE)": effectClient(layerUndici)
}

/**
 * The contenders, each a `setup(baseUrl)` returning `{ flow, close }`, where `flow()` runs the
 * login flow once: createRequestToken → validateKey → validate_with_login → session/new →
 * DELETE session (JSON body). tmdb-effect is imported from the built package (`dist/`, by the
 * package's own name), as users get it.
 */
import { rmSync } from "node:fs"
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
    import("tmdb-effect"),
    httpLayer()
  ])
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(http, TmdbCredentials.bearer(TOKEN), TmdbConfig.layer({ baseUrl }))
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

/**
 * The floor of any Effect code on this transport: the same 5 requests sent with @effect/platform's
 * `HttpClient` directly (tracing off, JSON.parse of the text), no tmdb-effect.
 */
const platformClient = (httpLayer) => async (baseUrl) => {
  const [Effect, HttpClient, HttpClientRequest, ManagedRuntime, http] = await Promise.all([
    import("effect/Effect"),
    import("@effect/platform/HttpClient"),
    import("@effect/platform/HttpClientRequest"),
    import("effect/ManagedRuntime"),
    httpLayer()
  ])
  const runtime = ManagedRuntime.make(http)
  await runtime.runtime()
  const auth = HttpClientRequest.bearerToken(TOKEN)
  const flow = Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const send = (request) =>
      Effect.flatMap(
        client.execute(HttpClientRequest.acceptJson(auth(request))),
        (response) => Effect.map(response.text, (text) => check(response.status, JSON.parse(text)))
      )
    const json = (request, body) => send(HttpClientRequest.bodyUnsafeJson(request, body))
    const token = yield* send(HttpClientRequest.get(`${baseUrl}/3/authentication/token/new`))
    yield* send(HttpClientRequest.get(`${baseUrl}/3/authentication`))
    const approved = yield* json(HttpClientRequest.post(`${baseUrl}/3/authentication/token/validate_with_login`), {
      ...USER,
      request_token: token.request_token
    })
    const session = yield* json(HttpClientRequest.post(`${baseUrl}/3/authentication/session/new`), {
      request_token: approved.request_token
    })
    yield* json(HttpClientRequest.del(`${baseUrl}/3/authentication/session`), { session_id: session.session_id })
  }).pipe(Effect.locally(HttpClient.currentTracerDisabledWhen, () => true))
  return { flow: () => runtime.runPromise(flow), close: () => runtime.dispose() }
}

/**
 * tmdb-effect/node's `NodeTmdbHttpClient.layer`; before the package exports it, the source file
 * bundled on the spot (effect and @effect/* left as imports).
 */
const nodeTmdbLayer = async () => {
  const node = await import("tmdb-effect/node").catch(() => ({}))
  if (node.NodeTmdbHttpClient !== undefined) return node.NodeTmdbHttpClient.layer
  const root = new URL("..", import.meta.url).pathname
  const esbuild = createRequire(createRequire(import.meta.url).resolve("tsup"))("esbuild")
  const outfile = `${root}.tmp/bench/NodeTmdbHttpClient-${process.pid}.mjs`
  await esbuild.build({
    entryPoints: [`${root}src/node/NodeTmdbHttpClient.ts`],
    bundle: true,
    format: "esm",
    platform: "node",
    outfile,
    external: ["effect", "@effect/*"],
    logLevel: "silent"
  })
  const module = await import(outfile)
  rmSync(outfile)
  return module.layer
}

const fetchLayer = async () => (await import("@effect/platform/FetchHttpClient")).layer

export const clients = {
  "HttpClient alone + NodeTmdbHttpClient": platformClient(nodeTmdbLayer),
  "HttpClient alone + FetchHttpClient": platformClient(fetchLayer),
  "undici Pool": undiciClient,
  "fetch": fetchClient,
  "tmdb-effect + FetchHttpClient": effectClient(fetchLayer),
  "tmdb-effect + NodeTmdbHttpClient": effectClient(nodeTmdbLayer),
  "tmdb-effect + layerUndici": effectClient(async () =>
    (await import("@effect/platform-node/NodeHttpClient")).layerUndici
  )
}

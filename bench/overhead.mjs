/**
 * Library overhead per request, no sockets: `node bench/overhead.mjs [ms]`. Runs the login flow
 * (5 requests) back to back inside one Effect program for `ms` milliseconds each over
 *
 * - `stub`: an in-memory `HttpClient` answering with pre-serialised bodies, already in memory;
 * - `stub, platform only`: the same 5 requests sent with `HttpClient` directly and read as text,
 *   no tmdb-effect (what any Effect HTTP code pays);
 * - `TmdbSimulator.layer()`: the bundled simulator (which does real work: state, tokens, checks).
 *
 * Library overhead = stub − stub, platform only. Prints one JSON line, CPU µs per request.
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Authentication, TmdbConfig, TmdbCredentials } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { TOKEN, USER } from "./clients.mjs"

const budget = Number(process.argv[2] ?? 1500)
const expires = "2036-08-26 17:04:39 UTC"
const token = "1531f1a558c8357ce8990cf887ff196e8f5402ec"
const bodies = new Map([
  ["GET /3/authentication/token/new", { success: true, expires_at: expires, request_token: token }],
  ["GET /3/authentication", { success: true, status_code: 1, status_message: "Success." }],
  ["POST /3/authentication/token/validate_with_login", { success: true, expires_at: expires, request_token: token }],
  ["POST /3/authentication/session/new", { success: true, session_id: "79191836ddaa0da3df76a5ffef6f07ad6ab0c641" }],
  ["DELETE /3/authentication/session", { success: true }]
].map(([key, value]) => [key, JSON.stringify(value)]))
const responseHeaders = Headers.fromInput({ "content-type": "application/json;charset=utf-8" })

/** The least a response can be: the pre-serialised body, already in memory (no streams). */
class StubResponse {
  constructor(request, body) {
    this.request = request
    this.body = body
    this[IncomingMessage.TypeId] = IncomingMessage.TypeId
    this[HttpClientResponse.TypeId] = HttpClientResponse.TypeId
  }
  status = 200
  headers = responseHeaders
  cookies = Cookies.empty
  remoteAddress = Option.none()
  get text() {
    return Effect.succeed(this.body)
  }
  get json() {
    return Effect.sync(() => JSON.parse(this.body))
  }
  get arrayBuffer() {
    return Effect.sync(() => new TextEncoder().encode(this.body).buffer)
  }
  get urlParamsBody() {
    return Effect.die("not used")
  }
  get formData() {
    return Effect.die("not used")
  }
  get stream() {
    return Stream.die("not used")
  }
  toJSON() {
    return { status: this.status }
  }
}

const stub = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request, url) =>
    Effect.succeed(new StubResponse(request, bodies.get(`${request.method} ${url.pathname}`) ?? "{}"))
  )
)

const flow = Effect.gen(function*() {
  const requestToken = yield* Authentication.createRequestToken()
  yield* Authentication.validateKey()
  const approved = yield* Authentication.createSessionWithLogin({ ...USER, request_token: requestToken.request_token })
  const session = yield* Authentication.createSession({ request_token: approved.request_token })
  yield* Authentication.deleteSession({ session_id: session.session_id })
})

const base = "http://tmdb.invalid"
const platformOnly = Effect.gen(function*() {
  const client = yield* HttpClient.HttpClient
  const send = (request) => Effect.flatMap(client.execute(request), (response) => response.text)
  const auth = HttpClientRequest.bearerToken(TOKEN)
  yield* send(auth(HttpClientRequest.get(`${base}/3/authentication/token/new`)))
  yield* send(auth(HttpClientRequest.get(`${base}/3/authentication`)))
  yield* send(
    HttpClientRequest.bodyUnsafeJson(
      auth(HttpClientRequest.post(`${base}/3/authentication/token/validate_with_login`)),
      {
        ...USER,
        request_token: token
      }
    )
  )
  yield* send(
    HttpClientRequest.bodyUnsafeJson(auth(HttpClientRequest.post(`${base}/3/authentication/session/new`)), {
      request_token: token
    })
  )
  yield* send(
    HttpClientRequest.bodyUnsafeJson(auth(HttpClientRequest.del(`${base}/3/authentication/session`)), {
      session_id: "x"
    })
  )
}).pipe(Effect.locally(HttpClient.currentTracerDisabledWhen, () => true))

/**
 * CPU µs per request: warm up, then the best of 6 windows of `budget / 6` ms (the machine may be
 * shared: the best window is the one least disturbed).
 */
const perRequest = (program, layer) =>
  Effect.runPromise(
    Effect.gen(function*() {
      for (let i = 0; i < 300; i++) yield* program
      let best = Infinity
      for (let window = 0; window < 6; window++) {
        let flows = 0
        const started = performance.now()
        const cpu = process.cpuUsage()
        while (performance.now() - started < budget / 6) {
          for (let i = 0; i < 20; i++) yield* program
          flows += 20
        }
        const used = process.cpuUsage(cpu)
        best = Math.min(best, (used.user + used.system) / (flows * 5))
      }
      return best
    }).pipe(Effect.provide(layer))
  )

const credentials = TmdbCredentials.bearer(TOKEN)
const config = TmdbConfig.layer({ baseUrl: base })
// ONLY=library|platform|simulator runs one of them (for `node --cpu-prof`)
const only = process.env.ONLY
const platform = only === undefined || only === "platform" ? await perRequest(platformOnly, stub) : 0
const library = only === undefined || only === "library"
  ? await perRequest(flow, Layer.mergeAll(stub, credentials, config))
  : 0
const simulator = only === undefined || only === "simulator"
  ? await perRequest(flow.pipe(Effect.provide(TmdbSimulator.credentials)), TmdbSimulator.layer())
  : 0
process.stdout.write(
  JSON.stringify({
    platformUs: platform,
    stubUs: library,
    overheadUs: library - platform,
    simulatorUs: simulator
  }) + "\n"
)

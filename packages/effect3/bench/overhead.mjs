/**
 * tmdb-effect's own cost per request, no sockets: `node bench/overhead.mjs [ms]`. Runs the login
 * flow (5 requests) back to back inside one Effect program over
 *
 * - an in-memory `HttpClient` answering with pre-serialised bodies already in memory, through
 *   tmdb-effect, and the same 5 requests sent with `HttpClient` directly, no tmdb-effect (what
 *   any Effect HTTP code pays): alternating rounds, so that a shared machine's changing speed
 *   hits both alike; the overhead is the difference of their medians;
 * - `TmdbSimulator.layer()`, the bundled simulator (which does real work: state, tokens, checks).
 *
 * Prints one JSON line: CPU µs per request (`timedPlatformUs`: the platform alone with
 * `Effect.timeoutFail` around each request).
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
import { Authentication, TmdbConfig, TmdbCredentials } from "../dist/index.js"
import { TmdbSimulator } from "../dist/testing/index.js"
import { TOKEN, USER } from "./clients.mjs"

const budget = Number(process.argv[2] ?? 1500)
const ROUNDS = 6

const expires = "2036-08-26 17:04:39 UTC"
const token = "1531f1a558c8357ce8990cf887ff196e8f5402ec"
const bodies = new Map([
  ["GET /3/authentication/token/new", { success: true, expires_at: expires, request_token: token }],
  ["GET /3/authentication", { success: true, status_code: 1, status_message: "Success." }],
  ["POST /3/authentication/token/validate_with_login", { success: true, expires_at: expires, request_token: token }],
  ["POST /3/authentication/session/new", { success: true, session_id: "79191836ddaa0da3df76a5ffef6f07ad6ab0c641" }],
  ["DELETE /3/authentication/session", { success: true }]
].map(([key, value]) => [key, JSON.stringify(value)]))

/** The least a response can be: the pre-serialised body, already in memory, with its length. */
class StubResponse {
  constructor(request, body) {
    this.request = request
    this.body = body
    this.headers = Headers.fromInput({
      "content-type": "application/json;charset=utf-8",
      "content-length": String(new TextEncoder().encode(body).length)
    })
    this[IncomingMessage.TypeId] = IncomingMessage.TypeId
    this[HttpClientResponse.TypeId] = HttpClientResponse.TypeId
  }
  status = 200
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
    return Stream.succeed(new TextEncoder().encode(this.body))
  }
  toJSON() {
    return { status: this.status }
  }
}

/** The in-memory `HttpClient`. */
const stub = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request, url) =>
    Effect.succeed(new StubResponse(request, bodies.get(`${request.method} ${url.pathname}`) ?? "{}"))
  )
)

/** The login flow (5 requests) through tmdb-effect. */
const flow = Effect.gen(function*() {
  const requestToken = yield* Authentication.createRequestToken()
  yield* Authentication.validateKey()
  const approved = yield* Authentication.createSessionWithLogin({ ...USER, request_token: requestToken.request_token })
  const session = yield* Authentication.createSession({ request_token: approved.request_token })
  yield* Authentication.deleteSession({ session_id: session.session_id })
})

/** Runs `program` `flows` times with `layer`, to warm the JIT up before measuring. */
const warmUp = (program, layer, flows = 300) =>
  Effect.runPromise(Effect.provide(Effect.repeatN(program, flows - 1), layer))

/**
 * Runs `program` (one login flow: 5 requests) back to back for `ms` milliseconds with `layer`
 * and returns the CPU µs it took per request.
 */
const cpuPerRequest = (program, layer, ms) =>
  Effect.runPromise(
    Effect.gen(function*() {
      let flows = 0
      const started = performance.now()
      const cpu = process.cpuUsage()
      while (performance.now() - started < ms) {
        for (let i = 0; i < 20; i++) yield* program
        flows += 20
      }
      const used = process.cpuUsage(cpu)
      return (used.user + used.system) / (flows * 5)
    }).pipe(Effect.provide(layer))
  )

/** The median of some numbers. */
const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]

const base = "http://tmdb.invalid"
/**
 * The same 5 requests with `HttpClient` alone (tracing off, as tmdb-effect has it), read as text;
 * `timed`: each with the `Effect.timeoutFail` tmdb-effect runs around every attempt, the floor of
 * any Effect client that times its requests out this way.
 */
const platformOnly = (timed) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const auth = HttpClientRequest.bearerToken(TOKEN)
    const send = (request) => {
      const sent = Effect.flatMap(client.execute(auth(request)), (response) => response.text)
      return timed ? Effect.timeoutFail(sent, { duration: "10 seconds", onTimeout: () => "timeout" }) : sent
    }
    const json = (request, body) => send(HttpClientRequest.bodyUnsafeJson(request, body))
    yield* send(HttpClientRequest.get(`${base}/3/authentication/token/new`))
    yield* send(HttpClientRequest.get(`${base}/3/authentication`))
    yield* json(HttpClientRequest.post(`${base}/3/authentication/token/validate_with_login`), {
      ...USER,
      request_token: token
    })
    yield* json(HttpClientRequest.post(`${base}/3/authentication/session/new`), { request_token: token })
    yield* json(HttpClientRequest.del(`${base}/3/authentication/session`), { session_id: "x" })
  }).pipe(Effect.locally(HttpClient.currentTracerDisabledWhen, () => true))

const platform = { program: platformOnly(false), layer: stub }
const platformTimed = { program: platformOnly(true), layer: stub }
const library = {
  program: flow,
  // the library's own work per request: pacing (a wait, not work) is off
  layer: Layer.mergeAll(stub, TmdbCredentials.bearer(TOKEN), TmdbConfig.layer({ baseUrl: base, rateLimit: false }))
}
const simulator = { program: flow.pipe(Effect.provide(TmdbSimulator.credentials)), layer: TmdbSimulator.layer() }
for (const { layer, program } of [platform, platformTimed, library, simulator]) await warmUp(program, layer)

const runs = { platform: [], platformTimed: [], library: [], simulator: [] }
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, { layer, program }] of Object.entries({ platform, platformTimed, library, simulator })) {
    runs[name].push(await cpuPerRequest(program, layer, budget / ROUNDS))
  }
}
const platformUs = median(runs.platform)
const libraryUs = median(runs.library)
process.stdout.write(
  JSON.stringify({
    platformUs,
    timedPlatformUs: median(runs.platformTimed),
    libraryUs,
    overheadUs: libraryUs - platformUs,
    simulatorUs: median(runs.simulator)
  }) + "\n"
)

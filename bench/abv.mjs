import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
// in-process A/B of two builds: node bench/abv.mjs <dirA> <dirB> [ms]
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
const [dirA, dirB, msArg] = process.argv.slice(2)
const ms = Number(msArg ?? 150)
const load = async (dir) => ({
  Authentication: await import(`${dir}/Authentication.js`),
  TmdbConfig: await import(`${dir}/TmdbConfig.js`),
  TmdbCredentials: await import(`${dir}/TmdbCredentials.js`)
})
const TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiIwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZiIsInNjb3BlcyI6WyJhcGlfcmVhZCJdfQ.c2lnbmF0dXJl"
const expires = "2036-08-26 17:04:39 UTC"
const token = "1531f1a558c8357ce8990cf887ff196e8f5402ec"
const bodies = new Map([
  ["GET /3/authentication/token/new", { success: true, expires_at: expires, request_token: token }],
  ["GET /3/authentication", { success: true, status_code: 1, status_message: "Success." }],
  ["POST /3/authentication/token/validate_with_login", { success: true, expires_at: expires, request_token: token }],
  ["POST /3/authentication/session/new", { success: true, session_id: "79191836ddaa0da3df76a5ffef6f07ad6ab0c641" }],
  ["DELETE /3/authentication/session", { success: true }]
].map(([k, v]) => [k, JSON.stringify(v)]))
const stub = Layer.succeed(HttpClient.HttpClient, HttpClient.make((request, url) =>
  Effect.succeed(HttpClientResponse.fromWeb(request, new Response(bodies.get(`${request.method} ${url.pathname}`), { headers: { "content-type": "application/json" } })))))

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

const stub2 = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request, url) =>
    Effect.succeed(new StubResponse(request, bodies.get(`${request.method} ${url.pathname}`) ?? "{}"))
  )
)


const setup = async (dir) => {
  const { Authentication, TmdbConfig, TmdbCredentials } = await load(dir)
  const flow = Effect.gen(function*() {
    const t = yield* Authentication.createRequestToken()
    yield* Authentication.validateKey()
    const a = yield* Authentication.createSessionWithLogin({ username: "demo", password: "demo-password", request_token: t.request_token })
    const s = yield* Authentication.createSession({ request_token: a.request_token })
    yield* Authentication.deleteSession({ session_id: s.session_id })
  })
  const layer = Layer.mergeAll(stub2, TmdbCredentials.bearer(TOKEN), TmdbConfig.layer({ baseUrl: "http://tmdb.invalid" }))
  return Effect.runPromise(Effect.gen(function*() {
    for (let i = 0; i < 300; i++) yield* flow
    return (program) => program
  }).pipe(Effect.provide(layer))).then(() => ({ flow, layer }))
}
const A = await setup(dirA), B = await setup(dirB)
const measure = ({ flow, layer }) => Effect.runPromise(Effect.gen(function*() {
  let flows = 0; const start = performance.now(); const cpu = process.cpuUsage()
  while (performance.now() - start < ms) { for (let i = 0; i < 20; i++) yield* flow; flows += 20 }
  const u = process.cpuUsage(cpu); return (u.user + u.system) / (flows * 5)
}).pipe(Effect.provide(layer)))
const ra = [], rb = [], diff = []
for (let r = 0; r < 24; r++) { const a = await measure(A); const b = await measure(B); ra.push(a); rb.push(b); diff.push(b - a) }
const q = (xs) => { const s = [...xs].sort((a, b) => a - b); return `min ${s[0].toFixed(1)} med ${s[Math.floor(s.length / 2)].toFixed(1)}` }
console.log("A", q(ra), "| B", q(rb), "| B-A median", [...diff].sort((x, y) => x - y)[12].toFixed(1))

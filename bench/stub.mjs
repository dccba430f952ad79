/**
 * What the in-memory measurements share (bench/overhead.mjs, bench/ab.mjs): an `HttpClient` that
 * answers the login flow's five requests with pre-serialised bodies already in memory, and the
 * login flow itself, written against any build's modules.
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { USER } from "./clients.mjs"

const expires = "2036-08-26 17:04:39 UTC"
export const token = "1531f1a558c8357ce8990cf887ff196e8f5402ec"
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

/** The in-memory `HttpClient`. */
export const stub = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request, url) =>
    Effect.succeed(new StubResponse(request, bodies.get(`${request.method} ${url.pathname}`) ?? "{}"))
  )
)

/** The login flow (5 requests) over a build's `Authentication` module. */
export const loginFlow = (Authentication) =>
  Effect.gen(function*() {
    const requestToken = yield* Authentication.createRequestToken()
    yield* Authentication.validateKey()
    const approved = yield* Authentication.createSessionWithLogin({
      ...USER,
      request_token: requestToken.request_token
    })
    const session = yield* Authentication.createSession({ request_token: approved.request_token })
    yield* Authentication.deleteSession({ session_id: session.session_id })
  })

/** Runs `program` `flows` times with `layer`, to warm the JIT up before measuring. */
export const warmUp = (program, layer, flows = 300) =>
  Effect.runPromise(Effect.provide(Effect.repeatN(program, flows - 1), layer))

/**
 * Runs `program` (one login flow: 5 requests) back to back for `ms` milliseconds with `layer`
 * and returns the CPU µs it took per request.
 */
export const cpuPerRequest = (program, layer, ms) =>
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
export const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]

/**
 * Paired rounds of two programs, alternating, so that the machine's changing speed (it may be
 * shared) hits both alike: medians of each and of the paired differences (b − a), and the
 * least-disturbed (fastest) window of each, CPU µs per request.
 */
export const paired = async (a, b, rounds, ms) => {
  const results = { a: [], b: [], diff: [] }
  for (let round = 0; round < rounds; round++) {
    const first = await cpuPerRequest(a.program, a.layer, ms)
    const second = await cpuPerRequest(b.program, b.layer, ms)
    results.a.push(first)
    results.b.push(second)
    results.diff.push(second - first)
  }
  return {
    aUs: median(results.a),
    bUs: median(results.b),
    bMinusAUs: median(results.diff),
    bestAUs: Math.min(...results.a),
    bestBUs: Math.min(...results.b)
  }
}

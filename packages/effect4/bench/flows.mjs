/**
 * One measurement of 2.x, in its own process, as 1.x's bench/flows.mjs measures 1.x (same
 * arguments, same JSON line): `node bench/flows.mjs <client> <baseUrl> <concurrency> <warmupMs>
 * <measureMs>`, forked by bench/editions.mjs. The one client, `tmdb-effect + FetchHttpClient`,
 * runs the login flow from `dist/` with pacing off: createRequestToken → validateKey →
 * validate_with_login → session/new → DELETE session.
 */
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { Authentication, TmdbConfig, TmdbCredentials } from "../dist/index.js"

const TOKEN =
  "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiIwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZiIsInNjb3BlcyI6WyJhcGlfcmVhZCJdfQ.c2lnbmF0dXJl"
const USER = { username: "demo", password: "demo-password" }

const [name, baseUrl, concurrencyArg, warmupArg, measureArg] = process.argv.slice(2)
if (name !== "tmdb-effect + FetchHttpClient") throw new Error(`unknown client ${name}`)
const runtime = ManagedRuntime.make(
  Layer.mergeAll(FetchHttpClient.layer, TmdbCredentials.bearer(TOKEN), TmdbConfig.layer({ baseUrl, rateLimit: false }))
)
const flow = Effect.gen(function*() {
  const token = yield* Authentication.createRequestToken()
  yield* Authentication.validateKey()
  const approved = yield* Authentication.createSessionWithLogin({ ...USER, request_token: token.request_token })
  const session = yield* Authentication.createSession({ request_token: approved.request_token })
  yield* Authentication.deleteSession({ session_id: session.session_id })
})

let flows = 0
let phase = "warmup"
const worker = async () => {
  while (phase !== "done") {
    await runtime.runPromise(flow)
    flows++
  }
}
const workers = Array.from({ length: Number(concurrencyArg) }, worker)
await new Promise((resolve) => setTimeout(resolve, Number(warmupArg)))
await new Promise((resolve) => {
  process.once("message", resolve)
  process.send("warm")
})
flows = 0
phase = "measure"
const started = performance.now()
await new Promise((resolve) => setTimeout(resolve, Number(measureArg)))
const elapsed = performance.now() - started
const measured = flows
phase = "done"
await Promise.all(workers)
await runtime.dispose()
process.disconnect()
process.stdout.write(
  JSON.stringify({
    flowsPerSecond: measured / (elapsed / 1000),
    measuredFlows: measured,
    peakRssMb: process.resourceUsage().maxRSS / 1024
  }) + "\n"
)

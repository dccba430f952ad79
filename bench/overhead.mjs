/**
 * Library overhead per request, no sockets: `node bench/overhead.mjs [ms]`. Runs the login flow
 * (5 requests) back to back inside one Effect program for `ms` milliseconds each over
 *
 * - `stub`: an in-memory `HttpClient` answering with pre-serialised bodies, already in memory;
 * - `stub, platform only`: the same 5 requests sent with `HttpClient` directly and read as text,
 *   no tmdb-effect (what any Effect HTTP code pays);
 * - `TmdbSimulator.layer()`: the bundled simulator (which does real work: state, tokens, checks).
 *
 * The first two alternate in 12 paired rounds (the machine may be shared: pairing cancels its
 * changing speed); library overhead = the median of the paired differences (stub − stub,
 * platform only), and also the difference of their least-disturbed windows. Prints one JSON
 * line, CPU µs per request (medians unless named best).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Authentication, TmdbConfig, TmdbCredentials } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { TOKEN, USER } from "./clients.mjs"
import { cpuPerRequest, loginFlow, median, paired, stub, token, warmUp } from "./stub.mjs"

const budget = Number(process.argv[2] ?? 1500)
const flow = loginFlow(Authentication)

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

const credentials = TmdbCredentials.bearer(TOKEN)
const config = TmdbConfig.layer({ baseUrl: base })
const platform = { program: platformOnly, layer: stub }
const library = { program: flow, layer: Layer.mergeAll(stub, credentials, config) }
const simulator = { program: flow.pipe(Effect.provide(TmdbSimulator.credentials)), layer: TmdbSimulator.layer() }
for (const { layer, program } of [platform, library, simulator]) await warmUp(program, layer)

// ONLY=library|platform|simulator runs one of them for `ms` (for `node --cpu-prof`)
const only = { library, platform, simulator }[process.env.ONLY ?? ""]
if (only !== undefined) {
  process.stdout.write(JSON.stringify({ us: await cpuPerRequest(only.program, only.layer, budget) }) + "\n")
} else {
  // platform and library alternate in 12 paired rounds: the overhead is the median difference
  const { aUs, bMinusAUs, bUs, bestAUs, bestBUs } = await paired(platform, library, 12, budget / 12)
  const simulatorRuns = []
  for (let i = 0; i < 3; i++) simulatorRuns.push(await cpuPerRequest(simulator.program, simulator.layer, budget / 6))
  const simulatorUs = median(simulatorRuns)
  process.stdout.write(
    JSON.stringify({
      platformUs: aUs,
      stubUs: bUs,
      overheadUs: bMinusAUs,
      bestOverheadUs: bestBUs - bestAUs,
      simulatorUs
    }) + "\n"
  )
}

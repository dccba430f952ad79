/**
 * One pacing contender, in its own process: `node bench/pacingFlows.mjs <contender> <baseUrl>
 * <limit> <flows> <concurrency> <runs>`, run by bench/pacing.mjs against bench/arrivalServer.mjs.
 * Each run sends `flows` logins with logout (4 requests each), `concurrency` at a time, told the
 * server's `limit` a second; a warm-up run goes first, and the server's window empties between
 * runs. Prints one JSON line per run: flows ok and failed, wall time, and what the server saw.
 */
import { margin } from "../dist/internal/window.js"
import { TOKEN } from "./clients.mjs"

const [contender, baseUrl, limitArg, flowsArg, concurrencyArg, runsArg] = process.argv.slice(2)
const limit = Number(limitArg)
const USER = { username: "demo", password: "demo-password" }

/** Runs `count` tasks, `concurrency` at a time; resolves with how many succeeded, and the first failure. */
const pool = async (count, concurrency, task) => {
  let next = 0
  let ok = 0
  let firstError
  const worker = async () => {
    while (next < count) {
      next++
      await task().then(() => ok++, (error) => firstError ??= String(error?.message ?? error).slice(0, 120))
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { ok, firstError }
}

/**
 * The library's window around bare `fetch`, written plainly: a place from each request's start
 * until `interval` and the margin after its answer (the baseline for the library's own cost).
 */
const holdUntilAnswer = (interval) => {
  const places = []
  let released = []
  const acquire = async () => {
    for (;;) {
      const now = Date.now()
      for (let i = places.length - 1; i >= 0; i--) if (places[i].until <= now) places.splice(i, 1)
      if (places.length < limit) {
        const place = { until: Infinity }
        places.push(place)
        return () => {
          place.until = Date.now() + interval + margin
          const waiting = released
          released = []
          waiting.forEach((wake) => wake())
        }
      }
      const ends = places.map(({ until }) => until).filter(Number.isFinite)
      await new Promise((wake) => {
        if (ends.length > 0) setTimeout(wake, Math.min(...ends) - now)
        else released.push(wake)
      })
    }
  }
  return async (request) => {
    const release = await acquire()
    try {
      return await request()
    } finally {
      release()
    }
  }
}

const contenders = {
  "tmdb-effect + FetchHttpClient": () =>
    effectFlow(async () => (await import("@effect/platform/FetchHttpClient")).layer),
  "tmdb-effect + NodeTmdbHttpClient": () =>
    effectFlow(async () => (await import("../dist/node/index.js")).NodeTmdbHttpClient.layer),
  "bare fetch, same window": async () => {
    const paced = holdUntilAnswer(1000)
    const call = (method, path, body) =>
      paced(async () => {
        const response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) })
        })
        const json = await response.json()
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        return json
      })
    return async () => {
      const { request_token } = await call("GET", "/3/authentication/token/new")
      await call("POST", "/3/authentication/token/validate_with_login", { ...USER, request_token })
      const { session_id } = await call("POST", "/3/authentication/session/new", { request_token })
      await call("DELETE", "/3/authentication/session", { session_id })
    }
  },
  // the seed library's own limiter; its URL is fixed to TMDB's, so its fetch is pointed here
  "@lorenzopant/tmdb rate_limit": async () => {
    const { TMDB } = await import("@lorenzopant/tmdb")
    const realFetch = globalThis.fetch
    globalThis.fetch = (url, init) => realFetch(String(url).replace("https://api.themoviedb.org", baseUrl), init)
    const tmdb = new TMDB(TOKEN, { rate_limit: { max_requests: limit, per_ms: 1000 } })
    return async () => {
      const { request_token } = await tmdb.authentication.create_request_token()
      await tmdb.authentication.create_session_with_login({ ...USER, request_token })
      const { session_id } = await tmdb.authentication.create_session({ request_token })
      await tmdb.authentication.delete_session({ session_id })
    }
  }
}

/** tmdb-effect's flow on one runtime for the process (its client keeps its connections). */
const effectFlow = async (httpLayer) => {
  const [Effect, Layer, ManagedRuntime, { Authentication, TmdbConfig, TmdbCredentials, TmdbRateLimiter }, http] =
    await Promise.all([
      import("effect/Effect"),
      import("effect/Layer"),
      import("effect/ManagedRuntime"),
      import("../dist/index.js"),
      httpLayer()
    ])
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      http,
      TmdbCredentials.bearer(TOKEN),
      TmdbConfig.layer({ baseUrl, rateLimit: { limit, interval: "1 second" } }),
      TmdbRateLimiter.layer
    )
  )
  await runtime.runtime()
  const flow = Effect.flatMap(
    Authentication.loginWithPassword(USER),
    (session) => Authentication.deleteSession({ session_id: session.session_id })
  )
  return () => runtime.runPromise(flow)
}

const setup = contenders[contender]
if (setup === undefined) throw new Error(`unknown contender ${contender}`)
const flow = await setup()
const serverLog = () => fetch(`${baseUrl}/arrivals`).then((response) => response.json())
const windowEmpties = () => new Promise((resolve) => setTimeout(resolve, 1100))

await pool(Math.min(Number(flowsArg), 20), Number(concurrencyArg), flow)
await windowEmpties()
await serverLog()
for (let run = 0; run < Number(runsArg); run++) {
  const started = performance.now()
  const { firstError, ok } = await pool(Number(flowsArg), Number(concurrencyArg), flow)
  const wallMs = performance.now() - started
  const { arrivals, throttled } = await serverLog()
  process.stdout.write(
    `${
      JSON.stringify({ ok, failed: Number(flowsArg) - ok, firstError, wallMs, requests: arrivals.length, throttled })
    }\n`
  )
  await windowEmpties()
}
process.exit(0)

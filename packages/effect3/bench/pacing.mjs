/**
 * Pacing against a rate-limited TMDB: `node bench/pacing.mjs`. A loopback fake TMDB that, like
 * TMDB, answers 429 (code 25, `Retry-After: 1`) to a request beyond `LIMIT` in any sliding second;
 * 200 password logins + logout (4 requests each) at concurrency 32 through tmdb-effect over
 * `NodeTmdbHttpClient`, once paced (`rateLimit: { limit: LIMIT, interval: "1 second" }`) and once
 * with `rateLimit: false`. Prints one JSON line: for each, the 429s provoked, logins completed,
 * and the pace (requests per second the server saw).
 */
import { Effect, Layer } from "effect"
import { createServer } from "node:http"
import { Authentication, TmdbConfig, TmdbCredentials, TmdbRateLimiter } from "../dist/index.js"
import { NodeTmdbHttpClient } from "../dist/node/index.js"
import { TOKEN } from "./clients.mjs"

const LIMIT = Number(process.env.LIMIT ?? 200)
const FLOWS = Number(process.env.FLOWS ?? 200)
const CONCURRENCY = 32

const expires = "2036-08-26 17:04:39 UTC"
const routes = new Map([
  ["GET /3/authentication/token/new", { success: true, expires_at: expires, request_token: "a".repeat(40) }],
  ["POST /3/authentication/token/validate_with_login", {
    success: true,
    expires_at: expires,
    request_token: "a".repeat(40)
  }],
  ["POST /3/authentication/session/new", { success: true, session_id: "b".repeat(40) }],
  ["DELETE /3/authentication/session", { success: true }]
])

const serve = () => {
  const stats = { starts: [], throttled: 0 }
  const server = createServer({ keepAlive: true }, (req, res) => {
    const now = performance.now()
    const recent = stats.starts.filter((t) => t > now - 1000).length
    stats.starts.push(now)
    req.resume()
    req.on("end", () => {
      const path = req.url.split("?")[0]
      const [status, body, headers] = recent >= LIMIT
        ? [429, {
          success: false,
          status_code: 25,
          status_message: "Your request count (#) is over the allowed limit of (40)."
        }, { "retry-after": "1" }]
        : [200, routes.get(`${req.method} ${path}`) ?? {}, {}]
      if (status === 429) stats.throttled++
      res.writeHead(status, { "content-type": "application/json;charset=utf-8", ...headers })
      res.end(JSON.stringify(body))
    })
  })
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, stats })))
}

const run = async (rateLimit) => {
  const { server, stats } = await serve()
  const baseUrl = `http://127.0.0.1:${server.address().port}`
  const flow = Authentication.loginWithPassword({ username: "demo", password: "demo-password" }).pipe(
    Effect.flatMap((session) => Authentication.deleteSession({ session_id: session.session_id })),
    Effect.as(true),
    Effect.catchAll(() => Effect.succeed(false))
  )
  const started = performance.now()
  const results = await Effect.runPromise(
    Effect.forEach(Array.from({ length: FLOWS }), () => flow, { concurrency: CONCURRENCY }).pipe(
      Effect.provide(
        Layer.mergeAll(
          NodeTmdbHttpClient.layer,
          TmdbCredentials.bearer(TOKEN),
          TmdbConfig.layer({ baseUrl, rateLimit }),
          TmdbRateLimiter.layer
        )
      )
    )
  )
  const seconds = (performance.now() - started) / 1000
  server.closeAllConnections()
  server.close()
  return {
    throttled: stats.throttled,
    loginsCompleted: results.filter(Boolean).length,
    requests: stats.starts.length,
    requestsPerSecond: stats.starts.length / seconds
  }
}

const paced = await run({ limit: LIMIT, interval: "1 second" })
const unpaced = await run(false)
console.log(JSON.stringify({ limit: LIMIT, flows: FLOWS, concurrency: CONCURRENCY, paced, unpaced }))

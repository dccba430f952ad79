/**
 * A fake TMDB that counts as TMDB does: each request when it arrives. It answers the login flow
 * (validate key, request token, validate with login, session, logout) and, past `limit` arrivals
 * in any sliding `interval`, TMDB's throttling answer (429, code 25, `Retry-After: 1`); a
 * throttled request does not count, as in the simulator. It logs every arrival, throttled or
 * not, so pacing is judged by what reached the server.
 *
 *   node bench/arrivalServer.mjs <limit> [intervalMs]    # prints {"port":…}, serves until killed
 *
 * `GET /arrivals` (not counted) answers `{ arrivals: [epoch ms…], throttled }` and starts a new log.
 * The tests (test/utils/arrivalServer.ts) and `bench/pacing.mjs` run it in a process of its own,
 * so the client's event loop does not decide when a request "arrives".
 */
import { createServer } from "node:http"

const expires = "2036-08-26 17:04:39 UTC"
const token = { success: true, expires_at: expires, request_token: "a".repeat(40) }
const routes = new Map([
  ["GET /3/authentication", { success: true }],
  ["GET /3/authentication/token/new", token],
  ["POST /3/authentication/token/validate_with_login", token],
  ["POST /3/authentication/session/new", { success: true, session_id: "b".repeat(40) }],
  ["DELETE /3/authentication/session", { success: true }]
])
const throttling = {
  success: false,
  status_code: 25,
  status_message: "Your request count (#) is over the allowed limit of (40)."
}

/** Serves on 127.0.0.1 (a free port); resolves with the server. */
export const serve = ({ limit, interval = 1000 }) => {
  let log = { arrivals: [], throttled: 0 }
  /** The arrivals that were let in, for the window. */
  let admitted = []
  const server = createServer({ keepAlive: true }, (req, res) => {
    const now = performance.timeOrigin + performance.now()
    const path = req.url.split("?")[0]
    if (path === "/arrivals") {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify(log))
      log = { arrivals: [], throttled: 0 }
      return
    }
    log.arrivals.push(now)
    admitted = admitted.filter((at) => at > now - interval)
    const throttled = admitted.length >= limit
    if (throttled) log.throttled++
    else admitted.push(now)
    req.resume()
    req.on("end", () => {
      const body = throttled ? throttling : routes.get(`${req.method} ${path}`) ?? {}
      res.writeHead(throttled ? 429 : 200, {
        "content-type": "application/json;charset=utf-8",
        ...(throttled ? { "retry-after": "1" } : {})
      })
      res.end(JSON.stringify(body))
    })
  })
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await serve({ limit: Number(process.argv[2]), interval: Number(process.argv[3] ?? 1000) })
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`)
}

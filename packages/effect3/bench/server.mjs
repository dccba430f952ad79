/**
 * A loopback fake of TMDB's auth endpoints for the benchmarks: node:http, keep-alive, bodies
 * serialised once at start, request bodies drained and not parsed. Run by bench/run.mjs as a
 * child process (IPC): it sends `{ port }` when listening and answers `"stats"` with its
 * connection and request counts and its own CPU time since the last `"reset"`.
 */
import { createServer } from "node:http"

const expires = "2036-08-26 17:04:39 UTC"
const token = "1531f1a558c8357ce8990cf887ff196e8f5402ec"
const session = "79191836ddaa0da3df76a5ffef6f07ad6ab0c641"

const json = (value) => Buffer.from(JSON.stringify(value))
const routes = new Map([
  ["GET /3/authentication/token/new", json({ success: true, expires_at: expires, request_token: token })],
  ["GET /3/authentication", json({ success: true, status_code: 1, status_message: "Success." })],
  [
    "POST /3/authentication/token/validate_with_login",
    json({ success: true, expires_at: expires, request_token: token })
  ],
  ["POST /3/authentication/session/new", json({ success: true, session_id: session })],
  ["DELETE /3/authentication/session", json({ success: true })]
])
const unauthorized = json({
  success: false,
  status_code: 7,
  status_message: "Invalid API key: You must be granted a valid key."
})
const notFound = json({
  success: false,
  status_code: 34,
  status_message: "The resource you requested could not be found."
})

let connections = 0
let requests = 0
let cpu = process.cpuUsage()
let started = performance.now()

const send = (res, status, body) => {
  res.writeHead(status, {
    "content-type": "application/json;charset=utf-8",
    "content-length": body.length
  })
  res.end(body)
}

const server = createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (req, res) => {
  requests++
  const query = req.url.indexOf("?")
  const body = routes.get(`${req.method} ${query === -1 ? req.url : req.url.slice(0, query)}`)
  const answer = () => {
    if (req.headers.authorization === undefined) send(res, 401, unauthorized)
    else if (body === undefined) send(res, 404, notFound)
    else send(res, 200, body)
  }
  if (req.method === "GET") answer()
  else {
    req.on("data", () => {})
    req.on("end", answer)
  }
})
server.keepAliveTimeout = 60_000
server.headersTimeout = 61_000
server.on("connection", () => connections++)

process.on("message", (message) => {
  if (message === "reset") {
    connections = 0
    requests = 0
    cpu = process.cpuUsage()
    started = performance.now()
    process.send({ reset: true })
  } else if (message === "stats") {
    const used = process.cpuUsage(cpu)
    process.send({
      connections,
      requests,
      cpuMs: (used.user + used.system) / 1000,
      wallMs: performance.now() - started
    })
  } else if (message === "close") {
    server.closeAllConnections()
    server.close(() => process.exit(0))
  }
})

// the benchmark process went away (crashed, interrupted): go too
process.on("disconnect", () => process.exit(0))

server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }))

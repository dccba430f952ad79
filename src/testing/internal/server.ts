/**
 * The simulator over HTTP on 127.0.0.1, with the same handler as the in-memory client.
 * `node:http` is imported when a server starts, so the rest of the simulator runs without Node.
 */
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import type * as Scope from "effect/Scope"
import type * as Http from "node:http"
import { listen } from "../../internal/loopback.js"
import type { Handler } from "./core.js"
import type { Head, Outcome } from "./wire.js"

const readBody = (request: Http.IncomingMessage): Effect.Effect<string | undefined> =>
  Effect.async((resume) => {
    const chunks: Array<Uint8Array> = []
    request.on("data", (chunk: Uint8Array) => chunks.push(chunk))
    request.on("end", () => resume(Effect.succeed(Buffer.concat(chunks).toString("utf8"))))
    request.on("error", () => resume(Effect.succeed(undefined)))
  })

const headOf = (request: Http.IncomingMessage, baseUrl: string): Head => {
  const url = new URL(request.url ?? "/", baseUrl)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value
  }
  return {
    method: request.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    origin: baseUrl
  }
}

const write = (request: Http.IncomingMessage, response: Http.ServerResponse, outcome: Outcome): void => {
  if (outcome._tag === "Answer") {
    response.writeHead(outcome.status, outcome.headers).end(outcome.body)
  } else if (outcome._tag === "Truncated") {
    // Fewer bytes than Content-Length announces, then the connection closes.
    response.writeHead(outcome.status, outcome.headers)
    response.write(outcome.body, () => request.socket.destroy())
  } else {
    // Refused or dropped: the client sees its connection closed without an answer.
    request.socket.destroy()
  }
}

/** Serves the handler on 127.0.0.1 until the scope closes; returns `"http://127.0.0.1:PORT"`. */
export const serve = (handler: Handler, port: number): Effect.Effect<string, never, Scope.Scope> =>
  Effect.gen(function*() {
    const http = yield* Effect.promise(() => import("node:http"))
    // Requests run with this runtime (its Clock included) and are interrupted with the scope.
    const run = yield* FiberSet.makeRuntime<never>()
    const server = http.createServer()
    const listening = yield* Effect.orDie(listen(server, port))
    const baseUrl = `http://127.0.0.1:${listening}`
    server.on("request", (request: Http.IncomingMessage, response: Http.ServerResponse) => {
      run(
        Effect.map(handler(headOf(request, baseUrl), readBody(request)), (outcome) => write(request, response, outcome))
      )
    })
    return baseUrl
  })

/**
 * The simulator's app over HTTP on 127.0.0.1: `node:http` in front of the app's web handler,
 * the same app the in-memory `fetch` calls. `node:http` is imported when a server starts, so
 * the rest of the simulator runs without Node.
 */
import * as HttpApp from "@effect/platform/HttpApp"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type * as Http from "node:http"
import { listen } from "../../internal/loopback.js"
import { Connection } from "./connection.js"

type WebHandler = (request: Request, context?: Context.Context<never>) => Promise<Response>

const toRequest = async (incoming: Http.IncomingMessage, baseUrl: string, signal: AbortSignal): Promise<Request> => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value)
  }
  const chunks: Array<Uint8Array> = []
  for await (const chunk of incoming) chunks.push(chunk as Uint8Array)
  const method = incoming.method ?? "GET"
  return new Request(new URL(incoming.url ?? "/", baseUrl), {
    method,
    headers,
    signal,
    ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) })
  })
}

/**
 * Writes the answer. A body that fails part-way is how an app breaks off an answer: what it
 * produced is sent (fewer bytes than a `Content-Length` announced), then the connection closes.
 */
const write = async (response: Response, outgoing: Http.ServerResponse): Promise<void> => {
  outgoing.statusCode = response.status
  response.headers.forEach((value, name) => outgoing.setHeader(name, value))
  const chunks: Array<Uint8Array> = []
  const reader = response.body?.getReader()
  try {
    for (let read = await reader?.read(); read?.done === false; read = await reader?.read()) chunks.push(read.value)
  } catch {
    outgoing.write(Buffer.concat(chunks), () => outgoing.destroy())
    return
  }
  outgoing.end(Buffer.concat(chunks))
}

/** Answers one request with the handler; the client hanging up interrupts the app. */
const answer = async (
  handler: WebHandler,
  baseUrl: string,
  incoming: Http.IncomingMessage,
  outgoing: Http.ServerResponse
): Promise<void> => {
  const abort = new AbortController()
  outgoing.on("close", () => {
    if (!outgoing.writableFinished) abort.abort()
  })
  let closed = false
  const connection = Connection.of({
    close: () =>
      Effect.zipRight(
        Effect.sync(() => {
          closed = true
          incoming.socket.destroy()
        }),
        Effect.interrupt
      )
  })
  const response = await handler(await toRequest(incoming, baseUrl, abort.signal), Context.make(Connection, connection))
  if (!closed) await write(response, outgoing)
}

/** Serves the app on 127.0.0.1 until the scope closes; returns `"http://127.0.0.1:PORT"`. */
export const serve = (app: HttpApp.Default, port: number): Effect.Effect<string, never, Scope.Scope> =>
  Effect.gen(function*() {
    const http = yield* Effect.promise(() => import("node:http"))
    // Requests run with this runtime (its Clock included); closing the scope closes their connections.
    const handler = HttpApp.toWebHandlerRuntime(yield* Effect.runtime<never>())(app)
    const server = http.createServer()
    const listening = yield* Effect.orDie(listen(server, port))
    const baseUrl = `http://127.0.0.1:${listening}`
    server.on("request", (incoming: Http.IncomingMessage, outgoing: Http.ServerResponse) => {
      answer(handler, baseUrl, incoming, outgoing).catch(() => incoming.socket.destroy())
    })
    return baseUrl
  })

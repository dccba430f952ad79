/**
 * The simulator's app over HTTP on 127.0.0.1: `node:http` in front of the app's web handler,
 * the same app the in-memory `fetch` calls. `node:http` is imported when a server starts, so
 * the rest of the simulator runs without Node. As the login's callback server does, it answers
 * only requests sent to its own address (`Host` `127.0.0.1:PORT` or `localhost:PORT`): a DNS
 * name rebound to 127.0.0.1 gets a 400, no CORS header, and nothing processed. A body is read
 * from the socket only as the app pulls it (the app stops at its limit), and a connection whose
 * request body was not read to its end is closed after the answer.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type * as NodeHttp from "node:http"
import { listen, ownHosts } from "../../internal/util/loopback.js"
import { webHandler } from "./app.js"
import type { App } from "./app.js"
import { Connection } from "./connection.js"

type WebHandler = ReturnType<typeof webHandler>

/**
 * The request's body as the app reads it: each pull reads the socket for one more chunk, and
 * cancelling just stops reading (destroying the request would lose the answer).
 */
const bodyOf = (incoming: NodeHttp.IncomingMessage): ReadableStream<Uint8Array> => {
  const chunks: AsyncIterator<Uint8Array> = incoming[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      const next = await chunks.next()
      if (next.done === true) controller.close()
      else controller.enqueue(next.value)
    },
    cancel: () => undefined
  }, { highWaterMark: 0 })
}

const toRequest = (incoming: NodeHttp.IncomingMessage, url: URL, signal: AbortSignal): Request => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value)
  }
  const method = incoming.method ?? "GET"
  return new Request(url, {
    method,
    headers,
    signal,
    ...(method === "GET" || method === "HEAD" ? {} : { body: bodyOf(incoming), duplex: "half" })
  })
}

/**
 * The request's URL, when it was sent to one of `hosts` with a path (`/…`); `undefined` for
 * another `Host` (or none) and any other request target (`*`, an absolute URL).
 */
const urlOf = (incoming: NodeHttp.IncomingMessage, hosts: ReadonlyArray<string>): URL | undefined => {
  const host = incoming.headers.host?.toLowerCase()
  const target = incoming.url ?? ""
  if (host === undefined || !hosts.includes(host) || !target.startsWith("/")) return undefined
  try {
    return new URL(`http://${host}${target}`)
  } catch {
    return undefined
  }
}

const misdirected = (outgoing: NodeHttp.ServerResponse, hosts: ReadonlyArray<string>): void => {
  outgoing.writeHead(400, {
    "content-type": "text/plain;charset=utf-8",
    "cache-control": "no-store",
    connection: "close"
  })
  outgoing.end(`TmdbSimulator answers only requests sent to ${hosts.join(" or ")}.\n`)
}

/**
 * Writes the answer. A body that fails part-way is how an app breaks off an answer: what it
 * produced is sent (fewer bytes than a `Content-Length` announced), then the connection closes.
 */
const write = async (
  response: Response,
  incoming: NodeHttp.IncomingMessage,
  outgoing: NodeHttp.ServerResponse
): Promise<void> => {
  outgoing.statusCode = response.status
  response.headers.forEach((value, name) => outgoing.setHeader(name, value))
  // The rest of an unread body stays unread: the connection ends with this answer.
  if (!incoming.complete) outgoing.setHeader("connection", "close")
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
  hosts: ReadonlyArray<string>,
  incoming: NodeHttp.IncomingMessage,
  outgoing: NodeHttp.ServerResponse
): Promise<void> => {
  const url = urlOf(incoming, hosts)
  if (url === undefined) return misdirected(outgoing, hosts)
  const abort = new AbortController()
  outgoing.on("close", () => {
    if (!outgoing.writableFinished) abort.abort()
  })
  let closed = false
  const connection: Connection = {
    close: () =>
      Effect.andThen(
        Effect.sync(() => {
          closed = true
          incoming.socket.destroy()
        }),
        Effect.interrupt
      )
  }
  const response = await handler(toRequest(incoming, url, abort.signal), Context.make(Connection, connection))
  if (!closed) await write(response, incoming, outgoing)
}

/** Serves the app on 127.0.0.1 until the scope closes; returns `"http://127.0.0.1:PORT"`. */
export const serve = (app: App, port: number): Effect.Effect<string, never, Scope.Scope> =>
  Effect.gen(function*() {
    const http = yield* Effect.promise(() => import("node:http"))
    // Requests run with these services (the Clock included); closing the scope closes their connections.
    const handler = webHandler(app, yield* Effect.context<never>())
    const server = http.createServer()
    const listening = yield* Effect.orDie(listen(server, port))
    const hosts = ownHosts(listening)
    server.on("request", (incoming: NodeHttp.IncomingMessage, outgoing: NodeHttp.ServerResponse) => {
      answer(handler, hosts, incoming, outgoing).catch(() => incoming.socket.destroy())
    })
    return `http://127.0.0.1:${listening}`
  })

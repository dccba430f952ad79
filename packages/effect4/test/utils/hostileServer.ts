/**
 * A server on 127.0.0.1 that answers as the test says, for answers the simulator has no fault
 * for (a redirect to another origin, an endless body). It reads each request whole first.
 */
import { Effect } from "effect"
import type { Scope } from "effect"
import { createServer } from "node:http"
import type { IncomingMessage, ServerResponse } from "node:http"
import { createServer as createNetServer } from "node:net"
import type { Socket } from "node:net"
import { listen } from "./listen.js"

/** A request as the server received it. */
export interface Received {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage["headers"]
  readonly body: string
}

export type Handler = (request: Received, response: ServerResponse) => void

/** Serves `handler` on 127.0.0.1 for the scope; succeeds with the base URL. */
export const serve = (handler: Handler): Effect.Effect<string, never, Scope.Scope> =>
  Effect.suspend(() => {
    const server = createServer((request, response) => {
      const chunks: Array<Buffer> = []
      request.on("data", (chunk: Buffer) => chunks.push(chunk))
      request.on("end", () => {
        const received = {
          method: request.method ?? "",
          url: request.url ?? "",
          headers: request.headers,
          body: Buffer.concat(chunks).toString("utf8")
        }
        handler(received, response)
      })
    })
    return Effect.map(listen(server), (port) => `http://127.0.0.1:${port}`)
  })

/**
 * A server on 127.0.0.1 that writes raw bytes: for answers whose HTTP framing lies (a
 * `Content-Length` shorter than the body, or next to `Transfer-Encoding: chunked`), which
 * `node:http` would not send. `answer` gets each connection once its request head has arrived.
 */
export const serveRaw = (answer: (socket: Socket) => void): Effect.Effect<string, never, Scope.Scope> =>
  Effect.suspend(() => {
    const server = createNetServer((socket) => {
      let head = ""
      const onData = (data: Buffer) => {
        head += data.toString("latin1")
        if (!head.includes("\r\n\r\n")) return
        socket.off("data", onData)
        answer(socket)
      }
      socket.on("data", onData)
    })
    return Effect.map(listen(server), (port) => `http://127.0.0.1:${port}`)
  })

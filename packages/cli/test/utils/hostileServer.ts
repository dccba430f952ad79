/**
 * A server on 127.0.0.1 that answers as the test says, for answers the simulator has no fault
 * for (a hostile username, an echo of the request). It reads each request whole first.
 */
import { Effect } from "effect"
import type { Scope } from "effect"
import { createServer } from "node:http"
import type { IncomingMessage, ServerResponse } from "node:http"
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

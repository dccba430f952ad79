/**
 * The loopback server the browser is redirected to after approval: 127.0.0.1, a free port,
 * closed (with its connections) when the scope closes.
 */
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import { listen } from "../../internal/loopback.js"

/** A request that reached the callback path; the browser waits until `reply`. */
export interface Callback {
  readonly query: Readonly<Record<string, string>>
  readonly reply: (status: number, html: string) => Effect.Effect<void>
}

export interface Server {
  /** `http://127.0.0.1:PORT/PATH` */
  readonly url: string
  /** The next request to the callback path. */
  readonly next: Effect.Effect<Callback>
}

const reply = (response: Http.ServerResponse) => (status: number, html: string): Effect.Effect<void> =>
  Effect.async<undefined>((resume) => {
    if (response.headersSent || response.writableEnded) return resume(Effect.succeed(undefined))
    response.writeHead(status, {
      "content-type": "text/html;charset=utf-8",
      "cache-control": "no-store",
      connection: "close"
    })
    response.end(html, () => resume(Effect.succeed(undefined)))
    response.once("close", () => resume(Effect.succeed(undefined)))
  })

/** Starts the server; fails with the listen error's code (e.g. `"EADDRINUSE"`). */
export const start = (options: {
  readonly port: number
  readonly path: string
}): Effect.Effect<Server, string, Scope.Scope> =>
  Effect.gen(function*() {
    const callbacks = yield* Effect.acquireRelease(Queue.unbounded<Callback>(), Queue.shutdown)
    const server = Http.createServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1")
      if (request.method !== "GET" || url.pathname !== options.path) {
        response.writeHead(404, { "content-type": "text/plain;charset=utf-8", connection: "close" }).end("Not found\n")
        return
      }
      Queue.unsafeOffer(callbacks, { query: Object.fromEntries(url.searchParams), reply: reply(response) })
    })
    const port = yield* Effect.mapError(listen(server, options.port), (error) => error.code ?? error.message)
    return { url: `http://127.0.0.1:${port}${options.path}`, next: Queue.take(callbacks) }
  })

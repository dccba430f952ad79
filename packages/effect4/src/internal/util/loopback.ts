/**
 * Listening on 127.0.0.1 for the lifetime of a scope: the simulator's server and the browser
 * login's callback server. Types only from Node, so importing this loads nothing Node-specific.
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type * as NodeHttp from "node:http"
import type * as Net from "node:net"

/**
 * Listens on 127.0.0.1 at `port` (0: a free one) and succeeds with the port; when the scope
 * closes, stops listening and destroys open connections (keep-alive and in-flight ones would
 * hold the server open). Fails with the listen error (e.g. code `EADDRINUSE`).
 */
export const listen = (
  server: NodeHttp.Server,
  port: number
): Effect.Effect<number, NodeJS.ErrnoException, Scope.Scope> => {
  const sockets = new Set<Net.Socket>()
  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  return Effect.acquireRelease(
    Effect.callback<number, NodeJS.ErrnoException>((resume) => {
      server.once("error", (error: NodeJS.ErrnoException) => resume(Effect.fail(error)))
      server.listen(port, "127.0.0.1", () => {
        const address = server.address()
        resume(
          address === null || typeof address === "string"
            ? Effect.fail(new Error("the server has no TCP address"))
            : Effect.succeed(address.port)
        )
      })
    }),
    () =>
      Effect.callback<undefined>((resume) => {
        server.close(() => resume(Effect.succeed(undefined)))
        for (const socket of sockets) socket.destroy()
      })
  )
}

/**
 * The `Host` a request to our server on 127.0.0.1 at `port` may carry: `127.0.0.1:PORT` or
 * `localhost:PORT`. Any other name (a DNS name rebound to 127.0.0.1, a page on another origin)
 * gets no answer.
 */
export const ownHosts = (port: number): ReadonlyArray<string> => [`127.0.0.1:${port}`, `localhost:${port}`]

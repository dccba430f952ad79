/**
 * A test server's life on 127.0.0.1: listening on a free port for the scope, and on release every
 * open connection destroyed before the server closes (a hostile answer may never end on its own).
 */
import { Effect } from "effect"
import type { Scope } from "effect"
import type { Server, Socket } from "node:net"

/** Starts `server` (a `node:net` or `node:http` one) on a free port of 127.0.0.1; succeeds with the port. */
export const listen = (server: Server): Effect.Effect<number, never, Scope.Scope> => {
  const sockets = new Set<Socket>()
  server.on("connection", (socket: Socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
    socket.on("error", () => undefined)
  })
  return Effect.acquireRelease(
    Effect.callback<number>((resume) => {
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
      })
    }),
    () =>
      Effect.callback<undefined>((resume) => {
        sockets.forEach((socket) => socket.destroy())
        server.close(() => resume(Effect.succeed(undefined)))
      })
  )
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago and has nothing listening on it: for a
 * refused connection, or a server started on a known port.
 */
import { Effect } from "effect"
import { createServer } from "node:net"

export const freePort = Effect.callback<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    server.close(() => resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0)))
  })
})

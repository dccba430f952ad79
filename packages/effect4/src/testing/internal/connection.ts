/**
 * The connection under a request, for the faults that end it without an answer. Each transport
 * provides its own with every request: the in-memory `fetch` rejects as Node's does, the server
 * destroys the socket.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"

/** Refused: before the request was read; reset: any time after. */
export type Closing = "refused" | "reset"

/** Closes the connection without an answer; the request's handling ends there (interrupted). */
export interface Connection {
  readonly close: (closing: Closing) => Effect.Effect<never>
}

/** The request's {@link Connection}; a transport that has none dies when a fault needs it. */
export const Connection: Context.Reference<Connection> = Context.Reference<Connection>(
  "tmdb-effect/testing/Connection",
  {
    defaultValue: () => ({
      close: () => Effect.die(new Error("TmdbSimulator: this transport has no connection to close"))
    })
  }
)

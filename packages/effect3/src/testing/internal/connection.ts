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
export class Connection extends Context.Reference<Connection>()("tmdb-effect/testing/Connection", {
  defaultValue: (): { readonly close: (closing: Closing) => Effect.Effect<never> } => ({
    close: () => Effect.dieMessage("TmdbSimulator: this transport has no connection to close")
  })
}) {}

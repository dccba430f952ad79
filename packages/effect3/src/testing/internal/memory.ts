/**
 * The simulator's app as an in-memory `fetch`, for `FetchHttpClient`: no sockets. The app runs
 * on the runtime it is given (its `Clock` included, so `TestClock` drives delays and expiry),
 * and an aborted request interrupts it.
 */
import * as HttpApp from "@effect/platform/HttpApp"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Runtime from "effect/Runtime"
import { Connection } from "./connection.js"
import type { Closing } from "./connection.js"

/** A connection error as Node's `fetch` reports it. */
const connectionError = (closing: Closing, url: URL): Error => {
  const port = url.port !== "" ? url.port : url.protocol === "https:" ? "443" : "80"
  return closing === "refused"
    ? Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: "ECONNREFUSED" })
    : Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })
}

/** A `fetch` answering from the app; a closed connection rejects it, as a network error does. */
export const makeFetch = (app: HttpApp.Default, runtime: Runtime.Runtime<never>): typeof globalThis.fetch => {
  const handler = HttpApp.toWebHandlerRuntime(runtime)(app)
  return (input, init) =>
    new Promise((resolve, reject) => {
      const request = new Request(input, init)
      const connection = Connection.of({
        close: (closing) =>
          Effect.zipRight(Effect.sync(() => reject(connectionError(closing, new URL(request.url)))), Effect.interrupt)
      })
      handler(request, Context.make(Connection, connection)).then(resolve, reject)
    })
}

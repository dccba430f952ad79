/**
 * The simulator's app as an in-memory `fetch`, for `FetchHttpClient`: no sockets. The app runs
 * with the services it is given (its `Clock` included, so `TestClock` drives delays and expiry),
 * and an aborted request interrupts it.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { webHandler } from "./app.js"
import type { App } from "./app.js"
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
export const makeFetch = (app: App, services: Context.Context<never>): typeof globalThis.fetch => {
  const handler = webHandler(app, services)
  return (input, init) =>
    new Promise((resolve, reject) => {
      const request = new Request(input, init)
      const connection: Connection = {
        close: (closing) =>
          Effect.andThen(Effect.sync(() => reject(connectionError(closing, new URL(request.url)))), Effect.interrupt)
      }
      handler(request, Context.make(Connection, connection)).then(resolve, reject)
    })
}

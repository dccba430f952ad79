/**
 * The loopback server the browser is redirected to after approval: 127.0.0.1, a free port,
 * closed (with its connections) when the scope closes. Only this login's callback (the one rule
 * of `internal/login/callback.ts`) reaches the login; anything else is answered 400 at once, and
 * the login keeps waiting.
 *
 * `node:http` rather than `NodeHttpServer`: the server answers one kind of request with a page,
 * must drop its connections the moment the login ends (`internal/util/loopback.ts` does), and is
 * bundled into the `tmdb-auth` CLI, where the platform's server would bring its WebSocket,
 * multipart and graceful-shutdown machinery along for nothing.
 */
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Result from "effect/Result"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type { Outcome } from "../../internal/login/callback.js"
import { callbackPath, checkCallback, makeState } from "../../internal/login/callback.js"
import { listen, ownHosts } from "../../internal/util/loopback.js"

/** This login's callback; the browser waits until `reply`. */
export interface Callback {
  readonly outcome: Outcome
  readonly reply: (status: number, html: string) => Effect.Effect<void>
}

export interface Server {
  /** `http://127.0.0.1:PORT/PATH/STATE`, for `redirect_to`. */
  readonly url: string
  /**
   * Waits for the callback of the login that created `requestToken` (requests before this is
   * called are refused: no one can know the token yet).
   */
  readonly callbackFor: (requestToken: string) => Effect.Effect<Callback>
}

/** A page for the browser that came back: a title and one paragraph of text (neither escaped). */
export const page = (title: string, text: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body></html>`

const notThisLogin = page("Not this login", "This is not the approval the login in your terminal is waiting for.")

const headers = { "content-type": "text/html;charset=utf-8", "cache-control": "no-store", connection: "close" }

const reply = (response: Http.ServerResponse) => (status: number, html: string): Effect.Effect<void> =>
  Effect.callback<undefined>((resume) => {
    if (response.headersSent || response.writableEnded) return resume(Effect.undefined)
    response.writeHead(status, headers)
    response.end(html, () => resume(Effect.undefined))
    response.once("close", () => resume(Effect.undefined))
  })

/** Starts the server; fails with the listen error's code (e.g. `"EADDRINUSE"`). */
export const start = (options: {
  readonly port: number
  readonly path: string
}): Effect.Effect<Server, string, Scope.Scope> =>
  Effect.gen(function*() {
    const state = yield* makeState
    const callbacks = yield* Effect.acquireRelease(Queue.unbounded<Callback>(), Queue.shutdown)
    // Set once: the port when listening, the token once the login has created it.
    let port = 0
    let requestToken: string | undefined
    const server = Http.createServer((request, response) => {
      const checked = requestToken === undefined ? Result.fail({ reason: "too early" }) : checkCallback({
        path: options.path,
        state,
        requestToken,
        url: request.url ?? "/",
        method: request.method,
        host: request.headers.host,
        allowedHosts: ownHosts(port)
      })
      if (Result.isFailure(checked)) {
        response.writeHead(400, headers).end(notThisLogin)
        return
      }
      Queue.offerUnsafe(callbacks, { outcome: checked.success, reply: reply(response) })
    })
    port = yield* Effect.mapError(listen(server, options.port), (error) => error.code ?? error.message)
    return {
      url: `http://127.0.0.1:${port}${callbackPath(options.path, state)}`,
      callbackFor: (token) => Effect.andThen(Effect.sync(() => void (requestToken = token)), Queue.take(callbacks))
    }
  })

/**
 * The loopback server the browser is redirected to after approval: 127.0.0.1, a free port,
 * closed (with its connections) when the scope closes. Only this login's callback (see
 * `internal/callback.ts`) reaches the login; anything else is answered 400 at once, and the
 * login keeps waiting.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type { Outcome } from "../../internal/callback.js"
import { callbackPath, checkCallback, makeState } from "../../internal/callback.js"
import { listen } from "../../internal/loopback.js"

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
    const state = yield* makeState
    const callbacks = yield* Effect.acquireRelease(Queue.unbounded<Callback>(), Queue.shutdown)
    // Set once: the port when listening, the token once the login has created it.
    let port = 0
    let requestToken: string | undefined
    const server = Http.createServer((request, response) => {
      const checked = requestToken === undefined ? Either.left({ reason: "too early" }) : checkCallback({
        path: options.path,
        state: state,
        requestToken,
        url: request.url ?? "/",
        method: request.method,
        host: request.headers.host,
        allowedHosts: [`127.0.0.1:${port}`, `localhost:${port}`]
      })
      if (Either.isLeft(checked)) {
        response.writeHead(400, {
          "content-type": "text/html;charset=utf-8",
          "cache-control": "no-store",
          connection: "close"
        }).end(notThisLogin)
        return
      }
      Queue.unsafeOffer(callbacks, { outcome: checked.right, reply: reply(response) })
    })
    port = yield* Effect.mapError(listen(server, options.port), (error) => error.code ?? error.message)
    return {
      url: `http://127.0.0.1:${port}${callbackPath(options.path, state)}`,
      callbackFor: (token) => Effect.zipRight(Effect.sync(() => void (requestToken = token)), Queue.take(callbacks))
    }
  })

/**
 * The example page (bundled for the browser by examples/browser/server.ts): "Log in with TMDB"
 * → TMDB's approval page → back on /callback/<state> → "Logged in as …", kept across reloads in
 * localStorage → "Log out" (at TMDB, then here). Plain TypeScript, no framework.
 */
import { Effect, Layer, Option } from "effect"
import { FetchHttpClient } from "effect/http"
import { Account, SessionStore, TmdbConfig, TmdbCredentials } from "tmdb-effect"
import { BrowserSessionStore, RedirectLogin } from "tmdb-effect/browser"

/** What the server hands the page: where TMDB is (the simulator here) and the app's read token. */
interface Config {
  readonly baseUrl: string
  readonly webUrl: string
  readonly token: string
}

const byId = (id: string): HTMLElement => document.getElementById(id)!
// on this page's own origin: the one origin RedirectLogin.start accepts without allowedOrigins
const returnTo = `${location.origin}/callback`

/** Puts the page in its logged-in or logged-out state. */
const render = Effect.gen(function*() {
  const login = yield* Effect.flatMap(SessionStore.SessionStore, (store) => store.load)
  byId("status").textContent = Option.match(login, {
    onNone: () => "Not logged in",
    onSome: (l) => `Logged in as ${l.username ?? `v4 account ${l.account_id}`}`
  })
  byId("login").hidden = Option.isSome(login)
  byId("login-v4").hidden = Option.isSome(login)
  byId("logout").hidden = Option.isNone(login)
})

const showError = (error: { readonly _tag: string; readonly message: string }) =>
  Effect.sync(() => void (byId("error").textContent = `${error._tag}: ${error.message}`))

/** "Log in": a request token, then off to TMDB's approval page. */
const logIn = (version: "v3" | "v4") =>
  RedirectLogin.start({ returnTo, version }).pipe(Effect.flatMap((url) => Effect.sync(() => location.assign(url))))

/** Back from TMDB: complete the login, learn the user name (v3), keep it. */
const comeBack = Effect.gen(function*() {
  const login = yield* RedirectLogin.complete(location.href)
  const username = login.kind === "session"
    ? (yield* Account.details({ session_id: login.session_id })).username
    : undefined
  const store = yield* SessionStore.SessionStore
  yield* store.save(username === undefined ? login : new SessionStore.Login({ ...login, username }))
}).pipe(
  // the callback URL is spent either way: a reload must not replay it
  Effect.ensuring(Effect.sync(() => history.replaceState(null, "", "/")))
)

const main = (config: Config) => {
  const layer = Layer.mergeAll(
    RedirectLogin.layerSessionStorage,
    BrowserSessionStore.layer(),
    // the app's read token: every visitor of the page can read it (docs/browser.md)
    TmdbCredentials.bearer(config.token),
    FetchHttpClient.layer,
    TmdbConfig.layer({ baseUrl: config.baseUrl, webUrl: config.webUrl })
  )
  const run = <E extends { readonly _tag: string; readonly message: string }>(
    effect: Effect.Effect<void, E, Layer.Success<typeof layer>>
  ) =>
    Effect.runPromise(
      effect.pipe(
        Effect.catch(showError),
        Effect.andThen(Effect.orDie(render)),
        Effect.provide(layer),
        Effect.orDie
      )
    )
  byId("login").onclick = () => run(logIn("v3"))
  byId("login-v4").onclick = () => run(logIn("v4"))
  byId("logout").onclick = () => run(Effect.asVoid(SessionStore.logout()))
  return run(location.pathname.startsWith("/callback/") ? comeBack : Effect.void)
}

fetch("/config.json").then((response) => response.json() as Promise<Config>).then(main).catch((error: unknown) => {
  byId("error").textContent = String(error)
})

/**
 * Bundle size, with esbuild (tsup's own copy): `node bench/size.mjs [outDir]`. Bundles small
 * programs against the package's sources (`tmdb-effect` resolves through the root tsconfig's
 * `paths`, as in the tests; tsup builds `dist/` from the same files with the same esbuild),
 * minified, for Node (`browser*`: for the browser), everything inlined
 * (effect and @effect/platform included: that is what a user ships), and prints one JSON line
 * with bytes minified and minified+gzip per program, and the tree-shaking check: the
 * createRequestToken-only program must not contain the endpoints it does not call.
 *
 * The minified `login` bundle (`firstResponse(baseUrl)` exported) is also written to
 * `outDir` for bench/cold.mjs.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { gzipSync } from "node:zlib"

const root = new URL("..", import.meta.url).pathname
const outDir = process.argv[2] ?? join(root, ".tmp", "bench")
mkdirSync(outDir, { recursive: true })
const esbuild = createRequire(createRequire(import.meta.url).resolve("tsup"))("esbuild")

const layers = `
const layer = Layer.mergeAll(FetchHttpClient.layer, TmdbCredentials.layerConfig)
`
const programs = {
  /** The minimal login: a request token, then a session (the user approved it in the browser). */
  login: `
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Authentication from "tmdb-effect/Authentication"
import * as TmdbConfig from "tmdb-effect/TmdbConfig"
import * as TmdbCredentials from "tmdb-effect/TmdbCredentials"
${layers}
export const firstResponse = (baseUrl) =>
  Effect.runPromise(Authentication.createRequestToken().pipe(
    Effect.provide(TmdbConfig.layer({ baseUrl })),
    Effect.provide(Layer.mergeAll(FetchHttpClient.layer, TmdbCredentials.bearer("x")))
  ))
export const login = Effect.gen(function*() {
  const token = yield* Authentication.createRequestToken()
  return yield* Authentication.createSession({ request_token: token.request_token })
}).pipe(Effect.provide(layer))
`,
  /**
   * The minimal browser login, bundled for the browser: start (v4), complete on the return page,
   * keep the login in localStorage.
   */
  browserLogin: `
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as SessionStore from "tmdb-effect/SessionStore"
import * as TmdbCredentials from "tmdb-effect/TmdbCredentials"
import { BrowserSessionStore, RedirectLogin } from "tmdb-effect/browser"
const layer = Layer.mergeAll(
  RedirectLogin.layerSessionStorage,
  BrowserSessionStore.layer(),
  TmdbCredentials.bearer(document.body.dataset.token),
  FetchHttpClient.layer
)
export const start = RedirectLogin.start({ returnTo: location.origin + "/callback" }).pipe(
  Effect.flatMap((url) => Effect.sync(() => location.assign(url))),
  Effect.provide(layer)
)
export const complete = RedirectLogin.complete(location.href).pipe(
  Effect.flatMap((login) => Effect.flatMap(SessionStore.SessionStore, (store) => store.save(login))),
  Effect.provide(layer)
)
`,
  /** One endpoint only: the others must be tree-shaken away. */
  tokenOnly: `
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Authentication from "tmdb-effect/Authentication"
import * as TmdbCredentials from "tmdb-effect/TmdbCredentials"
${layers}
export const token = Authentication.createRequestToken().pipe(Effect.provide(layer))
`,
  /** The floor: what a hand-written Effect client of one endpoint ships (HttpClient, Schema, a layer). */
  effectFloor: `
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
class Token extends Schema.Class("Token")({ success: Schema.Boolean, request_token: Schema.String, expires_at: Schema.String }) {}
export const token = HttpClient.get("https://api.themoviedb.org/3/authentication/token/new").pipe(
  Effect.flatMap(HttpClientResponse.schemaBodyJson(Token)),
  Effect.provide(FetchHttpClient.layer)
)
`
}

const bundle = async (name, source, minify) => {
  const result = await esbuild.build({
    stdin: { contents: source, resolveDir: root, loader: "js", sourcefile: `${name}.mjs` },
    bundle: true,
    format: "esm",
    ...(name.startsWith("browser")
      ? { platform: "browser", target: "es2022" }
      : { platform: "node", target: "node20" }),
    minify,
    treeShaking: true,
    write: false,
    logLevel: "silent"
  })
  return result.outputFiles[0].text
}

const sizes = {}
for (const [name, source] of Object.entries(programs)) {
  const code = await bundle(name, source, true)
  sizes[name] = { minified: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length }
  if (name === "tokenOnly") {
    const absent = [
      "validate_with_login",
      "session/convert/4",
      "guest_session/new",
      // deleteSession's path, closed: session/new shares its start
      "\"/3/authentication/session\"",
      "/4/auth/access_token",
      "TmdbSimulator"
    ]
    sizes[name].leaked = absent.filter((text) => code.includes(text))
  }
}
writeFileSync(join(outDir, "login.mjs"), await bundle("login", programs.login, true))
process.stdout.write(JSON.stringify(sizes) + "\n")

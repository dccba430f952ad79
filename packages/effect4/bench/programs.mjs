/**
 * The same small programs bundled against each edition, for the browser, minified, everything
 * inlined (Effect included: that is what a page ships), with esbuild (tsup's own copy); sizes in
 * bytes, min+gzip. `tmdb-effect` resolves to each edition's `dist/`, Effect to the edition's own.
 *
 * - `browserLogin`, the minimal browser login with `tmdb-effect/browser`: `RedirectLogin.start`
 *   (v4; the page goes to the approval URL), then, back on the page, `RedirectLogin.complete` and
 *   the login kept in `localStorage` by `BrowserSessionStore` — the same program as 1.x's
 *   bench/size.mjs, written once for both editions;
 * - `tokenOnly`: one createRequestToken;
 * - `effectFloor`: the same kind of call written with Effect alone, the floor of each edition.
 */
import { createRequire } from "node:module"
import { join } from "node:path"
import { gzipSync } from "node:zlib"

const here = new URL(".", import.meta.url).pathname
const esbuild = createRequire(createRequire(import.meta.url).resolve("tsup"))("esbuild")

/** Where each edition's package and its Effect are, and its HTTP client's modules. */
const editions = {
  "1.x": { dir: join(here, "..", "..", "effect3"), http: "@effect/platform" },
  "2.x": { dir: join(here, ".."), http: "effect/http" }
}

const programs = (http) => ({
  /**
   * Effect's own floor, no tmdb-effect: one request with HttpClient, a Schema-decoded answer,
   * a retry and a timeout — what any Effect client of TMDB ships.
   */
  effectFloor: `
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as FetchHttpClient from "${http}/FetchHttpClient"
import * as HttpClient from "${http}/HttpClient"
import * as HttpClientResponse from "${http}/HttpClientResponse"
const Token = Schema.Struct({ success: Schema.Boolean, request_token: Schema.String, expires_at: Schema.String })
export const token = HttpClient.get("https://api.themoviedb.org/3/authentication/token/new").pipe(
  Effect.flatMap(HttpClientResponse.schemaBodyJson(Token)),
  Effect.timeout("10 seconds"),
  Effect.retry(Schedule.exponential("100 millis").pipe(Schedule.compose(Schedule.recurs(3)))),
  Effect.provide(FetchHttpClient.layer)
)
`,
  browserLogin: `
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as FetchHttpClient from "${http}/FetchHttpClient"
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
  tokenOnly: `
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as FetchHttpClient from "${http}/FetchHttpClient"
import * as Authentication from "tmdb-effect/Authentication"
import * as TmdbCredentials from "tmdb-effect/TmdbCredentials"
export const token = Authentication.createRequestToken().pipe(
  Effect.provide(Layer.mergeAll(TmdbCredentials.bearer("x"), FetchHttpClient.layer))
)
`
})

const bundle = async ({ dir }, name, source) => {
  const result = await esbuild.build({
    stdin: { contents: source, resolveDir: dir, loader: "js", sourcefile: `${name}.mjs` },
    alias: { "tmdb-effect": join(dir, "dist") },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    treeShaking: true,
    write: false,
    logLevel: "silent"
  })
  return result.outputFiles[0].text
}

/** `{ "1.x": { browserLogin, tokenOnly }, "2.x": … }`, min+gzip bytes. */
export const bundleSizes = async () => {
  const sizes = {}
  for (const [edition, where] of Object.entries(editions)) {
    sizes[edition] = {}
    for (const [name, source] of Object.entries(programs(where.http))) {
      sizes[edition][name] = gzipSync(await bundle(where, name, source), { level: 9 }).length
    }
  }
  return sizes
}

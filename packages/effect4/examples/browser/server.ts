/**
 * Serves the browser example: the TMDB simulator on one 127.0.0.1 port, and the page — bundled
 * from main.ts with esbuild (tsup's own copy), `tmdb-effect` resolved to `src/` by tsconfig.json's
 * `paths` — on another, so
 * every TMDB call the page makes is cross-origin, as it is against TMDB. Used by serve.ts
 * (`tsx examples/browser/serve.ts`) and the Chromium test (test/browser.test.ts).
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Context, Effect, Layer } from "effect"
import { HttpRouter, HttpServer, HttpServerResponse } from "effect/http"
import type * as Esbuild from "esbuild"
import { readFileSync } from "node:fs"
import { createServer } from "node:http"
import { createRequire } from "node:module"
import { TmdbSimulator } from "tmdb-effect/testing"

const here = new URL(".", import.meta.url).pathname
const esbuild: typeof Esbuild = createRequire(createRequire(import.meta.url).resolve("tsup"))("esbuild")

/** main.ts and what it imports, as one ES module for the browser. */
const bundle = Effect.promise(async () => {
  const result = await esbuild.build({
    entryPoints: [`${here}main.ts`],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "silent"
  })
  return result.outputFiles[0]!.text
})

const noStore = { "cache-control": "no-store" }

/**
 * Serves the simulator in context and the page until the scope closes; returns both URLs. The
 * page is answered at `/` and under `/callback/` (the return path of its logins).
 */
export const serveExample = (options?: { readonly port?: number | undefined }) =>
  Effect.gen(function*() {
    const simulatorUrl = yield* TmdbSimulator.serve()
    const script = yield* bundle
    const html = readFileSync(`${here}index.html`, "utf8")
    const config = { baseUrl: simulatorUrl, webUrl: simulatorUrl, token: TmdbSimulator.bearerToken }
    const page = HttpServerResponse.html(html).pipe(HttpServerResponse.setHeaders(noStore))
    const app = yield* HttpRouter.toHttpEffect(Layer.mergeAll(
      HttpRouter.add("GET", "/", page),
      HttpRouter.add("GET", "/callback/*", page),
      HttpRouter.add(
        "GET",
        "/main.js",
        HttpServerResponse.text(script, { contentType: "text/javascript", headers: noStore })
      ),
      HttpRouter.add("GET", "/config.json", HttpServerResponse.jsonUnsafe(config, { headers: noStore }))
    ))
    const context = yield* Layer.build(
      NodeHttpServer.layer(createServer, { port: options?.port ?? 0, host: "127.0.0.1" })
    )
    const server = Context.get(context, HttpServer.HttpServer)
    yield* server.serve(app)
    const port = server.address._tag === "UnixPathAddress" ? 0 : server.address.port
    return { pageUrl: `http://127.0.0.1:${port}/`, simulatorUrl }
  })

/**
 * Cold start, in a fresh process: `node bench/cold.mjs <client> <baseUrl>`. Prints one JSON line:
 * `boot` (process start → this script runs), `import` (the client's modules loaded) and `first`
 * (import start → first response: import, set-up, one createRequestToken), and `rssMb`, the
 * process's peak RSS by then.
 *
 * Clients: `fetch`, `effect-floor` (effect + @effect/platform + Schema, no tmdb-effect),
 * `tmdb-effect` over `FetchHttpClient` and `tmdb-effect-node` over `NodeTmdbHttpClient` (from
 * node_modules, as `node app.mjs` runs them) and `bundle:<file>` (a bundled program exporting
 * `firstResponse(baseUrl)`, as a bundler ships it).
 */
import { pathToFileURL } from "node:url"

const started = performance.now()
const [client, baseUrl] = process.argv.slice(2)
const headers = { authorization: "Bearer x", accept: "application/json" }
let imported
let first

if (client === "fetch") {
  imported = performance.now()
  const response = await fetch(`${baseUrl}/3/authentication/token/new`, { headers })
  await response.json()
  first = performance.now()
} else if (client === "tmdb-effect" || client === "tmdb-effect-node") {
  const [Effect, http, { Authentication, TmdbConfig, TmdbCredentials }] = await Promise.all([
    import("effect/Effect"),
    client === "tmdb-effect"
      ? import("@effect/platform/FetchHttpClient").then((module) => module.layer)
      : import("../dist/node/index.js").then((module) => module.NodeTmdbHttpClient.layer),
    import("../dist/index.js")
  ])
  imported = performance.now()
  await Effect.runPromise(
    Authentication.createRequestToken().pipe(
      Effect.provide(TmdbConfig.layer({ baseUrl })),
      Effect.provide(TmdbCredentials.bearer("x")),
      Effect.provide(http)
    )
  )
  first = performance.now()
} else if (client === "effect-floor") {
  // the floor: effect + @effect/platform's HttpClient + Schema, no tmdb-effect
  const [Effect, FetchHttpClient, HttpClient, HttpClientResponse, Schema] = await Promise.all([
    import("effect/Effect"),
    import("@effect/platform/FetchHttpClient"),
    import("@effect/platform/HttpClient"),
    import("@effect/platform/HttpClientResponse"),
    import("effect/Schema")
  ])
  imported = performance.now()
  const Token = Schema.Struct({ success: Schema.Boolean, request_token: Schema.String })
  await Effect.runPromise(
    HttpClient.get(`${baseUrl}/3/authentication/token/new`, { headers }).pipe(
      Effect.flatMap(HttpClientResponse.schemaBodyJson(Token)),
      Effect.provide(FetchHttpClient.layer)
    )
  )
  first = performance.now()
} else if (client.startsWith("bundle:")) {
  const program = await import(pathToFileURL(client.slice("bundle:".length)).href)
  imported = performance.now()
  await program.firstResponse(baseUrl)
  first = performance.now()
} else {
  throw new Error(`unknown client ${client}`)
}

process.stdout.write(
  JSON.stringify({
    boot: started,
    import: imported - started,
    first: first - started,
    rssMb: process.resourceUsage().maxRSS / 1024
  }) + "\n"
)

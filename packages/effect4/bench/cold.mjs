/**
 * Cold start of 2.x, in a fresh process, as 1.x's bench/cold.mjs measures 1.x (same arguments,
 * same JSON line): `node bench/cold.mjs <client> <baseUrl>`. `first` is import start → first
 * response: import, set-up, one createRequestToken over `FetchHttpClient`. Clients:
 * `tmdb-effect` (from `dist/`) and `effect-floor` (the same request with Effect 4's HttpClient
 * and Schema alone, no tmdb-effect).
 */
const started = performance.now()
const [client, baseUrl] = process.argv.slice(2)
const headers = { authorization: "Bearer x", accept: "application/json" }
let imported
if (client === "tmdb-effect") {
  const [Effect, FetchHttpClient, { Authentication, TmdbConfig, TmdbCredentials }] = await Promise.all([
    import("effect/Effect"),
    import("effect/http/FetchHttpClient"),
    import("../dist/index.js")
  ])
  imported = performance.now()
  await Effect.runPromise(
    Authentication.createRequestToken().pipe(
      Effect.provide(TmdbConfig.layer({ baseUrl })),
      Effect.provide(TmdbCredentials.bearer("x")),
      Effect.provide(FetchHttpClient.layer)
    )
  )
} else if (client === "effect-floor") {
  const [Effect, FetchHttpClient, HttpClient, HttpClientResponse, Schema] = await Promise.all([
    import("effect/Effect"),
    import("effect/http/FetchHttpClient"),
    import("effect/http/HttpClient"),
    import("effect/http/HttpClientResponse"),
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
} else {
  throw new Error(`unknown client ${client}`)
}
const first = performance.now()
process.stdout.write(
  JSON.stringify({
    boot: started,
    import: imported - started,
    first: first - started,
    rssMb: process.resourceUsage().maxRSS / 1024
  }) + "\n"
)

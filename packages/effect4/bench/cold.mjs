/**
 * Cold start of 2.x, in a fresh process, as 1.x's bench/cold.mjs measures 1.x (same arguments,
 * same JSON line): `node bench/cold.mjs tmdb-effect <baseUrl>`. `first` is import start → first
 * response (import, set-up, one createRequestToken over `FetchHttpClient`, from `dist/`).
 */
const started = performance.now()
const [client, baseUrl] = process.argv.slice(2)
if (client !== "tmdb-effect") throw new Error(`unknown client ${client}`)
const [Effect, FetchHttpClient, { Authentication, TmdbConfig, TmdbCredentials }] = await Promise.all([
  import("effect/Effect"),
  import("effect/http/FetchHttpClient"),
  import("../dist/index.js")
])
const imported = performance.now()
await Effect.runPromise(
  Authentication.createRequestToken().pipe(
    Effect.provide(TmdbConfig.layer({ baseUrl })),
    Effect.provide(TmdbCredentials.bearer("x")),
    Effect.provide(FetchHttpClient.layer)
  )
)
const first = performance.now()
process.stdout.write(
  JSON.stringify({
    boot: started,
    import: imported - started,
    first: first - started,
    rssMb: process.resourceUsage().maxRSS / 1024
  }) + "\n"
)

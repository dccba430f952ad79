/** `tmdb-auth validate`: does TMDB accept the credentials? */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Authentication from "tmdb-effect/Authentication"
import * as TmdbCredentials from "tmdb-effect/TmdbCredentials"
import type { Common, Printed } from "./environment.js"
import { tmdb } from "./tmdb.js"

export const run = (options: Common) =>
  Effect.gen(function*() {
    const credentials = yield* TmdbCredentials.TmdbCredentials
    yield* Authentication.validateKey()
    const kind = credentials._tag
    return {
      text: `TMDB accepted the credentials (${kind === "BearerToken" ? "API Read Access Token" : "v3 API key"}).`,
      json: { credentials: kind }
    } satisfies Printed
  }).pipe(Effect.provide(Layer.merge(TmdbCredentials.layerConfig, tmdb(options))))

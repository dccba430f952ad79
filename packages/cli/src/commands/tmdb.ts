/**
 * Where a command's requests go: TMDB's settings from the options, else their environment
 * variables, and Node's own `fetch`.
 */
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TmdbConfig from "tmdb-effect/TmdbConfig"
// tmdb-effect's own rule for where TMDB's website is (the CLI is built from its sources)
import { websiteOf } from "../../../effect4/src/internal/util/url.js"
import type { Common } from "./environment.js"
import { given } from "./environment.js"

/**
 * The TMDB settings the options give: a base URL brings its website (api. → www.; a loopback
 * simulator serves both), unless `--web-url` names another.
 */
const settings = (options: Common): Partial<TmdbConfig.Settings> => {
  const base = given(options.baseUrl, "TMDB_BASE_URL")
  const web = given(options.webUrl, "TMDB_WEB_URL")
  return {
    ...(Option.isSome(base) ? { baseUrl: base.value, webUrl: websiteOf(base.value) } : {}),
    ...(Option.isSome(web) ? { webUrl: web.value } : {})
  }
}

/**
 * TMDB as the options say, over Node's own `fetch`: a CLI run makes a handful of requests, and
 * fetch's client is built into Node (nothing to load or bundle).
 */
export const tmdb = (options: Common) => Layer.merge(TmdbConfig.layer(settings(options)), FetchHttpClient.layer)

/**
 * An account-level call of your own, after login: mark a movie or TV show as a favourite
 * (POST /3/account/{account_id}/favorite?session_id=…, body `{ media_type, media_id, favorite }`)
 * for the user whose session is in `TmdbSession`. The guide docs/sessions.md ("After login") shows
 * this file; `test/TmdbSession.test.ts` runs it against the simulator.
 */
import { Effect, Redacted, Schema } from "effect"
import { HttpClient, HttpClientRequest, HttpClientResponse } from "effect/http"
import { TmdbConfig, TmdbCredentials, TmdbSession } from "tmdb-effect"

/** The favourite was not set: `reason` says why (never the request: its URL holds the session id). */
export class FavoriteFailed extends Schema.TaggedError<FavoriteFailed>()("FavoriteFailed", {
  reason: Schema.String
}) {}

/** TMDB's answer: 1 "Success." (added), 12 (updated), 13 (removed). */
const Answer = Schema.Struct({ status_code: Schema.Number, status_message: Schema.String })

export const setFavorite = (input: {
  readonly media_type: "movie" | "tv"
  readonly media_id: number
  readonly favorite: boolean
}) =>
  Effect.gen(function*() {
    const session = yield* TmdbSession.TmdbSession
    const account_id = yield* TmdbSession.accountId // known, else asked of TMDB
    const credentials = yield* TmdbCredentials.TmdbCredentials
    const { baseUrl, timeout } = yield* TmdbConfig.TmdbConfig
    const client = HttpClient.filterStatusOk(yield* HttpClient.HttpClient)
    const request = HttpClientRequest.post(`${baseUrl}/3/account/${account_id}/favorite`).pipe(
      HttpClientRequest.setUrlParam("session_id", Redacted.value(session.session_id)),
      credentials._tag === "BearerToken"
        ? HttpClientRequest.bearerToken(credentials.token)
        : HttpClientRequest.setUrlParam("api_key", Redacted.value(credentials.key)),
      HttpClientRequest.bodyJsonUnsafe(input)
    )
    return yield* client.execute(request).pipe(
      Effect.flatMap(HttpClientResponse.schemaBodyJson(Answer)),
      // the platform's errors carry the request: keep only what went wrong ("StatusCodeError", …)
      Effect.mapError((error) =>
        new FavoriteFailed({ reason: error._tag === "SchemaError" ? "unexpected answer" : error.reason._tag })
      ),
      Effect.timeoutOrElse({
        duration: timeout,
        orElse: () => Effect.fail(new FavoriteFailed({ reason: "no answer in time" }))
      }),
      // off: the platform's client span would record the URL, session id included
      Effect.provideService(HttpClient.TracerDisabledWhen, () => true)
    )
  })

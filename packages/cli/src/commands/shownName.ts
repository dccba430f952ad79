/**
 * A user name TMDB sent, as the CLI shows and keeps it: withheld whole, as server text in the
 * library's errors is, if it quotes a secret of the call (a hostile server could answer with the
 * password as the user name). Its other tricks (escape sequences, bidi overrides) are
 * src/printable.ts's, at the moment it is written.
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as TmdbCredentials from "tmdb-effect/TmdbCredentials"
// tmdb-effect's own withholding rule (the CLI is built from its sources): never written twice
import { withhold } from "../../../effect4/src/internal/redact/withhold.js"

/** `username`, or the withheld note if it quotes `secrets` or the credentials. */
export const shownName = (username: string, secrets: ReadonlyArray<Redacted.Redacted<string>>) =>
  Effect.gen(function*() {
    const credentials = yield* TmdbCredentials.TmdbCredentials
    const credential = credentials._tag === "BearerToken" ? credentials.token : credentials.key
    return withhold(username, [...secrets, credential].map(Redacted.value))
  })

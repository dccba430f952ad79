/**
 * The account details call for a session id, shared by `Account.details` (both forms) and
 * `TmdbSession.accountId`, so that neither public module imports the other.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Effect from "effect/Effect"
import type { TmdbCredentials } from "../TmdbCredentials.js"
import type { CommonError, InvalidInput } from "../TmdbError.js"
import * as Endpoints from "./account.js"
import type { AccountDetails } from "./account.js"
import * as Http from "./http.js"
import * as Input from "./input.js"

/** The account details of a session id (in the query, as TMDB requires), the id checked first. */
export const detailsOf = (
  session_id: unknown
): Effect.Effect<AccountDetails, CommonError | InvalidInput, TmdbCredentials | HttpClient.HttpClient> =>
  Http.call(Endpoints.details, () => Input.query({ session_id: Input.secretToken("session_id", session_id) }))

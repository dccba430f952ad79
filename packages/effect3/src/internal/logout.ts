/**
 * When TMDB says a session or access token is already gone: the one place that knows TMDB's
 * codes for it, for the store's logout (and a retried logout in the request pipeline).
 */
import { statusCodes } from "../TmdbError.js"

/** TMDB's codes for an unknown or invalid session (their reasons are in `TmdbError`'s table). */
const sessionGoneCodes: ReadonlySet<number> = new Set([3, 6, 17, 34])

/** The tags those codes fail with where the endpoint lists them (elsewhere they are `TmdbApiError`). */
const goneTags: ReadonlySet<string> = new Set(
  [...sessionGoneCodes].flatMap((code) => statusCodes.get(code)?.tag ?? [])
)

/** The error is TMDB answering that the session (or v4 access token) is unknown or invalid. */
export const isSessionGone = <E>(error: E): error is Extract<E, { readonly status_code: number }> =>
  typeof error === "object" && error !== null &&
  "_tag" in error && typeof error._tag === "string" && goneTags.has(error._tag) &&
  "status_code" in error && typeof error.status_code === "number" && sessionGoneCodes.has(error.status_code)

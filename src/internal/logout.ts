/**
 * When TMDB says a session or access token is already gone: the one place that knows TMDB's
 * codes for it, for the store's logout (and a retried logout in the request pipeline).
 */

/** TMDB's codes for an unknown or invalid session: 3 (authentication failed), 6 (invalid id), 17 (session denied), 34 (not found). */
const sessionGoneCodes: ReadonlySet<number> = new Set([3, 6, 17, 34])

const goneTags: ReadonlySet<string> = new Set(["AuthenticationFailed", "ResourceNotFound", "SessionDenied"])

/** The error is TMDB answering that the session (or v4 access token) is unknown or invalid. */
export const isSessionGone = <E>(error: E): error is Extract<E, { readonly status_code: number }> =>
  typeof error === "object" && error !== null &&
  "_tag" in error && typeof error._tag === "string" && goneTags.has(error._tag) &&
  "status_code" in error && typeof error.status_code === "number" && sessionGoneCodes.has(error.status_code)

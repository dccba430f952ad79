/**
 * The `TmdbSession` tag, apart from its module so that `Account` can read it while `TmdbSession`
 * uses `Account` (no import cycle).
 */
import * as Context from "effect/Context"
import type { Service } from "../TmdbSession.js"

/** The logged-in user's v3 session, for account-level calls. */
export class TmdbSession extends /* @__PURE__ */ Context.Tag("tmdb-effect/TmdbSession")<TmdbSession, Service>() {}

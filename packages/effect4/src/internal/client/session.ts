/**
 * The logged-in user's session as a service, declared here, below the two public modules that
 * need it: `Account.details()` reads it, and `TmdbSession` (which builds it, and asks `Account`
 * for an account id it does not know) exports it, documented there. Declared in either of them,
 * the two modules would import each other.
 */
import * as Context from "effect/Context"
import type * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"

/** What the {@link TmdbSession} service holds (documented as `TmdbSession.Service`). */
export interface Service {
  /** The v3 session id. `Redacted`: it renders as `<redacted>` in logs, `inspect` and JSON. */
  readonly session_id: Redacted.Redacted<string>
  /**
   * The v3 account id (the integer in `/3/account/{account_id}/…`), when known. A login does not
   * return it; `TmdbSession.accountId` asks TMDB when it is not known.
   */
  readonly account_id: Option.Option<number>
}

/** The session service (documented as `TmdbSession.TmdbSession`). */
export class TmdbSession extends /* @__PURE__ */ Context.Service<TmdbSession, Service>()("tmdb-effect/TmdbSession") {}

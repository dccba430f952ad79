/**
 * A stored login for the session-store suites, with a known session id to search outputs for.
 */
import { DateTime, Redacted } from "effect"
import { SessionStore } from "tmdb-effect"

export const SECRET = "79191836ddaa0da3df76a5ffef6f07ad6ab0c641"

export const login = (overrides: Partial<ConstructorParameters<typeof SessionStore.Login>[0]> = {}) =>
  new SessionStore.Login({
    kind: "session",
    session_id: Redacted.make(SECRET),
    account_id: 1000,
    username: "demo",
    created_at: DateTime.makeUnsafe(Date.UTC(2026, 0, 1)),
    ...overrides
  })

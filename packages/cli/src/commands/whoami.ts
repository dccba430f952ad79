/**
 * `tmdb-auth whoami`: who the stored login belongs to. Only a v3 session asks TMDB (and needs
 * credentials); a guest session or a v4 access token is read from the stored copy alone.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as SessionStore from "tmdb-effect/SessionStore"
import { NotLoggedIn } from "../errors.js"
import type { Common, Printed } from "./environment.js"
import { iso, store } from "./environment.js"

/** The stored login, or `NotLoggedIn`. */
export const loaded = Effect.gen(function*() {
  const sessions = yield* SessionStore.SessionStore
  const login = yield* sessions.load
  if (Option.isNone(login)) return yield* new NotLoggedIn({ reason: "no session is stored (or it expired)" })
  return login.value
})

export const run = (options: Common) =>
  Effect.gen(function*() {
    const saved = yield* loaded
    const username = saved.kind === "session"
      ? yield* Effect.flatMap(
        Effect.promise(() => import("./currentName.js")),
        ({ currentName }) => currentName(options, saved)
      )
      : saved.username
    return {
      text: saved.kind === "guest"
        ? `A guest session, until ${saved.expires_at === undefined ? "TMDB ends it" : iso(saved.expires_at)}.`
        : saved.kind === "v4AccessToken"
        ? `A v4 access token for account ${saved.account_id}, since ${iso(saved.created_at)}.`
        : `${username} (account ${saved.account_id}), logged in since ${iso(saved.created_at)}.`,
      json: {
        kind: saved.kind,
        username: username ?? null,
        account_id: saved.account_id ?? null,
        created_at: iso(saved.created_at),
        expires_at: saved.expires_at === undefined ? null : iso(saved.expires_at)
      }
    } satisfies Printed
  }).pipe(Effect.provide(store(options)))

/**
 * The pending redirect login, kept in the tab between `RedirectLogin.start` and
 * `RedirectLogin.complete`: what the way back needs. The request token is not a secret (it is in
 * the approval URL); nothing stored here is.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as KeyValueStore from "effect/persistence/KeyValueStore"
import * as Schema from "effect/Schema"
import { CorruptedSession, SessionStoreError } from "../../SessionStore.js"
import { isSecureOrLoopback, secureOrLoopbackRule } from "./origin.js"

/** The key of the pending login in its store. */
export const pendingKey = "tmdb-effect/pending-login"

const storedAt = `sessionStorage key "${pendingKey}"`

/** A pending login. */
export class Pending extends /* @__PURE__ */ Schema.Class<Pending>("tmdb-effect/browser/Pending")({
  version: /* @__PURE__ */ Schema.Literals(["v3", "v4"]),
  request_token: Schema.String,
  state: Schema.String,
  /**
   * The return URL given to `start`, without the state: a stored one that is neither https nor
   * loopback http is corrupted.
   */
  returnTo: /* @__PURE__ */ Schema.URLFromString.pipe(
    Schema.check(Schema.makeFilter(isSecureOrLoopback, { expected: secureOrLoopbackRule }))
  ),
  expires_at: Schema.DateTimeUtcFromString,
  /** Set when `complete` took it: a second callback is a replay. */
  used: Schema.Boolean
}) {}

const Json = /* @__PURE__ */ Schema.fromJsonString(Pending)
const decode = /* @__PURE__ */ Schema.decodeUnknownEffect(Json)
const encode = /* @__PURE__ */ Schema.encodeEffect(Json)

/** What the store said went wrong (its method only: never a value). */
const storeError = (operation: "load" | "save") => (error: KeyValueStore.KeyValueStoreError) =>
  new SessionStoreError({ operation, location: storedAt, reason: `KeyValueStoreError: ${error.method}` })

/** Replaces the pending login. */
export const save = (store: KeyValueStore.KeyValueStore, pending: Pending): Effect.Effect<void, SessionStoreError> =>
  encode(pending).pipe(
    Effect.orDie, // a Pending always encodes
    Effect.flatMap((text) => store.set(pendingKey, text)),
    Effect.mapError(storeError("save"))
  )

/** The pending login, if there is one; one that does not decode is `CorruptedSession` (no value quoted). */
export const load = (
  store: KeyValueStore.KeyValueStore
): Effect.Effect<Option.Option<Pending>, CorruptedSession | SessionStoreError> =>
  store.get(pendingKey).pipe(
    Effect.mapError(storeError("load")),
    Effect.flatMap((text) =>
      text === undefined
        ? Effect.succeed(Option.none())
        : decode(text).pipe(
          Effect.map(Option.some),
          Effect.mapError(() => new CorruptedSession({ location: storedAt, reason: "not a pending login" }))
        )
    )
  )

/**
 * Keep a login across runs: save, load and clear one stored session (a v3 session id, a guest
 * session id or a v4 access token) with the account it belongs to and when it expires.
 *
 * The store sits on Effect's `KeyValueStore` (`effect/persistence`; {@link layer}, {@link layerMemory}),
 * and knows no platform: a file-backed store and its file-permission policy belong to a
 * platform's entry, not here. A stored
 * value that does not decode is a {@link CorruptedSession}, never a crash or a silent loss; a
 * login whose `expires_at` has passed (a guest session) is not returned.
 *
 * @since 2.0.0
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as KeyValueStore from "effect/persistence/KeyValueStore"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as Authentication from "./Authentication.js"
import type * as AuthV4 from "./AuthV4.js"
import { endAtTmdb } from "./internal/login/end.js"
import { leavesOf, pathName } from "./internal/util/issues.js"
import { isSessionGone } from "./TmdbError.js"

/**
 * What a stored secret is: a v3 user session id, a v3 guest session id, or a v4 user access
 * token.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { SessionStore } from "tmdb-effect"
 *
 * const kind: SessionStore.Kind = Schema.decodeUnknownSync(SessionStore.Kind)("guest")
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export const Kind = /* @__PURE__ */ Schema.Literals(["session", "guest", "v4AccessToken"])

/**
 * What a stored secret is, as a type.
 *
 * @example
 * ```ts
 * import type { SessionStore } from "tmdb-effect"
 *
 * const lasts = (kind: SessionStore.Kind) => kind !== "guest"
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export type Kind = typeof Kind.Type

/**
 * A stored login. The decoded value holds the secret as `Redacted`; the stored JSON holds it
 * raw (which is why the file store is mode 0600).
 *
 * @example
 * ```ts
 * import { DateTime, Effect, Redacted } from "effect"
 * import { SessionStore } from "tmdb-effect"
 *
 * const login = Effect.map(DateTime.now, (now) =>
 *   new SessionStore.Login({
 *     kind: "session",
 *     session_id: Redacted.make("79191836ddaa0da3df76a5ffef6f07ad6ab0c641"),
 *     account_id: 1000,
 *     username: "demo",
 *     created_at: now
 *   }))
 * ```
 *
 * @since 2.0.0
 * @category schemas
 */
export class Login extends /* @__PURE__ */ Schema.Class<Login>("tmdb-effect/SessionStore/Login")({
  kind: Kind,
  /** The session id, guest session id, or (kind `"v4AccessToken"`) the access token. */
  session_id: /* @__PURE__ */ Schema.RedactedFromValue(Schema.NonEmptyString),
  /** The account id: v3's integer, or v4's string `account_id`. Absent for a guest session. */
  account_id: /* @__PURE__ */ Schema.optional(Schema.Union([Schema.Number, Schema.String])),
  /** Absent for a guest session. */
  username: Schema.optional(Schema.String),
  /** When the login was made (ISO-8601 in the stored JSON). */
  created_at: Schema.DateTimeUtcFromString,
  /** When it stops being valid (guest sessions); absent for logins that last until deleted. */
  expires_at: /* @__PURE__ */ Schema.optional(Schema.DateTimeUtcFromString)
}) {}

/**
 * The stored value is not a login this library wrote: not JSON, or a field is missing or
 * wrong. `reason` names what is wrong (field names only, never values).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SessionStore } from "tmdb-effect"
 *
 * const load = Effect.flatMap(SessionStore.SessionStore, (store) => store.load).pipe(
 *   Effect.catchTag("CorruptedSession", (e) => Effect.fail(e.message))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class CorruptedSession
  extends /* @__PURE__ */ Schema.TaggedError<CorruptedSession>("tmdb-effect/CorruptedSession")(
    "CorruptedSession",
    {
      /** Where the value is stored (a key or a file path). */
      location: Schema.String,
      reason: Schema.String
    }
  )
{
  override get message(): string {
    return `The stored TMDB login at ${this.location} is corrupted (${this.reason}); ` +
      `clear it (tmdb-auth logout, or delete it) and log in again`
  }
}

/**
 * The store could not be read, written or cleared: the `KeyValueStore` under it failed (a file
 * system, `localStorage`, a remote store), or did not answer.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SessionStore } from "tmdb-effect"
 *
 * const save = (login: SessionStore.Login) =>
 *   Effect.flatMap(SessionStore.SessionStore, (store) => store.save(login)).pipe(
 *     Effect.catchTag("SessionStoreError", (e) => Effect.logWarning(e.message))
 *   )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class SessionStoreError
  extends /* @__PURE__ */ Schema.TaggedError<SessionStoreError>("tmdb-effect/SessionStoreError")(
    "SessionStoreError",
    {
      operation: Schema.Literals(["load", "save", "clear"]),
      location: Schema.String,
      /**
       * What failed, e.g. `"PermissionDenied: open"` or `"ENOENT (mkdir /proc/4242/nope)"` (never
       * file contents).
       */
      reason: Schema.String
    }
  )
{
  override get message(): string {
    return `Could not ${this.operation} the TMDB login at ${this.location}: ${this.reason}`
  }
}

/**
 * Why a session file is not used (`tmdb-effect/node`'s file store checks it): it is not a regular file (a FIFO, a device, a directory…),
 * it belongs to another user, its mode lets others read or write it, a component of its path
 * lets another user swap it — a directory others can write (and not sticky), a directory or a
 * symbolic link another user (not root) owns — or, in a sticky directory, it has a second name.
 *
 * @example
 * ```ts
 * import { SessionStore } from "tmdb-effect"
 *
 * const fix = (problem: SessionStore.InsecureProblem) =>
 *   problem._tag === "Mode" ? "chmod 600" : problem._tag === "LooseDirectory" ? "chmod go-w" : "rm"
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export const InsecureProblem = /* @__PURE__ */ Schema.Union([
  /** A FIFO, socket, device or directory: opened without blocking, refused before any read. */
  /* @__PURE__ */ Schema.TaggedStruct("NotRegularFile", { kind: Schema.String }),
  /** Another user's file (a session planted for root to pick up, for instance). */
  /* @__PURE__ */ Schema.TaggedStruct("Owner", { uid: Schema.Number, expected: Schema.Number }),
  /** Group or others may read or write it; `mode` is octal, e.g. `"0644"`. */
  /* @__PURE__ */ Schema.TaggedStruct("Mode", { mode: Schema.String }),
  /** Group or others may write a directory on its path, which is not sticky; `mode` is octal. */
  /* @__PURE__ */ Schema.TaggedStruct("LooseDirectory", { directory: Schema.String, mode: Schema.String }),
  /** A directory on its path belongs to another user (not root), who may replace what is in it. */
  /* @__PURE__ */ Schema.TaggedStruct("ForeignDirectory", {
    directory: Schema.String,
    uid: Schema.Number,
    expected: Schema.Number
  }),
  /**
   * A symbolic link on its path, or the file itself, belongs to another user (not root), who
   * decides where it leads (a link planted in `/tmp` pointing at your own session, for instance).
   */
  /* @__PURE__ */ Schema.TaggedStruct("ForeignSymlink", {
    link: Schema.String,
    uid: Schema.Number,
    expected: Schema.Number
  }),
  /**
   * It has more than one name (`links`) and sits in a `directory` others may add names to (sticky,
   * like `/tmp`): another user may have made it a second name for a file of yours.
   */
  /* @__PURE__ */ Schema.TaggedStruct("HardLinked", { links: Schema.Number, directory: Schema.String })
])

/**
 * Why a session file is not used, as a type.
 *
 * @example
 * ```ts
 * import type { SessionStore } from "tmdb-effect"
 *
 * const looseMode: SessionStore.InsecureProblem = { _tag: "Mode", mode: "0644" }
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export type InsecureProblem = typeof InsecureProblem.Type

const you = (uid: number): string => uid === 0 ? "you (root)" : `you (user ${uid}) or root`

const fixFor = (path: string, problem: InsecureProblem): string => {
  switch (problem._tag) {
    case "NotRegularFile":
      return `it is a ${problem.kind}, not a regular file; move it away or remove it, then log in again`
    case "Owner":
      return `it belongs to user ${problem.uid}, not to you (user ${problem.expected}); remove it ` +
        `(\`rm ${path}\`) and log in again`
    case "Mode":
      return `its mode ${problem.mode} lets other users read or write it; run \`chmod 600 ${path}\` ` +
        `(and consider logging in again)`
    case "LooseDirectory":
      return `the directory ${problem.directory} (mode ${problem.mode}) on its path lets other users replace ` +
        `it; run \`chmod go-w ${problem.directory}\`, or keep the session in a directory only you can write`
    case "ForeignDirectory":
      return `the directory ${problem.directory} on its path belongs to user ${problem.uid}, not to ` +
        `${you(problem.expected)}, and its owner may replace what is in it; keep the session in a ` +
        `directory of yours (the default, under ~/.config, is one), or have root run ` +
        `\`chown ${problem.expected} ${problem.directory}\``
    case "ForeignSymlink":
      return `${problem.link === path ? "it" : problem.link} is a symbolic link that belongs to user ` +
        `${problem.uid}, not to ${you(problem.expected)}, so that user decides where it leads; remove ` +
        `the link (\`rm ${problem.link}\`)${problem.link === path ? " and log in again" : ""}, or keep ` +
        `the session at a path without it`
    case "HardLinked":
      return `it has ${problem.links} names (hard links) and its directory ${problem.directory} lets other ` +
        `users add names, so one of them may have linked a file of yours here; remove it (\`rm ${path}\`) ` +
        `and log in again, or keep the session in a directory only you can write`
  }
}

/**
 * A session file the store will not use, treated as OpenSSH's StrictModes treats `~/.ssh`: it
 * must be a regular file, yours, mode 0600, reached through no component another user could swap
 * — every directory on its path yours or root's and not writable by group or others unless it is
 * sticky (like `/tmp`; there the file must have one name only), every symbolic link yours or
 * root's. The same rules hold for load, save and clear. A FIFO or device is refused at once, never
 * waited on. `problem` says which rule failed; the message names the path and the fix.
 *
 * @example
 * ```ts
 * import { SessionStore } from "tmdb-effect"
 *
 * const error = new SessionStore.InsecureSessionFile({
 *   path: "/home/jo/.config/tmdb-auth/session.json",
 *   problem: { _tag: "Mode", mode: "0644" }
 * })
 * console.log(error.message) // … run `chmod 600 /home/jo/.config/tmdb-auth/session.json` …
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class InsecureSessionFile extends /* @__PURE__ */ Schema.TaggedError<InsecureSessionFile>(
  "tmdb-effect/InsecureSessionFile"
)("InsecureSessionFile", {
  path: Schema.String,
  /** Which rule the file broke. */
  problem: InsecureProblem
}) {
  override get message(): string {
    return `Refusing to use ${this.path}: ${fixFor(this.path, this.problem)}`
  }
}

/**
 * Every error a store can fail with.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SessionStore } from "tmdb-effect"
 *
 * const describe = (error: SessionStore.StoreError) => `${error._tag}: ${error.message}`
 * const load = Effect.flatMap(SessionStore.SessionStore, (store) => store.load).pipe(Effect.mapError(describe))
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export type StoreError = CorruptedSession | SessionStoreError | InsecureSessionFile

/**
 * A session store.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import type { SessionStore } from "tmdb-effect"
 *
 * const loggedIn = (store: SessionStore.Service) => Effect.map(store.load, Option.isSome)
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export interface Service {
  /** Replaces the stored login. */
  readonly save: (login: Login) => Effect.Effect<void, StoreError>
  /** The stored login, or `None` when there is none or it has expired. */
  readonly load: Effect.Effect<Option.Option<Login>, StoreError>
  /** Removes the stored login (nothing stored is not an error). */
  readonly clear: Effect.Effect<void, StoreError>
}

/**
 * Where a store keeps its one value, as text: the part a new backend implements.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { SessionStore } from "tmdb-effect"
 *
 * let saved: string | undefined
 * const backend: SessionStore.Backend = {
 *   location: "memory",
 *   read: Effect.sync(() => Option.fromUndefinedOr(saved)),
 *   write: (text) => Effect.sync(() => void (saved = text)),
 *   remove: Effect.sync(() => void (saved = undefined))
 * }
 * const store = SessionStore.fromBackend(backend)
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export interface Backend {
  /** Shown in errors: a key or a file path. */
  readonly location: string
  readonly read: Effect.Effect<Option.Option<string>, StoreError>
  /** Stores `text`, the JSON of `login` (a store with expiry can let a guest session lapse at its `expires_at`). */
  readonly write: (text: string, login: Login) => Effect.Effect<void, StoreError>
  readonly remove: Effect.Effect<void, StoreError>
}

/**
 * The session store.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { SessionStore } from "tmdb-effect"
 *
 * const who = Effect.gen(function*() {
 *   const store = yield* SessionStore.SessionStore
 *   const login = yield* store.load
 *   return Option.match(login, { onNone: () => "not logged in", onSome: (l) => l.username ?? "guest" })
 * }).pipe(Effect.provide(SessionStore.layerMemory))
 * ```
 *
 * @since 2.0.0
 * @category services
 */
export class SessionStore
  extends /* @__PURE__ */ Context.Service<SessionStore, Service>()("tmdb-effect/SessionStore")
{}

const Json = /* @__PURE__ */ Schema.fromJsonString(Login)
const decode = /* @__PURE__ */ Schema.decodeUnknownEffect(Json)
const encode = /* @__PURE__ */ Schema.encodeEffect(Json)

/** Field paths only: a SchemaError's full text may quote the stored secret. */
const describe = (error: Schema.SchemaError): string => {
  const leaves = leavesOf(error.issue)
  const paths = [...new Set(leaves.map(({ path }) => pathName(path)))].filter((path) => path !== "")
  if (paths.length > 0) return `invalid or missing field${paths.length > 1 ? "s" : ""}: ${paths.join(", ")}`
  // the text is parsed as JSON first: its own failure is an InvalidValue at the top
  return leaves[0]?.leaf._tag === "InvalidValue" ? "not valid JSON" : "not a login record"
}

/**
 * A store over any {@link Backend}. `load` checks `expires_at` against `Clock`, so `TestClock`
 * drives expiry.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { SessionStore } from "tmdb-effect"
 *
 * let value: string | undefined
 * const store = SessionStore.fromBackend({
 *   location: "memory",
 *   read: Effect.sync(() => Option.fromUndefinedOr(value)),
 *   write: (text) => Effect.sync(() => { value = text }),
 *   remove: Effect.sync(() => { value = undefined })
 * })
 * ```
 *
 * @since 2.0.0
 * @category constructors
 */
export const fromBackend = (backend: Backend): Service => ({
  save: (login) =>
    encode(login).pipe(
      Effect.mapError((error) =>
        new SessionStoreError({ operation: "save", location: backend.location, reason: describe(error) })
      ),
      Effect.flatMap((text) => backend.write(text, login)),
      Effect.withSpan("tmdb.SessionStore.save")
    ),
  load: backend.read.pipe(
    Effect.flatMap(Option.match({
      onNone: () => Effect.succeed(Option.none<Login>()),
      onSome: (text) =>
        decode(text).pipe(
          Effect.mapError((error) => new CorruptedSession({ location: backend.location, reason: describe(error) })),
          Effect.flatMap((login) =>
            Effect.map(DateTime.now, (now) =>
              login.expires_at !== undefined && !DateTime.isLessThan(now, login.expires_at)
                ? Option.none<Login>()
                : Option.some(login))
          )
        )
    })),
    Effect.withSpan("tmdb.SessionStore.load")
  ),
  clear: backend.remove.pipe(Effect.withSpan("tmdb.SessionStore.clear"))
})

/**
 * The key the store uses in a `KeyValueStore`.
 *
 * @example
 * ```ts
 * import { SessionStore } from "tmdb-effect"
 *
 * const perUser = SessionStore.layer({ key: `${SessionStore.defaultKey}/alice` })
 * ```
 *
 * @since 2.0.0
 * @category constructors
 */
export const defaultKey = "tmdb-effect/session"

/** What a key-value store said went wrong (its method and message; never the value). */
const storeReason = (error: KeyValueStore.KeyValueStoreError): string => `${error.method}: ${error.message}`

/**
 * A store over the `KeyValueStore` in context, under `key` (default {@link defaultKey}).
 *
 * @example
 * ```ts
 * import { KeyValueStore } from "effect/persistence"
 * import { Effect } from "effect"
 * import { SessionStore } from "tmdb-effect"
 *
 * const store = SessionStore.make().pipe(Effect.provide(KeyValueStore.layerMemory))
 * ```
 *
 * @since 2.0.0
 * @category constructors
 */
export const make = (
  options?: { readonly key?: string | undefined }
): Effect.Effect<Service, never, KeyValueStore.KeyValueStore> =>
  Effect.map(KeyValueStore.KeyValueStore, (kv) => {
    const key = options?.key ?? defaultKey
    const location = `key "${key}"`
    return fromBackend({
      location,
      read: kv.get(key).pipe(
        Effect.map(Option.fromUndefinedOr),
        Effect.mapError((error) => new SessionStoreError({ operation: "load", location, reason: storeReason(error) }))
      ),
      write: (text) =>
        kv.set(key, text).pipe(
          Effect.mapError((error) => new SessionStoreError({ operation: "save", location, reason: storeReason(error) }))
        ),
      remove: kv.remove(key).pipe(
        Effect.mapError((error) => new SessionStoreError({ operation: "clear", location, reason: storeReason(error) }))
      )
    })
  })

/**
 * The store over the `KeyValueStore` in context.
 *
 * @example
 * ```ts
 * import { KeyValueStore } from "effect/persistence"
 * import { Layer } from "effect"
 * import { SessionStore } from "tmdb-effect"
 *
 * // in a browser: localStorage
 * const StoreLive = SessionStore.layer().pipe(Layer.provide(KeyValueStore.layerStorage(() => localStorage)))
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layer = (
  options?: { readonly key?: string | undefined }
): Layer.Layer<SessionStore, never, KeyValueStore.KeyValueStore> => Layer.effect(SessionStore, make(options))

/**
 * A store in memory, for tests: empty when the layer is built.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SessionStore } from "tmdb-effect"
 *
 * const empty = Effect.flatMap(SessionStore.SessionStore, (store) => store.load).pipe(
 *   Effect.provide(SessionStore.layerMemory)
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layerMemory: Layer.Layer<SessionStore> = layer().pipe(Layer.provide(KeyValueStore.layerMemory))

/**
 * How a {@link logout} ended; each one leaves nothing stored.
 *
 * - `LoggedOut`: TMDB confirmed the deletion (a guest session, which TMDB cannot end, is only
 *   forgotten here).
 * - `AlreadyLoggedOut`: TMDB answered that the session is unknown or invalid (`status_code` 3,
 *   6, 17 or 34).
 * - `CorruptedRemoved`: the stored value did not decode, so nothing could be ended at TMDB; it
 *   is removed (`error` says what was wrong with it).
 * - `NothingStored`: there was no login (or it had expired).
 *
 * @example
 * ```ts
 * import { SessionStore } from "tmdb-effect"
 *
 * const describe = SessionStore.LogoutOutcome.$match({
 *   LoggedOut: () => "logged out",
 *   AlreadyLoggedOut: () => "already logged out",
 *   CorruptedRemoved: ({ error }) => `removed a corrupted login: ${error.reason}`,
 *   NothingStored: () => "not logged in"
 * })
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export type LogoutOutcome = Data.TaggedEnum<{
  readonly LoggedOut: { readonly kind: Kind }
  readonly AlreadyLoggedOut: { readonly kind: Kind; readonly status_code: number }
  readonly CorruptedRemoved: { readonly error: CorruptedSession }
  readonly NothingStored: Record<never, never>
}>

/**
 * Constructors and matchers for {@link LogoutOutcome}.
 *
 * @example
 * ```ts
 * import { SessionStore } from "tmdb-effect"
 *
 * const done = SessionStore.LogoutOutcome.LoggedOut({ kind: "session" })
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export const LogoutOutcome: Data.TaggedEnum.Constructor<LogoutOutcome> = /* @__PURE__ */ Data.taggedEnum<
  LogoutOutcome
>()

/**
 * Everything {@link logout} can fail with; after any of them the stored login is still there.
 * `TransportError`, `TmdbUnavailable` and `RateLimited` (after the retries) mean TMDB could not
 * be asked: keep the login and try again later, or a live session is orphaned.
 *
 * @example
 * ```ts
 * import { SessionStore } from "tmdb-effect"
 *
 * const retryLater = (error: SessionStore.LogoutError) =>
 *   error._tag === "TransportError" || error._tag === "TmdbUnavailable" || error._tag === "RateLimited"
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export type LogoutError =
  | InsecureSessionFile
  | SessionStoreError
  | Effect.Error<ReturnType<typeof Authentication.deleteSession>>
  | Effect.Error<ReturnType<typeof AuthV4.deleteAccessToken>>

/**
 * Logs out with the stored login, by one rule: the local copy goes once the login is
 * certainly over — TMDB confirms it, or answers that the session is already unknown or invalid
 * — or when it is corrupted (nothing else can be done with it). When TMDB
 * is unreachable or failing (`TransportError`, `TmdbUnavailable`, `RateLimited` after the
 * retries), or refuses for another reason, the local copy is kept and the error returned, so a
 * live session is never orphaned: run the logout again.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "effect/http"
 * import { Effect } from "effect"
 * import { SessionStore, TmdbCredentials } from "tmdb-effect"
 *
 * const program = SessionStore.logout().pipe(
 *   Effect.tap((outcome) => Effect.log(outcome._tag)),
 *   Effect.catchTags({
 *     TransportError: () => Effect.log("TMDB unreachable: still logged in, try again later"),
 *     TmdbUnavailable: () => Effect.log("TMDB unavailable: still logged in, try again later")
 *   }),
 *   Effect.provide([SessionStore.layerMemory, TmdbCredentials.layerConfig, FetchHttpClient.layer])
 * )
 * ```
 *
 * @since 2.0.0
 * @category logout
 */
export const logout: () => Effect.Effect<LogoutOutcome, LogoutError, SessionStore | Authentication.Requirements> =
  /* @__PURE__ */ Effect.fn("tmdb.SessionStore.logout")(function*() {
    const store = yield* SessionStore
    // Removing a value never decodes it.
    const clear = Effect.catchTag(store.clear, "CorruptedSession", () => Effect.void)
    const loaded = yield* Effect.result(store.load)
    if (Result.isFailure(loaded)) {
      if (loaded.failure._tag !== "CorruptedSession") return yield* Effect.fail(loaded.failure)
      yield* clear
      return LogoutOutcome.CorruptedRemoved({ error: loaded.failure })
    }
    if (Option.isNone(loaded.success)) {
      yield* clear // an expired login is removed too
      return LogoutOutcome.NothingStored()
    }
    const login = loaded.success.value
    const outcome = yield* endAtTmdb(login).pipe(
      Effect.as(LogoutOutcome.LoggedOut({ kind: login.kind })),
      Effect.catch((error) =>
        isSessionGone(error)
          ? Effect.succeed(LogoutOutcome.AlreadyLoggedOut({ kind: login.kind, status_code: error.status_code }))
          : Effect.fail(error)
      )
    )
    yield* clear
    return outcome
  })

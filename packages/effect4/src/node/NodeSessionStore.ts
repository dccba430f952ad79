/**
 * A file-backed `SessionStore` for Node: one JSON file, written atomically (temp file in the
 * same directory, fsync, rename) with mode 0600. The file is used as OpenSSH's StrictModes uses
 * `~/.ssh`: a FIFO or device, another user's file, a file others can read or write, or one
 * reached through a component another user could swap — a directory others can write (unless
 * sticky), a directory or symbolic link of another user's (not root's) — is refused, for load,
 * save and clear alike (`SessionStore.InsecureSessionFile`, saying what to fix); a file that does not
 * decode is `CorruptedSession`. Missing directories are made one at a time (mode 0700), and each
 * operation gives up after 10 seconds (`SessionStoreError`).
 *
 * @since 2.0.0
 */
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Os from "node:os"
import * as Path from "node:path"
import * as SessionStore from "../SessionStore.js"
import * as FileStore from "./internal/fileStore.js"

/**
 * The default file: `$XDG_CONFIG_HOME/tmdb-auth/session.json`, else
 * `~/.config/tmdb-auth/session.json` (`%APPDATA%\tmdb-auth\session.json` on Windows).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { NodeSessionStore } from "tmdb-effect/node"
 *
 * Effect.runPromise(NodeSessionStore.defaultPath).then(console.log)
 * ```
 *
 * @since 2.0.0
 * @category paths
 */
export const defaultPath: Effect.Effect<string> = /* @__PURE__ */ Effect.gen(function*() {
  const variable = (name: string) =>
    Config.option(Config.NonEmptyString(name)).pipe(Effect.orElseSucceed(() => Option.none<string>()))
  const xdg = yield* variable("XDG_CONFIG_HOME")
  const appData = yield* variable("APPDATA")
  const base = Option.getOrElse(
    xdg,
    () =>
      process.platform === "win32" && Option.isSome(appData)
        ? appData.value
        : Path.join(Os.homedir(), ".config")
  )
  return Path.join(base, "tmdb-auth", "session.json")
})

const storeAt = (path: string): SessionStore.Service => SessionStore.fromBackend(FileStore.backend(Path.resolve(path)))

/**
 * A store kept in the file at `path`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { NodeSessionStore } from "tmdb-effect/node"
 *
 * const store = NodeSessionStore.make("/tmp/tmdb-session.json")
 * const loggedIn = Effect.map(store.load, (login) => login._tag === "Some")
 * ```
 *
 * @since 2.0.0
 * @category constructors
 */
export const make = (path: string): SessionStore.Service => storeAt(path)

/**
 * The `SessionStore` kept in one file: `options.path`, else {@link defaultPath}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SessionStore } from "tmdb-effect"
 * import { NodeSessionStore } from "tmdb-effect/node"
 *
 * const program = Effect.flatMap(SessionStore.SessionStore, (store) => store.load).pipe(
 *   Effect.provide(NodeSessionStore.layer())
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layer = (options?: { readonly path?: string | undefined }): Layer.Layer<SessionStore.SessionStore> =>
  Layer.effect(
    SessionStore.SessionStore,
    Effect.map(options?.path === undefined ? defaultPath : Effect.succeed(options.path), storeAt)
  )

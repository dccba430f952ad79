/**
 * The session file: one JSON file, written atomically (a temp file in the same directory,
 * fsync, rename) with mode 0600, and never read when other users can read or write it.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { randomBytes } from "node:crypto"
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import type { Backend, StoreError } from "../../SessionStore.js"
import { InsecureSessionFile, SessionStoreError } from "../../SessionStore.js"

/** The file operations the store uses; tests swap one to simulate a crash mid-write. */
export interface FileOps {
  readonly mkdir: (dir: string) => Promise<unknown>
  /** Creates `path` (it must not exist) with mode 0600, writes `text`, fsyncs and closes it. */
  readonly writeNew: (path: string, text: string) => Promise<void>
  readonly rename: (from: string, to: string) => Promise<void>
  readonly unlink: (path: string) => Promise<void>
  /** The file's text and permission bits, or `undefined` when it does not exist. */
  readonly read: (path: string) => Promise<{ readonly text: string; readonly mode: number } | undefined>
  /** Makes a rename durable (best effort). */
  readonly syncDir: (dir: string) => Promise<void>
}

const codeOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined

/** The node:fs implementation. */
export const nodeOps: FileOps = {
  mkdir: (dir) => Fs.mkdir(dir, { recursive: true, mode: 0o700 }),
  writeNew: async (path, text) => {
    const handle = await Fs.open(path, "wx", 0o600)
    try {
      await handle.writeFile(text, "utf8")
      await handle.sync()
    } finally {
      await handle.close()
    }
  },
  rename: (from, to) => Fs.rename(from, to),
  unlink: (path) => Fs.unlink(path),
  read: async (path) => {
    let handle: Fs.FileHandle
    try {
      handle = await Fs.open(path, "r")
    } catch (error) {
      if (codeOf(error) === "ENOENT") return undefined
      throw error
    }
    try {
      const stat = await handle.stat()
      if (!stat.isFile()) throw Object.assign(new Error("not a regular file"), { code: "EISDIR", syscall: "read" })
      // Check the mode before reading a byte of a file others may have seen.
      const mode = stat.mode & 0o777
      if (process.platform !== "win32" && (mode & 0o077) !== 0) return { text: "", mode }
      return { text: await handle.readFile("utf8"), mode }
    } finally {
      await handle.close()
    }
  },
  syncDir: async (dir) => {
    try {
      const handle = await Fs.open(dir, "r")
      try {
        await handle.sync()
      } finally {
        await handle.close()
      }
    } catch {
      // Not every platform can fsync a directory; the rename itself is still atomic.
    }
  }
}

const reasonOf = (error: unknown): string => {
  const code = codeOf(error)
  const syscall = typeof error === "object" && error !== null && "syscall" in error && typeof error.syscall === "string"
    ? error.syscall
    : undefined
  if (code !== undefined) return syscall === undefined ? code : `${code} (${syscall})`
  return error instanceof Error ? error.message : "unknown error"
}

const octal = (mode: number): string => `0${mode.toString(8).padStart(3, "0")}`

/** The store's backend for one file. */
export const backend = (path: string, ops: FileOps = nodeOps): Backend => {
  const dir = Path.dirname(path)
  const failure = (operation: SessionStoreError["operation"]) => (error: unknown): StoreError =>
    new SessionStoreError({ operation, location: path, reason: reasonOf(error) })
  return {
    location: path,
    read: Effect.tryPromise({ try: () => ops.read(path), catch: failure("load") }).pipe(
      Effect.flatMap((file) => {
        if (file === undefined) return Effect.succeed(Option.none<string>())
        if (process.platform !== "win32" && (file.mode & 0o077) !== 0) {
          return Effect.fail(new InsecureSessionFile({ path, mode: octal(file.mode) }))
        }
        return Effect.succeed(Option.some(file.text))
      })
    ),
    write: (text) =>
      Effect.gen(function*() {
        yield* Effect.tryPromise({ try: () => ops.mkdir(dir), catch: failure("save") })
        const temp = Path.join(dir, `.${Path.basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`)
        yield* Effect.tryPromise({
          try: async () => {
            try {
              await ops.writeNew(temp, text)
              await ops.rename(temp, path)
            } catch (error) {
              await ops.unlink(temp).catch(() => undefined)
              throw error
            }
          },
          catch: failure("save")
        })
        yield* Effect.promise(() => ops.syncDir(dir))
      }),
    remove: Effect.tryPromise({
      try: () =>
        ops.unlink(path).catch((error: unknown) => {
          if (codeOf(error) !== "ENOENT") throw error
        }),
      catch: failure("clear")
    })
  }
}

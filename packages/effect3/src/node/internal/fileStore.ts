/**
 * The session file: one JSON file, written atomically (a temp file in the same directory,
 * fsync, rename) with mode 0600, and used only as OpenSSH uses `~/.ssh`: a regular file, the
 * current user's, mode 0600, in a directory group and others cannot write unless it is sticky.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { randomBytes } from "node:crypto"
import * as Fs from "node:fs"
import * as FsPromises from "node:fs/promises"
import * as Path from "node:path"
import type { Backend, InsecureProblem, StoreError } from "../../SessionStore.js"
import { InsecureSessionFile, SessionStoreError } from "../../SessionStore.js"

/** What reading the file found. */
export type ReadResult =
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Refused"; readonly problem: InsecureProblem }
  | { readonly _tag: "Read"; readonly text: string }

/** The file operations the store uses; tests swap one to simulate a crash mid-write. */
export interface FileOps {
  readonly mkdir: (dir: string) => Promise<unknown>
  /** Creates `path` (it must not exist) with mode 0600, writes `text`, fsyncs and closes it. */
  readonly writeNew: (path: string, text: string) => Promise<void>
  readonly rename: (from: string, to: string) => Promise<void>
  readonly unlink: (path: string) => Promise<void>
  /** The file's text, unless it is missing or breaks a rule (then not a byte is read). */
  readonly read: (path: string) => Promise<ReadResult>
  /** Why `dir` may not hold a session file, if it may not. */
  readonly checkDirectory: (dir: string) => Promise<InsecureProblem | undefined>
  /** Makes a rename durable (best effort). */
  readonly syncDir: (dir: string) => Promise<void>
}

const codeOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined

const octal = (mode: number): string => `0${mode.toString(8).padStart(3, "0")}`

/** Windows has neither POSIX owners nor modes; there the checks below do not apply. */
const posix = process.platform !== "win32"

const kindOf = (stat: Fs.Stats): string =>
  stat.isFIFO()
    ? "FIFO"
    : stat.isDirectory()
    ? "directory"
    : stat.isSocket()
    ? "socket"
    : stat.isCharacterDevice() || stat.isBlockDevice()
    ? "device"
    : "special file"

/** The rules for the opened file, checked on its descriptor (what is read is what was checked). */
const fileProblem = (stat: Fs.Stats): InsecureProblem | undefined => {
  if (!stat.isFile()) return { _tag: "NotRegularFile", kind: kindOf(stat) }
  if (!posix) return undefined
  const uid = process.getuid?.()
  if (uid !== undefined && stat.uid !== uid) return { _tag: "Owner", uid: stat.uid, expected: uid }
  const mode = stat.mode & 0o777
  if ((mode & 0o077) !== 0) return { _tag: "Mode", mode: octal(mode) }
  return undefined
}

// O_NONBLOCK: opening a FIFO with no writer returns at once instead of blocking a libuv thread
// forever; the descriptor's type is then checked before any read.
const openFlags = Fs.constants.O_RDONLY | (Fs.constants.O_NONBLOCK ?? 0)

/** The node:fs implementation. */
export const nodeOps: FileOps = {
  mkdir: (dir) => FsPromises.mkdir(dir, { recursive: true, mode: 0o700 }),
  writeNew: async (path, text) => {
    const handle = await FsPromises.open(path, "wx", 0o600)
    try {
      await handle.writeFile(text, "utf8")
      await handle.sync()
    } finally {
      await handle.close()
    }
  },
  rename: (from, to) => FsPromises.rename(from, to),
  unlink: (path) => FsPromises.unlink(path),
  read: async (path) => {
    let handle: FsPromises.FileHandle
    try {
      handle = await FsPromises.open(path, openFlags)
    } catch (error) {
      const code = codeOf(error)
      if (code === "ENOENT") return { _tag: "Missing" }
      // A socket cannot be opened at all; say what it is rather than how open failed.
      if (code === "ENXIO") {
        const stat = await FsPromises.stat(path)
        return { _tag: "Refused", problem: { _tag: "NotRegularFile", kind: kindOf(stat) } }
      }
      throw error
    }
    try {
      const problem = fileProblem(await handle.stat())
      if (problem !== undefined) return { _tag: "Refused", problem }
      return { _tag: "Read", text: await handle.readFile("utf8") }
    } finally {
      await handle.close()
    }
  },
  checkDirectory: async (dir) => {
    if (!posix) return undefined
    const stat = await FsPromises.stat(dir)
    const sticky = (stat.mode & 0o1000) !== 0
    return (stat.mode & 0o022) !== 0 && !sticky
      ? { _tag: "LooseDirectory", directory: dir, mode: octal(stat.mode & 0o777) }
      : undefined
  },
  syncDir: async (dir) => {
    try {
      const handle = await FsPromises.open(dir, "r")
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

/** The store's backend for one file. */
export const backend = (path: string, ops: FileOps = nodeOps): Backend => {
  const dir = Path.dirname(path)
  const failure = (operation: SessionStoreError["operation"]) => (error: unknown): StoreError =>
    new SessionStoreError({ operation, location: path, reason: reasonOf(error) })
  // Whoever may write the directory may swap the file between two runs.
  const directoryIsSafe = (operation: "load" | "save") =>
    Effect.tryPromise({ try: () => ops.checkDirectory(dir), catch: failure(operation) }).pipe(
      Effect.flatMap((problem) =>
        problem === undefined ? Effect.void : Effect.fail(new InsecureSessionFile({ path, problem }))
      )
    )
  return {
    location: path,
    read: Effect.gen(function*() {
      const file = yield* Effect.tryPromise({ try: () => ops.read(path), catch: failure("load") })
      if (file._tag === "Missing") return Option.none<string>()
      if (file._tag === "Refused") return yield* new InsecureSessionFile({ path, problem: file.problem })
      yield* directoryIsSafe("load")
      return Option.some(file.text)
    }),
    write: (text) =>
      Effect.gen(function*() {
        yield* Effect.tryPromise({ try: () => ops.mkdir(dir), catch: failure("save") })
        yield* directoryIsSafe("save")
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
      }).pipe(
        // Ctrl-C waits for the rename (or the temp file's removal): a half-done write would leave
        // the temp file behind, as the promise carries on while the process exits.
        Effect.uninterruptible
      ),
    remove: Effect.tryPromise({
      try: () =>
        ops.unlink(path).catch((error: unknown) => {
          if (codeOf(error) !== "ENOENT") throw error
        }),
      catch: failure("clear")
    })
  }
}

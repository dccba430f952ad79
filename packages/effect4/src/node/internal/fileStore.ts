/**
 * The session file: one JSON file, written atomically (a temp file in the same directory,
 * fsync, rename) with mode 0600, and used only as OpenSSH's StrictModes uses `~/.ssh`: no
 * component of its path may be one another user could swap. Walking the path from `/`, one
 * component at a time:
 *
 * - a symbolic link must be yours or root's (whoever owns a link decides where it leads); a link
 *   of yours is followed (on load, the file's own link too), and the real directories it leads
 *   through are checked like any other;
 * - a directory must be yours or root's, and not writable by group or others unless it is sticky
 *   (like `/tmp`, where others may add names but not replace yours);
 * - the file itself is opened with `O_NOFOLLOW` and `O_NONBLOCK`, and checked on the opened
 *   descriptor: a regular file, yours, mode 0600, and in a sticky directory one name only (a
 *   second one there may be another user's hard link to a file of yours) — what is read is what
 *   was checked, even if a name in a sticky directory changed in between.
 *
 * Load, save and clear walk the path alike. A missing directory is created one component at a
 * time (mode 0700, each checked as it is made), never with a recursive `mkdir`: Node's spins
 * forever on a path such as `/proc/self/nope/…`. Each operation is bounded in time
 * ({@link operationBound}). Windows has no POSIX owners or modes: there only the regular-file rule
 * applies, as before.
 */
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import { randomBytes } from "node:crypto"
import * as Fs from "node:fs"
import * as FsPromises from "node:fs/promises"
import * as Path from "node:path"
import type * as SessionStore from "../../SessionStore.js"
import type { InsecureProblem } from "../../SessionStore.js"
import { InsecureSessionFile, SessionStoreError } from "../../SessionStore.js"

/** What reading the file found. */
export type ReadResult =
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Refused"; readonly problem: InsecureProblem }
  | { readonly _tag: "Read"; readonly text: string }

/** Where a path really leads, its directories checked on the way. */
export type Resolved =
  /** A component breaks a rule; nothing further was looked at. */
  | { readonly _tag: "Refused"; readonly problem: InsecureProblem }
  /** A directory on the path does not exist (and was not to be created): no file either. */
  | { readonly _tag: "Missing" }
  /**
   * `file` (which may not exist) is the entry named in `directory`, a real, checked directory;
   * `shared` when others may add names to it (it is sticky and writable by them, like `/tmp`).
   */
  | { readonly _tag: "Found"; readonly directory: string; readonly file: string; readonly shared: boolean }

/** A path the walk let through. */
export type Found = Extract<Resolved, { readonly _tag: "Found" }>

/** How the walk treats the path. */
export interface ResolveOptions {
  /** Create missing directories, one at a time (save). */
  readonly create: boolean
  /**
   * The path's last component, when it is a link of yours: followed to the file it names
   * (load), or kept as the entry to replace or remove (save, clear). Another user's link is
   * refused either way.
   */
  readonly final: "follow" | "keep"
}

/** The file operations the store uses; tests swap one to simulate a crash mid-write or a hang. */
export interface FileOps {
  /** Walks `path` by the rules above. */
  readonly resolve: (path: string, options: ResolveOptions) => Promise<Resolved>
  /** Creates `path` (it must not exist) with mode 0600, writes `text`, fsyncs and closes it. */
  readonly writeNew: (path: string, text: string) => Promise<void>
  readonly rename: (from: string, to: string) => Promise<void>
  readonly unlink: (path: string) => Promise<void>
  /** The text of a resolved file, unless it is missing or breaks a rule (then not a byte is read). */
  readonly read: (found: Found) => Promise<ReadResult>
  /** Makes a rename durable (best effort). */
  readonly syncDir: (dir: string) => Promise<void>
}

/** How long one operation of the store may take before it fails with a `SessionStoreError`. */
export const operationBound = Duration.seconds(10)

/** A string property of a thrown value (`code`, `syscall`, `path` of a Node error), if it has one. */
const fieldOf = (error: unknown, name: string): string | undefined => {
  if (typeof error !== "object" || error === null) return undefined
  const value: unknown = (error as Record<string, unknown>)[name]
  return typeof value === "string" ? value : undefined
}

const codeOf = (error: unknown): string | undefined => fieldOf(error, "code")

/** A path that cannot be walked; `message` is the whole reason. */
class PathError extends Error {}

const octal = (mode: number): string => `0${mode.toString(8).padStart(3, "0")}`

/** Windows has neither POSIX owners nor modes; there the checks below do not apply. */
const posix = process.platform !== "win32"

const kindOf = (stat: Fs.Stats): string =>
  stat.isFIFO()
    ? "FIFO"
    : stat.isDirectory()
    ? "directory"
    : stat.isSymbolicLink()
    ? "symbolic link"
    : stat.isSocket()
    ? "socket"
    : stat.isCharacterDevice() || stat.isBlockDevice()
    ? "device"
    : "special file"

/** The rules for the opened file, checked on its descriptor (what is read is what was checked). */
const fileProblem = (stat: Fs.Stats, found: Found): InsecureProblem | undefined => {
  if (!stat.isFile()) return { _tag: "NotRegularFile", kind: kindOf(stat) }
  if (!posix) return undefined
  const uid = process.getuid?.()
  if (uid !== undefined && stat.uid !== uid) return { _tag: "Owner", uid: stat.uid, expected: uid }
  const mode = stat.mode & 0o777
  if ((mode & 0o077) !== 0) return { _tag: "Mode", mode: octal(mode) }
  // A second name for a file of yours, made by another user in a directory open to all (where
  // the kernel lets them: fs.protected_hardlinks=0), is a link you did not make: the store's own
  // file has one name.
  if (found.shared && stat.nlink > 1) {
    return { _tag: "HardLinked", links: stat.nlink, directory: found.directory }
  }
  return undefined
}

/** Root can swap anything anyway; anyone else's directory or link is theirs to swap. */
const trusted = (owner: number, uid: number): boolean => owner === uid || owner === 0

const linkProblem = (stat: Fs.Stats, link: string, uid: number): InsecureProblem | undefined =>
  trusted(stat.uid, uid) ? undefined : { _tag: "ForeignSymlink", link, uid: stat.uid, expected: uid }

const directoryProblem = (stat: Fs.Stats, directory: string, uid: number): InsecureProblem | undefined => {
  if (!trusted(stat.uid, uid)) return { _tag: "ForeignDirectory", directory, uid: stat.uid, expected: uid }
  const sticky = (stat.mode & 0o1000) !== 0
  return (stat.mode & 0o022) !== 0 && !sticky
    ? { _tag: "LooseDirectory", directory, mode: octal(stat.mode & 0o777) }
    : undefined
}

/** A directory others may add names to: it passed {@link directoryProblem}, so it is sticky. */
const isShared = (stat: Fs.Stats): boolean => (stat.mode & 0o022) !== 0

/** As Linux's MAXSYMLINKS: a loop of links ends here. */
const maxLinks = 40

const componentsOf = (path: string): Array<string> =>
  path.split(Path.sep).filter((component) => component !== "" && component !== ".")

const lstatIfAny = (path: string): Promise<Fs.Stats | undefined> =>
  FsPromises.lstat(path).catch((error: unknown) => {
    if (codeOf(error) === "ENOENT") return undefined
    throw error
  })

/** One directory, not its parents: a missing parent fails at once (ENOENT), never spins. */
const mkdirOne = (dir: string): Promise<void> =>
  FsPromises.mkdir(dir, { mode: 0o700 }).then(() => undefined, (error: unknown) => {
    // made meanwhile by someone else: the lstat that follows checks whose it is
    if (codeOf(error) !== "EEXIST") throw error
  })

const resolvePosix = async (path: string, uid: number, options: ResolveOptions): Promise<Resolved> => {
  const rootStat = await FsPromises.lstat("/")
  const rootProblem = directoryProblem(rootStat, "/", uid)
  if (rootProblem !== undefined) return { _tag: "Refused", problem: rootProblem }
  const root = { directory: "/", shared: isShared(rootStat) }
  // the real directories walked so far, each checked: the last is where the walk is
  let chain = [root]
  const here = () => chain[chain.length - 1]!
  const found = (file: string, at = here()): Found => ({ _tag: "Found", ...at, file })
  // the components still to walk, the next one last
  const pending = componentsOf(Path.resolve(path)).reverse()
  let links = 0
  while (pending.length > 0) {
    const name = pending.pop()!
    // the chain holds no links, so a directory's parent is the one before it
    if (name === "..") {
      if (chain.length > 1) chain = chain.slice(0, -1)
      continue
    }
    const entry = Path.join(here().directory, name)
    const last = pending.length === 0
    let stat = await lstatIfAny(entry)
    if (stat === undefined) {
      if (last) return found(entry)
      if (!options.create) return { _tag: "Missing" }
      await mkdirOne(entry)
      stat = await FsPromises.lstat(entry)
    }
    if (stat.isSymbolicLink()) {
      const problem = linkProblem(stat, entry, uid)
      if (problem !== undefined) return { _tag: "Refused", problem }
      if (last && options.final === "keep") return found(entry)
      if (++links > maxLinks) throw new PathError(`more than ${maxLinks} symbolic links on the path (ELOOP)`)
      const target = await FsPromises.readlink(entry)
      if (Path.isAbsolute(target)) chain = [root]
      pending.push(...componentsOf(target).reverse())
      continue
    }
    // the file itself: the open decides (O_NOFOLLOW, then fstat)
    if (last) return found(entry)
    if (!stat.isDirectory()) throw new PathError(`${entry} is not a directory (ENOTDIR)`)
    const problem = directoryProblem(stat, entry, uid)
    if (problem !== undefined) return { _tag: "Refused", problem }
    chain = [...chain, { directory: entry, shared: isShared(stat) }]
  }
  // A link led to a directory (`/`, `..`): the open refuses it as not a regular file.
  return found(here().directory, chain[chain.length - 2] ?? root)
}

// O_NONBLOCK: opening a FIFO with no writer returns at once instead of blocking a libuv thread
// forever; the descriptor's type is then checked before any read. O_NOFOLLOW: the walk followed
// the links it trusts, so a link here was put in since; it is refused, never followed.
const openFlags = Fs.constants.O_RDONLY | (Fs.constants.O_NONBLOCK ?? 0) | (Fs.constants.O_NOFOLLOW ?? 0)

/** The node:fs implementation. */
export const nodeOps: FileOps = {
  resolve: async (path, options) => {
    const uid = process.getuid?.()
    if (posix && uid !== undefined) return resolvePosix(path, uid, options)
    // Windows, as before: no owners or modes to check.
    const directory = Path.dirname(path)
    if (options.create) await FsPromises.mkdir(directory, { recursive: true, mode: 0o700 })
    return { _tag: "Found", directory, file: path, shared: false }
  },
  writeNew: async (path, text) => {
    // "wx" is O_CREAT | O_EXCL: a name that exists, a link included, is never opened
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
  read: async (found) => {
    const { file } = found
    let handle: FsPromises.FileHandle
    try {
      handle = await FsPromises.open(file, openFlags)
    } catch (error) {
      const code = codeOf(error)
      if (code === "ENOENT") return { _tag: "Missing" }
      // A socket cannot be opened at all, and O_NOFOLLOW refuses a link (ELOOP; EMLINK on
      // FreeBSD): say what it is rather than how open failed.
      if (code === "ENXIO" || code === "ELOOP" || code === "EMLINK") {
        const stat = await FsPromises.lstat(file)
        const uid = process.getuid?.()
        const foreign = stat.isSymbolicLink() && uid !== undefined ? linkProblem(stat, file, uid) : undefined
        return { _tag: "Refused", problem: foreign ?? { _tag: "NotRegularFile", kind: kindOf(stat) } }
      }
      throw error
    }
    try {
      const problem = fileProblem(await handle.stat(), found)
      if (problem !== undefined) return { _tag: "Refused", problem }
      return { _tag: "Read", text: await handle.readFile("utf8") }
    } finally {
      await handle.close()
    }
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

const reasonOf = (error: unknown, location: string): string => {
  if (error instanceof PathError) return error.message
  const code = codeOf(error)
  const syscall = fieldOf(error, "syscall")
  const path = fieldOf(error, "path")
  if (code !== undefined) {
    // the component that failed, when it is not the file itself (`mkdir /proc/123/nope`)
    const what = path !== undefined && path !== location ? `${syscall ?? "?"} ${path}` : syscall
    return what === undefined ? code : `${code} (${what})`
  }
  return error instanceof Error ? error.message : "unknown error"
}

/** The store's backend for one file. */
export const backend = (path: string, ops: FileOps = nodeOps): SessionStore.Backend => {
  const failure = (operation: SessionStoreError["operation"]) => (error: unknown): SessionStoreError =>
    new SessionStoreError({ operation, location: path, reason: reasonOf(error, path) })
  const attempt = <A>(operation: SessionStoreError["operation"], run: () => Promise<A>) =>
    Effect.tryPromise({ try: run, catch: failure(operation) })
  // A file system that never answers (a hung NFS mount, a FUSE server stopped) fails the call; the
  // libuv thread it holds cannot be taken back, but the program is not stuck with it.
  const timedOut = (operation: SessionStoreError["operation"]) =>
    new SessionStoreError({
      operation,
      location: path,
      reason: `the file system did not answer within ${Duration.format(operationBound)}`
    })
  const bounded = (operation: SessionStoreError["operation"]) =>
    Effect.timeoutOrElse({ duration: operationBound, orElse: () => Effect.fail(timedOut(operation)) })
  /**
   * Runs `effect` to its end however the caller is interrupted (Ctrl-C), and waits for it up to
   * the bound. `Effect.timeout` cannot do both: an interruption reaches the fibers it races. So the
   * work and the timer run as daemons, and the caller waits, uninterruptibly, for the first.
   */
  const finishedWithin = <A>(
    operation: SessionStoreError["operation"],
    effect: Effect.Effect<A, SessionStore.StoreError>
  ) =>
    Effect.uninterruptible(Effect.gen(function*() {
      const settled = yield* Deferred.make<A, SessionStore.StoreError>()
      yield* Effect.forkDetach(Deferred.into(effect, settled))
      const timer = yield* Effect.forkDetach(Effect.interruptible(
        Effect.andThen(Effect.sleep(operationBound), Deferred.fail(settled, timedOut(operation)))
      ))
      return yield* Effect.ensuring(Deferred.await(settled), Fiber.interrupt(timer))
    }))
  const resolved = (operation: SessionStoreError["operation"], options: ResolveOptions) =>
    attempt(operation, () => ops.resolve(path, options)).pipe(
      Effect.flatMap((found) =>
        found._tag === "Refused"
          ? Effect.fail(new InsecureSessionFile({ path, problem: found.problem }))
          : Effect.succeed(found)
      )
    )
  return {
    location: path,
    read: Effect.gen(function*() {
      const found = yield* resolved("load", { create: false, final: "follow" })
      if (found._tag === "Missing") return Option.none<string>()
      const file = yield* attempt("load", () => ops.read(found))
      if (file._tag === "Missing") return Option.none<string>()
      if (file._tag === "Refused") return yield* new InsecureSessionFile({ path, problem: file.problem })
      return Option.some(file.text)
    }).pipe(bounded("load")),
    // Ctrl-C waits for the rename (or the temp file's removal), up to the bound: a half-done write
    // would leave the temp file behind, as the promise carries on while the process exits.
    write: (text) =>
      finishedWithin(
        "save",
        Effect.gen(function*() {
          const found = yield* resolved("save", { create: true, final: "keep" })
          if (found._tag === "Missing") {
            return yield* new SessionStoreError({
              operation: "save",
              location: path,
              reason: "its directory is missing"
            })
          }
          const temp = Path.join(
            found.directory,
            `.${Path.basename(found.file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`
          )
          yield* attempt("save", async () => {
            try {
              await ops.writeNew(temp, text)
              await ops.rename(temp, found.file)
            } catch (error) {
              await ops.unlink(temp).catch(() => undefined)
              throw error
            }
          })
          yield* Effect.promise(() => ops.syncDir(found.directory))
        })
      ),
    remove: Effect.gen(function*() {
      const found = yield* resolved("clear", { create: false, final: "keep" })
      if (found._tag === "Missing") return
      yield* attempt("clear", () =>
        ops.unlink(found.file).catch((error: unknown) => {
          if (codeOf(error) !== "ENOENT") throw error
        }))
    }).pipe(bounded("clear"))
  }
}

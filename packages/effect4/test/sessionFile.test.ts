/**
 * The session file against the other users of the machine (issue 26), probed as they would:
 * links and directories on its path that another user could swap (as uid 65534, in a process of
 * its own), a link slipped in after the check, directories made one at a time (never Node's
 * recursive mkdir, which spins on `/proc/self/nope/…`), and every operation bounded in time.
 * (1.x's cases that run the `tmdb-auth` CLI against the file are the CLI package's now.)
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Layer, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { Authentication, SessionStore, TmdbConfig } from "tmdb-effect"
import { NodeSessionStore } from "tmdb-effect/node"
import { TmdbSimulator } from "tmdb-effect/testing"
import * as FileStore from "../src/node/internal/fileStore.js"
import { login, SECRET } from "./utils/login.js"
import { asOtherUser, describeSecondUser, otherUid } from "./utils/secondUser.js"

/** A fresh directory, 0755 so that the other user may walk into it (its own rules are tested below). */
const base = Effect.acquireRelease(
  Effect.sync(() => {
    const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "tmdb-file-"))
    Fs.chmodSync(dir, 0o755)
    return dir
  }),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

const mkdir = (path: string, mode: number) => {
  Fs.mkdirSync(path)
  Fs.chmodSync(path, mode) // past the umask
  return path
}

const problemOf = (error: SessionStore.StoreError) => error._tag === "InsecureSessionFile" ? error.problem : error

/** `uid` as the process running the tests (the victim) is. */
const me = process.getuid?.() ?? -1

const world = Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.credentials, TmdbConfig.layer({ retry: false }))

/** A live session at the simulator, saved in the victim's own file `path`; its id. */
const liveSessionAt = (path: string) =>
  Effect.gen(function*() {
    const { password, username } = TmdbSimulator.defaultAccount
    const session = yield* Authentication.loginWithPassword({ username, password })
    yield* NodeSessionStore.make(path).save(login({ session_id: session.session_id }))
    return Redacted.value(session.session_id)
  })

/** The tag of a failure, read as any string (the `SessionStore` service's type does not name the file's refusal). */
const tagOf = (error: { readonly _tag: string }): string => error._tag

/** What the victim's logout through `path` did at TMDB: the DELETEs sent, and whether `session` lives on. */
const logoutThrough = (path: string, session: string) =>
  Effect.gen(function*() {
    const simulator = yield* TmdbSimulator.TmdbSimulator
    const outcome = yield* SessionStore.logout().pipe(
      Effect.provide(NodeSessionStore.layer({ path })),
      Effect.result
    )
    const deletes = (yield* simulator.requests).filter((request) => request.method === "DELETE")
    const alive = (yield* simulator.sessions).some((s) => s.session_id === session)
    return { outcome, deletes, alive }
  })

/** A login as the store writes it, holding {@link SECRET}. */
const storedText = JSON.stringify({ kind: "session", session_id: SECRET, created_at: "2026-01-01T00:00:00Z" })

/** The store over a file backend with swapped operations, typed as `NodeSessionStore.make`'s. */
const storeOf = (backend: SessionStore.Backend): SessionStore.Service => SessionStore.fromBackend(backend)

/** Linux's /proc: a directory in which nothing can be made. */
const hasProc = Fs.existsSync("/proc/self")

describe("the session file: its path walked one component at a time", () => {
  it.effect("a link of yours is followed, and the real directories it leads through are checked too", () =>
    Effect.gen(function*() {
      const dir = yield* base
      const loose = mkdir(Path.join(dir, "loose"), 0o777)
      const target = Path.join(loose, "session.json")
      Fs.writeFileSync(target, storedText, { mode: 0o600 })
      const path = Path.join(mkdir(Path.join(dir, "mine"), 0o700), "session.json")
      Fs.symlinkSync(target, path)
      const refused = yield* Effect.flip(NodeSessionStore.make(path).load)
      assert.deepStrictEqual(problemOf(refused), { _tag: "LooseDirectory", directory: loose, mode: "0777" })
      assert.include(refused.message, `chmod go-w ${loose}`)
      // the same link into a directory of yours is followed
      Fs.chmodSync(loose, 0o700)
      assert.strictEqual(Option.getOrThrow(yield* NodeSessionStore.make(path).load).username, undefined)
      // a relative link, through a link to a directory: followed alike
      Fs.symlinkSync("loose", Path.join(dir, "via"))
      Fs.symlinkSync(Path.join("..", "via", "session.json"), Path.join(dir, "mine", "relative.json"))
      assert.isTrue(Option.isSome(yield* NodeSessionStore.make(Path.join(dir, "mine", "relative.json")).load))
      // a loop of links ends
      Fs.symlinkSync("b.json", Path.join(dir, "mine", "a.json"))
      Fs.symlinkSync("a.json", Path.join(dir, "mine", "b.json"))
      const looped = yield* Effect.flip(NodeSessionStore.make(Path.join(dir, "mine", "a.json")).load)
      assert.strictEqual(looped._tag, "SessionStoreError")
      assert.include(looped.message, "ELOOP")
    }))

  it.effect("a link put in after the check is refused by the open (O_NOFOLLOW), never followed", () =>
    Effect.gen(function*() {
      const dir = yield* base
      const shared = mkdir(Path.join(dir, "shared"), 0o1777)
      const path = Path.join(shared, "session.json")
      yield* NodeSessionStore.make(path).save(login({ username: "checked" }))
      const elsewhere = Path.join(dir, "elsewhere.json")
      yield* NodeSessionStore.make(elsewhere).save(login({ username: "swapped in" }))
      const racing = storeOf(FileStore.backend(path, {
        ...FileStore.nodeOps,
        resolve: async (at, options) => {
          const found = await FileStore.nodeOps.resolve(at, options)
          // between the walk and the open, the file becomes a link
          Fs.rmSync(path)
          Fs.symlinkSync(elsewhere, path)
          return found
        }
      }))
      const refused = yield* Effect.flip(racing.load)
      assert.deepStrictEqual(problemOf(refused), { _tag: "NotRegularFile", kind: "symbolic link" })
    }))

  it.effect("in a sticky directory, a second name for a file of yours (a hard link) is refused", () =>
    Effect.gen(function*() {
      const dir = yield* base
      const real = Path.join(mkdir(Path.join(dir, "mine"), 0o700), "session.json")
      yield* NodeSessionStore.make(real).save(login())
      // as another user would, where the kernel lets them (fs.protected_hardlinks=0)
      const shared = mkdir(Path.join(dir, "shared"), 0o1777)
      const planted = Path.join(shared, "session.json")
      Fs.linkSync(real, planted)
      const refused = yield* Effect.flip(NodeSessionStore.make(planted).load)
      assert.deepStrictEqual(problemOf(refused), { _tag: "HardLinked", links: 2, directory: shared })
      assert.include(refused.message, `rm ${planted}`)
      // in a directory only you can write, a second name is yours: read as before
      assert.strictEqual(Option.getOrThrow(yield* NodeSessionStore.make(real).load).username, "demo")
      // a save gives the path a file of its own, one name again
      yield* NodeSessionStore.make(planted).save(login({ username: "own" }))
      assert.strictEqual(Option.getOrThrow(yield* NodeSessionStore.make(planted).load).username, "own")
      assert.strictEqual(Option.getOrThrow(yield* NodeSessionStore.make(real).load).username, "demo")
    }))

  it.effect("missing directories are made one at a time, each mode 0700; a component that is not a directory fails", () =>
    Effect.gen(function*() {
      const dir = yield* base
      const path = Path.join(dir, "a", "b", "c", "session.json")
      yield* NodeSessionStore.make(path).save(login())
      for (const made of ["a", "a/b", "a/b/c"]) {
        assert.strictEqual(Fs.statSync(Path.join(dir, made)).mode & 0o7777, 0o700, made)
      }
      const file = Path.join(dir, "a", "b", "c", "session.json")
      for (
        const [operation, effect] of [
          ["save", NodeSessionStore.make(Path.join(file, "x", "session.json")).save(login())],
          ["load", NodeSessionStore.make(Path.join(file, "session.json")).load],
          ["clear", NodeSessionStore.make(Path.join(file, "session.json")).clear]
        ] as const
      ) {
        const error = yield* Effect.flip(effect)
        assert.strictEqual(error._tag === "SessionStoreError" && error.operation, operation)
        assert.include(error.message, `${file} is not a directory (ENOTDIR)`)
      }
      assert.isFalse(Fs.existsSync(Path.join(file, "x")))
    }))

  it.live.skipIf(!hasProc)(
    "/proc/self/nope/s.json: a save fails at once with a typed error, never spins",
    () =>
      Effect.gen(function*() {
        const path = "/proc/self/nope/s.json"
        const sessions = NodeSessionStore.make(path)
        const error = yield* Effect.flip(sessions.save(login())).pipe(
          Effect.timeoutOrElse({ duration: "5 seconds", orElse: () => Effect.fail("the save spins") })
        )
        assert.strictEqual(error._tag === "SessionStoreError" && error.operation, "save")
        assert.match(
          error.message,
          /^Could not save the TMDB login at \/proc\/self\/nope\/s\.json: ENOENT \(mkdir \/proc\/\d+\/nope\)$/
        )
        // nothing stored there, nothing to clear
        assert.isTrue(Option.isNone(yield* sessions.load))
        yield* sessions.clear
      }),
    10_000
  )

  it.effect("every operation is bounded: a file system that never answers fails the call after 10 s", () =>
    Effect.gen(function*() {
      const never = () => new Promise<never>(() => undefined)
      const found = (path: string) =>
        Promise.resolve({ _tag: "Found", directory: Path.dirname(path), file: path, shared: false } as const)
      const hung = (ops: Partial<FileStore.FileOps>) =>
        storeOf(FileStore.backend("/nowhere/session.json", { ...FileStore.nodeOps, ...ops }))
      const cases = [
        ["load", hung({ resolve: never }).load],
        ["load", hung({ resolve: found, read: never }).load],
        ["save", hung({ resolve: never }).save(login())],
        ["save", hung({ resolve: found, writeNew: never }).save(login())],
        ["clear", hung({ resolve: found, unlink: never }).clear]
      ] as const
      for (const [operation, effect] of cases) {
        const fiber = yield* Effect.forkChild(effect)
        yield* TestClock.adjust("9999 millis")
        assert.isUndefined(fiber.pollUnsafe(), `${operation}: gave up early`)
        yield* TestClock.adjust("1 millis")
        // on the live clock: a store with no bound would hang here
        const exit = yield* TestClock.withLive(Fiber.await(fiber).pipe(Effect.timeout("2 seconds")))
        assert.isTrue(Exit.isFailure(exit))
        const error = yield* Effect.flip(exit)
        assert.strictEqual(error._tag === "SessionStoreError" && error.operation, operation)
        assert.include(error.message, "the file system did not answer within 10s")
      }
      // Ctrl-C during a hung save waits for the write, but only up to the bound
      const saving = yield* Effect.forkChild(hung({ resolve: found, writeNew: never }).save(login()))
      yield* Effect.yieldNow
      const interrupting = yield* Effect.forkChild(Fiber.interrupt(saving))
      yield* TestClock.adjust("9999 millis")
      assert.isUndefined(interrupting.pollUnsafe(), "Ctrl-C did not wait for the write")
      yield* TestClock.adjust("1 millis")
      yield* TestClock.withLive(Fiber.join(interrupting).pipe(Effect.timeout("2 seconds")))
    }))
})

describeSecondUser(`the session file against another user (uid ${otherUid})`, () => {
  it.effect("a link planted in a sticky directory, pointing at your session: refused, no login shown, no DELETE", () =>
    Effect.gen(function*() {
      const dir = yield* base
      const real = Path.join(mkdir(Path.join(dir, "mine"), 0o700), "session.json")
      const shared = mkdir(Path.join(dir, "shared"), 0o1777)
      const planted = Path.join(shared, "session.json")
      const session = yield* liveSessionAt(real)
      yield* asOtherUser("fs.symlinkSync(args[0], args[1])", real, planted)
      assert.strictEqual(Fs.lstatSync(planted).uid, otherUid)

      const sessions = NodeSessionStore.make(planted)
      const refused = yield* Effect.flip(sessions.load)
      assert.deepStrictEqual(problemOf(refused), { _tag: "ForeignSymlink", link: planted, uid: otherUid, expected: me })
      assert.include(
        refused.message,
        `Refusing to use ${planted}: it is a symbolic link that belongs to user ${otherUid}`
      )
      assert.include(refused.message, `rm ${planted}`)
      assert.notInclude(refused.message, session)

      const { alive, deletes, outcome } = yield* logoutThrough(planted, session)
      assert.strictEqual(outcome._tag === "Failure" && tagOf(outcome.failure), "InsecureSessionFile")
      assert.deepStrictEqual(deletes, [])
      assert.isTrue(alive)
      // clear and save are held to the same rule: the link and what it points at stay as they were
      assert.strictEqual(problemOf(yield* Effect.flip(sessions.clear))._tag, "ForeignSymlink")
      assert.strictEqual(
        problemOf(yield* Effect.flip(sessions.save(login({ username: "other" }))))._tag,
        "ForeignSymlink"
      )
      assert.strictEqual(Fs.readlinkSync(planted), real)
      assert.strictEqual(Redacted.value(Option.getOrThrow(yield* NodeSessionStore.make(real).load).session_id), session)
    }).pipe(Effect.provide(world)))

  it.effect("a link of theirs as a directory on the path (shared/config → your directory) is refused", () =>
    Effect.gen(function*() {
      const dir = yield* base
      const mine = mkdir(Path.join(dir, "mine"), 0o700)
      const session = yield* liveSessionAt(Path.join(mine, "session.json"))
      const shared = mkdir(Path.join(dir, "shared"), 0o1777)
      const link = Path.join(shared, "config")
      yield* asOtherUser("fs.symlinkSync(args[0], args[1])", mine, link)
      const path = Path.join(link, "session.json")
      const sessions = NodeSessionStore.make(path)
      for (const refused of [yield* Effect.flip(sessions.load), yield* Effect.flip(sessions.save(login()))]) {
        assert.deepStrictEqual(problemOf(refused), { _tag: "ForeignSymlink", link, uid: otherUid, expected: me })
        assert.include(refused.message, `${link} is a symbolic link that belongs to user ${otherUid}`)
        assert.include(refused.message, `rm ${link}`)
      }
      const { deletes } = yield* logoutThrough(path, session)
      assert.deepStrictEqual(deletes, [])
      assert.deepStrictEqual(Fs.readdirSync(mine), ["session.json"]) // nothing written through the link
    }).pipe(Effect.provide(world)))

  it.effect("a 0755 directory of theirs is refused for save and load; its owner's swap for a link is never followed", () =>
    Effect.gen(function*() {
      const dir = yield* base
      const theirs = mkdir(Path.join(dir, "theirs"), 0o755)
      Fs.chownSync(theirs, otherUid, otherUid)
      const path = Path.join(theirs, "session.json")
      const sessions = NodeSessionStore.make(path)
      const saved = yield* Effect.flip(sessions.save(login()))
      const foreign: SessionStore.InsecureProblem = {
        _tag: "ForeignDirectory",
        directory: theirs,
        uid: otherUid,
        expected: me
      }
      assert.deepStrictEqual(problemOf(saved), foreign)
      assert.include(saved.message, `the directory ${theirs} on its path belongs to user ${otherUid}`)
      assert.include(saved.message, `chown ${me} ${theirs}`)
      assert.deepStrictEqual(Fs.readdirSync(theirs), []) // not a byte written there

      // A file saved there before (as the store used to allow), which the directory's owner then
      // swaps for a link to your real session.
      Fs.writeFileSync(path, storedText, { mode: 0o600 })
      const real = Path.join(mkdir(Path.join(dir, "mine"), 0o700), "session.json")
      const session = yield* liveSessionAt(real)
      yield* asOtherUser("fs.unlinkSync(args[1]); fs.symlinkSync(args[0], args[1])", real, path)
      assert.deepStrictEqual(problemOf(yield* Effect.flip(sessions.load)), foreign)
      const { alive, deletes } = yield* logoutThrough(path, session)
      assert.deepStrictEqual(deletes, [])
      assert.isTrue(alive)
      // a directory of yours inside theirs is no safer: they can swap it whole
      const inner = mkdir(Path.join(theirs, "inner"), 0o700)
      assert.deepStrictEqual(
        problemOf(yield* Effect.flip(NodeSessionStore.make(Path.join(inner, "session.json")).save(login()))),
        foreign
      )
    }).pipe(Effect.provide(world)))

  it.effect("a file they planted in a sticky directory is refused on the opened descriptor", () =>
    Effect.gen(function*() {
      const shared = mkdir(Path.join(yield* base, "shared"), 0o1777)
      const path = Path.join(shared, "session.json")
      yield* asOtherUser("fs.writeFileSync(args[0], args[1], { mode: 0o600 })", path, storedText)
      const refused = yield* Effect.flip(NodeSessionStore.make(path).load)
      assert.deepStrictEqual(problemOf(refused), { _tag: "Owner", uid: otherUid, expected: me })
      assert.notInclude(refused.message, SECRET)
    }))
})

/**
 * SessionStore: memory and file stores — round-trips, expiry, corruption, permissions, and
 * atomic writes that survive a crash mid-write.
 */
import { assert, describe, it } from "@effect/vitest"
import {
  ConfigProvider,
  DateTime,
  Deferred,
  Effect,
  Exit,
  Fiber,
  Layer,
  Option,
  Redacted,
  TestClock,
  TestServices
} from "effect"
import { execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { Authentication, SessionStore, TmdbConfig } from "tmdb-effect"
import { NodeSessionStore } from "tmdb-effect/node"
import { TmdbSimulator } from "tmdb-effect/testing"
import * as FileStore from "../src/node/internal/fileStore.js"
import { login, SECRET } from "./utils/login.js"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "tmdb-store-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

const store = SessionStore.SessionStore

describe("SessionStore in memory", () => {
  it.effect("save, load and clear a login; the secret stays Redacted", () =>
    Effect.gen(function*() {
      const sessions = yield* store
      assert.isTrue(Option.isNone(yield* sessions.load))
      yield* sessions.save(login())
      const loaded = Option.getOrThrow(yield* sessions.load)
      assert.isTrue(Redacted.isRedacted(loaded.session_id))
      assert.strictEqual(Redacted.value(loaded.session_id), SECRET)
      assert.strictEqual(loaded.username, "demo")
      assert.strictEqual(loaded.account_id, 1000)
      assert.notInclude(String(loaded), SECRET)
      yield* sessions.clear
      assert.isTrue(Option.isNone(yield* sessions.load))
      yield* sessions.clear // nothing stored is not an error
    }).pipe(Effect.provide(SessionStore.layerMemory)))

  it.effect("an expired guest session is not returned", () =>
    Effect.gen(function*() {
      const sessions = yield* store
      yield* TestClock.setTime(Date.UTC(2026, 0, 1, 12))
      const now = yield* DateTime.now
      yield* sessions.save(login({
        kind: "guest",
        account_id: undefined,
        username: undefined,
        created_at: now,
        expires_at: DateTime.add(now, { hours: 24 })
      }))
      assert.strictEqual(Option.getOrThrow(yield* sessions.load).kind, "guest")
      yield* TestClock.adjust("23 hours")
      assert.isTrue(Option.isSome(yield* sessions.load))
      yield* TestClock.adjust("1 hour")
      assert.isTrue(Option.isNone(yield* sessions.load))
    }).pipe(Effect.provide(SessionStore.layerMemory)))

  it.effect("a corrupted value is CorruptedSession naming fields, never values", () =>
    Effect.gen(function*() {
      let value: string | undefined = "{not json"
      const sessions = SessionStore.fromBackend({
        location: "test",
        read: Effect.sync(() => Option.fromNullable(value)),
        write: (text) => Effect.sync(() => void (value = text)),
        remove: Effect.sync(() => void (value = undefined))
      })
      const notJson = yield* Effect.flip(sessions.load)
      assert.strictEqual(notJson._tag, "CorruptedSession")
      assert.include(notJson.message, "not valid JSON")
      value = JSON.stringify({ kind: "session", session_id: SECRET, created_at: 42 })
      const badField = yield* Effect.flip(sessions.load)
      assert.strictEqual(badField._tag, "CorruptedSession")
      assert.include(badField.message, "created_at")
      assert.notInclude(badField.message, SECRET)
    }))
})

describe("NodeSessionStore (a file)", () => {
  it.scoped("writes JSON with mode 0600 and reads it back", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = Path.join(dir, "nested", "session.json")
      const sessions = NodeSessionStore.make(path)
      yield* sessions.save(login())
      assert.strictEqual(Fs.statSync(path).mode & 0o777, 0o600)
      const stored = JSON.parse(Fs.readFileSync(path, "utf8"))
      assert.strictEqual(stored.session_id, SECRET)
      assert.strictEqual(stored.created_at, "2026-01-01T00:00:00.000Z")
      const loaded = Option.getOrThrow(yield* sessions.load)
      assert.strictEqual(Redacted.value(loaded.session_id), SECRET)
      assert.deepStrictEqual(Fs.readdirSync(Path.dirname(path)), ["session.json"]) // no temp file left
      yield* sessions.clear
      assert.isFalse(Fs.existsSync(path))
    }))

  it.scoped("refuses a file others can read (0644), saying how to fix it", () =>
    Effect.gen(function*() {
      const path = Path.join(yield* tempDir, "session.json")
      const sessions = NodeSessionStore.make(path)
      yield* sessions.save(login())
      Fs.chmodSync(path, 0o644)
      const error = yield* Effect.flip(sessions.load)
      assert.strictEqual(error._tag, "InsecureSessionFile")
      assert.include(error.message, `chmod 600 ${path}`)
      assert.include(error.message, "0644")
      Fs.chmodSync(path, 0o600)
      assert.isTrue(Option.isSome(yield* sessions.load))
    }))

  it.scoped("a corrupted file is CorruptedSession, and a save replaces it", () =>
    Effect.gen(function*() {
      const path = Path.join(yield* tempDir, "session.json")
      Fs.writeFileSync(path, `{"kind":"session","session_id":"${SECRET}"`, { mode: 0o600 })
      const sessions = NodeSessionStore.make(path)
      const error = yield* Effect.flip(sessions.load)
      assert.strictEqual(error._tag, "CorruptedSession")
      assert.notInclude(error.message, SECRET)
      yield* sessions.save(login({ username: "fresh" }))
      assert.strictEqual(Option.getOrThrow(yield* sessions.load).username, "fresh")
    }))

  it.scoped("a crash mid-write (failing rename, stale temp file) keeps the previous login", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = Path.join(dir, "session.json")
      yield* NodeSessionStore.make(path).save(login({ username: "before" }))
      // A process that died between writing its temp file and renaming it.
      Fs.writeFileSync(Path.join(dir, ".session.json.999.deadbeef.tmp"), "{\"kind\":\"sess", { mode: 0o600 })
      let written: string | undefined
      const crashing = SessionStore.fromBackend(FileStore.backend(path, {
        ...FileStore.nodeOps,
        writeNew: async (temp, text) => {
          written = temp
          await FileStore.nodeOps.writeNew(temp, text)
        },
        rename: () => Promise.reject(Object.assign(new Error("disk gone"), { code: "EIO", syscall: "rename" }))
      }))
      const error = yield* Effect.flip(crashing.save(login({ username: "after" })))
      assert.strictEqual(error._tag, "SessionStoreError")
      assert.include(error.message, "EIO (rename)")
      assert.isDefined(written)
      assert.isFalse(Fs.existsSync(written!)) // its own temp file is cleaned up
      const survivor = Option.getOrThrow(yield* NodeSessionStore.make(path).load)
      assert.strictEqual(survivor.username, "before")
      assert.strictEqual(Redacted.value(survivor.session_id), SECRET)
    }))

  it.scoped("an interrupted save finishes first: no temp file, no half-written session", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = Path.join(dir, "session.json")
      const started = yield* Deferred.make<boolean>()
      let release: () => void = () => undefined
      const slow = SessionStore.fromBackend(FileStore.backend(path, {
        ...FileStore.nodeOps,
        writeNew: async (temp, text) => {
          await FileStore.nodeOps.writeNew(temp, text)
          Deferred.unsafeDone(started, Exit.succeed(true))
          await new Promise<void>((resolve) => release = resolve)
        }
      }))
      const saving = yield* Effect.fork(slow.save(login({ username: "whole" })))
      yield* Deferred.await(started)
      const interrupting = yield* Effect.fork(Fiber.interrupt(saving))
      yield* TestServices.provideLive(Effect.sleep("200 millis"))
      assert.isTrue(Option.isNone(yield* Fiber.poll(interrupting)), "the interruption did not wait for the write")
      release()
      yield* Fiber.join(interrupting)
      assert.deepStrictEqual(Fs.readdirSync(dir), ["session.json"])
      assert.strictEqual(Option.getOrThrow(yield* NodeSessionStore.make(path).load).username, "whole")
    }))

  it.scoped("a FIFO at the path is refused at once, never waited on", () =>
    Effect.gen(function*() {
      const path = Path.join(yield* tempDir, "session.json")
      execFileSync("mkfifo", ["-m", "600", path])
      const error = yield* Effect.flip(NodeSessionStore.make(path).load)
      assert.strictEqual(error._tag, "InsecureSessionFile")
      assert.deepStrictEqual(error._tag === "InsecureSessionFile" && error.problem, {
        _tag: "NotRegularFile",
        kind: "FIFO"
      })
      assert.include(error.message, `Refusing to use ${path}: it is a FIFO, not a regular file`)
    }))

  it.effect("a device is refused before a byte is read", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(NodeSessionStore.make("/dev/zero").load)
      assert.strictEqual(error._tag, "InsecureSessionFile")
      assert.include(error.message, "it is a device, not a regular file")
    }))

  // Giving a file to another user needs root; where the suite is not root, this is skipped.
  const isRoot = process.getuid?.() === 0
  it.scoped.skipIf(!isRoot)(
    `a 0600 file owned by another user is refused${isRoot ? "" : " (SKIPPED: not root, cannot chown)"}`,
    () =>
      Effect.gen(function*() {
        const path = Path.join(yield* tempDir, "session.json")
        const sessions = NodeSessionStore.make(path)
        yield* sessions.save(login())
        Fs.chownSync(path, 65534, 65534)
        const error = yield* Effect.flip(sessions.load)
        assert.strictEqual(error._tag, "InsecureSessionFile")
        assert.deepStrictEqual(error._tag === "InsecureSessionFile" && error.problem, {
          _tag: "Owner",
          uid: 65534,
          expected: 0
        })
        assert.include(error.message, `rm ${path}`)
        assert.notInclude(error.message, SECRET)
      })
  )
  if (!isRoot) console.warn("SessionStore.test: the foreign-owner test is skipped: it needs root to chown a file")

  it.scoped("a directory group or others can write (not sticky) is refused for load and save", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = Path.join(dir, "session.json")
      const sessions = NodeSessionStore.make(path)
      yield* sessions.save(login())
      for (const mode of [0o777, 0o770]) {
        Fs.chmodSync(dir, mode)
        const error = yield* Effect.flip(sessions.load)
        assert.strictEqual(error._tag, "InsecureSessionFile")
        assert.deepStrictEqual(error._tag === "InsecureSessionFile" && error.problem, {
          _tag: "LooseDirectory",
          directory: dir,
          mode: `0${mode.toString(8)}`
        })
        assert.include(error.message, `chmod go-w ${dir}`)
        const saved = yield* Effect.flip(sessions.save(login({ username: "other" })))
        assert.strictEqual(saved._tag, "InsecureSessionFile")
      }
      Fs.chmodSync(dir, 0o700)
      assert.strictEqual(Option.getOrThrow(yield* sessions.load).username, "demo")
    }))

  it.scoped("a sticky directory others can write (like /tmp) is fine when the file itself passes", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      Fs.chmodSync(dir, 0o1777)
      const path = Path.join(dir, "session.json")
      const sessions = NodeSessionStore.make(path)
      yield* sessions.save(login())
      assert.strictEqual(Option.getOrThrow(yield* sessions.load).username, "demo")
      Fs.chmodSync(path, 0o640)
      assert.strictEqual((yield* Effect.flip(sessions.load))._tag, "InsecureSessionFile")
    }))

  it.scoped("a symbolic link to a good file is followed; a save replaces the link, not its target", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const target = Path.join(dir, "real.json")
      yield* NodeSessionStore.make(target).save(login({ username: "target" }))
      const path = Path.join(dir, "session.json")
      Fs.symlinkSync(target, path)
      const sessions = NodeSessionStore.make(path)
      assert.strictEqual(Option.getOrThrow(yield* sessions.load).username, "target")
      yield* sessions.save(login({ username: "replaced" }))
      assert.isFalse(Fs.lstatSync(path).isSymbolicLink())
      assert.include(Fs.readFileSync(target, "utf8"), "\"target\"")
    }))

  it.effect("the default path is under XDG_CONFIG_HOME", () =>
    Effect.gen(function*() {
      const path = yield* NodeSessionStore.defaultPath
      assert.strictEqual(path, Path.join("/xdg", "tmdb-auth", "session.json"))
    }).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["XDG_CONFIG_HOME", "/xdg"]])))))
})

describe("SessionStore.logout: one rule", () => {
  const world = Layer.mergeAll(
    TmdbSimulator.layer(),
    TmdbSimulator.credentials,
    SessionStore.layerMemory,
    TmdbConfig.layer({ retry: false })
  )
  const simulator = TmdbSimulator.TmdbSimulator

  /** A live session at the simulator, saved in the store. */
  const loggedIn = Effect.gen(function*() {
    const { password, username } = TmdbSimulator.defaultAccount
    const session = yield* Authentication.loginWithPassword({ username, password })
    yield* Effect.flatMap(store, (s) => s.save(login({ session_id: session.session_id })))
    return session
  })

  const stored = Effect.flatMap(store, (s) => Effect.map(s.load, Option.isSome))

  const tmdbError = (status: number, status_code: number) =>
    TmdbSimulator.Fault.Status({
      status,
      body: JSON.stringify({ success: false, status_code, status_message: "x" }),
      headers: { "content-type": "application/json" }
    })

  it.effect("TMDB confirms: the session ends there and here", () =>
    Effect.gen(function*() {
      yield* loggedIn
      const outcome = yield* SessionStore.logout()
      assert.deepStrictEqual(outcome, SessionStore.LogoutOutcome.LoggedOut({ kind: "session" }))
      assert.isFalse(yield* stored)
      assert.deepStrictEqual(yield* (yield* simulator).sessions, [])
    }).pipe(Effect.provide(world)))

  it.effect("a v4 access token is deleted at TMDB; a guest session is only forgotten", () =>
    Effect.gen(function*() {
      const sim = yield* simulator
      const sessions = yield* store
      const access_token = yield* sim.grantAccessToken(TmdbSimulator.defaultAccount.username)
      yield* sessions.save(login({ kind: "v4AccessToken", session_id: Redacted.make(access_token) }))
      assert.strictEqual((yield* SessionStore.logout())._tag, "LoggedOut")
      const deletes = (yield* sim.requests).filter((r) => r.method === "DELETE")
      assert.deepStrictEqual(deletes.map((r) => r.path), ["/4/auth/access_token"])
      yield* sessions.save(login({ kind: "guest" }))
      assert.deepStrictEqual(yield* SessionStore.logout(), SessionStore.LogoutOutcome.LoggedOut({ kind: "guest" }))
      assert.strictEqual((yield* sim.requests).filter((r) => r.method === "DELETE").length, 1)
      assert.isFalse(yield* stored)
    }).pipe(Effect.provide(world)))

  it.effect("TMDB says the session is unknown or invalid (3, 6, 17, 34): already logged out, removed here", () =>
    Effect.gen(function*() {
      const sim = yield* simulator
      const sessions = yield* store
      // 6: what the simulator answers for a session it does not know
      yield* sessions.save(login())
      assert.deepStrictEqual(
        yield* SessionStore.logout(),
        SessionStore.LogoutOutcome.AlreadyLoggedOut({ kind: "session", status_code: 6 })
      )
      assert.isFalse(yield* stored)
      for (const [status, code] of [[401, 3], [401, 17], [404, 34]] as const) {
        yield* sim.inject(tmdbError(status, code), { path: "/3/authentication/session" })
        yield* sessions.save(login())
        const outcome = yield* SessionStore.logout()
        assert.deepStrictEqual(
          outcome,
          SessionStore.LogoutOutcome.AlreadyLoggedOut({ kind: "session", status_code: code })
        )
        assert.isFalse(yield* stored)
      }
    }).pipe(Effect.provide(world)))

  it.effect("a corrupted stored login is removed (nothing else can be done with it)", () =>
    Effect.gen(function*() {
      let value: string | undefined = `{"kind":"session","session_id":"${SECRET}"`
      const corrupted = SessionStore.fromBackend({
        location: "test",
        read: Effect.sync(() => Option.fromNullable(value)),
        write: (text) => Effect.sync(() => void (value = text)),
        remove: Effect.sync(() => void (value = undefined))
      })
      const outcome = yield* SessionStore.logout().pipe(Effect.provideService(SessionStore.SessionStore, corrupted))
      assert.strictEqual(outcome._tag, "CorruptedRemoved")
      assert.isUndefined(value)
      assert.strictEqual((yield* (yield* simulator).requests).length, 0)
    }).pipe(Effect.provide(world)))

  it.effect("TMDB unreachable, failing or rate limiting: the error, and the login kept to retry with", () =>
    Effect.gen(function*() {
      const sim = yield* simulator
      const session = yield* loggedIn
      const faults = [
        [TmdbSimulator.Fault.Refuse(), "TransportError"],
        [TmdbSimulator.Fault.Status({ status: 500 }), "TmdbUnavailable"],
        [TmdbSimulator.Fault.Html({ status: 503 }), "TmdbUnavailable"],
        [TmdbSimulator.Fault.RateLimit({ retryAfter: 1 }), "RateLimited"]
      ] as const
      for (const [fault, tag] of faults) {
        yield* sim.inject(fault, { path: "/3/authentication/session" })
        const error = yield* Effect.flip(SessionStore.logout())
        assert.strictEqual(error._tag, tag)
        assert.isTrue(yield* stored)
      }
      // TMDB refusing the credentials proves nothing about the session either: kept.
      yield* sim.inject(tmdbError(401, 7), { path: "/3/authentication/session" })
      assert.strictEqual((yield* Effect.flip(SessionStore.logout()))._tag, "InvalidApiKey")
      assert.isTrue(yield* stored)
      // The retry succeeds.
      assert.strictEqual((yield* SessionStore.logout())._tag, "LoggedOut")
      assert.isFalse((yield* sim.sessions).some((s) => s.session_id === Redacted.value(session.session_id)))
    }).pipe(Effect.provide(world)))

  it.effect("nothing stored: nothing to do", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* SessionStore.logout(), SessionStore.LogoutOutcome.NothingStored())
      assert.strictEqual((yield* (yield* simulator).requests).length, 0)
    }).pipe(Effect.provide(world)))
})

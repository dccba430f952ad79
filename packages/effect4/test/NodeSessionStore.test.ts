/**
 * NodeSessionStore, the file store: round-trips, corruption, permissions, owners and directory
 * modes, links, FIFOs and devices, the default path, and atomic writes that survive a crash
 * mid-write or an interruption.
 */
import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Deferred, Effect, Exit, Fiber, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { SessionStore } from "tmdb-effect"
import { NodeSessionStore } from "tmdb-effect/node"
import * as FileStore from "../src/node/internal/fileStore.js"
import { login, SECRET } from "./utils/login.js"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "tmdb-store-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

/** The store over a file backend with swapped operations, typed as `NodeSessionStore.make`'s. */
const storeOf = (backend: SessionStore.Backend): SessionStore.Service => SessionStore.fromBackend(backend)

describe("NodeSessionStore (a file)", () => {
  it.effect("writes JSON with mode 0600 and reads it back", () =>
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

  it.effect("refuses a file others can read (0644), saying how to fix it", () =>
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

  it.effect("a corrupted file is CorruptedSession, and a save replaces it", () =>
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

  it.effect("a crash mid-write (failing rename, stale temp file) keeps the previous login", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = Path.join(dir, "session.json")
      yield* NodeSessionStore.make(path).save(login({ username: "before" }))
      // A process that died between writing its temp file and renaming it.
      Fs.writeFileSync(Path.join(dir, ".session.json.999.deadbeef.tmp"), "{\"kind\":\"sess", { mode: 0o600 })
      let written: string | undefined
      const crashing = storeOf(FileStore.backend(path, {
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

  it.effect("an interrupted save finishes first: no temp file, no half-written session", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = Path.join(dir, "session.json")
      const started = yield* Deferred.make<boolean>()
      let release: () => void = () => undefined
      const slow = storeOf(FileStore.backend(path, {
        ...FileStore.nodeOps,
        writeNew: async (temp, text) => {
          await FileStore.nodeOps.writeNew(temp, text)
          Deferred.doneUnsafe(started, Exit.succeed(true))
          await new Promise<void>((resolve) => release = resolve)
        }
      }))
      const saving = yield* Effect.forkChild(slow.save(login({ username: "whole" })))
      yield* Deferred.await(started)
      const interrupting = yield* Effect.forkChild(Fiber.interrupt(saving))
      yield* TestClock.withLive(Effect.sleep("200 millis"))
      assert.isUndefined(interrupting.pollUnsafe(), "the interruption did not wait for the write")
      release()
      yield* Fiber.join(interrupting)
      assert.deepStrictEqual(Fs.readdirSync(dir), ["session.json"])
      assert.strictEqual(Option.getOrThrow(yield* NodeSessionStore.make(path).load).username, "whole")
    }))

  it.effect("a FIFO at the path is refused at once, never waited on", () =>
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
  it.effect.skipIf(!isRoot)(
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
  if (!isRoot) console.warn("NodeSessionStore.test: the foreign-owner test is skipped: it needs root to chown a file")

  it.effect("a directory group or others can write (not sticky) is refused for load and save", () =>
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

  it.effect("a sticky directory others can write (like /tmp) is fine when the file itself passes", () =>
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

  it.effect("a symbolic link to a good file is followed; a save replaces the link, not its target", () =>
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
    }).pipe(
      Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env: { XDG_CONFIG_HOME: "/xdg" } }))
    ))
})

/**
 * `npm run simulator` (examples/simulator.ts) as a person stops it: Ctrl-C. The example is
 * bundled with esbuild (starting a bundle is several times faster than
 * `node --import tsx`) into the package's `.tmp/bundles/` and run by Node.
 */
import { assert, it } from "@effect/vitest"
import { Effect } from "effect"
import { build } from "esbuild"
import { spawn } from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))

const bundled = Effect.promise(async () => {
  const outfile = Path.join(root, ".tmp", "bundles", "simulator.mjs")
  await build({
    entryPoints: [Path.join(root, "examples", "simulator.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    logLevel: "error"
  })
  return outfile
})

/** Runs `file` with `PORT=0`, sends SIGINT once it says it is serving; how it ended. */
const interruptedOnceServing = (file: string) =>
  Effect.async<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }>((resume) => {
    const child = spawn(process.execPath, [file], {
      cwd: root,
      env: { ...process.env, PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000)
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
      if (stdout.includes("Ctrl-C to stop") && !child.killed) child.kill("SIGINT")
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    child.on("close", (code) => {
      clearTimeout(timer)
      resume(Effect.succeed({ code, stdout, stderr }))
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      child.kill("SIGKILL")
    })
  })

it.live("npm run simulator: Ctrl-C stops it with one line and exit 130", () =>
  Effect.gen(function*() {
    const stopped = yield* Effect.flatMap(bundled, interruptedOnceServing)
    assert.strictEqual(stopped.code, 130, stopped.stdout + stopped.stderr)
    assert.strictEqual(stopped.stderr, "TMDB simulator stopped.\n")
  }), 30_000)

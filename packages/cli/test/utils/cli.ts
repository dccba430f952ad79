/**
 * The `tmdb-auth` CLI as a process: the test run's build (test/globalSetup.ts, as bundle.ts
 * builds the shipped one), and a spawn helper that says how the process ended.
 */
import { Effect } from "effect"
import type { ChildProcess } from "node:child_process"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

export const root = fileURLToPath(new URL("../..", import.meta.url))

/** package.json's version, which `tmdb-auth --version` prints. */
export const packageVersion = (JSON.parse(Fs.readFileSync(Path.join(root, "package.json"), "utf8")) as {
  readonly version: string
}).version

export interface Result {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  /** The process had to be killed: it was still running after `killAfter`. */
  readonly killed: boolean
}

/**
 * The environment without any TMDB_* variable of the machine running the tests, and the compile
 * cache in the package's `.tmp/` rather than the user's `~/.cache`.
 */
export const baseEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([name]) =>
      !name.startsWith("TMDB_") && !name.startsWith("XDG_") && name !== "NO_COLOR" && name !== "NODE_COMPILE_CACHE"
    )
  ),
  XDG_CACHE_HOME: Path.join(root, ".tmp", "cache")
} as Record<string, string>

/** Where the test run's build of the CLI is (test/globalSetup.ts builds it before any test). */
export const builtDir = Path.join(root, ".tmp", "bundles", "dist")

/** The bin of this run's build. */
export const bundle = Effect.sync(() => Path.join(builtDir, "tmdb-auth.cjs"))

export interface SpawnOptions {
  /** What stdin holds: text (then end of file), or `/dev/null` (the default: no terminal). */
  readonly stdin?: string | undefined
  /** Called with all of stderr so far, at each chunk. */
  readonly onStderr?: ((stderr: string, child: ChildProcess) => void) | undefined
  /** Called with all of stdout so far, at each chunk. */
  readonly onStdout?: ((stdout: string, child: ChildProcess) => void) | undefined
  /** Close stdout's reading end at once, as `tmdb-auth … | head -0` would: every write to it fails. */
  readonly closeStdout?: boolean | undefined
  /** Kill the process (and report `killed`) if it runs longer; default 20 s. */
  readonly killAfter?: number | undefined
}

/** Runs `command` with `args` and collects its output. */
export const spawned = (
  command: string,
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>,
  options: SpawnOptions = {}
) =>
  Effect.callback<Result>((resume) => {
    const devNull = options.stdin === undefined ? Fs.openSync("/dev/null", "r") : undefined
    const child = spawn(command, args, {
      cwd: root,
      env: { ...baseEnv, ...env },
      stdio: [devNull ?? "pipe", "pipe", "pipe"]
    })
    if (devNull !== undefined) Fs.closeSync(devNull)
    else child.stdin?.end(options.stdin)
    if (options.closeStdout === true) child.stdout?.destroy()
    let stdout = ""
    let stderr = ""
    let killed = false
    const timer = setTimeout(() => {
      killed = true
      child.kill("SIGKILL")
    }, options.killAfter ?? 20_000)
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
      options.onStdout?.(stdout, child)
    })
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
      options.onStderr?.(stderr, child)
    })
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resume(Effect.succeed({ code, signal, stdout, stderr, killed }))
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      child.kill("SIGKILL")
    })
  })

/** Runs the bundled `tmdb-auth` with `args`. */
export const tmdbAuth = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>,
  options: SpawnOptions = {}
) => Effect.flatMap(bundle, (cli) => spawned(process.execPath, [cli, ...args], env, options))

/** `--json` output: exactly one line, one JSON object, whose `exitCode` is the process's. */
export const oneObject = (result: { readonly code: number | null; readonly stdout: string }) => {
  if (!/^\{[^\n]*\}\n$/.test(result.stdout)) throw new Error(`not one JSON line: ${JSON.stringify(result.stdout)}`)
  const object = JSON.parse(result.stdout) as Record<string, unknown>
  if (object.exitCode !== result.code) throw new Error(`exitCode ${String(object.exitCode)}, process ${result.code}`)
  if (object.ok !== (result.code === 0)) throw new Error(`ok ${String(object.ok)} with exit ${result.code}`)
  return object
}

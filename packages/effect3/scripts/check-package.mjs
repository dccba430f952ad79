#!/usr/bin/env node
/**
 * Checks the package users install, after `npm run build`:
 *
 * 1. `npm pack --dry-run` contents: every `exports`/`main`/`module`/`types` target is packed,
 *    no tests, benchmarks, examples or scratch files are, and every source map points only at
 *    files that are packed too (the maps reference `../src/*.ts`, which ships).
 * 2. `publint --strict`: the package.json fields agree with the files.
 * 3. `attw --pack --profile node16`: the types resolve for ESM and CJS consumers under Node 16+
 *    resolution, no "masquerading" ESM/CJS typings.
 *
 *   npm run build && node scripts/check-package.mjs
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { dirname, join, normalize } from "node:path"

const root = new URL("..", import.meta.url).pathname
const bin = (name) => join(root, "node_modules", ".bin", name)
const problems = []

// 1. contents
const [packed] = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" })
)
const files = new Set(packed.files.map((file) => file.path))
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))

const targets = []
const collect = (value) => {
  if (typeof value === "string") targets.push(value)
  else if (value !== null && typeof value === "object") Object.values(value).forEach(collect)
}
collect(pkg.exports)
for (const field of ["main", "module", "types"]) collect(pkg[field])
for (const target of targets) {
  const path = normalize(target)
  if (!files.has(path)) problems.push(`package.json points at ${target}, which is not in the package`)
}

const forbidden = [
  [/(^|\/)test\//, "a test directory"],
  [/\.(test|spec)\.[cm]?[jt]sx?$/, "a test file"],
  [/^(bench|examples|scripts|\.tmp|\.ci|coverage|docs)\//, "a development directory"],
  [/\.cpuprofile$|\.tsbuildinfo$|\.tgz$/, "a build artefact"],
  [/(^|\/)\.env/, "an env file"]
]
for (const file of files) {
  for (const [pattern, what] of forbidden) {
    if (pattern.test(file)) problems.push(`${file} is ${what}, and is packed`)
  }
  if (file.endsWith(".map")) {
    const map = JSON.parse(readFileSync(join(root, file), "utf8"))
    for (const source of map.sources ?? []) {
      const path = normalize(join(dirname(file), source))
      if (!files.has(path)) problems.push(`${file} points at ${source}, which is not in the package`)
    }
  }
}
console.log(
  `npm pack: ${files.size} files, ${(packed.size / 1024).toFixed(1)} KB packed, ${
    (packed.unpackedSize / 1024).toFixed(1)
  } KB unpacked`
)

// 2. and 3.
const run = (name, command, args) => {
  try {
    const out = execFileSync(command, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
    console.log(`${name}: ok`)
    if (process.env.VERBOSE) console.log(out)
  } catch (error) {
    problems.push(`${name} failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`)
  }
}
run("publint", bin("publint"), ["--strict"])
run("attw", bin("attw"), ["--pack", ".", "--profile", "node16", "--format", "table-flipped"])

if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s) with the package:\n- ${problems.join("\n- ")}`)
  process.exit(1)
}
console.log("package ok")

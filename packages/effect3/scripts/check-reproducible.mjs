#!/usr/bin/env node
/**
 * Checks that the build is reproducible: two clean builds of this checkout, one here and one in a
 * copy at another path (so an absolute path, a timestamp or a random chunk name in the output
 * shows up), run side by side, must produce byte-identical `dist/` directories.
 *
 *   node scripts/check-reproducible.mjs
 *
 * Leaves this checkout's `dist/` built; exits 1 with the files that differ.
 */
import { execFile } from "node:child_process"
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { promisify } from "node:util"

const root = new URL("..", import.meta.url).pathname
const notCopied = new Set(["node_modules", "dist", ".git", ".tmp", "coverage", "docs"])

const build = (cwd) => promisify(execFile)("npm", ["run", "build", "--silent"], { cwd, maxBuffer: 64 * 1024 * 1024 })

/** Every file under `dir`, by its path relative to `dir`. */
const contents = (dir) =>
  new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name)
        return [relative(dir, path), readFileSync(path)]
      })
  )

const copy = mkdtempSync(join(tmpdir(), "tmdb-effect-build-"))
try {
  cpSync(root, copy, { recursive: true, filter: (path) => !notCopied.has(relative(root, path)) })
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"))
  const started = Date.now()
  await Promise.all([build(root), build(copy)])
  const here = contents(join(root, "dist"))
  const there = contents(join(copy, "dist"))
  const differing = [...new Set([...here.keys(), ...there.keys()])].sort().filter((file) => {
    const a = here.get(file)
    const b = there.get(file)
    return a === undefined || b === undefined || !a.equals(b)
  })
  if (differing.length > 0) {
    const listed = differing.map((file) => here.has(file) && there.has(file) ? file : `${file} (in one build only)`)
    console.error(`reproducible build: ${differing.length} of ${here.size} files differ between two clean builds:`)
    console.error(`- ${listed.join("\n- ")}`)
    process.exitCode = 1
  } else {
    console.log(
      `reproducible build: ok (two clean builds, ${here.size} identical files, ${
        ((Date.now() - started) / 1000).toFixed(0)
      } s side by side)`
    )
  }
} finally {
  rmSync(copy, { recursive: true, force: true })
}

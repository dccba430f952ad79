#!/usr/bin/env node
/**
 * Start-to-exit of `tmdb-auth whoami` with no stored session (exit 4) against Node's own start
 * (`node -e ""`), on the same Node, interleaved so that a busy moment hits both alike: the median
 * of 15 runs each, and their ratio (the target is at most 3×). Run by `npm run bench`, after
 * `npm run build`.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const runs = 15
const bin = fileURLToPath(new URL("../dist/tmdb-auth.cjs", import.meta.url))
const home = mkdtempSync(join(tmpdir(), "tmdb-auth-bench-"))
const env = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("TMDB_") && name !== "NODE_COMPILE_CACHE")
  ),
  XDG_CONFIG_HOME: home,
  TMDB_AUTH_STORE: join(home, "session.json")
}

const time = (args, expected) => {
  const start = process.hrtime.bigint()
  const { status } = spawnSync(process.execPath, args, { env, stdio: "ignore" })
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6
  if (status !== expected) throw new Error(`${args.join(" ")}: exit ${status}, expected ${expected}`)
  return elapsed
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

// one of each first: the file system's cache warm for both
time(["-e", ""], 0)
time([bin, "whoami"], 4)
const node = []
const cli = []
for (let i = 0; i < runs; i++) {
  node.push(time(["-e", ""], 0))
  cli.push(time([bin, "whoami"], 4))
}
rmSync(home, { recursive: true, force: true })

const nodeMedian = median(node)
const cliMedian = median(cli)
console.log(
  `Node ${process.versions.node}, ${runs} runs each, interleaved; bundle ${(statSync(bin).size / 1024).toFixed(0)} KiB`
)
console.log(`node -e ""              median ${nodeMedian.toFixed(1)} ms`)
console.log(`tmdb-auth whoami        median ${cliMedian.toFixed(1)} ms`)
console.log(`ratio                   ${(cliMedian / nodeMedian).toFixed(2)}× (target ≤ 3×)`)

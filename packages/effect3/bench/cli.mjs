/**
 * `tmdb-auth` start-up: `node bench/cli.mjs [runs]` (after a build). Process start → exit of
 * `tmdb-auth whoami` with a stored guest session (no request is sent), interleaved, for the
 * shipped bin (`dist/bin/tmdb-auth.mjs`, one bundled file) and the same code run unbundled
 * from `node_modules` (`dist/node/cli.js`), next to `node -e ""` (Node's own start). Prints one
 * JSON line: median milliseconds per contender, and the bin's size.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gzipSync } from "node:zlib"

const root = new URL("..", import.meta.url).pathname
const runs = Number(process.argv[2] ?? 7)

const dir = mkdtempSync(join(tmpdir(), "tmdb-auth-bench-"))
const store = join(dir, "session.json")
writeFileSync(
  store,
  JSON.stringify({
    kind: "guest",
    session_id: "0".repeat(32),
    created_at: "2026-01-01T00:00:00.000Z",
    expires_at: "2099-01-01T00:00:00.000Z"
  }),
  { mode: 0o600 }
)
const env = { ...process.env, TMDB_API_KEY: "0123456789abcdef0123456789abcdef", TMDB_AUTH_STORE: store }

const contenders = {
  node: ["-e", ""],
  bundled: [join(root, "dist/bin/tmdb-auth.mjs"), "whoami"],
  unbundled: [join(root, "dist/node/cli.js"), "whoami"]
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const times = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]))
try {
  for (let run = 0; run < runs; run++) {
    for (const [name, args] of Object.entries(contenders)) {
      const started = performance.now()
      const result = spawnSync(process.execPath, args, { cwd: root, env, encoding: "utf8" })
      const elapsed = performance.now() - started
      if (result.status !== 0) throw new Error(`${name} exited ${result.status}: ${result.stderr}`)
      times[name].push(elapsed)
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const bin = readFileSync(join(root, "dist/bin/tmdb-auth.mjs"))
process.stdout.write(
  JSON.stringify({
    runs,
    ...Object.fromEntries(Object.entries(times).map(([name, values]) => [`${name}Ms`, median(values)])),
    binBytes: bin.length,
    binGzipBytes: gzipSync(bin).length
  }) + "\n"
)

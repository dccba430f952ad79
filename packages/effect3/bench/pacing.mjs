/**
 * Pacing where TMDB counts: `node bench/pacing.mjs` (after a build; part of `npm run bench`).
 * A fake TMDB in its own process (bench/arrivalServer.mjs) throttles past its limit in any
 * sliding second, counting arrivals; each contender, in its own process (bench/pacingFlows.mjs),
 * sends 200 logins with logout (4 requests each), 32 at a time, told the server's limit: 200 and
 * 40 a second, on an idle machine and with another process keeping a core busy. Contenders:
 * tmdb-effect over `FetchHttpClient` and over `NodeTmdbHttpClient`, bare `fetch` with the same
 * window written plainly, and the seed library (@lorenzopant/tmdb) with its `rate_limit`.
 *
 * Pace = least time ÷ wall time, the least time being (⌈requests ÷ limit⌉ − 1) seconds: 1 is a
 * client that wastes none of the budget. Prints one JSON line (to stdout) with the median pace of
 * the runs and the flows and 429s of all of them.
 *
 *   RUNS=5 SLOW_RUNS=1 FLOWS=200 node bench/pacing.mjs     (the defaults; SLOW_RUNS at 40 a second)
 */
import { spawn } from "node:child_process"
import { join } from "node:path"

const here = new URL(".", import.meta.url).pathname
const RUNS = Number(process.env.RUNS ?? 5)
const SLOW_RUNS = Number(process.env.SLOW_RUNS ?? 1)
const FLOWS = Number(process.env.FLOWS ?? 200)
const CONCURRENCY = 32
const contenders = [
  "tmdb-effect + FetchHttpClient",
  "tmdb-effect + NodeTmdbHttpClient",
  "bare fetch, same window",
  "@lorenzopant/tmdb rate_limit"
]

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** `node <args>`'s stdout lines, parsed, once it exits. */
const lines = (args) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] })
    let out = ""
    child.stdout.on("data", (chunk) => out += chunk)
    child.on("exit", (code) =>
      code === 0
        ? resolve(out.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line)))
        : reject(new Error(`node ${args.join(" ")} exited with ${code}`)))
  })

/** Starts the arrival server for `limit` a second; resolves with its base URL and a stop. */
const server = (limit) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, "arrivalServer.mjs"), String(limit)], { stdio: "pipe" })
    child.stdout.once("data", (chunk) => {
      const { port } = JSON.parse(String(chunk))
      resolve({ baseUrl: `http://127.0.0.1:${port}`, stop: () => child.kill("SIGKILL") })
    })
  })

const results = []
let group = 0
for (const load of ["idle", "one core busy"]) {
  const spinner = load === "idle" ? undefined : spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" })
  for (const limit of [200, 40]) {
    const runs = limit === 200 ? RUNS : SLOW_RUNS
    if (runs === 0) continue
    const { baseUrl, stop } = await server(limit)
    // a rotated order, so that no contender always runs first
    const order = contenders.map((_, i) => contenders[(i + group) % contenders.length])
    group++
    for (const contender of order) {
      const measured = await lines([
        join(here, "pacingFlows.mjs"),
        contender,
        baseUrl,
        String(limit),
        String(FLOWS),
        String(CONCURRENCY),
        String(runs)
      ])
      const pace = median(measured.map(({ requests, wallMs }) => ((Math.ceil(requests / limit) - 1) * 1000) / wallMs))
      const sum = (field) => measured.reduce((total, run) => total + run[field], 0)
      const row = {
        load,
        limit,
        contender,
        runs,
        ok: sum("ok"),
        failed: sum("failed"),
        throttled: sum("throttled"),
        pace
      }
      results.push(row)
      process.stderr.write(
        `pacing ${load}, ${limit}/s, ${contender}: pace ${pace.toFixed(2)}, ${row.throttled} × 429\n`
      )
    }
    stop()
  }
  spinner?.kill("SIGKILL")
}
process.stdout.write(`${JSON.stringify({ flows: FLOWS, concurrency: CONCURRENCY, results })}\n`)

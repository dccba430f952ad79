/**
 * The benchmark: `npm run bench` (builds first). Measures the built package against bare `fetch`
 * and raw undici on a loopback fake TMDB (bench/server.mjs, its own process), each contender in
 * its own process, interleaved round by round, and prints a Markdown report (also written to
 * `.tmp/bench/results.md`): ratios, reconnects per login flow, tmdb-effect's in-memory cost per
 * request, cold start, pacing, bundle size and install footprint.
 *
 *   ROUNDS=3 MEASURE_MS=1500 COLD_RUNS=7 npm run bench     (the defaults)
 */
import { fork, spawn } from "node:child_process"
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs"
import { cpus, totalmem } from "node:os"
import { join } from "node:path"
import { clients } from "./clients.mjs"

const root = new URL("..", import.meta.url).pathname
const here = new URL(".", import.meta.url).pathname
const outDir = join(root, ".tmp", "bench")
mkdirSync(outDir, { recursive: true })
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 500)
const MEASURE_MS = Number(process.env.MEASURE_MS ?? 1500)
const COLD_RUNS = Number(process.env.COLD_RUNS ?? 7)
const CONCURRENCY = [1, 16]
const began = performance.now()

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
const log = (line) => process.stderr.write(`${line}\n`)

/**
 * Runs `node <args>` and resolves with its last stdout line, parsed; `onMessage(message, child)`
 * receives what the child sends over IPC.
 */
const runNode = (args, onMessage) =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "inherit", "ipc"] })
    if (onMessage !== undefined) child.on("message", (message) => onMessage(message, child))
    let out = ""
    child.stdout.on("data", (chunk) => out += chunk)
    child.on("error", reject)
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`node ${args.join(" ")} exited with ${code}`))
      const lines = out.trim().split("\n")
      resolve({ ...JSON.parse(lines[lines.length - 1]), wallMs: performance.now() - started })
    })
  })

// the loopback server, in its own process
const server = fork(join(here, "server.mjs"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
const reply = () => new Promise((resolve) => server.once("message", resolve))
const { port } = await reply()
const baseUrl = `http://127.0.0.1:${port}`
const ask = async (message) => {
  const answer = reply()
  server.send(message)
  return answer
}

// 1. throughput, interleaved: each round runs every contender once per concurrency, in a rotated order
const names = Object.keys(clients)
const samples = {}
for (let round = 0; round < ROUNDS; round++) {
  for (const concurrency of CONCURRENCY) {
    const order = names.map((_, i) => names[(i + round) % names.length])
    for (const name of order) {
      // the server's counts start when the warm-up ends: connections opened while measuring
      const result = await runNode(
        [join(here, "flows.mjs"), name, baseUrl, String(concurrency), String(WARMUP_MS), String(MEASURE_MS)],
        async (message, child) => {
          if (message === "warm") {
            await ask("reset")
            child.send("measure")
          }
        }
      )
      const stats = await ask("stats")
      const key = `${name}@${concurrency}`
      ;(samples[key] ??= []).push({
        ...result,
        connectionsPerFlow: stats.connections / result.measuredFlows,
        serverCpuPercent: (100 * stats.cpuMs) / stats.wallMs
      })
      log(`round ${round + 1}/${ROUNDS} c=${concurrency} ${name}: ${result.flowsPerSecond.toFixed(0)} flows/s`)
    }
  }
}

// 2. tmdb-effect's own work per request, in memory (no sockets): median of 3 processes
const overheads = []
for (let i = 0; i < 3; i++) overheads.push(await runNode([join(here, "overhead.mjs"), "1500"]))
const overhead = Object.fromEntries(
  ["platformUs", "timedPlatformUs", "libraryUs", "overheadUs", "simulatorUs"].map((
    key
  ) => [key, median(overheads.map((o) => o[key]))])
)
log(`overhead: ${overhead.overheadUs.toFixed(1)} µs/request`)

// 3. size (also writes the bundled login program used by the cold start below)
const sizes = await runNode([join(here, "size.mjs"), outDir])
log(
  `size: login ${(sizes.login.gzip / 1024).toFixed(1)} KB gzip, browser login ${
    (sizes.browserLogin.gzip / 1024).toFixed(1)
  } KB gzip`
)

// 4. cold start, interleaved
const coldClients = {
  "fetch": "fetch",
  "effect + @effect/platform alone, FetchHttpClient (node_modules)": "effect-floor",
  "tmdb-effect + FetchHttpClient (node_modules)": "tmdb-effect",
  "tmdb-effect + NodeTmdbHttpClient (node_modules)": "tmdb-effect-node",
  "tmdb-effect + FetchHttpClient (esbuild bundle)": `bundle:${join(outDir, "login.mjs")}`
}
const cold = {}
for (let run = 0; run < COLD_RUNS; run++) {
  for (const [label, client] of Object.entries(coldClients)) {
    ;(cold[label] ??= []).push(await runNode([join(here, "cold.mjs"), client, baseUrl]))
  }
}
server.send("close")

// 4b. pacing where TMDB counts (bench/pacing.mjs: arrivals at a throttling server, idle and loaded)
const pacing = await runNode([join(here, "pacing.mjs")])

// 5. install footprint of the undici layer's package
const du = (path) => {
  try {
    const stat = statSync(path)
    if (!stat.isDirectory()) return stat.size
    return readdirSync(path).reduce((sum, entry) => sum + du(join(path, entry)), 0)
  } catch {
    return 0
  }
}
const footprint = (packages) => packages.reduce((sum, name) => sum + du(join(root, "node_modules", name)), 0)
const platformNode = [
  "@effect/platform-node",
  "@effect/platform-node-shared",
  "undici",
  "ws",
  "mime",
  "multipasta",
  "@parcel/watcher",
  ...readdirSync(join(root, "node_modules", "@parcel")).filter((n) => n.startsWith("watcher-")).map((n) =>
    `@parcel/${n}`
  )
]
const platformNodePeers = ["@effect/cluster", "@effect/rpc", "@effect/sql", "@effect/workflow", "@effect/experimental"]

// the report
const fmt = (n, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const stat = (key, field) => median(samples[key].map((s) => s[field]))
const ratio = (name, base, c) =>
  `${fmt(stat(`${name}@${c}`, "flowsPerSecond") / stat(`${base}@${c}`, "flowsPerSecond"), 2)}×`
const rows = [
  `| contender | c=1 flows/s | ×fetch | c=16 flows/s | ×fetch | ×undici | reconnects/flow |`,
  `| --- | ---: | ---: | ---: | ---: | ---: | ---: |`
]
for (const name of names) {
  rows.push(
    `| ${
      [
        name,
        fmt(stat(`${name}@1`, "flowsPerSecond")),
        ratio(name, "fetch", 1),
        fmt(stat(`${name}@16`, "flowsPerSecond")),
        ratio(name, "fetch", 16),
        ratio(name, "undici Pool", 16),
        fmt(stat(`${name}@16`, "connectionsPerFlow"), 2)
      ].join(" | ")
    } |`
  )
}
const serverCpu = Math.max(...Object.values(samples).flat().map((s) => s.serverCpuPercent))

const coldRows = [
  `| program | import → first response | process start → first response |`,
  `| --- | ---: | ---: |`
]
for (const label of Object.keys(coldClients)) {
  const runs = cold[label]
  coldRows.push(
    `| ${label} | ${fmt(median(runs.map((r) => r.first)))} ms | ${fmt(median(runs.map((r) => r.boot + r.first)))} ms |`
  )
}

const pacingRows = [
  `| contender | load | limit | flows ok / failed | 429s | pace |`,
  `| --- | --- | ---: | ---: | ---: | ---: |`,
  ...pacing.results.map((r) =>
    `| ${r.contender} | ${r.load} | ${r.limit}/s | ${r.ok} / ${r.failed} | ${r.throttled} | ${fmt(r.pace, 2)} |`
  )
]

const kb = (bytes) => `${fmt(bytes / 1024, 1)} KB`
const cpu = cpus()[0]?.model ?? "unknown CPU"
const report = [
  `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus().length} × ${cpu.trim()}, ${
    fmt(totalmem() / 2 ** 30, 1)
  } GB, Node ${process.version}; median of ${ROUNDS} interleaved rounds of ${MEASURE_MS / 1000} s each.`,
  ``,
  `**Login flow** (createRequestToken → validateKey → validate_with_login → session/new → DELETE session with a JSON body, 5 requests) against a loopback fake TMDB, 1 and 16 flows at a time; "reconnects/flow": new connections per login flow at c=16, after a warm-up. The fake server used at most ${
    fmt(serverCpu)
  }% of a core.`,
  ``,
  ...rows,
  ``,
  `**tmdb-effect's own work per request**, in memory, no sockets (the login flow over an in-memory \`HttpClient\`): **${
    fmt(overhead.overheadUs, 1)
  } µs** on top of the same requests through @effect/platform's \`HttpClient\` alone (${
    fmt(overhead.platformUs, 1)
  } µs). Against \`TmdbSimulator.layer()\`: ${
    fmt(overhead.simulatorUs)
  } µs per request, the simulator's bookkeeping included.`,
  ``,
  `**Cold start** (median of ${COLD_RUNS}; one createRequestToken):`,
  ``,
  ...coldRows,
  ``,
  `**Pacing where TMDB counts**: a fake TMDB in its own process counting arrivals and answering 429 past its limit in any sliding second; ${pacing.flows} logins with logout (4 requests each), ${pacing.concurrency} at a time, each contender told the server's limit; idle, and with another process keeping a core busy. Pace = least time ((⌈requests ÷ limit⌉ − 1) s) ÷ wall time, median of the runs; flows and 429s summed over them.`,
  ``,
  ...pacingRows,
  ``,
  `**Size**, minified + gzip, bundled with esbuild for Node (effect and @effect/platform included): create request token + create session: **${
    kb(sizes.login.gzip)
  }** (${kb(sizes.login.minified)} minified); the same shape hand-written with effect + @effect/platform alone: ${
    kb(sizes.effectFloor.gzip)
  }. The minimal browser login (\`RedirectLogin.start\` + \`complete\` + \`BrowserSessionStore\`), bundled for the browser: **${
    kb(sizes.browserLogin.gzip)
  }** (${
    kb(sizes.browserLogin.minified)
  } minified; goal: under 100 KB). Unused endpoints tree-shaken from a createRequestToken-only program: ${
    sizes.tokenOnly.leaked.length === 0 ? "yes" : `no (${sizes.tokenOnly.leaked.join(", ")} remain)`
  }.`,
  ``,
  `**Install footprint** of \`NodeTmdbHttpClient\`: @effect/platform-node with its dependencies ${
    kb(footprint(platformNode))
  } on disk (undici alone ${kb(footprint(["undici"]))}), plus ${
    kb(footprint(platformNodePeers))
  } of peer dependencies npm installs with it (@effect/cluster, rpc, sql, workflow, experimental).`
].join("\n")

writeFileSync(join(outDir, "results.md"), report + "\n")
writeFileSync(
  join(outDir, "results.json"),
  JSON.stringify({ samples, overhead, sizes, cold, pacing }, null, 2)
)
process.stdout.write(report + "\n")
log(`\nbench took ${fmt((performance.now() - began) / 1000)} s`)

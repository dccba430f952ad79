/**
 * The two editions side by side, in one run, on this Node (22; 1.x runs on it too):
 * `npm run bench` (builds both first). Each measurement runs in its own process, the editions
 * interleaved round by round, against the loopback fake TMDB of 1.x's bench (its own process):
 *
 * - login flows per second over `FetchHttpClient` (1 and 16 at a time), and the peak RSS of the
 *   process that ran them;
 * - cold start: import → first response (one createRequestToken), from `dist/` as `node` loads it,
 *   and the same request with each edition's Effect alone (its floor);
 * - the minimal browser login (`RedirectLogin` start and complete, `BrowserSessionStore`), bundled
 *   for the browser, min+gzip (bench/programs.mjs).
 *
 * Prints a Markdown table of 2.x ÷ 1.x (also written to `.tmp/bench/editions.md`).
 *
 *   ROUNDS=3 MEASURE_MS=1500 COLD_RUNS=7 npm run bench     (the defaults)
 */
import { fork, spawn } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus, totalmem } from "node:os"
import { join } from "node:path"
import { bundleSizes } from "./programs.mjs"

const here = new URL(".", import.meta.url).pathname
const root = join(here, "..")
const effect3 = join(root, "..", "effect3")
const outDir = join(root, ".tmp", "bench")
mkdirSync(outDir, { recursive: true })
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 500)
const MEASURE_MS = Number(process.env.MEASURE_MS ?? 1500)
const COLD_RUNS = Number(process.env.COLD_RUNS ?? 7)
const log = (line) => process.stderr.write(`${line}\n`)

/** Each edition's scripts: its flows (`flows.mjs <client> …`) and cold start (`cold.mjs <client> …`). */
const editions = {
  "1.x": { dir: effect3, flows: "tmdb-effect + FetchHttpClient", cold: "tmdb-effect" },
  "2.x": { dir: root, flows: "tmdb-effect + FetchHttpClient", cold: "tmdb-effect" }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Runs `node <args>` in `cwd`; resolves with its last stdout line, parsed. */
const runNode = (cwd, args, onMessage) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "inherit", "ipc"] })
    if (onMessage !== undefined) child.on("message", (message) => onMessage(message, child))
    let out = ""
    child.stdout.on("data", (chunk) => out += chunk)
    child.on("error", reject)
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`node ${args.join(" ")} exited with ${code}`))
      const lines = out.trim().split("\n")
      resolve(JSON.parse(lines[lines.length - 1]))
    })
  })

const server = fork(join(effect3, "bench", "server.mjs"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
const reply = () => new Promise((resolve) => server.once("message", resolve))
const { port } = await reply()
const baseUrl = `http://127.0.0.1:${port}`
const ask = (message) => {
  const answer = reply()
  server.send(message)
  return answer
}

const samples = {}
const push = (key, value) => (samples[key] ??= []).push(value)
const names = Object.keys(editions)
for (let round = 0; round < ROUNDS; round++) {
  for (const concurrency of [1, 16]) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const { dir, flows } = editions[name]
      const result = await runNode(
        dir,
        [join(dir, "bench", "flows.mjs"), flows, baseUrl, String(concurrency), String(WARMUP_MS), String(MEASURE_MS)],
        async (message, child) => {
          if (message === "warm") {
            await ask("reset")
            child.send("measure")
          }
        }
      )
      push(`${name} flows@${concurrency}`, result.flowsPerSecond)
      push(`${name} rss@${concurrency}`, result.peakRssMb)
      log(`round ${round + 1}/${ROUNDS} c=${concurrency} ${name}: ${result.flowsPerSecond.toFixed(0)} flows/s`)
    }
  }
}
for (let run = 0; run < COLD_RUNS; run++) {
  for (const name of run % 2 === 0 ? names : [...names].reverse()) {
    const { cold, dir } = editions[name]
    const result = await runNode(dir, [join(dir, "bench", "cold.mjs"), cold, baseUrl])
    push(`${name} cold`, result.first)
    push(`${name} coldRss`, result.rssMb)
    // the floor: the same request with the edition's Effect alone
    push(`${name} coldFloor`, (await runNode(dir, [join(dir, "bench", "cold.mjs"), "effect-floor", baseUrl])).first)
  }
}
server.send("close")
const sizes = await bundleSizes()

const fmt = (n, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const m = (key) => median(samples[key])
const row = (what, key, unit, digits = 0) =>
  `| ${what} | ${fmt(m(`1.x ${key}`), digits)} ${unit} | ${fmt(m(`2.x ${key}`), digits)} ${unit} | ${
    fmt(m(`2.x ${key}`) / m(`1.x ${key}`), 2)
  }× |`
const sizeRow = (what, name) =>
  `| ${what} | ${fmt(sizes["1.x"][name] / 1024, 1)} KB | ${fmt(sizes["2.x"][name] / 1024, 1)} KB | ${
    fmt(sizes["2.x"][name] / sizes["1.x"][name], 2)
  }× |`
const report = [
  `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus().length} × ${
    (cpus()[0]?.model ?? "unknown CPU").trim()
  }, ${
    fmt(totalmem() / 2 ** 30, 1)
  } GB, both editions on Node ${process.version}; medians of ${ROUNDS} interleaved rounds (${
    MEASURE_MS / 1000
  } s each) and ${COLD_RUNS} cold starts.`,
  ``,
  `| measure | 1.x (Effect 3) | 2.x (Effect 4) | 2.x ÷ 1.x |`,
  `| --- | ---: | ---: | ---: |`,
  row("login flows/s over FetchHttpClient, 1 at a time", "flows@1", ""),
  row("login flows/s over FetchHttpClient, 16 at a time", "flows@16", ""),
  row("peak RSS running 16 flows at a time", "rss@16", "MB"),
  row("cold start: import → first response", "cold", "ms"),
  row("cold start with Effect alone (the same request, no tmdb-effect)", "coldFloor", "ms"),
  row("peak RSS at the first response (cold)", "coldRss", "MB"),
  sizeRow("minimal browser login (RedirectLogin + BrowserSessionStore), min+gzip", "browserLogin"),
  sizeRow("createRequestToken alone, min+gzip", "tokenOnly"),
  sizeRow("Effect alone (HttpClient, Schema, retry, timeout), min+gzip", "effectFloor")
].join("\n")
writeFileSync(join(outDir, "editions.md"), `${report}\n`)
process.stdout.write(`${report}\n`)

/**
 * Many processes, one TMDB limit: `npm run build && node bench/processes.mjs` (needs
 * `redis-server`). PROCESSES OS processes (test/utils/worker.ts, bundled with esbuild, as the test
 * runs them) × FLOWS password logins, 5 at a time each, against a fake TMDB that counts arrivals
 * and throttles past LIMIT in any sliding second (bench/arrivalServer.mjs, its own process): once
 * paced through one Redis (`RedisRateLimiter`, the default 40 a second), once each process
 * pacing alone. Prints one JSON line per round: the logins refused with 429, and for the shared
 * run the pace (requests per second from the go to the last process done).
 *
 *   PROCESSES=4 FLOWS=50 LIMIT=40 ROUNDS=3 node bench/processes.mjs     (the defaults)
 */
import { build } from "esbuild"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

const PROCESSES = Number(process.env.PROCESSES ?? 4)
const FLOWS = Number(process.env.FLOWS ?? 50)
const LIMIT = Number(process.env.LIMIT ?? 40)
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const root = new URL("..", import.meta.url).pathname

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

const dir = mkdtempSync(join(tmpdir(), "tmdb-bench-processes-"))
const worker = join(dir, "worker.cjs")
await build({
  entryPoints: [join(root, "test/utils/worker.ts")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  outfile: worker,
  logLevel: "error"
})

const redisPort = await freePort()
const redis = spawn("redis-server", [
  "--port",
  String(redisPort),
  "--bind",
  "127.0.0.1",
  "--save",
  "",
  "--appendonly",
  "no"
], {
  stdio: ["ignore", "pipe", "inherit"]
})
await new Promise((resolve, reject) => {
  let out = ""
  redis.stdout.on("data", (chunk) => {
    out += chunk
    if (out.includes("Ready to accept connections")) resolve()
  })
  redis.once("error", reject)
})

/** One run: a fresh arrival-counting server, the processes let go together; their results. */
const run = async (shared) => {
  const server = spawn(process.execPath, [join(root, "bench/arrivalServer.mjs"), String(LIMIT)], { stdio: "pipe" })
  const { port } = await new Promise((resolve) => server.stdout.once("data", (chunk) => resolve(JSON.parse(chunk))))
  const baseUrl = `http://127.0.0.1:${port}`
  const job = { command: "logins", baseUrl, flows: FLOWS, concurrency: 5, ...(shared ? { redisPort } : {}) }
  const results = await new Promise((resolve, reject) => {
    const outputs = []
    let ready = 0
    let done = 0
    const children = Array.from({ length: PROCESSES }, (_, index) => {
      const child = spawn(process.execPath, [worker], {
        env: { ...process.env, WORKER: JSON.stringify(job) },
        stdio: ["pipe", "pipe", "ignore"]
      })
      let out = ""
      child.stdout.on("data", (chunk) => {
        const before = out
        out += chunk
        if (!before.includes("ready\n") && out.includes("ready\n") && ++ready === PROCESSES) {
          setTimeout(() => children.forEach((other) => other.stdin.write("go\n")), 1100)
        }
      })
      child.on("close", (code) => {
        if (code !== 0) return reject(new Error(`worker exited with ${code}`))
        outputs[index] = JSON.parse(out.trim().split("\n").at(-1))
        if (++done === PROCESSES) resolve(outputs)
      })
      return child
    })
  })
  const { throttled } = await fetch(`${baseUrl}/arrivals`).then((response) => response.json())
  server.kill("SIGKILL")
  const seconds = Math.max(...results.map((result) => result.elapsedMs)) / 1000
  const count = (outcome) => results.reduce((total, result) => total + (result.outcomes[outcome] ?? 0), 0)
  return {
    refused429: count("RateLimited"),
    throttledAtServer: throttled,
    completed: count("ok"),
    seconds: Number(seconds.toFixed(2)),
    // every login of a shared run completes: 3 requests each
    ...(shared ? { requestsPerSecond: Number((count("ok") * 3 / seconds).toFixed(1)) } : {})
  }
}

try {
  for (let round = 1; round <= ROUNDS; round++) {
    const shared = await run(true)
    const alone = await run(false)
    console.log(JSON.stringify({ round, processes: PROCESSES, flows: FLOWS, limit: LIMIT, shared, alone }))
  }
} finally {
  redis.kill("SIGKILL")
  rmSync(dir, { recursive: true, force: true })
}

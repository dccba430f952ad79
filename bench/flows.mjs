/**
 * One measurement, in its own process: `node bench/flows.mjs <client> <baseUrl> <concurrency>
 * <warmupMs> <measureMs>`. Runs `concurrency` login flows at a time, back to back, and prints one
 * JSON line: flows/s over the measured window, its own CPU time and peak RSS.
 */
import { clients } from "./clients.mjs"

const [name, baseUrl, concurrencyArg, warmupArg, measureArg] = process.argv.slice(2)
const concurrency = Number(concurrencyArg)
const setup = clients[name]
if (setup === undefined) throw new Error(`unknown client ${name}`)
const client = await setup(baseUrl)

let flows = 0
let phase = "warmup"
const worker = async () => {
  while (phase !== "done") {
    await client.flow()
    flows++
  }
}
const workers = Array.from({ length: concurrency }, worker)
await new Promise((resolve) => setTimeout(resolve, Number(warmupArg)))
const warmupFlows = flows
flows = 0
phase = "measure"
const cpu = process.cpuUsage()
const started = performance.now()
await new Promise((resolve) => setTimeout(resolve, Number(measureArg)))
const elapsed = performance.now() - started
const measured = flows
const used = process.cpuUsage(cpu)
phase = "done"
await Promise.all(workers)
await client.close()
process.stdout.write(
  JSON.stringify({
    flowsPerSecond: measured / (elapsed / 1000),
    totalFlows: warmupFlows + flows,
    cpuPercent: (used.user + used.system) / 10 / elapsed,
    peakRssMb: process.resourceUsage().maxRSS / 1024
  }) + "\n"
)

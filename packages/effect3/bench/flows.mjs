/**
 * One measurement, in its own process: `node bench/flows.mjs <client> <baseUrl> <concurrency>
 * <warmupMs> <measureMs>`, forked by bench/run.mjs. Runs `concurrency` login flows at a time, back
 * to back; after the warm-up, sends `"warm"` and measures once told `"measure"` (the server's
 * counts start then). Prints one JSON line: flows/s over the measured window, the flows in it
 * and the process's peak RSS.
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
await new Promise((resolve) => {
  process.once("message", resolve)
  process.send("warm")
})
flows = 0
phase = "measure"
const started = performance.now()
await new Promise((resolve) => setTimeout(resolve, Number(measureArg)))
const elapsed = performance.now() - started
const measured = flows
phase = "done"
await Promise.all(workers)
await client.close()
process.disconnect()
process.stdout.write(
  JSON.stringify({
    flowsPerSecond: measured / (elapsed / 1000),
    measuredFlows: measured,
    peakRssMb: process.resourceUsage().maxRSS / 1024
  }) + "\n"
)

/**
 * A/B of two builds in one process, for per-request work too small to compare across processes
 * on a shared machine: `node bench/ab.mjs <dirA> <dirB> [ms]`, where each dir holds a build's
 * ESM modules (`dist`, or another commit built the same way). Runs the in-memory login flow over
 * each, alternating 24 windows of `ms` (150) each, and prints CPU µs per request for both and
 * the median of the paired differences (B − A).
 *
 * Another commit, built inside this checkout so that its imports find this `node_modules`:
 * `git worktree add .tmp/old <commit> && (cd .tmp/old && npx tsup --silent)`, then
 * `npm run build && node bench/ab.mjs .tmp/old/dist dist`.
 */
import * as Layer from "effect/Layer"
import { resolve } from "node:path"
import { TOKEN } from "./clients.mjs"
import { loginFlow, paired, stub, warmUp } from "./stub.mjs"

const [dirA, dirB, msArg] = process.argv.slice(2)
if (dirA === undefined || dirB === undefined) throw new Error("usage: node bench/ab.mjs <dirA> <dirB> [ms]")
const ms = Number(msArg ?? 150)

const setup = async (dir) => {
  const module = (name) => import(resolve(dir, `${name}.js`))
  const [Authentication, TmdbConfig, TmdbCredentials] = await Promise.all(
    ["Authentication", "TmdbConfig", "TmdbCredentials"].map(module)
  )
  const layer = Layer.mergeAll(
    stub,
    TmdbCredentials.bearer(TOKEN),
    TmdbConfig.layer({ baseUrl: "http://tmdb.invalid" })
  )
  const program = loginFlow(Authentication)
  await warmUp(program, layer)
  return { program, layer }
}

const result = await paired(await setup(dirA), await setup(dirB), 24, ms)
process.stdout.write(JSON.stringify(result) + "\n")

/**
 * Builds the CLI once per test run, as `npm run build` does (bundle.ts), into `.tmp/bundles/dist`
 * (replacing the last run's): every test file spawns that build, so none can run an old one.
 */
import * as Fs from "node:fs"
import { buildBin } from "../bundle.js"
import { builtDir } from "./utils/cli.js"

export default async function setup() {
  Fs.rmSync(builtDir, { recursive: true, force: true })
  await buildBin(builtDir)
}

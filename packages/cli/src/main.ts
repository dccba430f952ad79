/**
 * The `tmdb-auth` bin. Run it from the sources with `npx tsx src/main.ts --help`.
 */
import { run } from "./Cli.js"
import { run as runMain } from "./runMain.js"

runMain(run(process.argv.slice(2)))

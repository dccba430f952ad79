#!/usr/bin/env node
/**
 * The `tmdb-auth` command: `validate`, `guest`, `login`, `whoami`, `logout`. Run it in
 * development with `npx tsx src/node/cli.ts --help`.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { ExitCode, run } from "./internal/cli.js"

NodeRuntime.runMain(run(process.argv).pipe(Effect.provide(NodeContext.layer)), {
  disableErrorReporting: true,
  teardown: (exit, onExit) =>
    onExit(
      Exit.isSuccess(exit) && typeof exit.value === "number"
        ? exit.value
        : Exit.isInterrupted(exit)
        ? ExitCode.interrupted
        : ExitCode.unexpected
    )
})

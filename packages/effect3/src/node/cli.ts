#!/usr/bin/env node
/**
 * The `tmdb-auth` command: `validate`, `guest`, `login`, `whoami`, `logout`. Run it in
 * development with `npx tsx src/node/cli.ts --help`.
 *
 * @since 1.0.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { ExitCode, run } from "./internal/cli.js"

// What @effect/cli needs besides the terminal (`run` provides one on stderr); not all of
// NodeContext, whose command executor and workers the bin would load for nothing.
NodeRuntime.runMain(run(process.argv).pipe(Effect.provide(Layer.merge(NodeFileSystem.layer, NodePath.layer))), {
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

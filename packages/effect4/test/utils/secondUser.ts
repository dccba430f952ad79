/**
 * A second local user for the suites where another user attacks the session file: uid/gid 65534
 * (`nobody`), acting in a process of its own. That takes root; where the suite is not root, or
 * cannot start a process as uid 65534, the suites are skipped with a notice saying why — unless
 * `REQUIRE_SECOND_UID=1` (as `.ci/run`, which runs as root, sets), where that fails instead, so CI
 * cannot skip them.
 */
import { describe } from "@effect/vitest"
import { Effect } from "effect"
import { execFileSync } from "node:child_process"

/** The other user: `nobody`. */
export const otherUid = 65534

const asOther = { uid: otherUid, gid: otherUid, cwd: "/" } as const

/** Why the suite cannot act as another user, if it cannot. */
const unavailable = ((): string | undefined => {
  const uid = process.getuid?.()
  if (uid === undefined) return "this platform has no POSIX users"
  if (uid !== 0) return `the suite runs as user ${uid}, not root, and cannot act as another user`
  try {
    execFileSync(process.execPath, ["-e", ""], { ...asOther, stdio: "ignore" })
    return undefined
  } catch (error) {
    return `a process cannot be started as uid ${otherUid} (${error instanceof Error ? error.message : "failed"})`
  }
})()

if (unavailable !== undefined && process.env.REQUIRE_SECOND_UID === "1") {
  throw new Error(`REQUIRE_SECOND_UID=1 but ${unavailable}`)
}

/** `describe`, or a skipped one with a notice when the suite cannot act as another user. */
export const describeSecondUser: typeof describe = unavailable === undefined
  ? describe
  : (((name: string, ...rest: Array<never>) => {
    console.warn(
      `[${name}] skipped: ${unavailable}. Run the suite as root to attack the session file as uid ` +
        `${otherUid}; .ci/run does, and sets REQUIRE_SECOND_UID=1.`
    )
    return describe.skip(name, ...rest)
  }) as typeof describe)

/**
 * Runs `script` as uid 65534 in a process of its own: JavaScript (CommonJS) with `fs` in scope and
 * `args` its arguments. Fails (a defect: the attack could not even be set up) if the script throws.
 */
export const asOtherUser = (script: string, ...args: ReadonlyArray<string>): Effect.Effect<void> =>
  Effect.sync(() =>
    void execFileSync(
      process.execPath,
      ["-e", `const fs = require("node:fs"); const args = process.argv.slice(1); ${script}`, ...args],
      { ...asOther, stdio: ["ignore", "ignore", "pipe"] }
    )
  )

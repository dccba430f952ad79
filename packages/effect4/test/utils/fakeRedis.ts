/**
 * Redis servers that answer as no real Redis would, for the failure paths of the Redis layers:
 * the connection's handshake is answered as Redis would (`HELLO`, `AUTH`, `CLIENT`, `SELECT`,
 * `INFO`, `PING`: a proxy that lets a client connect), every other command as the test says. (A
 * server that echoed the handshake too would fail the connection layer the user provides, with
 * its own `RedisError`, before the library sends anything.)
 */
import { Effect } from "effect"
import type { Scope } from "effect"
import { createServer } from "node:net"
import { listen } from "./listen.js"

/** The first whole command (a RESP array of bulk strings) in `text` and what follows it, if it has come. */
const firstCommand = (text: string): readonly [ReadonlyArray<string>, string] | undefined => {
  if (!text.startsWith("*")) return undefined
  const lines = text.split("\r\n")
  const count = Number(lines[0]!.slice(1))
  if (lines.length < 2 + 2 * count) return undefined // the last line may be cut short
  const words = Array.from({ length: count }, (_, k) => lines[2 + 2 * k]!)
  return [words, lines.slice(1 + 2 * count).join("\r\n")]
}

const info = "# Server\r\nredis_version:7.0.0\r\nloading:0\r\n"
/** `HELLO 3`'s answer (node-redis speaks RESP3, and sends the password with it). */
const hello = [
  "%7",
  "+server",
  "+redis",
  "+version",
  "+7.0.0",
  "+proto",
  ":3",
  "+id",
  ":1",
  "+mode",
  "+standalone",
  "+role",
  "+master",
  "+modules",
  "*0",
  ""
].join("\r\n")
const handshake: Readonly<Record<string, string>> = {
  auth: "+OK\r\n",
  client: "+OK\r\n",
  hello,
  select: "+OK\r\n",
  ping: "+PONG\r\n",
  info: `$${info.length}\r\n${info}\r\n`
}

/** Serves a Redis on 127.0.0.1 for the scope that answers each command (name, args) with `reply`'s RESP text. */
export const fakeRedis = (
  reply: (name: string, args: ReadonlyArray<string>) => string
): Effect.Effect<number, never, Scope.Scope> =>
  Effect.suspend(() =>
    listen(createServer((socket) => {
      // a command may span reads: keep what is not a whole command yet
      let pending = ""
      socket.on("data", (data: Buffer) => {
        pending += data.toString("utf8")
        for (let next = firstCommand(pending); next !== undefined; next = firstCommand(pending)) {
          const [name = "", ...args] = next[0]
          socket.write(handshake[name.toLowerCase()] ?? reply(name, args))
          pending = next[1]
        }
      })
    }))
  )

/**
 * A Redis that answers every command but the handshake as Redis answers one it does not know — an
 * error quoting the command's arguments: a store or limiter on it fails on every command, with
 * the arguments it sent (a stored session, say) in the error.
 */
export const echoingRedis: Effect.Effect<number, never, Scope.Scope> = fakeRedis((name, args) =>
  `-ERR unknown command '${name}', with args beginning with: ${args.map((arg) => `'${arg}'`).join(" ")}\r\n`
)

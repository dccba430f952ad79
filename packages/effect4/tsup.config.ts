import { defineConfig } from "tsup"

// ESM only: one file per module, as `tsc` would emit it, so `export * as Authentication` stays a
// real ES namespace and a user's bundler drops the endpoints a program doesn't call. The typings
// are `tsc`'s, one `.d.ts` per module with its JSDoc (`npm run build`, `tsconfig.build.json`).
export default defineConfig({
  entry: ["src/**/*.ts"],
  format: ["esm"],
  bundle: false,
  // The maps point at `../src/*.ts`, which the package ships.
  sourcemap: true,
  target: "node22",
  platform: "neutral"
})

// Bundles the CLI into dist/kubeguard.mjs (run by `npm run build`, and by `prepare` after `npm ci`), so
// `npx kubeguard` starts without transpiling TypeScript. bin/kubeguard.mjs falls back to tsx when the
// bundle is missing or older than the sources.
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/main.ts"],
  outdir: "dist",
  entryNames: "kubeguard",
  outExtension: { ".js": ".mjs" },
  // Dynamic imports stay separate chunks, so `scan` never loads @kubernetes/client-node unless --cluster.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
});

// Bundles the CLI into dist/kubeguard.mjs (run by `npm run build`, and by `prepare` after `npm ci`), so
// `npx kubeguard` starts without transpiling TypeScript. bin/kubeguard.mjs falls back to tsx when the
// bundle is missing or older than the sources.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// The ingest fallback locator (src/ingest/locate-ast.ts) needs the `yaml` package only for text the fast
// indexer cannot walk, which a scan rarely meets. In the CLI it is loaded on its first use instead of at
// start-up (~25 ms): a stand-in module with the same functions requires it then.
const LAZY_YAML = `
import { createRequire } from "node:module";
let yaml;
const load = () => (yaml ??= createRequire(import.meta.url)("yaml"));
export const parseDocument = (...args) => load().parseDocument(...args);
export const isMap = (node) => load().isMap(node);
export const isScalar = (node) => load().isScalar(node);
export const isSeq = (node) => load().isSeq(node);
`;

const lazyYaml = {
  name: "lazy-yaml",
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, (args) =>
      args.importer.endsWith("/src/ingest/locate-ast.ts")
        ? { path: "lazy-yaml", namespace: "lazy-yaml" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-yaml" }, () => ({ contents: LAZY_YAML, loader: "js" }));
  },
};

// Chunk names carry content hashes: clear out the previous build's.
rmSync("dist", { recursive: true, force: true });

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
  plugins: [lazyYaml],
  sourcemap: "linked",
  logLevel: "warning",
});

// Bundles the CLI into dist/kubeguard.mjs (run by `npm run build`, and by `prepare` after `npm ci`), so
// `npx kubeguard` starts without transpiling TypeScript. bin/kubeguard.mjs falls back to tsx when the
// bundle is missing or older than the sources.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Two packages are needed only for what a scan seldom meets, and the CLI loads each on first use
// instead of at start-up: `yaml` (~25 ms), for text the fast locator cannot walk (src/ingest/locate-ast.ts),
// and `js-yaml` (~6 ms), for documents the fast YAML path leaves to it (src/ingest/parse-yaml.ts and the
// schema it builds, on first use, in src/ingest/schema.ts). A stand-in module with the same exports
// requires the package then; esbuild fails the build if a source imports a name a stand-in lacks.
const LAZY = {
  yaml: {
    importers: ["/src/ingest/locate-ast.ts"],
    contents: `
import { createRequire } from "node:module";
let yaml;
const load = () => (yaml ??= createRequire(import.meta.url)("yaml"));
export const parseDocument = (...args) => load().parseDocument(...args);
export const isMap = (node) => load().isMap(node);
export const isScalar = (node) => load().isScalar(node);
export const isSeq = (node) => load().isSeq(node);
`,
  },
  "js-yaml": {
    importers: ["/src/ingest/parse-yaml.ts", "/src/ingest/schema.ts"],
    contents: `
import { createRequire } from "node:module";
let jsYaml;
const real = () => (jsYaml ??= createRequire(import.meta.url)("js-yaml"));
export const load = (...args) => real().load(...args);
export const FAILSAFE_SCHEMA = { extend: (...args) => real().FAILSAFE_SCHEMA.extend(...args) };
export function Type(...args) {
  return new (real().Type)(...args);
}
export class YAMLException {
  static [Symbol.hasInstance](value) {
    return value instanceof real().YAMLException;
  }
}
`,
  },
};

const lazyPackages = {
  name: "lazy-packages",
  setup(b) {
    b.onResolve({ filter: /^(yaml|js-yaml)$/ }, (args) =>
      LAZY[args.path].importers.some((file) => args.importer.endsWith(file))
        ? { path: args.path, namespace: "lazy-package" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-package" }, (args) => ({
      contents: LAZY[args.path].contents,
      loader: "js",
    }));
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
  plugins: [lazyPackages],
  sourcemap: "linked",
  logLevel: "warning",
});

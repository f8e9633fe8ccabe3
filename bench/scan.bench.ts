/**
 * `npm run bench`: on the seeded 10,000-resource corpus (bench/corpus.ts), measures in one run
 *   - the parse floor: js-yaml `loadAll` on the same bytes (best of 3),
 *   - the `yaml` package's `parseAllDocuments` (reference, once),
 *   - our `ingest()` alone (best of 3), and ingest plus locating one field of every pod,
 *   - ingest alone in a fresh process (peak RSS, next to an empty node + tsx process as the baseline),
 *   - the full CLI scan with JSON output, as a child process: wall time and peak RSS (best of 3).
 * Prints a table with ratios to the floor and writes bench/out/result.json.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadAll } from "js-yaml";
import { parseAllDocuments } from "yaml";
import { ingest } from "../src/ingest/index.ts";
import { generateCorpus } from "./corpus.ts";

const OUT = fileURLToPath(new URL("./out/", import.meta.url));
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CORPUS = `${OUT}corpus.yaml`;
const PROBE = `${OUT}rss-probe.mjs`;

interface Row {
  name: string;
  ms: number;
  /** Peak RSS in MB, where measured. */
  rssMb?: number;
  note?: string;
}

function best(runs: number, f: () => unknown): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

function ensureCorpus(): string {
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(CORPUS)) {
    const text = generateCorpus();
    writeFileSync(CORPUS, text);
    return text;
  }
  return readFileSync(CORPUS, "utf8");
}

/**
 * Runs `body` (TypeScript, with the corpus path in CORPUS) in a fresh `node --import tsx` process and
 * returns the peak RSS it reports, so ingest's own memory can be told from the CLI's.
 */
function runProbe(name: string, body: string): { ms: number; rssMb: number } | { error: string } {
  const file = `${OUT}${name}.ts`;
  writeFileSync(file, `${body}\nconsole.log(JSON.stringify({ rss: process.resourceUsage().maxRSS }));\n`);
  const t = performance.now();
  const r = spawnSync(process.execPath, ["--import", "tsx", file], {
    cwd: ROOT,
    env: { ...process.env, CORPUS },
    encoding: "utf8",
  });
  const ms = performance.now() - t;
  if (r.status !== 0) return { error: (r.stderr || r.stdout).trim().slice(0, 400) };
  const last = r.stdout.trim().split("\n").pop() ?? "{}";
  return { ms, rssMb: (JSON.parse(last) as { rss: number }).rss / 1024 };
}

/** Runs the CLI once; wall time measured here, peak RSS reported by a probe the child loads first. */
function runCli(): { ms: number; rssMb: number } | { error: string } {
  writeFileSync(
    PROBE,
    `import { writeFileSync } from "node:fs";\nprocess.on("exit", () => writeFileSync(process.env.KUBEGUARD_BENCH_RSS, String(process.resourceUsage().maxRSS)));\n`,
  );
  const rssFile = `${OUT}rss.txt`;
  const args = [
    "--import",
    PROBE,
    "bin/kubeguard.mjs",
    "scan",
    CORPUS,
    "--format",
    "json",
    "--output",
    "/dev/null",
    "--pss-level",
    "restricted",
  ];
  const t = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, KUBEGUARD_BENCH_RSS: rssFile },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - t;
  if (r.error) return { error: r.error.message };
  // Exit 1 means findings reached --fail-on, which this corpus is built to produce.
  if (r.status !== 0 && r.status !== 1)
    return { error: `exit ${r.status}: ${(r.stderr || r.stdout).trim().slice(0, 400)}` };
  const rssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) : Number.NaN;
  return { ms, rssMb: rssKb / 1024 };
}

function main(): void {
  const text = ensureCorpus();
  const mb = statSync(CORPUS).size / (1024 * 1024);
  const count = generateCorpusCount(text);
  console.log(`corpus: ${CORPUS} (${mb.toFixed(1)} MiB, ${count} documents)\n`);

  const rows: Row[] = [];
  const floor = best(3, () => loadAll(text));
  rows.push({ name: "js-yaml loadAll (parse floor)", ms: floor });

  const limits = { maxBytes: 1024 * 1024 * 1024 };
  let resources = 0;
  const ingestMs = best(3, () => {
    resources = ingest([{ file: "corpus.yaml", text }], limits).resources.length;
  });
  rows.push({ name: "ingest()", ms: ingestMs, note: `${resources} resources` });

  const locateMs = best(3, () => {
    const r = ingest([{ file: "corpus.yaml", text }], limits);
    for (const res of r.resources) {
      if (res.pod) res.locate([...res.pod.path, "spec", "containers", 0, "securityContext", "runAsNonRoot"]);
    }
  });
  rows.push({ name: "ingest() + locate one field per pod", ms: locateMs });

  const yamlMs = best(1, () => parseAllDocuments(text));
  rows.push({ name: "yaml parseAllDocuments (reference)", ms: yamlMs });

  const empty = runProbe("probe-empty", "");
  if (!("error" in empty)) {
    rows.push({
      name: "node + tsx, doing nothing (process)",
      ms: empty.ms,
      rssMb: empty.rssMb,
      note: "baseline",
    });
  }
  const alone = runProbe(
    "probe-ingest",
    `import { readFileSync } from "node:fs";\nimport { ingest } from "../../src/ingest/index.ts";\n` +
      `const r = ingest([{ file: "corpus.yaml", text: readFileSync(process.env.CORPUS ?? "", "utf8") }], { maxBytes: 1 << 30 });\n` +
      `for (const res of r.resources) if (res.pod) res.locate([...res.pod.path, "spec", "containers", 0, "image"]);`,
  );
  if (!("error" in alone)) {
    rows.push({
      name: "ingest() + locate, in its own process",
      ms: alone.ms,
      rssMb: alone.rssMb,
      note: "includes startup",
    });
  }

  let cli: Row = { name: "full CLI scan (json, restricted)", ms: Number.NaN };
  const runs: { ms: number; rssMb: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const r = runCli();
    if ("error" in r) {
      cli.note = `not measured: ${r.error}`;
      break;
    }
    runs.push(r);
  }
  if (runs.length > 0) {
    const fastest = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    cli = {
      ...cli,
      ms: fastest.ms,
      rssMb: Math.max(...runs.map((r) => r.rssMb)),
      note: `best of ${runs.length}`,
    };
  }
  rows.push(cli);

  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`${pad("measure", 40)}${pad("ms", 10)}${pad("× floor", 10)}${pad("peak RSS", 12)}note`);
  for (const r of rows) {
    const ms = Number.isNaN(r.ms) ? "-" : r.ms.toFixed(0);
    const ratio = Number.isNaN(r.ms) ? "-" : (r.ms / floor).toFixed(2);
    const rss = r.rssMb === undefined || Number.isNaN(r.rssMb) ? "" : `${r.rssMb.toFixed(0)} MB`;
    console.log(`${pad(r.name, 40)}${pad(ms, 10)}${pad(ratio, 10)}${pad(rss, 12)}${r.note ?? ""}`);
  }
  const targets = {
    fullScanWithin2xFloor: Number.isNaN(cli.ms) ? null : cli.ms <= 2 * floor,
    peakRssUnder200Mb: cli.rssMb === undefined || Number.isNaN(cli.rssMb) ? null : cli.rssMb < 200,
  };
  console.log(
    `\ntargets: full scan ≤ 2× floor: ${targets.fullScanWithin2xFloor}, peak RSS < 200 MB: ${targets.peakRssUnder200Mb}`,
  );
  writeFileSync(
    `${OUT}result.json`,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        corpus: { file: "bench/out/corpus.yaml", mib: Number(mb.toFixed(2)), documents: count },
        floorMs: Math.round(floor),
        rows: rows.map((r) => ({ ...r, ms: Math.round(r.ms), ratio: Number((r.ms / floor).toFixed(2)) })),
        targets,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${OUT}result.json`);
}

function generateCorpusCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf("---\n"); i !== -1; i = text.indexOf("\n---\n", i + 1)) n++;
  return n;
}

main();

/**
 * `npm run bench`: on the seeded 10,000-resource corpus (bench/corpus.ts), measures in one run
 *   - the parse floor: js-yaml `loadAll` on the same bytes, warm in this process (best of 3),
 *   - the same parse as a process of its own, measured as the CLI is (node start-up, reading the file,
 *     a cold parse; best of 3): the like-for-like floor for a command-line scan,
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

/**
 * Runs `node <script> [args]` once with the RSS probe loaded first; wall time measured here. Exit code 1
 * is accepted (the CLI's verdict on a corpus built to fail).
 */
function runNode(args: string[]): { ms: number; rssMb: number } | { error: string } {
  writeFileSync(
    PROBE,
    `import { writeFileSync } from "node:fs";\nprocess.on("exit", () => writeFileSync(process.env.KUBEGUARD_BENCH_RSS, String(process.resourceUsage().maxRSS)));\n`,
  );
  const rssFile = `${OUT}rss.txt`;
  const t = performance.now();
  const r = spawnSync(process.execPath, ["--import", PROBE, ...args], {
    cwd: ROOT,
    env: { ...process.env, KUBEGUARD_BENCH_RSS: rssFile, CORPUS },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - t;
  if (r.error) return { error: r.error.message };
  if (r.status !== 0 && r.status !== 1)
    return { error: `exit ${r.status}: ${(r.stderr || r.stdout).trim().slice(0, 400)}` };
  const rssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) : Number.NaN;
  return { ms, rssMb: rssKb / 1024 };
}

/** Best of `runs` runs of `node <args>`, with the largest peak RSS seen; or why it could not run. */
function bestProcess(runs: number, args: string[]): { ms: number; rssMb: number } | { error: string } {
  const ok: { ms: number; rssMb: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const r = runNode(args);
    if ("error" in r) return r;
    ok.push(r);
  }
  return { ms: Math.min(...ok.map((r) => r.ms)), rssMb: Math.max(...ok.map((r) => r.rssMb)) };
}

/** Runs the CLI once with JSON output, as a child process. */
function runCli(): { ms: number; rssMb: number } | { error: string } {
  return runNode([
    "bin/kubeguard.mjs",
    "scan",
    CORPUS,
    "--format",
    "json",
    "--output",
    "/dev/null",
    "--pss-level",
    "restricted",
  ]);
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

  // The floor as a command-line program pays it: a plain node process that reads and parses the corpus.
  const floorScript = `${OUT}floor-process.mjs`;
  writeFileSync(
    floorScript,
    `import { readFileSync } from "node:fs";\nimport { loadAll } from "js-yaml";\nloadAll(readFileSync(process.env.CORPUS, "utf8"));\n`,
  );
  const processFloor = bestProcess(3, [floorScript]);
  const processFloorMs = "error" in processFloor ? Number.NaN : processFloor.ms;
  rows.push({
    name: "js-yaml loadAll, own process",
    ms: processFloorMs,
    ...("error" in processFloor
      ? { note: `not measured: ${processFloor.error}` }
      : { rssMb: processFloor.rssMb }),
    ...("error" in processFloor ? {} : { note: "read + parse, best of 3" }),
  });

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
    fullScanWithin2xProcessFloor:
      Number.isNaN(cli.ms) || Number.isNaN(processFloorMs) ? null : cli.ms <= 2 * processFloorMs,
    peakRssUnder200Mb: cli.rssMb === undefined || Number.isNaN(cli.rssMb) ? null : cli.rssMb < 200,
  };
  console.log(
    `\nfull scan: ${(cli.ms / floor).toFixed(2)}× the warm in-process parse, ${(cli.ms / processFloorMs).toFixed(2)}× the parse as its own process`,
  );
  console.log(
    `targets: full scan ≤ 2× floor (warm, in-process): ${targets.fullScanWithin2xFloor}, ≤ 2× floor (own process): ${targets.fullScanWithin2xProcessFloor}, peak RSS < 200 MB: ${targets.peakRssUnder200Mb}`,
  );
  writeFileSync(
    `${OUT}result.json`,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        corpus: { file: "bench/out/corpus.yaml", mib: Number(mb.toFixed(2)), documents: count },
        floorMs: Math.round(floor),
        processFloorMs: Math.round(processFloorMs),
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

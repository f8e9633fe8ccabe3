import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputReadError, readInputs } from "./read-inputs.ts";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kubeguard-read-"));
  const put = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  put("k8s/b.yaml", "kind: B\n");
  put("k8s/a.yml", "kind: A\n");
  put("k8s/c.json", '{"kind": "C"}');
  put("k8s/README.md", "# not a manifest\n");
  put("k8s/sub/d.YAML", "kind: D\n");
  put("k8s/node_modules/x.yaml", "kind: X\n");
  put("k8s/.git/y.yaml", "kind: Y\n");
  put("k8s/big.yaml", `kind: Big\n${"#".repeat(2000)}\n`);
  put("single.yaml", "kind: S\n");
  symlinkSync(join(dir, "k8s"), join(dir, "k8s", "sub", "loop"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readInputs", () => {
  it("reads a file as the user named it", async () => {
    const r = await readInputs(["single.yaml"], { cwd: dir });
    expect(r).toEqual({ inputs: [{ file: "single.yaml", text: "kind: S\n" }], errors: [] });
  });

  it("walks directories in byte order, skipping node_modules, dot-directories and other files", async () => {
    const r = await readInputs(["k8s"], { cwd: dir, maxBytes: 1000 });
    expect(r.inputs.map((i) => i.file)).toEqual([
      join("k8s", "a.yml"),
      join("k8s", "b.yaml"),
      join("k8s", "c.json"),
      join("k8s", "sub", "d.YAML"),
    ]);
    expect(r.errors).toEqual([
      {
        file: join("k8s", "big.yaml"),
        line: 1,
        column: 1,
        message: "input is larger than 1000 bytes; it is not read (limit maxBytes)",
      },
    ]);
  });

  it("keeps the directory as given in file names, and does not follow symlinked directories", async () => {
    const r = await readInputs([`${dir}/k8s/sub/`], { cwd: "/" });
    expect(r.inputs.map((i) => i.file)).toEqual([join(`${dir}/k8s/sub/`, "d.YAML")]);
  });

  it("reads stdin for -, once", async () => {
    const r = await readInputs(["-", "single.yaml", "-"], {
      cwd: dir,
      stdin: Readable.from([Buffer.from("kind: "), Buffer.from("In\n")]),
    });
    expect(r.inputs).toEqual([
      { file: "<stdin>", text: "kind: In\n" },
      { file: "single.yaml", text: "kind: S\n" },
    ]);
  });

  it("refuses stdin larger than maxBytes", async () => {
    const r = await readInputs(["-"], {
      stdin: Readable.from([Buffer.alloc(600, 97), Buffer.alloc(600, 97)]),
      maxBytes: 1000,
    });
    expect(r.inputs).toEqual([]);
    expect(r.errors.map((e) => e.file)).toEqual(["<stdin>"]);
  });

  it("throws InputReadError for a path that does not exist", async () => {
    await expect(readInputs(["nope.yaml"], { cwd: dir })).rejects.toThrow(InputReadError);
    await expect(readInputs(["nope.yaml"], { cwd: dir })).rejects.toThrow(
      "nope.yaml: no such file or directory",
    );
  });
});

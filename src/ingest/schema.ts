/**
 * The YAML schema Kubernetes tooling uses: kubectl and the API server read YAML with go-yaml v2 rules
 * (via sigs.k8s.io/yaml), so plain `yes`/`on`/`y` are booleans, `0644` is octal, `1_000` is an int,
 * merge keys (`<<`) work, and timestamps stay strings. Resolvers check the first character before anything
 * else: they run for every plain scalar, keys included.
 */
import { FAILSAFE_SCHEMA, type Schema, Type } from "js-yaml";

const TRUE = new Set(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const FALSE = new Set(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);

function boolFirst(c: number): boolean {
  // y Y n N t T f F o O
  return (
    c === 121 ||
    c === 89 ||
    c === 110 ||
    c === 78 ||
    c === 116 ||
    c === 84 ||
    c === 102 ||
    c === 70 ||
    c === 111 ||
    c === 79
  );
}

/** The value go-yaml v2 gives a plain scalar of this text, or `undefined` when it stays a string. */
export function resolvePlain(text: string): null | boolean | number | undefined {
  if (text.length === 0) return null;
  const c = text.charCodeAt(0);
  if (c === 126 /* ~ */ && text.length === 1) return null;
  if (c === 110 || c === 78) {
    if (text === "null" || text === "Null" || text === "NULL") return null;
  }
  if (boolFirst(c) && text.length <= 5) {
    if (TRUE.has(text)) return true;
    if (FALSE.has(text)) return false;
    return undefined;
  }
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) return resolveNumber(text);
  return undefined;
}

/** The mapping key a plain scalar stands for, as js-yaml builds it: the resolved value as a string (`yes` → "true"). */
export function plainKey(text: string): string {
  const v = resolvePlain(text);
  return v === undefined ? text : String(v);
}

const DECIMAL = /^[-+]?(?:0|[1-9][0-9]*)$/;
const OCTAL = /^[-+]?0[0-7]+$/;
const OCTAL_O = /^[-+]?0o[0-7]+$/;
const HEX = /^[-+]?0x[0-9a-fA-F]+$/;
const BINARY = /^[-+]?0b[01]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INF = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN = /^\.(?:nan|NaN|NAN)$/;
// Everything any of the above could match (underscores allowed): one test rejects `64Mi`, `1000m`, `25%`.
const NUMBER_LIKE =
  /^[-+]?(?:[0-9_]+(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|0[xob][0-9a-fA-F_]+|\.(?:inf|Inf|INF|nan|NaN|NAN))$/;

// js-yaml asks the int type, then the float type, then constructs: remember the last answer.
let lastText = "";
let lastValue: number | undefined;

function resolveNumber(raw: string): number | undefined {
  if (raw === lastText) return lastValue;
  lastText = raw;
  lastValue = NUMBER_LIKE.test(raw) ? parseNumber(raw) : undefined;
  return lastValue;
}

function parseNumber(raw: string): number | undefined {
  const text = raw.includes("_") ? raw.replace(/_/g, "") : raw;
  if (text.length === 0) return undefined;
  const c = text.charCodeAt(0);
  const sign = c === 45 ? -1 : 1;
  const body = c === 45 || c === 43 ? text.slice(1) : text;
  if (DECIMAL.test(text)) return sign * Number.parseInt(body, 10);
  if (OCTAL.test(text)) return sign * Number.parseInt(body.slice(1), 8);
  if (OCTAL_O.test(text)) return sign * Number.parseInt(body.slice(2), 8);
  if (HEX.test(text)) return sign * Number.parseInt(body.slice(2), 16);
  if (BINARY.test(text)) return sign * Number.parseInt(body.slice(2), 2);
  if (FLOAT.test(text)) return Number(text);
  if (INF.test(text)) return sign * Number.POSITIVE_INFINITY;
  if (NAN.test(text)) return Number.NaN;
  return undefined;
}

/**
 * go-yaml v2 scalars plus merge keys; no timestamps, binary, sets or other YAML 1.1 extras. Built on
 * first use: js-yaml reads only what the fast path leaves to it, and the CLI loads js-yaml only then.
 */
export function kubeSchema(): Schema {
  cached ??= buildKubeSchema();
  return cached;
}

let cached: Schema | undefined;

// Texts with a fraction or exponent are floats even when their value is integral (`1.0`, `1e3`).
const FLOAT_ONLY = /[.eE]/;

function buildKubeSchema(): Schema {
  const nullType = new Type("tag:yaml.org,2002:null", {
    kind: "scalar",
    resolve: (data: string | null) => {
      if (data === null || data.length === 0) return true;
      if (data.length === 1) return data === "~";
      return data.length === 4 && (data === "null" || data === "Null" || data === "NULL");
    },
    construct: () => null,
    predicate: (v: unknown) => v === null,
    represent: () => "null",
  });

  const boolType = new Type("tag:yaml.org,2002:bool", {
    kind: "scalar",
    resolve: (data: string | null) =>
      data !== null &&
      data.length <= 5 &&
      boolFirst(data.charCodeAt(0)) &&
      (TRUE.has(data) || FALSE.has(data)),
    construct: (data: string) => TRUE.has(data),
    predicate: (v: unknown) => typeof v === "boolean",
    represent: (v: object) => String(v),
  });

  const intType = new Type("tag:yaml.org,2002:int", {
    kind: "scalar",
    resolve: (data: string | null) => {
      if (data === null || data.length === 0) return false;
      const c = data.charCodeAt(0);
      if (!((c >= 48 && c <= 57) || c === 45 || c === 43)) return false;
      const v = resolveNumber(data);
      return v !== undefined && Number.isInteger(v) && !FLOAT_ONLY.test(data);
    },
    construct: (data: string) => resolveNumber(data) as number,
    predicate: (v: unknown) => typeof v === "number" && Number.isInteger(v),
    represent: (v: object) => String(v),
  });

  const floatType = new Type("tag:yaml.org,2002:float", {
    kind: "scalar",
    resolve: (data: string | null) => {
      if (data === null || data.length === 0) return false;
      const c = data.charCodeAt(0);
      if (!((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46)) return false;
      return resolveNumber(data) !== undefined;
    },
    construct: (data: string) => resolveNumber(data) as number,
    predicate: (v: unknown) => typeof v === "number",
    represent: (v: object) => String(v),
  });

  // js-yaml merges a mapping into another when the key's tag is this one.
  const mergeType = new Type("tag:yaml.org,2002:merge", {
    kind: "scalar",
    resolve: (data: string | null) => data === "<<" || data === null,
  });

  return FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType, mergeType] });
}

/**
 * The shapes ingest produces: resources with their source position, and error entries.
 * Pure types; shared by policies, scan and report.
 */

/** A JSON path inside a document, as segments: `["spec", "containers", 0, "securityContext"]`. */
export type Path = readonly (string | number)[];

/** A position in a source file. Lines and columns are 1-based; never 0. */
export interface Position {
  line: number;
  column: number;
}

/** Where a resource came from. `file` is the path as the user gave it (`-` or `<stdin>` for stdin). */
export interface SourceRef extends Position {
  file: string;
  /** 0-based index of the YAML document (or JSON value) in the file. */
  document: number;
}

/** The identity of a Kubernetes object. `namespace` is absent for cluster-scoped or unset namespaces. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A plain JSON object. */
export type KObject = Record<string, unknown>;

/** The pod template a resource carries (a Pod's own metadata and spec, or a controller's template). */
export interface PodTemplate {
  /** Path of the template inside the resource: `[]` for a Pod, `["spec","template"]` for a Deployment. */
  path: Path;
  /** Pod or template metadata (annotations for PSS are read here, never from the controller). */
  metadata: KObject;
  /** The pod spec. Field types the checks read are validated by ingest (see podspec.ts). */
  spec: KObject;
}

/** One Kubernetes object found in the input. */
export interface Resource extends ResourceRef {
  /** The object as parsed; for an item of a List, the item. */
  object: KObject;
  /** Position of the object's start. */
  source: SourceRef;
  /** Path of this object inside its document: `[]` for a top-level object, `["items", 3]` for a List item. */
  docPath: Path;
  /** The pod template, when the kind carries one and it is well-formed. */
  pod?: PodTemplate;
  /**
   * Resolve a path relative to this object to its line and column (of the key, for a mapping entry).
   * A path that does not exist falls back to the nearest existing parent. Never returns line 0.
   */
  locate(path: Path): Position;
}

/** A problem with part of the input. The rest of the input is still scanned. */
export interface IngestError extends Position {
  file: string;
  /** 0-based document index, when the problem is inside one document. */
  document?: number;
  message: string;
  /** JSON path of the offending field, when there is one. */
  path?: string;
}

/** One input as handed over by the user. */
export interface InputFile {
  /** The path as the user gave it, or `<stdin>`. */
  file: string;
  text: string;
}

/** Bounds on input; every one is documented in the README and configurable. */
export interface IngestLimits {
  /** Bytes per input file or body. */
  maxBytes: number;
  /** Documents per input file. */
  maxDocuments: number;
  /** YAML aliases resolved per document (a "billion laughs" document is refused, not expanded). */
  maxAliases: number;
  /** Nesting depth of any document. */
  maxDepth: number;
  /**
   * Error entries listed per input; past it one entry says how many were left out. Bounds the memory a
   * hostile input (say, a JSON array of a million empty objects) can make ingest spend on errors.
   */
  maxErrors?: number;
}

/** Defaults for the API (a request body). */
export const DEFAULT_LIMITS: IngestLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxDocuments: 50_000,
  maxAliases: 100,
  maxDepth: 64,
  maxErrors: 1000,
};

/** Defaults for the CLI, which reads local files the user chose: same bounds but larger files. */
export const CLI_LIMITS: IngestLimits = { ...DEFAULT_LIMITS, maxBytes: 256 * 1024 * 1024 };

/** Metadata of a cluster snapshot (`kind: ClusterSnapshot`, `apiVersion: kubeguard.dev/v1`). */
export interface SnapshotMeta {
  cluster?: string;
  capturedAt?: string;
  serverVersion?: string;
  /** e.g. `eks`, `gke`, `aks`, `kind`, `kubeadm`; managed providers hide the control plane. */
  provider?: string;
  warnings?: string[];
}

/** What ingest returns for a set of inputs. */
export interface IngestResult {
  resources: Resource[];
  errors: IngestError[];
  /** Present when an input was a ClusterSnapshot; its items are in `resources`. */
  snapshot?: SnapshotMeta;
}

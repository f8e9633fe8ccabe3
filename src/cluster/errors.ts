/**
 * Errors of the cluster side: the cluster cannot be reached or refuses our credentials, the kubeconfig
 * is unusable, or a local input file (EncryptionConfiguration) is invalid. The CLI exits 2 on each.
 */

/** The API server cannot be reached (connection refused, DNS, TLS, timeout) or rejects the credentials (401). */
export class ClusterUnreachableError extends Error {
  override name = "ClusterUnreachableError";
  /** The server URL that was tried. */
  readonly server: string;
  /** HTTP status when the server answered (401), absent for a network or TLS failure. */
  readonly status?: number;

  constructor(message: string, server: string, options?: { status?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.server = server;
    if (options?.status !== undefined) this.status = options.status;
  }
}

/** No usable kubeconfig: missing file, unknown context, no cluster entry. */
export class KubeconfigError extends Error {
  override name = "KubeconfigError";
}

/** The `--encryption-config` file cannot be read or is not an EncryptionConfiguration. */
export class EncryptionConfigError extends Error {
  override name = "EncryptionConfigError";
}

/**
 * The volume sources of the Kubernetes core/v1 Volume type, as API facts shared by ingest (type
 * validation) and the PSS `restrictedVolumes` check (which sources are allowed, and in which order the
 * library names a restricted one).
 */

/** Sources the restricted profile allows at every version. */
export const ALLOWED_VOLUME_SOURCES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "image",
  "persistentVolumeClaim",
  "projected",
  "secret",
] as const;

/** Every other source, in the order the PSA library checks them to name a volume's type. */
export const RESTRICTED_VOLUME_SOURCES = [
  "hostPath",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "gitRepo",
  "nfs",
  "iscsi",
  "glusterfs",
  "rbd",
  "flexVolume",
  "cinder",
  "cephfs",
  "flocker",
  "fc",
  "azureFile",
  "vsphereVolume",
  "quobyte",
  "azureDisk",
  "photonPersistentDisk",
  "portworxVolume",
  "scaleIO",
  "storageos",
] as const;

/** Every known volume source. */
export const VOLUME_SOURCES = [...ALLOWED_VOLUME_SOURCES, ...RESTRICTED_VOLUME_SOURCES] as const;

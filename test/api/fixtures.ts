/**
 * Small manifests for the API tests, each with known findings.
 */

/** A Deployment whose container is privileged (critical), in namespace payments. */
export const PRIVILEGED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: payments
spec:
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/api:v2.31.0
          securityContext:
            privileged: true
`;

/** A Pod that meets the restricted profile. */
export const HARDENED = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: web
spec:
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    seccompProfile: { type: RuntimeDefault }
  containers:
    - name: app
      image: nginx@sha256:4f1c0d7e9b8a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d
      resources:
        limits: { cpu: 100m, memory: 64Mi }
        requests: { cpu: 100m, memory: 64Mi }
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: { drop: [ALL] }
`;

/** A Pod with host networking (high) in namespace batch. */
export const HOST_NETWORK = `apiVersion: v1
kind: Pod
metadata:
  name: sniffer
  namespace: batch
spec:
  hostNetwork: true
  containers:
    - name: app
      image: busybox:1.36
`;

/** Broken YAML: an unterminated flow mapping on line 4. */
export const BROKEN_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: { broken
spec: {}
`;

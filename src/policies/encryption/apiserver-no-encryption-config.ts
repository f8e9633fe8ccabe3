/**
 * etcd at rest: without `--encryption-provider-config`, kube-apiserver writes every resource, Secrets
 * included, to etcd unencrypted (CIS 1.2.27).
 */
import { describeContainer } from "../common/containers.ts";
import { defineCheck } from "../types.ts";
import { describeObject, kubeApiServers, REF } from "./util.ts";

export const apiserverNoEncryptionConfig = defineCheck({
  id: "encryption.apiserver-no-encryption-config",
  scope: "cluster",
  title: "kube-apiserver runs without --encryption-provider-config",
  severity: "critical",
  description:
    'Finds kube-apiserver containers: a container whose command[0] is (or ends in /) kube-apiserver, also through `hyperkube kube-apiserver` or `sh -c "… kube-apiserver …"`, or with no command and a kube-apiserver image; and the static Pod in kube-system labelled `component: kube-apiserver` (as kubeadm writes /etc/kubernetes/manifests/kube-apiserver.yaml). Its command and args together must set `--encryption-provider-config` to a non-empty path, as `--encryption-provider-config=PATH` or `--encryption-provider-config PATH` (the last occurrence wins). `--encryption-provider-config-automatic-reload` is a different flag and does not count.',
  remediation:
    "Write an EncryptionConfiguration (kms with apiVersion: v2, or secretbox, first for secrets), mount it into the kube-apiserver Pod (hostPath, readOnly) and add `--encryption-provider-config=/etc/kubernetes/enc/enc.yaml`; then rewrite existing Secrets with `kubectl get secrets --all-namespaces -o json | kubectl replace -f -`.",
  references: [REF.encryptData, REF.apiserverFlags, REF.nsa, REF.cis],
  frameworks: {
    "nsa-cisa": "control-plane-hardening",
    cis: "1.2.27",
    "microservices-hardening": "3-etcd-encryption",
  },
  applies: (ctx) => kubeApiServers(ctx).length > 0,
  evaluate(ctx) {
    return kubeApiServers(ctx).flatMap((a) => {
      const flag = a.encryptionConfig;
      if (flag && flag.value.trim() !== "") return [];
      const who = `${describeObject(a.resource)} ${describeContainer(a.container)}`;
      return [
        {
          resource: a.resource,
          path: flag ? flag.path : a.flagPath,
          message: flag
            ? `${who} sets --encryption-provider-config to an empty value: Secrets are stored in etcd in plaintext`
            : `${who} runs kube-apiserver without --encryption-provider-config: Secrets are stored in etcd in plaintext`,
        },
      ];
    });
  },
});

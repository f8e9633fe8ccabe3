/**
 * secrets.literal-credential-in-env: a credential written as a literal env value lives in the
 * manifest, in Git, and in every `kubectl get -o yaml`. Reads `env[].name` and `env[].value` of every
 * container.
 */

import {
  describeContainer,
  describeResource,
  POD_TEMPLATE_KINDS,
  podContainers,
} from "../common/containers.ts";
import { controlledByWorkload } from "../common/controlled.ts";
import { asList, asObject, asString } from "../common/objects.ts";
import { defineCheck, type RawFinding } from "../types.ts";
import {
  CIS_BENCHMARK,
  EXTERNAL_SECRETS,
  isLiteralValue,
  isSensitiveName,
  matchCredential,
  NSA_GUIDE,
  SECRETS_GOOD_PRACTICES,
} from "./util.ts";

export const literalCredentialInEnv = defineCheck({
  id: "secrets.literal-credential-in-env",
  scope: "resource",
  kinds: POD_TEMPLATE_KINDS,
  title: "Credential as a literal env value",
  severity: "high",
  description:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the description names the ${VAR} placeholder syntax.
    "Reads `env[].name` and `env[].value` of every init, regular and ephemeral container (`valueFrom` is never a literal). Fails when a non-empty `value` looks like a known credential whatever the name (private key block, AWS access key ID `AKIA…`/`ASIA…`, GitHub token `ghp_`/`gho_`/`ghs_`/`ghu_`/`ghr_`/`github_pat_`, Slack token `xox[baprs]-`, JSON Web Token `eyJ….….…`, URL with `user:password@`), or when the name is sensitive (PASSWORD, PASSWD, PASSPHRASE, SECRET, TOKEN, CREDENTIAL, API_KEY/APIKEY, PRIVATE_KEY, ACCESS_KEY, SECRET_KEY … as a name token, not ending in _FILE, _PATH, _URL, _NAME and similar) and the value is a literal (not empty, a `$(VAR)` or `${VAR}` reference, a boolean or a file path). Critical when the value looks like a private key or an AWS access key ID. Messages name the variable and the pattern, never the value.",
  remediation:
    "Move the value into a Secret delivered by an external manager (ExternalSecret, SealedSecret or the Secrets Store CSI driver), mount it as a file, rotate the exposed credential, and remove the literal value.",
  references: [SECRETS_GOOD_PRACTICES, EXTERNAL_SECRETS, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: { "nsa-cisa": "secrets", cis: "5.4.2", "microservices-hardening": "2-external-secrets" },
  evaluate(resource, ctx) {
    if (controlledByWorkload(resource, ctx.inventory)) return [];
    const out: RawFinding[] = [];
    for (const c of podContainers(resource)) {
      asList(c.container.env).forEach((entry, i) => {
        const env = asObject(entry);
        const name = asString(env?.name) ?? "";
        const value = asString(env?.value);
        if (value === undefined || value.trim() === "") return;
        const pattern = matchCredential(value);
        if (!pattern && !(isSensitiveName(name) && isLiteralValue(value))) return;
        // Described only for a finding: almost every env entry is clean, and this runs for each one.
        const who = `${describeResource(resource)} ${describeContainer(c)} env "${name}"`;
        const path = [...c.path, "env", i, "value"];
        if (pattern) {
          out.push({
            resource,
            path,
            message: `${who} has a literal value that looks like ${pattern.description}`,
            ...(pattern.critical ? { severity: "critical" as const } : {}),
          });
        } else {
          out.push({ resource, path, message: `${who} has a sensitive name and a literal value` });
        }
      });
    }
    return out;
  },
});

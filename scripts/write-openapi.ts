/**
 * `npm run openapi`: writes openapi.yaml from the zod route definitions (test/api/openapi.test.ts
 * fails when the committed file differs).
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildOpenApiDocument, openApiYaml } from "../src/api/openapi.ts";

const target = fileURLToPath(new URL("../openapi.yaml", import.meta.url));
writeFileSync(target, openApiYaml(buildOpenApiDocument()));
process.stdout.write(`wrote ${target}\n`);

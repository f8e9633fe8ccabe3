/** Writes docs/checks.md from the registry (`npm run docs`). */
import { writeFileSync } from "node:fs";
import { renderChecksMarkdown } from "../src/policies/docs.ts";

writeFileSync(new URL("../docs/checks.md", import.meta.url), renderChecksMarkdown());
console.log("wrote docs/checks.md");

#!/usr/bin/env node
// Launcher: registers tsx in-process and runs the TypeScript CLI, so `npx kubeguard` needs no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
// Launcher: registers tsx in this process and runs the TypeScript CLI, so no build step is
// needed and a signal to this process stops the whole run (no orphaned child).
import { register } from "tsx/esm/api";
register();
await import("../src/cli/main.ts");

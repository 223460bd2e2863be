/**
 * The URL of a module next to the caller, with the caller's own extension:
 * `.ts` when the source runs (tests, tsx), `.js` when the built package runs.
 * Worker recipes name modules by URL, which TypeScript's import rewriting
 * does not reach, so they go through this.
 */
export function siblingModule(callerUrl: string, pathWithoutExtension: string): string {
  const ext = new URL(callerUrl).pathname.endsWith(".ts") ? ".ts" : ".js";
  return new URL(pathWithoutExtension + ext, callerUrl).href;
}

/**
 * execArgv for worker threads and child processes started by qmtl: the parent's Node flags without tsx's
 * loader (each worker entry registers it itself when it runs from TypeScript sources).
 */
export function workerExecArgv(): string[] {
  const out: string[] = [];
  const a = process.execArgv;
  for (let i = 0; i < a.length; i++) {
    const f = a[i]!;
    if ((f === "--import" || f === "--require" || f === "--loader") && a[i + 1]?.includes("tsx")) {
      i++;
      continue;
    }
    if (f.includes("tsx")) continue;
    out.push(f);
  }
  return out;
}

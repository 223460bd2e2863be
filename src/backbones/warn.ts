/** Where backbones report recoverable problems (fallbacks, bad cache files). */
export type Warn = (message: string) => void;

export const warnToStderr: Warn = (message) => {
  process.stderr.write(`warning: ${message}\n`);
};

/**
 * Where the CheXpert data lives, and what a user without it is told. Kept
 * apart from load.ts so that checking a config does not load the image and
 * ONNX libraries.
 */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ValidationError } from "../../core/errors.ts";

/** What a user without the data is told (the suite's load throws it). */
export const DOWNLOAD_HELP = [
  "CheXpert is not redistributable, so qmtl does not ship it.",
  "Download CheXpert-v1.0-small (about 11 GB) after accepting the Stanford research use agreement:",
  "  https://stanfordmlgroup.github.io/competitions/chexpert/ (or the Kaggle mirror 'CheXpert-v1.0-small').",
  "Unpack it so that DIR/CheXpert-v1.0-small/ holds train.csv, valid.csv, train/ and valid/,",
  "then run: qmtl run chexpert --data DIR",
].join("\n");

/** The folder holding CheXpert-v1.0-small/, from `--data` (which may also name that folder itself). */
export function resolveDataRoot(data: string | null): string {
  if (data === null)
    throw new ValidationError("--data", `the folder holding CheXpert-v1.0-small/.\n${DOWNLOAD_HELP}`);
  const dir = resolve(data);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ValidationError("--data", `an existing folder.\n${DOWNLOAD_HELP}`, data);
  if (basename(dir) === "CheXpert-v1.0-small" && existsSync(join(dir, "valid.csv"))) return dirname(dir);
  if (!existsSync(join(dir, "CheXpert-v1.0-small"))) {
    throw new ValidationError("--data", `a folder containing CheXpert-v1.0-small/.\n${DOWNLOAD_HELP}`, data);
  }
  return dir;
}

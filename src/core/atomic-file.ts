import {
  mkdirSync,
  renameSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
  statSync,
  unlinkSync,
} from "node:fs";
import { dirname, basename, join } from "node:path";
import { FileError, fsReason } from "./errors.ts";

/**
 * Writes a file atomically: the bytes go to a temporary file in the same
 * directory, are flushed to disk, and the temporary file is renamed over the
 * target. A reader (or a resumed run) sees either the old file or the new
 * one, never a torn write. A path that cannot be written (a file where a
 * folder should be, no permission, a read-only or virtual file system) is a
 * FileError naming the path and the reason; the temporary file is removed.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  ensureDir(dir, path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, "w");
  } catch (e) {
    throw new FileError(path, "write", fsReason(e), "choose a writable location");
  }
  try {
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw new FileError(path, "write", fsReason(e), "choose a writable location");
  }
}

/** Atomic JSON write with stable two-space formatting. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/**
 * Creates `dir` and its missing parents one level at a time. (Node's
 * mkdirSync(..., { recursive: true }) never returns under /proc, and its
 * errors name only one path component.)
 */
export function ensureDir(dir: string, forPath = dir): void {
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(dir);
  } catch (e) {
    if ((e as { code?: string }).code !== "ENOENT")
      throw new FileError(forPath, "write", `${dir}: ${fsReason(e)}`);
  }
  if (st) {
    if (!st.isDirectory()) throw new FileError(forPath, "write", `${dir} is a file, not a folder`);
    return;
  }
  const parent = dirname(dir);
  if (parent !== dir) ensureDir(parent, forPath);
  try {
    mkdirSync(dir);
  } catch (e) {
    if ((e as { code?: string }).code === "EEXIST" && statSync(dir).isDirectory()) return;
    throw new FileError(
      forPath,
      "write",
      `cannot create the folder ${dir}: ${fsReason(e)}`,
      "choose a writable location",
    );
  }
}

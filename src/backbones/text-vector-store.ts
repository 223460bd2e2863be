import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic-file.ts";
import { ValidationError, requireInt } from "../core/errors.ts";
import { defaultCacheDir } from "./feature-cache.ts";
import { warnToStderr, type Warn } from "./warn.ts";

/**
 * A per-sentence vector cache keyed by (backbone, model id, text hash), so
 * that every suite and every run reuses a sentence's vector once any of them
 * has embedded it (feature-cache.ts caches whole matrices instead). One folder
 * per (backbone, model): `<cacheDir>/vectors/<backbone>-<sha256(modelId)[:16]>/`
 * holding shard files, each written atomically once and never changed:
 *   "QMTLTV01" | header length (u32 LE) | header JSON {modelId, dim, count,
 *   dataSha256} | count x (32-byte sha256 of the UTF-8 text) | count x dim float32 LE
 * A shard whose magic, header, length, model or data hash is wrong is reported
 * and ignored (its texts are embedded again). Shards are written while a long
 * embedding runs, so a killed run keeps what it had finished.
 */

const MAGIC = "QMTLTV01";

interface ShardHeader {
  version: 1;
  backbone: string;
  modelId: string;
  dim: number;
  count: number;
  dataSha256: string;
}

export function textSha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

export class TextVectorStore {
  readonly dir: string;
  private readonly vectors = new Map<string, Float32Array>();
  private shardCounter = 0;

  private constructor(
    readonly backbone: string,
    readonly modelId: string,
    readonly dim: number,
    dir: string,
  ) {
    this.dir = dir;
  }

  /** Opens (and reads) the store of one backbone + model under `cacheDir` (default defaultCacheDir()). */
  static open(
    backbone: string,
    modelId: string,
    dim: number,
    options: { cacheDir?: string; warn?: Warn } = {},
  ): TextVectorStore {
    requireInt("TextVectorStore.dim", dim, 1);
    const model = createHash("sha256").update(modelId).digest("hex").slice(0, 16);
    const safe = backbone.replace(/[^A-Za-z0-9_.-]/g, "_");
    const store = new TextVectorStore(
      backbone,
      modelId,
      dim,
      join(options.cacheDir ?? defaultCacheDir(), "vectors", `${safe}-${model}`),
    );
    store.readShards(options.warn ?? warnToStderr);
    return store;
  }

  get size(): number {
    return this.vectors.size;
  }

  get(text: string): Float32Array | undefined {
    return this.vectors.get(textSha256(text).toString("hex"));
  }

  has(text: string): boolean {
    return this.vectors.has(textSha256(text).toString("hex"));
  }

  /** Adds vectors (row-major, texts.length x dim) and writes them as one new shard. */
  add(texts: readonly string[], data: Float32Array): void {
    if (data.length !== texts.length * this.dim)
      throw new ValidationError("TextVectorStore.add", `${texts.length} x ${this.dim} values`, data.length);
    for (let i = 0; i < data.length; i++)
      if (!Number.isFinite(data[i]))
        throw new ValidationError(
          `TextVectorStore.add[${Math.floor(i / this.dim)}]`,
          "finite vector entries",
          data[i],
        );
    if (texts.length === 0) return;
    const hashes = Buffer.alloc(32 * texts.length);
    texts.forEach((t, i) => {
      const h = textSha256(t);
      h.copy(hashes, 32 * i);
      this.vectors.set(h.toString("hex"), data.slice(i * this.dim, (i + 1) * this.dim));
    });
    const body = Buffer.alloc(4 * data.length);
    for (let i = 0; i < data.length; i++) body.writeFloatLE(data[i]!, 4 * i);
    const payload = Buffer.concat([hashes, body]);
    const header: ShardHeader = {
      version: 1,
      backbone: this.backbone,
      modelId: this.modelId,
      dim: this.dim,
      count: texts.length,
      dataSha256: createHash("sha256").update(payload).digest("hex"),
    };
    const head = Buffer.from(JSON.stringify(header), "utf8");
    const len = Buffer.alloc(4);
    len.writeUInt32LE(head.length, 0);
    mkdirSync(this.dir, { recursive: true });
    const name = `${header.dataSha256.slice(0, 16)}-${process.pid}-${this.shardCounter++}.qtv`;
    writeFileAtomic(join(this.dir, name), Buffer.concat([Buffer.from(MAGIC, "latin1"), len, head, payload]));
  }

  private readShards(warn: Warn): void {
    if (!existsSync(this.dir)) return;
    for (const name of readdirSync(this.dir)
      .filter((n) => n.endsWith(".qtv"))
      .sort()) {
      const path = join(this.dir, name);
      const reason = this.readShard(path);
      if (reason !== null)
        warn(`text vector cache shard ${path} is unusable (${reason}); its texts will be embedded again`);
    }
  }

  private readShard(path: string): string | null {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    if (bytes.length < 12 || bytes.subarray(0, 8).toString("latin1") !== MAGIC) return "bad magic";
    const headLen = bytes.readUInt32LE(8);
    if (12 + headLen > bytes.length) return "truncated header";
    let h: ShardHeader;
    try {
      h = JSON.parse(bytes.subarray(12, 12 + headLen).toString("utf8")) as ShardHeader;
    } catch {
      return "header is not JSON";
    }
    if (h.version !== 1 || h.modelId !== this.modelId || h.dim !== this.dim)
      return `shard for ${String(h.modelId)} dim ${String(h.dim)}, not ${this.modelId} dim ${this.dim}`;
    const payload = bytes.subarray(12 + headLen);
    if (!Number.isInteger(h.count) || h.count < 0 || payload.length !== h.count * (32 + 4 * this.dim))
      return "length does not match its header";
    if (createHash("sha256").update(payload).digest("hex") !== h.dataSha256) return "data hash mismatch";
    const body = payload.subarray(32 * h.count);
    for (let i = 0; i < h.count; i++) {
      const v = new Float32Array(this.dim);
      for (let j = 0; j < this.dim; j++) v[j] = body.readFloatLE(4 * (i * this.dim + j));
      this.vectors.set(payload.subarray(32 * i, 32 * i + 32).toString("hex"), v);
    }
    return null;
  }
}

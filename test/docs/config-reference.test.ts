/**
 * docs/config-reference.md is generated from the suites' zod schemas; the
 * committed page must equal what the generator writes now.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_REFERENCE, REGENERATE, renderConfigReference } from "../../scripts/gen-config-reference.ts";
import { SUITES } from "qmtl";

describe("docs/config-reference.md", () => {
  const page = renderConfigReference();

  it("equals what scripts/gen-config-reference.ts writes now", () => {
    const committed = readFileSync(CONFIG_REFERENCE, "utf8");
    if (committed !== page) {
      throw new Error(`docs/config-reference.md is stale (a suite's config schema changed): run \`${REGENERATE}\` and commit the page`);
    }
  });

  it("lists every suite and every top-level field of its schema, with defaults", () => {
    for (const s of SUITES) {
      expect(page).toContain(`## \`qmtl run ${s.name}\``);
      const shape = (s.schema as unknown as { shape: Record<string, unknown> }).shape;
      for (const k of Object.keys(shape)) expect(page, `${s.name}.${k}`).toContain(`| \`${k}\` |`);
    }
    expect(page).toMatch(/\| `epochs` \| integer \| `50` \| >= 1, <= 10000 \| `--epochs` \|/);
  });
});

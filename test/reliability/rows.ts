import { dataRows } from "./rows-data.ts";
import { simRows } from "./rows-sim.ts";
import { modelRows } from "./rows-models.ts";
import { extraRows } from "./rows-extra.ts";
import type { LibraryRow } from "./catalogue.ts";

/** Every library and input-file row of the catalogue, in a fixed order. */
export const libraryRows: readonly LibraryRow[] = [...dataRows, ...simRows, ...modelRows, ...extraRows];

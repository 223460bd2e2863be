/** Just the MUStARD epoch timing (npx tsx bench/epoch-only.ts). */
import { benchEpochs } from "./epoch.ts";
benchEpochs(3, (s) => console.log(s));

// Run in a fresh process (cold caches): builds every Wigner 3j table with l1, l2, l3 <= 16
// allowed by the triangle rule and prints {tables, seconds} as JSON.

import { wigner3j } from '../../stdlib/groups/o3/wigner3j.js';

const LMAX = 16;
const t0 = performance.now();
let tables = 0;
for (let l1 = 0; l1 <= LMAX; l1++) {
  for (let l2 = 0; l2 <= LMAX; l2++) {
    for (let l3 = Math.abs(l1 - l2); l3 <= Math.min(l1 + l2, LMAX); l3++) {
      wigner3j(l1, l2, l3);
      tables++;
    }
  }
}
process.stdout.write(JSON.stringify({ tables, seconds: (performance.now() - t0) / 1000 }) + '\n');

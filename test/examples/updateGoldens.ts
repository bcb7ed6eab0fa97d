// Regenerates the golden files of the typical mistakes (examples/errors/<name>.expected: what
// `eqvc check examples/errors/<name>.eqv` prints) and the example regions of
// docs/diagnostics.md. Run from the repository root after changing a diagnostic or an error
// file, then read the diff:
//   npx tsx test/examples/updateGoldens.ts
// test/examples/errors.test.ts fails while these are out of date.

import * as fs from 'node:fs';
import { DIAGNOSTICS_DOC, errorFiles, expectedPath, renderCheck, renderDiagnosticsDoc } from './goldens.js';

let changed = 0;
for (const file of errorFiles()) {
  const target = expectedPath(file);
  const text = renderCheck(file);
  if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) {
    fs.writeFileSync(target, text);
    changed++;
    console.log(`wrote ${target}`);
  }
}
const doc = fs.readFileSync(DIAGNOSTICS_DOC, 'utf8');
const updated = renderDiagnosticsDoc(doc);
if (updated !== doc) {
  fs.writeFileSync(DIAGNOSTICS_DOC, updated);
  changed++;
  console.log(`wrote ${DIAGNOSTICS_DOC}`);
}
console.log(changed === 0 ? 'everything was up to date' : `${changed} file(s) updated`);

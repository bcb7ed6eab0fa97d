// Writes the built-in operations and activations into the TextMate grammar, read from the
// compiled compiler (dist/): run `npm run grammar:vscode` after adding an operation.
// test/editors/grammarOverExamples.test.ts fails while the committed grammar lags behind, so
// the build never edits a tracked file.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

/**
 * The grammar names the built-in operations and activations; they are read from the compiled
 * compiler (dist/, built just before by `npm run build`) so a new operation is highlighted
 * without editing the grammar's patterns by hand.
 */
async function updateGrammarWords() {
  const opsModule = path.join(root, 'dist', 'compiler', 'ops', 'index.js');
  if (!fs.existsSync(opsModule)) {
    console.error('editors/vscode: dist/ is not built: run `npm run build` first');
    process.exitCode = 2;
    return;
  }
  const { BUILTIN_OPS, ACTIVATION_NAMES } = await import(pathToFileURL(opsModule).href);
  const grammarPath = path.join(here, 'syntaxes', 'eqv.tmLanguage.json');
  const before = fs.readFileSync(grammarPath, 'utf8');
  const grammar = JSON.parse(before);
  const words = { 'support.function.builtin.eqv': [...BUILTIN_OPS.keys()], 'support.constant.activation.eqv': [...ACTIVATION_NAMES] };
  for (const pattern of grammar.repository.expressions.patterns) {
    const list = words[pattern.name];
    if (list) pattern.match = pattern.match.replace(/\\b\([^)]*\)/, `\\b(${[...list].sort().join('|')})`);
  }
  const after = JSON.stringify(grammar, null, 2) + '\n';
  if (after !== before) fs.writeFileSync(grammarPath, after);
}

await updateGrammarWords();

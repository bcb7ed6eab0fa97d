// Loads the light commands' bundle (dist/light/eqvc.cjs, written by cli/bundle.mjs) with V8's
// code cache. Node 20 caches no compiled code between runs for files it loads itself (Node 22's
// module.enableCompileCache does), so the bundle, one CommonJS file, is compiled here as a
// vm.Script with the bytecode that cli/bundle.mjs saved after running check, explain and fmt once
// (dist/light/eqvc.cache): the functions those commands run are then neither parsed nor compiled
// again at start-up (docs/benchmarks.md has the figures). V8 rejects a cache written by another
// V8 version or with other V8 flags, and a missing or rejected one only costs time; eqvc then
// writes a fresh one after the command, if it may write there.

import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script, constants } from 'node:vm';

export const LIGHT_BUNDLE = fileURLToPath(new URL('../dist/light/eqvc.cjs', import.meta.url));
export const LIGHT_CACHE = fileURLToPath(new URL('../dist/light/eqvc.cache', import.meta.url));

/**
 * Compiles and runs the bundle as Node runs a CommonJS module. Returns its exports, whether the
 * cache was used, and a function that saves the code compiled so far as the new cache.
 */
export function loadLight(bundle = LIGHT_BUNDLE, cache = LIGHT_CACHE) {
  const source = readFileSync(bundle, 'latin1');
  let cachedData;
  try {
    cachedData = readFileSync(cache);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    cachedData,
    // The bundle's import() of tsc's output (the heavy commands' modules, which the light
    // commands never reach) resolves as in any module; the option exists from Node 20.12.
    importModuleDynamically: constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  return {
    exports: module.exports,
    cacheUsed: cachedData !== undefined && !script.cachedDataRejected,
    saveCache() {
      // Written beside and renamed over, so that a concurrent eqvc reads the old or the new file whole.
      const temp = `${cache}.${process.pid}.tmp`;
      try {
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cache);
      } catch {
        rmSync(temp, { force: true });
      }
    },
  };
}

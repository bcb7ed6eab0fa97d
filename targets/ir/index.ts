// The `ir` target: the typed IR as JSON (docs/ir.md), the input of every other renderer.

import type { Target } from '../target.js';
import { renderIrJson } from './render.js';

export const irTarget: Target = {
  name: 'ir',
  description: 'the typed IR as JSON (docs/ir.md)',
  render: async (module) => [{ path: `${module.model}.ir.json`, contents: renderIrJson(module) }],
};

// The `ir` target: the typed IR as JSON (docs/ir.md), the input of every other renderer.

import type { Target } from '../target.js';
import { validateModule } from '../../ir/validate.js';
import { renderIrJson } from './render.js';

export const irTarget: Target = {
  name: 'ir',
  description: 'the typed IR as JSON (docs/ir.md)',
  render: async (module) => {
    validateModule(module);
    return [{ path: `${module.model}.ir.json`, contents: renderIrJson(module) }];
  },
};

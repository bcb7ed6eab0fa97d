// The files `eqvc build --target torch` writes for one model: the module, the weights loader
// it shares with train.py, and train.py.

import type { IRModule } from '../../ir/types.js';
import type { BuiltFile } from '../target.js';
import { PYTHON_SAFETENSORS, SAFETENSORS_MODULE } from './loader.js';
import { renderTorchModule, torchClassName } from './render.js';
import { renderTrainScript } from './train.js';

export function renderTorchFiles(module: IRModule): BuiltFile[] {
  return [
    { path: `${torchClassName(module)}.py`, contents: renderTorchModule(module) },
    { path: `${SAFETENSORS_MODULE}.py`, contents: PYTHON_SAFETENSORS },
    { path: 'train.py', contents: renderTrainScript(torchClassName(module), `${module.model}.safetensors`) },
  ];
}

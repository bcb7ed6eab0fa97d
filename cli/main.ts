// The eqvc command line: check, build, explain, fmt, run. Each command lives in its own file;
// this one declares them, maps usage errors to exit code 2, and never lets a stack trace out.
// Each command's module is imported when the command runs, so that `eqvc check` or `--version`
// never load what only build, run or train need (docs/benchmarks.md has the start-up cost).

import { Command, CommanderError } from 'commander';
import { type CliIO, EXIT_USAGE, UsageError, processIO } from './io.js';
import type { TrainCliOptions } from './train.js';
import { targetNames } from '../targets/registry.js';
import { runWithDawnFiltered, wantsDawnFilter } from './dawnOutput.js';
import { VERSION } from './version.js';


export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  if (io === processIO && process.argv[1] !== undefined && wantsDawnFilter(argv, process.env)) return runWithDawnFiltered(argv, io.err);
  let code = 0;
  const program = new Command('eqvc')
    .description('The eqv compiler: check, build and run equivariant neural network models written in .eqv')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(run eqvc --help for usage)');

  program
    .command('check')
    .description('report diagnostics (file:line:col, code, explanation); exit 1 if there are errors')
    .argument('<files...>', '.eqv files to check')
    .option('--json', 'print diagnostics as JSON on stdout')
    .action(async (files: string[], opts: { json?: boolean }) => {
      code = await (await import('./check.js')).runCheck(files, opts, io);
    });

  program
    .command('build')
    .description('compile a model for a target, with initial weights (<Model>.safetensors)')
    .argument('<file>', 'the .eqv file')
    .requiredOption('-t, --target <target>', `target: ${targetNames().join(', ')}`)
    .requiredOption('-o, --out <dir>', 'output folder')
    .option('-m, --model <name>', 'build only this model of the file')
    .option('--seed <n>', 'seed of the initial weights', '0')
    .option('--tests', 'also write the generated equivariance test suite')
    .action(async (file: string, opts: { target: string; out: string; model?: string; seed: string; tests?: boolean }) => {
      code = await (await import('./build.js')).runBuild(file, opts, io);
    });

  program
    .command('run')
    .description('run a model on inputs given as JSON (docs/formats.md) and print the outputs as JSON')
    .argument('<file>', 'the .eqv file')
    .option('-t, --target <target>', 'ref (float64 reference evaluator), tfjs, wgsl (WebGPU through Dawn), wasm (generated WebAssembly SIMD kernels, threads) or torch (PyTorch, by the machine\'s Python)', 'ref')
    .option('-w, --weights <file>', 'weights (.safetensors); default: the initial weights of --seed')
    .requiredOption('-i, --input <file>', 'input JSON, or - for stdin')
    .option('-m, --model <name>', 'the model to run, when the file has several')
    .option('--seed <n>', 'seed of the initial weights when no --weights are given', '0')
    .option('-b, --backend <name>', 'backend of the target (tfjs: cpu or wasm; wgsl: default, vulkan or opengl; wasm: threads or single; torch: cpu or cuda)')
    .option('--dtype <type>', 'floating-point type of the torch target: float32 or float64', 'float32')
    .option('--verbose', "also show third-party warnings (Dawn's) on stderr")
    .action(async (file: string, opts: { target: string; weights?: string; input: string; model?: string; seed: string; backend?: string; dtype?: string }) => {
      code = await (await import('./run.js')).runRun(file, opts, io);
    });

  program
    .command('train')
    .description('train a model with tfjs (Adam) on a dataset (docs/formats.md) and write its weights')
    .argument('<file>', 'the .eqv file')
    .requiredOption('-d, --data <file>', 'training data: .json, or the binary .safetensors form')
    .option('--loss <loss>', 'mse or cross_entropy', 'mse')
    .option('--epochs <n>', 'passes over the training set', '10')
    .option('--lr <x>', 'Adam learning rate', '0.01')
    .requiredOption('-o, --out <file>', 'where to write the trained weights (.safetensors)')
    .option('-m, --model <name>', 'the model to train, when the file has several')
    .option('--batch-size <n>', 'graphs per step', '16')
    .option('--held-out <fraction>', 'fraction of the graphs held out for the report', '0.2')
    .option('--seed <n>', 'seed of the initial weights, the split and the batch order', '0')
    .option('-w, --weights <file>', 'start from these weights instead of the initial ones')
    .option('-b, --backend <name>', 'tfjs backend: cpu or wasm', 'wasm')
    .option('--kernels <kind>', "tfjs: tfjs's own ops; wasm: tensor products, linear maps, MLP layers and spherical harmonics as eqv's generated WebAssembly SIMD kernels with their gradients, on threads (docs/wasm.md; not with forces in the loss)", 'tfjs')
    .option('--checkpoint-every <n>', 'also write <out>.epoch<N>.safetensors every n epochs')
    .option('--force-weight <w>', 'weight of the force error (forces = -dE/dpos) when the data has forces', '0')
    .option('--energy-weight <w>', 'weight of the output (energy) error', '1')
    .option('--val <file>', 'validation data (instead of a --held-out split), reported every epoch')
    .option('--schedule <kind>', 'learning-rate schedule: constant, cosine or plateau', 'constant')
    .option('--min-lr <x>', 'cosine: the rate at the last epoch', '0')
    .option('--lr-factor <x>', 'plateau: multiply the rate by this when the loss stalls', '0.5')
    .option('--lr-patience <n>', 'plateau: epochs without improvement before lowering the rate', '5')
    .option('--ema <decay>', 'keep an exponential moving average of the weights (e.g. 0.99); it is evaluated and saved')
    .option('--patience <n>', 'early stopping: stop when the validation loss has not improved for n epochs')
    .option('--resume <checkpoint>', 'resume from a checkpoint of eqvc train (weights, optimizer state, epoch)')
    .option('--equivariance-weight <w>', 'soft equivariance: add w times the equivariance penalty per symmetry (the suite\'s samplers) and report the measured error every epoch; 0 measures only')
    .option('--symmetry-breaking <inputs...>', 'with --equivariance-weight: inputs the sampled group elements leave fixed (declared symmetry-breaking inputs)')
    .option('--sparsity <s>', 'sparse tensor products (`gates = learned`): prune this share of each product\'s paths with SPHNet\'s three phases (random subsets, gate quantile, frozen)')
    .action(async (file: string, opts: TrainCliOptions) => {
      code = await (await import('./train.js')).runTrain(file, opts, io);
    });

  program
    .command('prune')
    .description('turn a model trained with `eqvc train --sparsity` into a pruned one: a source whose gated products name their kept paths, and weights without the pruned ones')
    .argument('<file>', 'the .eqv file with `gates = learned` products')
    .requiredOption('-w, --weights <file>', 'the trained weights (.safetensors)')
    .requiredOption('-o, --out <dir>', 'folder for <name>.eqv and <name>.safetensors')
    .option('-m, --model <name>', 'the model to prune, when the file has several')
    .option('--dtype <type>', 'float type of the pruned weights: float32 or float64', 'float32')
    .action(async (file: string, opts: { weights: string; out: string; model?: string; dtype?: string }) => {
      code = await (await import('./prune.js')).runPrune(file, opts, io);
    });

  program
    .command('test')
    .description("run the model's equivariance suite and print each symmetry's error and tolerance")
    .argument('<file>', 'the .eqv file')
    .option('-t, --target <target...>', 'targets to test (default: those that run in this process: ref, tfjs, wgsl, wasm; torch on request)')
    .option('-m, --model <name>', 'test only this model')
    .option('--mutate', 'also check that broken copies of the model are caught')
    .option('--seeds <n>', 'random inputs and group elements per symmetry', '8')
    .option('--seed <n>', 'replay one check: only this seed (a failure prints it)')
    .option('--nodes <list>', 'with --seed: nodes of each graph of the batch, e.g. 1,4')
    .option('--verbose', "also show third-party warnings (Dawn's) on stderr")
    .action(async (file: string, opts: { target?: string[]; model?: string; mutate?: boolean; seeds: string; seed?: string; nodes?: string }) => {
      code = await (await import('./test.js')).runTest(file, opts, io);
    });

  program
    .command('explain')
    .description('every value with its type, dimension, parameter count and FLOPs')
    .argument('<file>', 'the .eqv file')
    .option('-m, --model <name>', 'explain only this model')
    .option('--json', 'print as JSON')
    .action(async (file: string, opts: { model?: string; json?: boolean }) => {
      code = await (await import('./explain.js')).runExplain(file, opts, io);
    });

  program
    .command('graph')
    .description("draw the model's dataflow as SVG: each value with its type and dimension, layers as boxes, the .eqv line on hover")
    .argument('<file>', 'the .eqv file')
    .requiredOption('-o, --out <file>', 'the SVG file to write')
    .option('-m, --model <name>', 'the model to draw, when the file has several')
    .action(async (file: string, opts: { out: string; model?: string }) => {
      code = await (await import('./graph.js')).runGraph(file, opts, io);
    });

  program
    .command('fmt')
    .description('rewrite files in the canonical layout (comments kept); --check lists files that are not')
    .argument('<files...>', '.eqv files')
    .option('--check', 'do not write; exit 1 if a file is not formatted')
    .action(async (files: string[], opts: { check?: boolean }) => {
      code = await (await import('./fmt.js')).runFmt(files, opts, io);
    });

  try {
    await program.parseAsync(['node', 'eqvc', ...argv]);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      io.err(`eqvc: ${e.message}\n`);
      return EXIT_USAGE;
    }
    io.err(`eqvc: internal error: ${(e as Error).message}\nThis is a bug in eqvc; please report it with the input that caused it.\n`);
    return 70;
  }
}

// node:fs for the page: a read-only in-memory file system holding the standard library's .eqv
// files and the playground's own files (the editor's buffer is read through the compiler host,
// playground/src/compiler.ts). The compiler's loader asks it whether folders exist (the project
// root, the standard library), resolves links (there are none) and lists the standard library.
// Anything else is a clear error: the page has no disk.

import { normalize } from './path.js';

const files = new Map<string, string>();

/** Put a file into the page's file system. */
export function addFile(path: string, text: string): void {
  files.set(normalize(path), text);
}

function isDir(p: string): boolean {
  const prefix = normalize(p) === '/' ? '/' : normalize(p) + '/';
  for (const f of files.keys()) if (f.startsWith(prefix)) return true;
  return false;
}

export function existsSync(p: string): boolean {
  return files.has(normalize(p)) || isDir(p);
}

export function realpathSync(p: string): string {
  if (!existsSync(p)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
  return normalize(p);
}

interface Stat {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

export function lstatSync(p: string): Stat {
  if (!existsSync(p)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
  const file = files.has(normalize(p));
  return { isFile: () => file, isDirectory: () => !file, isSymbolicLink: () => false };
}

export const statSync = lstatSync;

export function readFileSync(p: string): string {
  const text = files.get(normalize(p));
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
  return text;
}

export function readdirSync(p: string): string[] {
  const prefix = normalize(p) + '/';
  const names = new Set<string>();
  for (const f of files.keys()) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0]!);
  return [...names].sort();
}

function noDisk(): never {
  throw new Error('the playground has no disk: files are read through its compiler host');
}

export const openSync = noDisk;
export const fstatSync = noDisk;
export const readSync = noDisk;
export const closeSync = noDisk;
export const writeFileSync = noDisk;
export const mkdirSync = noDisk;
export const constants = { O_RDONLY: 0 };

export default { addFile, existsSync, realpathSync, lstatSync, statSync, readFileSync, readdirSync, openSync, fstatSync, readSync, closeSync, writeFileSync, mkdirSync, constants };

// Reading .eqv files safely. A source file is a regular file of at most MAX_SOURCE_BYTES bytes,
// UTF-8 text without NUL bytes. What is refused never has its contents shown: a symlink to
// /etc/passwd, /dev/zero (endless), a FIFO (a read blocks until a writer comes), a directory.
// The type of the file is checked before it is opened (stat), the file is opened non-blocking
// and checked again on the open descriptor (fstat: the same file, still regular), and at most
// MAX_SOURCE_BYTES + 1 bytes are ever read, so no file can make eqvc hang or fill memory.
//
// The project: imports must stay inside the project of the file given to eqvc, or inside the
// standard library. The project is the nearest folder, from the entry file's own folder
// upwards, that holds `.git` or `package.json`; with neither anywhere above, the entry file's
// folder. (docs/language.md, "Imports".)

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The largest .eqv file eqvc reads: 1 MiB (the largest example is under 10 KB). */
export const MAX_SOURCE_BYTES = 1 << 20;

export type ReadResult =
  | { readonly ok: true; readonly text: string }
  /** `problem` completes "`x.eqv` ..." (e.g. "is a directory"); never holds the file's contents. */
  | { readonly ok: false; readonly problem: string; readonly missing?: boolean; readonly notText?: NotText };

/** Where a file stops being UTF-8 text: the bytes before it decode, the rest is not shown. */
export interface NotText {
  /** The valid text before the first bad byte. */
  readonly before: string;
  readonly what: string;
}

function describeKind(st: fs.Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'is a directory';
  if (st.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'is a device, not a regular file';
  if (st.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

const tooLarge = (size: number | string) => `is too large (${size} bytes; source files may have at most ${MAX_SOURCE_BYTES} bytes)`;

/** Reads a source file under the rules above. */
export function readSourceFile(filePath: string): ReadResult {
  let st: fs.Stats;
  try {
    st = fs.statSync(filePath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, problem: 'does not exist', missing: true };
    if (code === 'EACCES' || code === 'EPERM') return { ok: false, problem: 'cannot be read (permission denied)' };
    if (code === 'ELOOP') return { ok: false, problem: 'is a symbolic link loop' };
    return { ok: false, problem: `cannot be read (${code ?? 'unknown error'})` };
  }
  const kind = describeKind(st);
  if (kind) return { ok: false, problem: kind };
  if (st.size > MAX_SOURCE_BYTES) return { ok: false, problem: tooLarge(st.size) };
  let fd: number;
  try {
    // Non-blocking: should the file have been swapped for a FIFO since the stat, opening it
    // does not wait for a writer, and the fstat below refuses it.
    fd = fs.openSync(filePath, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, problem: code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? 'unknown error'})` };
  }
  try {
    const fst = fs.fstatSync(fd);
    const kindNow = describeKind(fst);
    if (kindNow) return { ok: false, problem: kindNow };
    if (fst.dev !== st.dev || fst.ino !== st.ino) return { ok: false, problem: 'changed while being read' };
    const buffer = Buffer.alloc(MAX_SOURCE_BYTES + 1);
    let length = 0;
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      } catch (e) {
        return { ok: false, problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})` };
      }
      if (n === 0) break;
      length += n;
      if (length > MAX_SOURCE_BYTES) return { ok: false, problem: tooLarge(`more than ${MAX_SOURCE_BYTES}`) };
    }
    return decodeSource(buffer.subarray(0, length));
  } finally {
    fs.closeSync(fd);
  }
}

/** UTF-8 text without NUL bytes (a byte-order mark is dropped), or where it stops being so. */
export function decodeSource(bytes: Uint8Array): ReadResult {
  const bad = firstBadByte(bytes);
  if (bad === -1) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  }
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, bad).toString('utf8');
  const what = bytes[bad] === 0 ? 'a NUL byte (a binary file)' : `the byte 0x${bytes[bad]!.toString(16).toUpperCase().padStart(2, '0')}, which is not UTF-8`;
  return { ok: false, problem: `is not UTF-8 text (it has ${what})`, notText: { before: before.charCodeAt(0) === 0xfeff ? before.slice(1) : before, what } };
}

/** Index of the first NUL byte or byte that is not part of well-formed UTF-8; -1 if none. */
export function firstBadByte(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c === 0) return i;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f; // no UTF-16 surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    const second = b[i + 1];
    if (second === undefined || second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) {
      const x = b[i + k];
      if (x === undefined || x < 0x80 || x > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** The project of an entry file (see the top of this file), as an absolute path. */
export function projectRoot(entryPath: string): string {
  const start = path.dirname(path.resolve(entryPath));
  for (let dir = start; ; ) {
    if (fs.existsSync(path.join(dir, '.git')) || fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return start;
    dir = up;
  }
}

/** Whether `p` is `root` or below it (both absolute, normalized). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel));
}

/**
 * Whether a path really leads outside `root` (a symbolic link in the path or at its end that
 * points out of the project); false when it stays inside or does not exist.
 */
export function escapesThroughLinks(root: string, p: string): boolean {
  let real: string;
  try {
    real = fs.realpathSync(p);
  } catch {
    // A dangling link also counts as leaving: its target cannot be checked.
    try {
      return fs.lstatSync(p).isSymbolicLink();
    } catch {
      return false;
    }
  }
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    realRoot = root;
  }
  return !isInside(realRoot, real);
}

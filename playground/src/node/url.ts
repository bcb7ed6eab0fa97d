// node:url for the page: the compiler finds its standard library from import.meta.url
// (compiler/resolve.ts, stdlibRoot); in the page the library lives at /stdlib/std (fs.ts), so
// every module URL maps to a path under /dist and the search climbs to it.

export function fileURLToPath(url: string | URL): string {
  return '/dist/' + new URL(String(url)).pathname.split('/').pop();
}

export function pathToFileURL(p: string): URL {
  return new URL(`file://${p}`);
}

export default { fileURLToPath, pathToFileURL };

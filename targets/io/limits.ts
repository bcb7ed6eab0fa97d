// Limits on what a batch may make the targets build, each with an error that says what to do.
// A radius graph's edges are where memory goes: every edge carries the features of a
// convolution's messages (a few hundred floats for the examples), so a 3,000-node graph whose
// points are all within the radius (9 million edges) took 20 GB before failing. The limit is
// checked while the edges are found, before any per-edge value exists.

/** The most edges a batch's radius graphs may have, all graphs together (docs/formats.md). */
export const MAX_EDGES = 2_000_000;

export class TooManyEdgesError extends Error {
  constructor(r: number) {
    super(
      `the radius graph (r = ${r}) of this batch has more than ${MAX_EDGES.toLocaleString('en-US')} edges, the limit: ` +
        'run fewer or smaller graphs per batch, or use a smaller radius (points closer than r to each other are all connected)',
    );
    this.name = 'TooManyEdgesError';
  }
}

/** Throws once `edges` passes the limit. */
export function checkEdgeCount(edges: number, r: number): void {
  if (edges > MAX_EDGES) throw new TooManyEdgesError(r);
}

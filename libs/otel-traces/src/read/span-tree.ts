/** What the tree needs of a span. */
export interface TreeSpan {
  spanId: string;
  /** Null (or empty) for a root span. */
  parentSpanId: string | null;
  /** Nanoseconds since the epoch as decimal text: exact where a number is not (2^53 ns is 104 days). */
  startTimeUnixNano: string;
}

/** A span with its children, ordered by start time. */
export type SpanNode<T extends TreeSpan> = T & { children: SpanNode<T>[] };

export interface SpanTree<T extends TreeSpan> {
  /** Spans with no parent in the trace, ordered by start time. */
  roots: SpanNode<T>[];
  /** Every span once, ordered by start time: the same nodes the roots lead to. */
  spans: SpanNode<T>[];
}

/**
 * The tree of a trace's spans. A span whose parent was not received (dropped, sampled out, still
 * on its way, or in another trace) becomes a root, so no span is ever lost from the tree. Bad
 * data cannot hide spans either: a span naming itself as parent is a root, and a cycle of parents
 * is cut at its earliest span. When two spans share an id, children go to the earlier one.
 */
export function buildSpanTree<T extends TreeSpan>(spans: readonly T[]): SpanTree<T> {
  const nodes: SpanNode<T>[] = [...spans].sort(byStart).map((span) => ({ ...span, children: [] }));
  const byId = new Map<string, SpanNode<T>>();
  for (const node of nodes) if (!byId.has(node.spanId)) byId.set(node.spanId, node);
  const parentOf = new Map<SpanNode<T>, SpanNode<T>>();
  const roots: SpanNode<T>[] = [];
  for (const node of nodes) {
    const parent = node.parentSpanId ? byId.get(node.parentSpanId) : undefined;
    if (parent === undefined || parent === node) {
      roots.push(node);
    } else {
      // Nodes are visited in start order, so every children list is ordered already.
      parent.children.push(node);
      parentOf.set(node, parent);
    }
  }
  const reached = new Set<SpanNode<T>>();
  roots.forEach((root) => reach(root, reached));
  if (reached.size < nodes.length) {
    // Only a cycle of parents (and what hangs below it) is unreachable from the roots.
    const position = new Map(nodes.map((node, index) => [node, index]));
    for (const node of nodes) {
      if (reached.has(node)) continue;
      const cut = earliestInCycle(node, parentOf, position);
      const parent = parentOf.get(cut);
      if (parent) parent.children = parent.children.filter((child) => child !== cut);
      roots.push(cut);
      reach(cut, reached);
    }
    roots.sort(byStart);
  }
  return { roots, spans: nodes };
}

/** The earliest span of the cycle of parents above `node` (a node no root reaches is below one). */
function earliestInCycle<T extends TreeSpan>(
  node: SpanNode<T>,
  parentOf: Map<SpanNode<T>, SpanNode<T>>,
  position: Map<SpanNode<T>, number>,
): SpanNode<T> {
  const path: SpanNode<T>[] = [];
  const onPath = new Set<SpanNode<T>>();
  let current: SpanNode<T> | undefined = node;
  while (current !== undefined && !onPath.has(current)) {
    path.push(current);
    onPath.add(current);
    current = parentOf.get(current);
  }
  const cycle = current === undefined ? [node] : path.slice(path.indexOf(current));
  return cycle.reduce((earliest, candidate) =>
    (position.get(candidate) ?? 0) < (position.get(earliest) ?? 0) ? candidate : earliest,
  );
}

/** Marks a node and everything below it, without recursion (a trace may be thousands deep). */
function reach<T extends TreeSpan>(root: SpanNode<T>, reached: Set<SpanNode<T>>): void {
  const stack = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (reached.has(node)) continue;
    reached.add(node);
    stack.push(...node.children);
  }
}

/** Earlier start first; ties by span id, so the order never depends on how the store answered. */
function byStart(a: TreeSpan, b: TreeSpan): number {
  const difference = BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano);
  if (difference !== 0n) return difference < 0n ? -1 : 1;
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
}

import { type SpanNode, type TreeSpan, buildSpanTree } from './span-tree';

function span(spanId: string, parentSpanId: string | null, start: number | string): TreeSpan {
  return { spanId, parentSpanId, startTimeUnixNano: String(start) };
}

/** The tree as nested ids, easy to compare. */
function shape(nodes: SpanNode<TreeSpan>[]): unknown[] {
  return nodes.map((node) =>
    node.children.length > 0 ? { [node.spanId]: shape(node.children) } : node.spanId,
  );
}

describe('buildSpanTree', () => {
  it('nests each span under its parent, children ordered by start time', () => {
    const tree = buildSpanTree([
      span('c2', 'root', 300),
      span('root', null, 100),
      span('c1', 'root', 200),
      span('g1', 'c1', 250),
    ]);

    expect(shape(tree.roots)).toEqual([{ root: [{ c1: ['g1'] }, 'c2'] }]);
  });

  it('lists every span once, ordered by start time, as the same nodes the tree holds', () => {
    const tree = buildSpanTree([span('b', 'a', 20), span('a', null, 10), span('c', 'a', 15)]);

    expect(tree.spans.map((s) => s.spanId)).toEqual(['a', 'c', 'b']);
    expect(tree.spans[0]).toBe(tree.roots[0]);
    expect(tree.spans[0].children[0]).toBe(tree.spans[1]);
  });

  it('makes a span whose parent was never received a root, beside the real root', () => {
    const tree = buildSpanTree([
      span('root', null, 100),
      span('orphan', 'missing', 50),
      span('child', 'orphan', 60),
    ]);

    expect(shape(tree.roots)).toEqual([{ orphan: ['child'] }, 'root']);
  });

  it('treats an empty parent id as a root', () => {
    expect(shape(buildSpanTree([span('a', '', 1)]).roots)).toEqual(['a']);
  });

  it('orders by the whole nanosecond time, beyond what a number holds exactly', () => {
    const tree = buildSpanTree([
      span('later', 'root', '1739266200000000002'),
      span('earlier', 'root', '1739266200000000001'),
      span('root', null, '1739266200000000000'),
    ]);

    expect(shape(tree.roots)).toEqual([{ root: ['earlier', 'later'] }]);
  });

  it('orders spans that start together by span id', () => {
    const tree = buildSpanTree([span('b', 'root', 5), span('a', 'root', 5), span('root', null, 1)]);

    expect(shape(tree.roots)).toEqual([{ root: ['a', 'b'] }]);
  });

  it('keeps a span naming itself as parent, as a root', () => {
    expect(shape(buildSpanTree([span('self', 'self', 1)]).roots)).toEqual(['self']);
  });

  it('cuts a cycle of parents at its earliest span, so no span is lost', () => {
    const tree = buildSpanTree([
      span('a', 'c', 10),
      span('b', 'a', 20),
      span('c', 'b', 30),
      span('below', 'b', 5),
      span('root', null, 1),
    ]);

    expect(shape(tree.roots)).toEqual(['root', { a: [{ b: ['below', 'c'] }] }]);
    expect(tree.spans).toHaveLength(5);
  });

  it('gives an empty trace no roots', () => {
    expect(buildSpanTree([])).toEqual({ roots: [], spans: [] });
  });

  it('keeps a trace thousands of spans deep without overflowing the stack', () => {
    const chain = Array.from({ length: 50_000 }, (_, i) => span(`s${i}`, i === 0 ? null : `s${i - 1}`, i));

    const tree = buildSpanTree(chain);

    expect(tree.roots).toHaveLength(1);
    expect(tree.spans).toHaveLength(50_000);
  });
});

import { derivedTraceId, pythonJson, traceEventId } from './event-identity';

// Expected values computed with Python 3 (`json.dumps(p, sort_keys=True)`, hashlib.sha256), as the
// old service did.
describe('pythonJson', () => {
  it("writes what Python's json.dumps(sort_keys=True) writes", () => {
    expect(
      pythonJson({ file: 'src/main.py', change_summary: '+25/-10', diff_snippet: '@@ -23,7 +23,10 @@ ...' }),
    ).toBe('{"change_summary": "+25/-10", "diff_snippet": "@@ -23,7 +23,10 @@ ...", "file": "src/main.py"}');
    expect(
      pythonJson({
        b: [1, 2.5, { z: null, a: true }],
        a: 'héllo ✓ 😀',
        c: 1e-5,
        d: 0.0001,
        e: -3,
        f: 'tab\tq"\u007f/',
      }),
    ).toBe(
      '{"a": "h\\u00e9llo \\u2713 \\ud83d\\ude00", "b": [1, 2.5, {"a": true, "z": null}], "c": 1e-05, "d": 0.0001, "e": -3, "f": "tab\\tq\\"\\u007f/"}',
    );
    expect(pythonJson({})).toBe('{}');
    expect(pythonJson([])).toBe('[]');
  });
});

describe('traceEventId', () => {
  const traceId = '5b0f7e8a-2c1d-4d3e-9f10-6a7b8c9d0e1f';
  const payload = { file: 'src/main.py', change_summary: '+25/-10', diff_snippet: '@@ -23,7 +23,10 @@ ...' };

  it('is the old service id: SHA-256 of trace id, seq, type and the sorted payload', () => {
    expect(traceEventId(traceId, 1, 'edit', pythonJson(payload))).toBe(
      '87c6bbece363c96f709ca686176c5eb7a991609b3633fc070ed6c58b5df1bb0b',
    );
  });

  it('uses ts as sent when there is no seq, and changes with any field of the payload', () => {
    expect(traceEventId(traceId, '2026-03-02T09:01:10Z', 'edit', pythonJson(payload))).toBe(
      '7c7ea438646cd32e4cb1450587e35636ec47b40e9bd4ed89f7a65eacf83f4bf1',
    );
    expect(traceEventId(traceId, 1, 'edit', pythonJson({ ...payload, file: 'src/other.py' }))).not.toBe(
      traceEventId(traceId, 1, 'edit', pythonJson(payload)),
    );
    // Key order is not part of an event's identity.
    const reordered = {
      diff_snippet: payload.diff_snippet,
      file: payload.file,
      change_summary: payload.change_summary,
    };
    expect(traceEventId(traceId, 1, 'edit', pythonJson(reordered))).toBe(
      traceEventId(traceId, 1, 'edit', pythonJson(payload)),
    );
  });
});

describe('derivedTraceId', () => {
  it('gives a resend without trace_id the same trace, another PR or developer another one', () => {
    const id = derivedTraceId('acme/payments#42', undefined);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedTraceId('acme/payments#42', undefined)).toBe(id);
    expect(derivedTraceId('acme/payments#43', undefined)).not.toBe(id);
    expect(derivedTraceId('acme/payments#42', 'dev-1')).not.toBe(id);
    expect(derivedTraceId('acme/payments#42', 'dev-1')).not.toBe(derivedTraceId('acme/payments#42', 'dev-2'));
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationFailedError } from '@th/platform';
import { IdHasher } from './id-hasher';
import { parseExport } from './otlp-request';

const fixture = () =>
  JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/otlp-rhesis-spans.json'), 'utf8'));
const limits = { maxAttributes: 128, maxAttributeLength: 1000 };
const hasher = IdHasher.sha256();

const TRACE = '5b8efff798038103d269b633813fc60c';
/** One export of the given spans under one resource. */
const exportOf = (...spans: unknown[]) => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      scopeSpans: [{ scope: { name: 'test' }, spans }],
    },
  ],
});
const span = (overrides: Record<string, unknown> = {}) => ({
  traceId: TRACE,
  spanId: 'eee19b7ec3c1b174',
  name: 'op',
  kind: 2,
  startTimeUnixNano: '1772442000000000000',
  endTimeUnixNano: '1772442000005000000',
  ...overrides,
});

describe('parseExport', () => {
  it("takes the processor's sample export whole, with user.id and organization.id hashed as it hashed them", () => {
    const parsed = parseExport(fixture(), limits, hasher);
    expect(parsed).toMatchObject({ acceptedSpans: 3, rejectedSpans: 0, errorMessage: '' });
    const [group] = parsed.groups;
    expect(group.resource).toEqual({
      'service.name': 'rhesis-backend',
      'service.namespace': 'rhesis',
      'service.version': '0.4.2',
      'deployment.type': 'self-hosted',
    });
    for (const accepted of group.spans) {
      expect(accepted.attributes['user.id']).toBe('6d894aa3ee802549');
      expect(accepted.attributes['organization.id']).toBe('a81e9bd7c3b4d32c');
    }
    expect(JSON.stringify(parsed)).not.toMatch(/user-42|org-7/);
    expect(group.spans[1]).toMatchObject({
      spanId: 'eee19b7ec3c1b175',
      parentSpanId: '',
      kind: 2,
      startTimeUnixNano: '1772442001000000000',
      attributes: { 'http.status_code': 200, duration_ms: 41.7, 'http.route': '/api/v1/projects' },
    });
    expect(group.spans[2].parentSpanId).toBe('eee19b7ec3c1b175');
  });

  it('hashes enduser.id and identities on resources, events and links; an empty id stays empty', () => {
    const withIds = exportOf(
      span({
        attributes: [
          { key: 'enduser.id', value: { stringValue: 'user-42' } },
          { key: 'user.id', value: { stringValue: '' } },
        ],
        events: [{ name: 'e', attributes: [{ key: 'user.id', value: { stringValue: 'user-42' } }] }],
        links: [
          {
            traceId: TRACE,
            spanId: 'eee19b7ec3c1b175',
            attributes: [{ key: 'organization.id', value: { stringValue: 'org-7' } }],
          },
        ],
      }),
    );
    const parsed = parseExport(withIds, limits, IdHasher.sha256());
    const accepted = parsed.groups[0].spans[0];
    expect(accepted.attributes).toEqual({ 'enduser.id': '6d894aa3ee802549', 'user.id': '' });
    expect(accepted.events[0].attributes['user.id']).toBe('6d894aa3ee802549');
    expect(accepted.links[0].attributes['organization.id']).toBe('a81e9bd7c3b4d32c');
  });

  it('keys the hash with a secret under OTEL_ID_HASH=hmac', () => {
    const parsed = parseExport(fixture(), limits, IdHasher.hmac('a-secret-of-16-chars'));
    const userId = parsed.groups[0].spans[0].attributes['user.id'];
    expect(userId).toMatch(/^[0-9a-f]{16}$/);
    expect(userId).not.toBe('6d894aa3ee802549');
  });

  it('converts every AnyValue kind to JSON, keeping a 64-bit integer beyond 2^53 as its text', () => {
    const parsed = parseExport(
      exportOf(
        span({
          kind: 'SPAN_KIND_CLIENT',
          status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
          attributes: [
            { key: 'b', value: { boolValue: true } },
            { key: 'i', value: { intValue: '9007199254740993' } },
            { key: 'd', value: { doubleValue: 'NaN' } },
            { key: 'a', value: { arrayValue: { values: [{ intValue: 1 }, { stringValue: 'x' }] } } },
            { key: 'k', value: { kvlistValue: { values: [{ key: 'n', value: { doubleValue: 1.5 } }] } } },
            { key: 'y', value: { bytesValue: 'AQI=' } },
            { key: 'empty' },
          ],
        }),
      ),
      limits,
      hasher,
    );
    expect(parsed.groups[0].spans[0]).toMatchObject({
      kind: 3,
      statusCode: 2,
      statusMessage: 'boom',
      attributes: {
        b: true,
        i: '9007199254740993',
        d: 'NaN',
        a: [1, 'x'],
        k: { n: 1.5 },
        y: 'AQI=',
        empty: null,
      },
    });
  });

  it('rejects each span that breaks a rule, says which and why, and keeps its neighbours', () => {
    const many = Array.from({ length: 129 }, (_, i) => ({ key: `k${i}`, value: { intValue: i } }));
    const parsed = parseExport(
      exportOf(
        span(),
        span({ spanId: 'a000000000000001', endTimeUnixNano: '1772441999000000000' }),
        span({ spanId: '0000000000000000' }),
        span({ spanId: 'a000000000000003', traceId: 'xyz' }),
        span({ spanId: 'a000000000000004', attributes: many }),
        span({
          spanId: 'a000000000000005',
          attributes: [{ key: 'big', value: { stringValue: 'x'.repeat(1001) } }],
        }),
        span({ spanId: 'a000000000000006', endTimeUnixNano: '18446744073709551615' }),
        span({ spanId: 'a000000000000007', startTimeUnixNano: '0', endTimeUnixNano: '0' }),
      ),
      limits,
      hasher,
    );
    expect(parsed).toMatchObject({ acceptedSpans: 1, rejectedSpans: 7 });
    expect(parsed.groups[0].spans.map((s) => s.spanId)).toEqual(['eee19b7ec3c1b174']);
    const message = parsed.errorMessage;
    expect(message).toMatch(/^7 span\(s\) rejected: /);
    expect(message).toContain('spans[1]: endTimeUnixNano is before startTimeUnixNano');
    expect(message).toContain('spans[2]: spanId must not be all zeros');
    expect(message).toContain('spans[3]: traceId must be 16 bytes as 32 hex characters');
    expect(message).toContain('spans[4]: has 129 attributes, more than the limit of 128');
    expect(message).toContain('spans[5]: attribute "big" is longer than 1000 characters');
    expect(message).toContain('and 2 more');
  });

  it('refuses a request whose frame is broken, naming the field', () => {
    expect(() => parseExport({ resourceSpans: {} }, limits, hasher)).toThrow(ValidationFailedError);
    expect(() => parseExport({ resourceSpans: [{ scopeSpans: [{ spans: 'no' }] }] }, limits, hasher)).toThrow(
      /resourceSpans\.0\.scopeSpans\.0\.spans must be array/,
    );
  });

  it('takes an empty export (nothing to store)', () => {
    expect(parseExport({}, limits, hasher)).toMatchObject({ groups: [], acceptedSpans: 0, rejectedSpans: 0 });
  });
});

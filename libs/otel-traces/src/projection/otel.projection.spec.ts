import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Envelope } from '@th/contracts';
import { OTLP_EXPORT_KIND, type OtlpExportPayload } from '../contract/otlp-export.schema';
import { IdHasher } from '../ingest/id-hasher';
import { parseExport } from '../ingest/otlp-request';
import { isoNano, otelProjection } from './otel.projection';

const fixture = () =>
  JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/otlp-rhesis-spans.json'), 'utf8'));

function envelopeOf(body: unknown, receivedAt = '2026-03-02T09:00:05.000Z'): Envelope<OtlpExportPayload> {
  const parsed = parseExport(body, { maxAttributes: 128, maxAttributeLength: 16_384 }, IdHasher.sha256());
  return {
    id: 'otlp/test',
    kind: OTLP_EXPORT_KIND,
    source: 'otlp',
    key: 'k',
    receivedAt,
    schemaVersion: 1,
    payload: { groups: parsed.groups },
  };
}

describe('otelProjection', () => {
  it("routes the processor's sample export into its three tables with the README's columns", () => {
    const envelope = envelopeOf(fixture());
    expect(otelProjection.validatePayload(envelope.payload).ok).toBe(true);
    const rows = otelProjection.project(envelope, undefined);
    expect(rows.map((r) => r.table)).toEqual([
      'spans',
      'user_activity',
      'spans',
      'endpoint_usage',
      'spans',
      'feature_usage',
    ]);
    const row = (table: string) => rows.find((r) => r.table === table)!.row;
    const shared = {
      trace_id: '5b8efff798038103d269b633813fc60c',
      service_name: 'rhesis-backend',
      user_id: '6d894aa3ee802549',
      organization_id: 'a81e9bd7c3b4d32c',
      deployment_type: 'self-hosted',
    };
    const resourceMetadata = {
      'service.name': 'rhesis-backend',
      'service.namespace': 'rhesis',
      'service.version': '0.4.2',
    };
    expect(row('user_activity')).toMatchObject({
      ...shared,
      span_id: 'eee19b7ec3c1b174',
      event_type: 'login',
      session_id: 'sess-abc',
      timestamp: '2026-03-02T09:00:00.000000000Z',
    });
    expect(JSON.parse(row('user_activity').event_metadata as string)).toEqual({
      ...resourceMetadata,
      'metadata.login_method': 'password',
    });
    expect(row('endpoint_usage')).toMatchObject({
      ...shared,
      endpoint: '/api/v1/projects',
      method: 'GET',
      status_code: 200,
      duration_ms: 41.7,
      timestamp: '2026-03-02T09:00:01.000000000Z',
    });
    // http.url is an alternative of endpoint: mapped, so not repeated in the metadata.
    expect(JSON.parse(row('endpoint_usage').event_metadata as string)).toEqual(resourceMetadata);
    expect(row('feature_usage')).toMatchObject({ ...shared, feature_name: 'test_sets', action: 'created' });
    expect(rows[4].row).toMatchObject({
      span_id: 'eee19b7ec3c1b176',
      parent_span_id: 'eee19b7ec3c1b175',
      kind: 'INTERNAL',
      start_time: '2026-03-02T09:00:01.010000000Z',
      end_time: '2026-03-02T09:00:01.030000000Z',
      duration_ns: '20000000',
      status_code: 'UNSET',
      routed_to: ['feature_usage'],
      resource_attributes: { 'service.name': 'rhesis-backend', 'deployment.type': 'self-hosted' },
      attributes: { 'feature.name': 'test_sets', 'user.id': '6d894aa3ee802549' },
    });
    expect(rows.every((r) => r.partition === '2026-03')).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/user-42|org-7/);
  });

  it("takes the span's own duration without a duration_ms attribute, and 'unknown' defaults", () => {
    const body = fixture();
    const span = body.resourceSpans[0].scopeSpans[0].spans[1];
    span.attributes = [{ key: 'http.method', value: { stringValue: 'POST' } }];
    body.resourceSpans[0].resource.attributes = [];
    const rows = otelProjection.project(envelopeOf(body), undefined);
    expect(rows.find((r) => r.table === 'endpoint_usage')!.row).toMatchObject({
      service_name: 'unknown_service',
      endpoint: 'unknown',
      method: 'POST',
      status_code: 0,
      duration_ms: 42,
      user_id: '',
      deployment_type: 'unknown',
    });
  });

  it('gives a resent span the same rows, and the first received the higher version', () => {
    const first = otelProjection.project(envelopeOf(fixture(), '2026-03-02T09:00:05.000Z'), undefined);
    const resent = otelProjection.project(envelopeOf(fixture(), '2026-03-02T09:01:05.000Z'), undefined);
    const strip = (r: (typeof first)[number]) => ({ ...r.row, version: undefined, received_at: undefined });
    expect(resent.map(strip)).toEqual(first.map(strip));
    expect(BigInt(first[0].row.version as string)).toBeGreaterThan(BigInt(resent[0].row.version as string));
  });

  it('writes nanosecond times', () => {
    expect(isoNano('1772442001010000001')).toBe('2026-03-02T09:00:01.010000001Z');
  });
});

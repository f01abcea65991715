import type { Row } from '@th/store';
import type { AcceptedSpan } from '../contract/otlp-export.schema';
import type { MergedAttributes } from './merged-attributes';
import type { AnalyticsTable } from './span-router';

/**
 * Where each column of the analytics tables comes from: the first attribute present in its list
 * (the processor's key first, then older or newer OpenTelemetry names). `user.id`,
 * `organization.id` and `enduser.id` arrive hashed.
 */
const SHARED_COLUMNS = {
  user_id: ['user.id', 'enduser.id'],
  organization_id: ['organization.id'],
  deployment_type: ['deployment.type'],
} as const;

const TABLE_COLUMNS = {
  user_activity: { event_type: ['event.type'], session_id: ['session.id'] },
  endpoint_usage: {
    endpoint: ['http.route', 'http.url', 'http.target', 'url.path', 'url.full'],
    method: ['http.method', 'http.request.method'],
    status_code: ['http.status_code', 'http.response.status_code'],
    duration_ms: ['duration_ms'],
  },
  feature_usage: { feature_name: ['feature.name'], action: ['feature.action'] },
} as const satisfies Record<AnalyticsTable, Record<string, readonly string[]>>;

/** Keys that become columns, so stay out of event_metadata (with the routing key itself). */
const MAPPED_KEYS: Record<AnalyticsTable, ReadonlySet<string>> = {
  user_activity: mappedKeys('user_activity'),
  endpoint_usage: mappedKeys('endpoint_usage'),
  feature_usage: mappedKeys('feature_usage'),
};

function mappedKeys(table: AnalyticsTable): ReadonlySet<string> {
  return new Set([
    'event.category',
    ...Object.values(SHARED_COLUMNS).flat(),
    ...Object.values<readonly string[]>(TABLE_COLUMNS[table]).flat(),
  ]);
}

function firstOf(attributes: MergedAttributes, keys: readonly string[]): unknown {
  for (const key of keys) {
    const value = attributes.get(key);
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

/** An attribute as column text: strings as they are, other values as JSON. */
export function attributeText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function textOf(attributes: MergedAttributes, keys: readonly string[], fallback: string): string {
  const value = firstOf(attributes, keys);
  return value === undefined ? fallback : attributeText(value);
}

function numberOf(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** An HTTP status as UInt16; 0 when absent or not a status. */
function statusCodeOf(value: unknown): number {
  const number = numberOf(value);
  return number !== undefined && Number.isInteger(number) && number >= 0 && number <= 65_535 ? number : 0;
}

/** The processor's rule: the `duration_ms` attribute, else the span's own duration. */
function durationMsOf(value: unknown, span: AcceptedSpan): number {
  const number = numberOf(value);
  if (number !== undefined && number >= 0) return number;
  return Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6;
}

/** The table-specific columns and event_metadata of one routed span. */
export function analyticsColumns(
  table: AnalyticsTable,
  attributes: MergedAttributes,
  span: AcceptedSpan,
): Row {
  const shared = {
    user_id: textOf(attributes, SHARED_COLUMNS.user_id, ''),
    organization_id: textOf(attributes, SHARED_COLUMNS.organization_id, ''),
    deployment_type: textOf(attributes, SHARED_COLUMNS.deployment_type, 'unknown'),
    event_metadata: attributes.jsonWithout(MAPPED_KEYS[table]),
  };
  switch (table) {
    case 'user_activity': {
      const columns = TABLE_COLUMNS.user_activity;
      return {
        ...shared,
        event_type: textOf(attributes, columns.event_type, 'unknown'),
        session_id: textOf(attributes, columns.session_id, ''),
      };
    }
    case 'endpoint_usage': {
      const columns = TABLE_COLUMNS.endpoint_usage;
      return {
        ...shared,
        endpoint: textOf(attributes, columns.endpoint, 'unknown'),
        method: textOf(attributes, columns.method, ''),
        status_code: statusCodeOf(firstOf(attributes, columns.status_code)),
        duration_ms: durationMsOf(firstOf(attributes, columns.duration_ms), span),
      };
    }
    case 'feature_usage': {
      const columns = TABLE_COLUMNS.feature_usage;
      return {
        ...shared,
        feature_name: textOf(attributes, columns.feature_name, 'unknown'),
        action: textOf(attributes, columns.action, ''),
      };
    }
  }
}

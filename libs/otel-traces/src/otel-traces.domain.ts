import { join } from 'node:path';
import { TOPICS, type TelemetryDomain } from '@th/contracts';
import { OTEL_TRACES_CONFIG } from './config';
import { OTLP_EXPORT_KIND } from './contract/otlp-export.schema';
import {
  OTEL_TRACES_RESOLVERS,
  OtelTracesApiModule,
  OtelTracesGatewayModule,
  OtelTracesProjectorModule,
} from './otel-traces.modules';

/** OpenTelemetry spans over OTLP (HTTP and gRPC), routed into user activity, endpoint and feature usage. */
export const otelTracesDomain: TelemetryDomain = {
  name: 'otel-traces',
  envelopes: [{ kind: OTLP_EXPORT_KIND, topic: TOPICS.traces }],
  migrations: join(__dirname, '..', 'migrations'),
  config: OTEL_TRACES_CONFIG,
  resolvers: OTEL_TRACES_RESOLVERS,
  gateway: () => OtelTracesGatewayModule,
  projector: () => OtelTracesProjectorModule,
  api: () => OtelTracesApiModule,
};

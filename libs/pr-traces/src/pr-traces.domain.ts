import { join } from 'node:path';
import { TOPICS, type TelemetryDomain } from '@th/contracts';
import { PR_TRACES_CONFIG } from './config';
import { TRACE_BATCH_KIND } from './contract/trace-batch.schema';
import {
  PR_TRACES_RESOLVERS,
  PrTracesApiModule,
  PrTracesGatewayModule,
  PrTracesProjectorModule,
} from './pr-traces.modules';

/** Per-pull-request activity traces from IDE plugins at `POST /ingest`, replayed in order. */
export const prTracesDomain: TelemetryDomain = {
  name: 'pr-traces',
  envelopes: [{ kind: TRACE_BATCH_KIND, topic: TOPICS.traces }],
  migrations: join(__dirname, '..', 'migrations'),
  config: PR_TRACES_CONFIG,
  resolvers: PR_TRACES_RESOLVERS,
  gateway: (context) => PrTracesGatewayModule.forRoot(context),
  projector: () => PrTracesProjectorModule,
  api: () => PrTracesApiModule,
};

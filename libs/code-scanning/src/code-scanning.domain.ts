import { join } from 'node:path';
import type { TelemetryDomain } from '@th/contracts';
import { CODE_SCANNING_CONFIG } from './config';
import { CODESCAN_TOPIC } from './contract';
import { CODESCAN_PULL_REQUESTS_KIND, CODESCAN_SESSION_STATUS_KIND } from './contract/poll-events.schema';
import { CODESCAN_RUN_KIND } from './contract/run-event.schema';
import {
  CODE_SCANNING_RESOLVERS,
  CodeScanningApiModule,
  CodeScanningGatewayModule,
  CodeScanningProjectorModule,
} from './code-scanning.modules';

/** Code-scanning fix runs: cross-run issue tracking, fix sessions, PR links and fix rate. */
export const codeScanningDomain: TelemetryDomain = {
  name: 'code-scanning',
  envelopes: [
    { kind: CODESCAN_RUN_KIND, topic: CODESCAN_TOPIC },
    { kind: CODESCAN_SESSION_STATUS_KIND, topic: CODESCAN_TOPIC },
    { kind: CODESCAN_PULL_REQUESTS_KIND, topic: CODESCAN_TOPIC },
  ],
  migrations: join(__dirname, '..', 'migrations'),
  config: CODE_SCANNING_CONFIG,
  resolvers: CODE_SCANNING_RESOLVERS,
  gateway: () => CodeScanningGatewayModule,
  projector: () => CodeScanningProjectorModule,
  api: () => CodeScanningApiModule,
};

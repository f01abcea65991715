import { join } from 'node:path';
import { TOPICS, type TelemetryDomain } from '@th/contracts';
import { compactedTopic } from '@th/bus';
import { DEVELOPER_REPORTS_CONFIG } from './config';
import { CONNECTIONS_TOPIC } from './contract/connection.schema';
import { DEVELOPER_REPORT_KIND } from './contract/developer-report.schema';
import {
  DEVELOPER_REPORTS_RESOLVERS,
  DeveloperReportsApiModule,
  DeveloperReportsGatewayModule,
  DeveloperReportsProjectorModule,
} from './developer-reports.modules';

/** Apache DevLake `developer_telemetry` daily reports and the connections they are posted to. */
export const developerReportsDomain: TelemetryDomain = {
  name: 'developer-reports',
  envelopes: [{ kind: DEVELOPER_REPORT_KIND, topic: TOPICS.reports }],
  topics: [compactedTopic(CONNECTIONS_TOPIC)],
  migrations: join(__dirname, '..', 'migrations'),
  config: DEVELOPER_REPORTS_CONFIG,
  resolvers: DEVELOPER_REPORTS_RESOLVERS,
  gateway: (context) => DeveloperReportsGatewayModule.forRoot(context),
  projector: () => DeveloperReportsProjectorModule,
  api: (context) => DeveloperReportsApiModule.forRoot(context),
};

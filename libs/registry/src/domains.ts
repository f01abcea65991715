import { appEventsDomain } from '@th/app-events';
import { codeScanningDomain } from '@th/code-scanning';
import type { TelemetryDomain } from '@th/contracts';
import { developerReportsDomain } from '@th/developer-reports';
import { otelTracesDomain } from '@th/otel-traces';
import { prTracesDomain } from '@th/pr-traces';

/**
 * Every input of the hub. The apps, the projector's subscriptions, the topics, the migrations, the
 * GraphQL schema and the README's settings table are derived from this list: adding an input is a
 * folder under libs/ and one line here.
 */
export const DOMAINS: readonly TelemetryDomain[] = [
  developerReportsDomain,
  appEventsDomain,
  prTracesDomain,
  otelTracesDomain,
  codeScanningDomain,
];

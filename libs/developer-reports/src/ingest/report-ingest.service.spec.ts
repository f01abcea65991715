import type { EventBus } from '@th/bus';
import type { Envelope } from '@th/contracts';
import type { ConnectionsService } from '../connections/connections.service';
import type { DeveloperReportPayload } from '../contract/developer-report.schema';
import { ReportIngestService } from './report-ingest.service';

describe('ReportIngestService', () => {
  const published: Envelope[] = [];
  const bus: EventBus = {
    publish: (envelopes) => {
      published.push(...envelopes);
      return Promise.resolve();
    },
  };
  const connections = { authorizeReport: () => Promise.resolve() } as unknown as ConnectionsService;
  const service = (maxAgeDays = 0) =>
    new ReportIngestService(connections, bus, {
      DEVLAKE_MAX_REPORT_AGE_DAYS: maxAgeDays,
      CONNECTION_TOKEN_HASH_COST: 15,
    });
  const today = new Date().toISOString().slice(0, 10);
  const request = {
    authorization: undefined,
    url: '/plugins/developer_telemetry/connections/1/report',
    clientIp: '127.0.0.1',
  };

  beforeEach(() => published.splice(0));

  it('accepts unknown fields but publishes only the ones the plugin defines', async () => {
    const unknown = Object.fromEntries(
      Array.from({ length: 500 }, (_, i) => [`extra_${i}`, 'x'.repeat(100)]),
    );
    await service().ingest(1, request, {
      date: today,
      developer: 'ada',
      metrics: { active_hours: 2, future_metric: 1 },
      ...unknown,
    });
    const payload = published[0].payload as DeveloperReportPayload;
    expect(payload.report).toEqual({ date: today, developer: 'ada', metrics: { active_hours: 2 } });
  });

  it('refuses a report older than DEVLAKE_MAX_REPORT_AGE_DAYS, naming the limit', async () => {
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    await expect(
      service(30).ingest(1, request, { date: old, developer: 'ada', metrics: {} }),
    ).rejects.toMatchObject({
      status: 400,
      errors: [
        {
          field: 'date',
          message: expect.stringMatching(
            /^is more than 30 days old, the oldest this server accepts \(DEVLAKE_MAX_REPORT_AGE_DAYS\): the oldest day it takes is \d{4}-\d{2}-\d{2}$/,
          ),
        },
      ],
    });
    await service(0).ingest(1, request, { date: old, developer: 'ada', metrics: {} });
    expect(published).toHaveLength(1);
  });
});

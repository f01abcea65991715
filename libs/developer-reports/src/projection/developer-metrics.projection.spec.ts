import type { Envelope } from '@th/contracts';
import type { DeveloperReportPayload } from '../contract/developer-report.schema';
import { developerMetricsProjection } from './developer-metrics.projection';

const envelope: Envelope<DeveloperReportPayload> = {
  id: '1/irfan/2026-02-11',
  kind: 'developer-report',
  source: 'devlake/connections/1',
  key: '1/irfan',
  receivedAt: '2026-02-11T18:00:00.000Z',
  schemaVersion: 1,
  payload: {
    connectionId: 1,
    report: {
      date: '2026-02-11',
      developer: 'irfan',
      metrics: { active_hours: 9, tools_used: ['go'], commands: { git: 45 }, projects: ['devlake'] },
    },
  },
};

describe('developerMetricsProjection', () => {
  it('maps a report onto the DevLake developer_metrics columns', () => {
    const [{ table, row }] = developerMetricsProjection.project(envelope);
    expect(table).toBe('developer_metrics');
    expect(row).toMatchObject({
      connection_id: 1,
      developer_id: 'irfan',
      date: '2026-02-11',
      email: '',
      active_hours: 9,
      tools_used: ['go'],
      project_context: ['devlake'],
      command_counts: { git: 45 },
    });
  });

  it('gives the same rows for the same envelope (redelivery is harmless)', () => {
    expect(developerMetricsProjection.project(envelope)).toEqual(
      developerMetricsProjection.project(envelope),
    );
  });

  it('refuses a payload that breaks the report schema', () => {
    const result = developerMetricsProjection.validatePayload({
      connectionId: 1,
      report: { date: '2026-02-30' },
    });
    expect(result.ok).toBe(false);
  });
});

import { makeDataDir, removeDataDir } from '../helpers/embedded-app';
import {
  type ProjectorProcess,
  type RunningRole,
  eventually,
  spawnProjector,
  startGateway,
  uniqueGroup,
} from '../helpers/distributed';
import { graphql, request } from '../helpers/http';

const DEVELOPERS = 20;
const DAYS = 150;
const CONCURRENCY = 40;

function report(developer: number, day: number) {
  // Up to 1,500 days from 2020: all in the past, which is all a report may be.
  const date = new Date(Date.UTC(2020, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
  return {
    date,
    developer: `crash-dev-${developer}`,
    metrics: { active_hours: (developer + day) % 9, tools_used: ['go'], commands: { git: day % 5 } },
  };
}

/**
 * kill -9 of the projector while thousands of reports are in flight, then a restart on the same
 * data: every acknowledged report is stored, none twice.
 */
describe('projector killed with SIGKILL mid-stream', () => {
  const dataDir = makeDataDir();
  const group = uniqueGroup();
  let gateway: RunningRole;
  let projector: ProjectorProcess | undefined;

  beforeAll(async () => {
    gateway = await startGateway();
  });

  afterAll(async () => {
    projector?.child.kill('SIGKILL');
    await projector?.exited;
    await gateway?.stop();
    removeDataDir(dataDir);
  });

  /** The projector on this suite's data and group: the one already running, or a new one. */
  async function runningProjector(): Promise<ProjectorProcess> {
    if (projector && projector.child.exitCode === null && projector.child.signalCode === null)
      return projector;
    projector = await spawnProjector(dataDir, { KAFKA_CONSUMER_GROUP: group });
    return projector;
  }

  it('ends with the exact state: nothing lost, nothing doubled', async () => {
    const base = `${gateway.url}/plugins/developer_telemetry/connections`;
    const connectionId: number = (await request(base, { body: { name: 'crash test' } })).body.id;
    const all = Array.from({ length: DEVELOPERS * DAYS }, (_, i) =>
      report(i % DEVELOPERS, Math.floor(i / DEVELOPERS)),
    );
    // Every report is sent twice (a collector's resend), in a different order the second time.
    const queue = [...all, ...[...all].reverse()];

    projector = await runningProjector();
    let sent = 0;
    let killedAt = -1;
    const send = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const response = await request(`${base}/${connectionId}/report`, { body: item });
        expect(response.status).toBe(200);
        sent++;
        if (sent === Math.floor(all.length / 2) && projector) {
          killedAt = sent;
          projector.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, send));
    expect(killedAt).toBeGreaterThan(0);
    expect(await projector.exited).toBe('SIGKILL');

    projector = await spawnProjector(dataDir, { KAFKA_CONSUMER_GROUP: group });
    const expectedHours = all.reduce((sum, r) => sum + r.metrics.active_hours, 0);
    const summary = await eventually(
      async () => {
        const result = await graphql(
          projector!.url,
          `
            query ($c: Int) {
              developerMetrics(connectionId: $c, limit: 1) {
                totalCount
              }
              developerSummaries(connectionId: $c, limit: 100) {
                totalCount
                items {
                  daysReported
                  totalActiveHours
                }
              }
            }
          `,
          { c: connectionId },
        );
        const total = result.data?.developerMetrics.totalCount;
        const hours = result.data?.developerSummaries.items.reduce(
          (sum: number, s: { totalActiveHours: number }) => sum + s.totalActiveHours,
          0,
        );
        return total === all.length && hours === expectedHours ? result.data : undefined;
      },
      120_000,
      `${all.length} reports after the restart`,
    );
    expect(summary.developerSummaries.totalCount).toBe(DEVELOPERS);
    for (const item of summary.developerSummaries.items) expect(item.daysReported).toBe(DAYS);
  });

  it('on SIGTERM exits promptly, and a restart continues with nothing lost or doubled', async () => {
    const base = `${gateway.url}/plugins/developer_telemetry/connections`;
    const connectionId: number = (await request(base, { body: { name: 'sigterm test' } })).body.id;
    const running = await runningProjector();
    const reports = Array.from({ length: 1500 }, (_, i) => report(i % 10, i));
    const queue = [...reports];
    let stoppedAt = 0;
    const send = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        expect((await request(`${base}/${connectionId}/report`, { body: item })).status).toBe(200);
        if (reports.length - queue.length === 700 && !stoppedAt) {
          stoppedAt = Date.now();
          running.child.kill('SIGTERM');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, send));
    expect(await running.exited).toBe('SIGTERM');
    expect(Date.now() - stoppedAt).toBeLessThan(30_000);

    projector = await spawnProjector(dataDir, { KAFKA_CONSUMER_GROUP: group });
    const total = await eventually(
      async () => {
        const result = await graphql(
          projector!.url,
          `
            query ($c: Int) {
              developerMetrics(connectionId: $c, limit: 1) {
                totalCount
              }
            }
          `,
          {
            c: connectionId,
          },
        );
        const count = result.data?.developerMetrics.totalCount;
        return count === reports.length ? count : undefined;
      },
      120_000,
      `${reports.length} reports after the SIGTERM restart`,
    );
    expect(total).toBe(reports.length);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEnvelope } from '../ingest/codescan-envelopes';
import { runEventOf } from '../ingest/run-file';
import { codescanRunProjection } from './codescan.projection';

const sample = () =>
  JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/codescan-run.json'), 'utf8'));

describe('codescanRunProjection', () => {
  it('writes a run as one row keyed by repo and run, its findings in parallel arrays', () => {
    const envelope = runEnvelope(runEventOf(sample()), '2026-03-02T10:00:01.000Z');
    expect(codescanRunProjection.validatePayload(envelope.payload).ok).toBe(true);
    const [row, ...others] = codescanRunProjection.project(envelope);
    expect(others).toEqual([]);
    expect(row.table).toBe('codescan_runs');
    expect(row.row).toMatchObject({
      target_repo: 'acme/payments',
      run_key: 'n:15',
      finding_issue_ids: ['CQLF-R15-0001', 'CQLF-R15-0002'],
      finding_fingerprints: ['07251e8491445ad1', 'a2e8b9bc365f42d0'],
      finding_shift_keys: ['', ''],
      finding_start_lines: [88, 12],
    });
  });

  it('gives a later copy of the run a higher version (a corrected resend replaces it), the same copy the same', () => {
    const event = runEventOf(sample());
    const version = (at: string) =>
      BigInt(codescanRunProjection.project(runEnvelope(event, at))[0].row.version as string);
    expect(version('2026-03-02T10:00:02.000Z')).toBeGreaterThan(version('2026-03-02T10:00:01.000Z'));
    expect(version('2026-03-02T10:00:01.000Z')).toBe(version('2026-03-02T10:00:01.000Z'));
    expect(runEnvelope(event, 'a').id).toBe(runEnvelope(event, 'b').id);
  });
});

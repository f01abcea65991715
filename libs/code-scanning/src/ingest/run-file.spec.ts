import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationFailedError, compileSchema } from '@th/platform';
import { RunEventSchema } from '../contract/run-event.schema';
import { runEventOf } from './run-file';

const sample = () =>
  JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/codescan-run.json'), 'utf8'));

describe('runEventOf', () => {
  it("keeps the sample's facts, in UTC, with the action's own fingerprints", () => {
    const event = runEventOf(sample());
    expect(compileSchema(RunEventSchema)(event).ok).toBe(true);
    expect(event).toMatchObject({
      targetRepo: 'acme/payments',
      targetRepoUrl: 'https://github.com/acme/payments',
      forkUrl: 'https://github.com/acme-bot/payments',
      runNumber: 15,
      runId: null,
      runLabel: 'run-15-2026-03-02-100000',
      timestamp: '2026-03-02T10:00:00.000Z',
      timestampAsWritten: '2026-03-02T10:00:00+00:00',
      issuesFound: 2,
      fingerprintsComputed: false,
      sessions: [
        {
          sessionId: 'devin-8f2a9c0d1e',
          batchId: 1,
          status: 'created',
          issueIds: ['CQLF-R15-0001'],
          prUrl: null,
        },
      ],
    });
    expect(event.findings.map((f) => [f.issueId, f.fingerprint, f.shiftKey])).toEqual([
      ['CQLF-R15-0001', '07251e8491445ad1', null],
      ['CQLF-R15-0002', 'a2e8b9bc365f42d0', null],
    ]);
  });

  it('fingerprints an older file that lacks them, exactly as the action would have', () => {
    const older = sample();
    for (const finding of older.issue_fingerprints) delete finding.fingerprint;
    const event = runEventOf(older);
    expect(event.fingerprintsComputed).toBe(true);
    expect(event.findings.map((f) => f.fingerprint)).toEqual(['07251e8491445ad1', 'a2e8b9bc365f42d0']);
  });

  it('keeps a shift-proof key when a finding carries its message', () => {
    const withMessage = sample();
    withMessage.issue_fingerprints[0].message = 'query built from user input';
    expect(runEventOf(withMessage).findings[0].shiftKey).toMatch(/^[0-9a-f]{16}$/);
  });

  it('names every bad field at once: timestamps that are not dates, repeated issue ids', () => {
    const bad = sample();
    bad.timestamp = '2026-02-30T10:00:00+00:00';
    bad.issue_fingerprints[1].id = bad.issue_fingerprints[0].id;
    expect(() => runEventOf(bad)).toThrow(ValidationFailedError);
    try {
      runEventOf(bad);
    } catch (error) {
      expect((error as ValidationFailedError).errors.map((e) => e.field)).toEqual([
        'timestamp',
        'issue_fingerprints.1.id',
      ]);
    }
  });
});

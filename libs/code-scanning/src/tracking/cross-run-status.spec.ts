import {
  type RunFinding,
  type TrackedRun,
  compareTrackedFindings,
  trackFindings,
  trackRepos,
} from './cross-run-status';
import { findingFingerprint, shiftProofKey } from './fingerprint';

/** A finding of run `run` at `line` of `file` under `rule`, as the action reports it. */
function finding(
  run: number,
  index: number,
  rule: string,
  file: string,
  line: number,
  message?: string,
): RunFinding {
  return {
    issueId: `CQLF-R${run}-${String(index).padStart(4, '0')}`,
    fingerprint: findingFingerprint(rule, file, line),
    shiftKey: shiftProofKey(rule, file, { message }),
    ruleId: rule,
    severityTier: 'high',
    cweFamily: 'injection',
    file,
    startLine: line,
  };
}

const run = (runNumber: number, day: number, findings: RunFinding[]): TrackedRun => ({
  runNumber,
  timestamp: `2026-03-${String(day).padStart(2, '0')}T10:00:00+00:00`,
  findings,
});

const statusOf = (tracked: ReturnType<typeof trackFindings>) =>
  Object.fromEntries(tracked.map((t) => [`${t.ruleId}@${t.file}`, t.status]));

describe('findingFingerprint', () => {
  it("is the action's: SHA-256 of rule|file|line, first 16 hex (the sample run's values)", () => {
    expect(findingFingerprint('py/sql-injection', 'src/db.py', 88)).toBe('07251e8491445ad1');
    expect(findingFingerprint('py/clear-text-logging', 'src/log.py', 12)).toBe('a2e8b9bc365f42d0');
  });

  it('gives no shift-proof key without a snippet or message, and ignores whitespace changes', () => {
    expect(shiftProofKey('r', 'f', {})).toBeUndefined();
    expect(shiftProofKey('r', 'f', { message: '  ' })).toBeUndefined();
    expect(shiftProofKey('r', 'f', { snippet: 'a  =\n b' })).toBe(
      shiftProofKey('r', 'f', { snippet: 'a = b' }),
    );
    expect(shiftProofKey('r', 'f', { message: 'x' })).not.toBe(shiftProofKey('r', 'g', { message: 'x' }));
  });
});

describe('trackFindings', () => {
  const sql = (r: number, line = 88) => finding(r, 1, 'py/sql-injection', 'src/db.py', line);
  const log = (r: number) => finding(r, 2, 'py/clear-text-logging', 'src/log.py', 12);
  const xss = (r: number) => finding(r, 3, 'js/xss', 'web/app.js', 7);

  it('calls a finding new in its first run, recurring while it stays, fixed once it is gone', () => {
    const runs = [run(15, 2, [sql(15), log(15)]), run(16, 3, [sql(16), xss(16)])];
    const tracked = trackFindings(runs);
    expect(statusOf(tracked)).toEqual({
      'py/sql-injection@src/db.py': 'recurring',
      'py/clear-text-logging@src/log.py': 'fixed',
      'js/xss@web/app.js': 'new',
    });
    expect(tracked.find((t) => t.ruleId === 'py/sql-injection')).toEqual({
      fingerprint: '07251e8491445ad1',
      ruleId: 'py/sql-injection',
      severityTier: 'high',
      cweFamily: 'injection',
      file: 'src/db.py',
      startLine: 88,
      status: 'recurring',
      firstSeenRun: 15,
      firstSeenDate: '2026-03-02T10:00:00+00:00',
      lastSeenRun: 16,
      lastSeenDate: '2026-03-03T10:00:00+00:00',
      appearances: 2,
      runNumbers: [15, 16],
      latestIssueId: 'CQLF-R16-0001',
      sightings: [
        {
          runNumber: 15,
          date: '2026-03-02T10:00:00+00:00',
          issueId: 'CQLF-R15-0001',
          file: 'src/db.py',
          startLine: 88,
        },
        {
          runNumber: 16,
          date: '2026-03-03T10:00:00+00:00',
          issueId: 'CQLF-R16-0001',
          file: 'src/db.py',
          startLine: 88,
        },
      ],
    });
    expect(tracked.find((t) => t.status === 'fixed')).toMatchObject({ lastSeenRun: 15, appearances: 1 });
  });

  it('gives the same answer whatever order the runs arrive in', () => {
    const runs = [run(15, 2, [sql(15), log(15)]), run(16, 3, [sql(16)]), run(17, 4, [sql(17), xss(17)])];
    const inOrder = trackFindings(runs);
    for (const shuffled of [[runs[2], runs[0], runs[1]], [runs[1], runs[2], runs[0]], [...runs].reverse()]) {
      expect(trackFindings(shuffled)).toEqual(expect.arrayContaining(inOrder));
      expect(trackFindings(shuffled)).toHaveLength(inOrder.length);
    }
  });

  it('calls a finding that was fixed and came back new again, keeping its history', () => {
    const tracked = trackFindings([run(1, 1, [sql(1)]), run(2, 2, []), run(3, 3, [sql(3)])]);
    expect(tracked).toEqual([
      expect.objectContaining({
        status: 'new',
        appearances: 2,
        runNumbers: [1, 3],
        firstSeenRun: 1,
        lastSeenRun: 3,
      }),
    ]);
    // and recurring once it survives the next run too
    expect(
      trackFindings([run(1, 1, [sql(1)]), run(2, 2, []), run(3, 3, [sql(3)]), run(4, 4, [sql(4)])])[0],
    ).toMatchObject({ status: 'recurring', appearances: 3 });
  });

  it('follows a finding that only moved lines when the runs give its message, instead of fixed plus new', () => {
    const moved = (r: number, line: number) =>
      finding(r, 1, 'py/sql-injection', 'src/db.py', line, 'query built from user input');
    const tracked = trackFindings([run(1, 1, [moved(1, 88)]), run(2, 2, [moved(2, 97)])]);
    expect(tracked).toEqual([
      expect.objectContaining({
        status: 'recurring',
        startLine: 97,
        fingerprint: findingFingerprint('py/sql-injection', 'src/db.py', 97),
      }),
    ]);
    // Without a message, a move is what the fingerprint says: one fixed, one new.
    expect(
      trackFindings([run(1, 1, [sql(1, 88)]), run(2, 2, [sql(2, 97)])])
        .map((t) => t.status)
        .sort(),
    ).toEqual(['fixed', 'new']);
  });

  it('keeps two findings with the same message in one file apart, and links an old file without messages to a newer one', () => {
    const twice = (r: number, a: number, b: number) => [
      finding(r, 1, 'py/sql-injection', 'src/db.py', a, 'query built from user input'),
      finding(r, 2, 'py/sql-injection', 'src/db.py', b, 'query built from user input'),
    ];
    expect(
      trackFindings([run(1, 1, twice(1, 10, 50)), run(2, 2, twice(2, 12, 52))]).map((t) => t.status),
    ).toEqual(['recurring', 'recurring']);
    // Run 1 predates messages: its finding is tied to run 2's by fingerprint, then followed by key.
    const old = sql(1, 88);
    const withMessage = (r: number, line: number) =>
      finding(r, 1, 'py/sql-injection', 'src/db.py', line, 'msg');
    expect(
      trackFindings([run(1, 1, [old]), run(2, 2, [withMessage(2, 88)]), run(3, 3, [withMessage(3, 90)])]),
    ).toEqual([expect.objectContaining({ status: 'recurring', appearances: 3, startLine: 90 })]);
  });

  it('sorts as the reference: recurring, new, fixed, then last seen earliest first', () => {
    const tracked = trackFindings([run(1, 1, [log(1), sql(1)]), run(2, 2, [sql(2), xss(2)])]);
    expect([...tracked].sort(compareTrackedFindings).map((t) => t.status)).toEqual([
      'recurring',
      'new',
      'fixed',
    ]);
  });
});

describe('trackRepos', () => {
  it('tracks each repo over its own runs: the same file in two repos is two findings', () => {
    const sqlIn = (r: number) => finding(r, 1, 'py/sql-injection', 'src/db.py', 88);
    const tracked = trackRepos([
      { targetRepo: 'https://github.com/acme/a', ...run(1, 1, [sqlIn(1)]) },
      { targetRepo: 'https://github.com/acme/b', ...run(1, 1, [sqlIn(1)]) },
      { targetRepo: 'https://github.com/acme/a', ...run(2, 2, []) },
    ]);
    expect(tracked.get('https://github.com/acme/a')).toEqual([expect.objectContaining({ status: 'fixed' })]);
    expect(tracked.get('https://github.com/acme/b')).toEqual([expect.objectContaining({ status: 'new' })]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSchema } from '@th/platform';
import { RunFileSchema } from './run-file.schema';

const sample = () =>
  JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/codescan-run.json'), 'utf8'));
const validate = compileSchema(RunFileSchema);

describe('RunFileSchema', () => {
  it("takes the action's sample file unchanged, and an older file without fingerprints", () => {
    expect(validate(sample()).ok).toBe(true);
    const older = sample();
    delete older.issue_fingerprints;
    expect(validate(older).ok).toBe(true);
  });

  it('names every bad field', () => {
    const bad = { ...sample(), target_repo: 'acme/payments', run_number: 0 };
    bad.issue_fingerprints[0].id = 'ISSUE-1';
    bad.issue_fingerprints[1].start_line = -1;
    const result = validate(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field).sort()).toEqual([
      'issue_fingerprints.0.id',
      'issue_fingerprints.1.start_line',
      'run_number',
      'target_repo',
    ]);
    expect(result.errors.find((e) => e.field === 'target_repo')?.message).toBe(
      'must be a https://github.com/<owner>/<repo> URL',
    );
  });
});

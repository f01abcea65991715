import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withEnvTable } from './env-table';

describe("README's environment table", () => {
  it('lists every variable of the platform and of each input (run `npm run docs:env` after a change)', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    expect(withEnvTable(readme)).toBe(readme);
  });

  it('names a variable an input declares', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    expect(readme).toMatch(/^\| `JWC_MAX_BATCH` \| `1000` \| Most events in one POST \/t batch \|$/m);
    expect(readme).toMatch(/^\| \*\*app-events\*\* \| \| \|$/m);
  });
});

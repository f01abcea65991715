import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envTable } from './env-table';

describe("README's environment table", () => {
  it('lists every variable of the platform and of each domain (run `npm run docs:env` after a change)', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    expect(readme).toContain(envTable());
  });
});

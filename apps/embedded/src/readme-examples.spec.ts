import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

/** Every `-d '...'` body in the README, with the line it starts on. */
const bodies = [...readme.matchAll(/ -d '([^']*)'/g)].map((match) => ({
  line: readme.slice(0, match.index).split('\n').length,
  body: match[1],
}));

describe('README curl examples', () => {
  it('has examples to check', () => {
    expect(bodies.length).toBeGreaterThan(3);
  });

  it.each(bodies)('sends valid JSON (README.md line $line)', ({ body }) => {
    expect(() => JSON.parse(body)).not.toThrow();
  });
});

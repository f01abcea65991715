import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CityResponse, open } from 'maxmind';
import { BERLIN_NETWORK, writeMmdb } from './helpers/mmdb-writer';

describe('test mmdb writer', () => {
  it('writes a database the maxmind reader resolves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'th-mmdb-'));
    const file = join(dir, 'city.mmdb');
    writeFileSync(
      file,
      writeMmdb([BERLIN_NETWORK, { cidr: '198.51.100.0/24', data: { country: { iso_code: 'FR' } } }]),
    );
    const reader = await open<CityResponse>(file);
    expect(reader.get('203.0.113.77')).toEqual({
      country: { iso_code: 'DE' },
      subdivisions: [{ iso_code: 'BE' }],
      city: { names: { en: 'Berlin' } },
    });
    expect(reader.get('198.51.100.1')?.country?.iso_code).toBe('FR');
    expect(reader.get('192.0.2.1')).toBeNull();
    rmSync(dir, { recursive: true, force: true });
  });
});

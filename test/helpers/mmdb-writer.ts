/**
 * Writes a small MaxMind DB (.mmdb, format 2.0, IPv4, 24-bit records) so the GeoIP tests need no
 * downloaded database. Only what GeoLite2-City lookups read: maps, strings, unsigned integers.
 */
type MmdbValue = string | number | bigint | Uint | MmdbValue[] | { [key: string]: MmdbValue };

/** An unsigned integer of a fixed type (2: uint16, 4: uint32), as the metadata requires. */
class Uint {
  constructor(
    readonly value: number,
    readonly width: 2 | 4,
  ) {}
}

export interface MmdbNetwork {
  /** e.g. `203.0.113.0/24` */
  cidr: string;
  data: { [key: string]: MmdbValue };
}

/** A GeoLite2-City record for 203.0.113.0/24 (a documentation range): Berlin, Germany. */
export const BERLIN_NETWORK: MmdbNetwork = {
  cidr: '203.0.113.0/24',
  data: {
    country: { iso_code: 'DE' },
    subdivisions: [{ iso_code: 'BE' }],
    city: { names: { en: 'Berlin' } },
  },
};

export function writeMmdb(networks: MmdbNetwork[], databaseType = 'GeoLite2-City'): Buffer {
  const data: Buffer[] = [];
  let dataLength = 0;
  const offsets = networks.map((network) => {
    const encoded = encode(network.data);
    const offset = dataLength;
    data.push(encoded);
    dataLength += encoded.length;
    return offset;
  });

  // Binary trie over the 32 address bits. A record is a node index, EMPTY, or a data offset.
  const EMPTY = -1;
  const nodes: [number, number][] = [[EMPTY, EMPTY]];
  const DATA = (offset: number) => -2 - offset;
  networks.forEach((network, i) => {
    const [address, prefix] = network.cidr.split('/');
    const bits = address.split('.').reduce((n, octet) => (n << 8) | Number(octet), 0) >>> 0;
    let node = 0;
    for (let depth = 0; depth < Number(prefix); depth++) {
      const bit = (bits >>> (31 - depth)) & 1;
      if (depth === Number(prefix) - 1) {
        nodes[node][bit] = DATA(offsets[i]);
      } else {
        if (nodes[node][bit] < 0) {
          nodes.push([EMPTY, EMPTY]);
          nodes[node][bit] = nodes.length - 1;
        }
        node = nodes[node][bit];
      }
    }
  });
  const nodeCount = nodes.length;
  const record = (value: number) =>
    value === EMPTY ? nodeCount : value <= -2 ? nodeCount + 16 + (-2 - value) : value;
  const tree = Buffer.alloc(nodeCount * 6);
  nodes.forEach(([left, right], i) => {
    tree.writeUIntBE(record(left), i * 6, 3);
    tree.writeUIntBE(record(right), i * 6 + 3, 3);
  });

  const metadata = encode({
    binary_format_major_version: uint(2, 2),
    binary_format_minor_version: uint(0, 2),
    build_epoch: BigInt(Math.floor(Date.now() / 1000)),
    database_type: databaseType,
    description: { en: 'Telemetry Hub test database' },
    ip_version: uint(4, 2),
    languages: ['en'],
    node_count: uint(nodeCount, 4),
    record_size: uint(24, 2),
  });
  const marker = Buffer.concat([Buffer.from([0xab, 0xcd, 0xef]), Buffer.from('MaxMind.com')]);
  return Buffer.concat([tree, Buffer.alloc(16), ...data, marker, metadata]);
}

function uint(value: number, width: 2 | 4): Uint {
  return new Uint(value, width);
}

function encode(value: MmdbValue): Buffer {
  if (typeof value === 'string') return withControl(2, Buffer.from(value, 'utf8'));
  if (typeof value === 'bigint') return withControl(9, unsignedBytes(value));
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0) return withControl(6, unsignedBytes(BigInt(value)));
    const double = Buffer.alloc(8);
    double.writeDoubleBE(value);
    return withControl(3, double);
  }
  if (Array.isArray(value)) return withControl(11, Buffer.concat(value.map(encode)), value.length);
  if (value instanceof Uint)
    return withControl(value.width === 2 ? 5 : 6, unsignedBytes(BigInt(value.value)));
  const entries = Object.entries(value);
  return withControl(7, Buffer.concat(entries.flatMap(([k, v]) => [encode(k), encode(v)])), entries.length);
}

function unsignedBytes(value: bigint): Buffer {
  const bytes: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
  return Buffer.from(bytes);
}

/** Control byte(s) for a type and a size (the payload length, or the entry count of maps/arrays). */
function withControl(type: number, payload: Buffer, size = payload.length): Buffer {
  if (size >= 29) throw new Error('the test mmdb writer only encodes sizes below 29');
  const head = type <= 7 ? [(type << 5) | size] : [size, type - 7];
  return Buffer.concat([Buffer.from(head), payload]);
}

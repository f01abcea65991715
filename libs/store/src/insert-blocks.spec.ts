import { insertBlocks } from './insert-blocks';

describe('insertBlocks', () => {
  it('keeps a batch within the limits as one block', () => {
    expect(insertBlocks([1, 2, 3], ['a', 'b', 'a'])).toEqual([[1, 3, 2]]);
  });

  it('cuts a batch spanning more partitions than allowed into blocks of at most that many', () => {
    const rows = Array.from({ length: 150 }, (_, i) => i);
    const partitions = rows.map((i) => `m${i}`);
    const blocks = insertBlocks(rows, partitions, 1_000, 100);
    expect(blocks.map((b) => b.length)).toEqual([100, 50]);
    expect(blocks.flat().sort((a, b) => a - b)).toEqual(rows);
  });

  it('counts a partition split over two blocks by size in both', () => {
    // a has 3 rows, blocks hold 2 rows and 2 partitions: [a a] [a b] [c].
    const blocks = insertBlocks([1, 2, 3, 4, 5], ['a', 'a', 'a', 'b', 'c'], 2, 2);
    expect(blocks).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('cuts by row count alone when rows have no partitions', () => {
    expect(insertBlocks([1, 2, 3, 4, 5], undefined, 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('makes the same blocks for the same rows, so retried inserts keep their tokens', () => {
    const rows = Array.from({ length: 500 }, (_, i) => i);
    const partitions = rows.map((i) => `p${i % 230}`);
    expect(insertBlocks(rows, partitions, 50, 100)).toEqual(insertBlocks(rows, partitions, 50, 100));
  });

  it('refuses partitions that do not match the rows', () => {
    expect(() => insertBlocks([1, 2], ['a'])).toThrow('one partition per row');
  });
});

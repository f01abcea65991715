/**
 * ClickHouse refuses an insert whose rows span more than `max_partitions_per_insert_block`
 * partitions (100 by default): a valid batch of events over ten years would be refused for its
 * shape. An insert is therefore cut into blocks of at most this many partitions.
 */
export const MAX_PARTITIONS_PER_INSERT = 100;
/** Rows per block, so one insert stays bounded in memory. */
export const MAX_ROWS_PER_INSERT = 100_000;

/**
 * Cuts rows into insert blocks: rows of one partition are kept together (in their order), and a
 * block holds at most `maxPartitions` partitions and `maxRows` rows. The cut depends only on the
 * rows and their order, so a retried insert makes the same blocks and its deduplication tokens
 * match. Without partitions, rows are cut by count alone.
 */
export function insertBlocks<T>(
  rows: readonly T[],
  partitions?: readonly string[],
  maxRows = MAX_ROWS_PER_INSERT,
  maxPartitions = MAX_PARTITIONS_PER_INSERT,
): T[][] {
  const groups = partitions ? groupByPartition(rows, partitions) : [rows];
  const blocks: T[][] = [];
  let block: T[] = [];
  let partitionsInBlock = 0;
  for (const group of groups) {
    if (partitionsInBlock === maxPartitions) {
      blocks.push(block);
      block = [];
      partitionsInBlock = 0;
    }
    partitionsInBlock++;
    for (const row of group) {
      if (block.length === maxRows) {
        blocks.push(block);
        block = [];
        partitionsInBlock = 1;
      }
      block.push(row);
    }
  }
  if (block.length > 0) blocks.push(block);
  return blocks;
}

function groupByPartition<T>(rows: readonly T[], partitions: readonly string[]): T[][] {
  if (partitions.length !== rows.length) throw new Error('insertBlocks: one partition per row');
  const groups = new Map<string, T[]>();
  rows.forEach((row, i) => {
    const group = groups.get(partitions[i]);
    if (group) group.push(row);
    else groups.set(partitions[i], [row]);
  });
  return [...groups.values()];
}

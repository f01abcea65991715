import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';

export interface Column<Row> {
  key: string;
  label: string;
  /** The value sorted on (and shown, without `render`). */
  value: (row: Row) => string | number | null | undefined;
  render?: (row: Row) => ComponentChildren;
  numeric?: boolean;
}

const PAGE_SIZES = [10, 25, 100];

/** A table sortable by any column (click or Enter on its header) and paginated. */
export function DataTable<Row>({
  rows,
  columns,
  testId,
  initialSort,
  emptyText = 'Nothing in this period.',
}: {
  rows: Row[];
  columns: Column<Row>[];
  testId: string;
  initialSort?: { key: string; descending: boolean };
  emptyText?: string;
}) {
  const [sort, setSort] = useState(initialSort);
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]);
  const [page, setPage] = useState(0);
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort?.key);
    if (!column || !sort) return rows;
    const direction = sort.descending ? -1 : 1;
    return [...rows].sort((a, b) => {
      const x = column.value(a) ?? '';
      const y = column.value(b) ?? '';
      return (x < y ? -1 : x > y ? 1 : 0) * direction;
    });
  }, [rows, sort, columns]);
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const current = Math.min(page, pages - 1);
  const shown = sorted.slice(current * pageSize, (current + 1) * pageSize);
  const toggle = (key: string) =>
    setSort((s) => (s?.key === key ? { key, descending: !s.descending } : { key, descending: true }));
  if (rows.length === 0) return <p class="empty">{emptyText}</p>;
  return (
    <div class="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                class={c.numeric ? 'num' : undefined}
                aria-sort={sort?.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
              >
                <button type="button" onClick={() => toggle(c.key)}>
                  {c.label}
                  {sort?.key === c.key ? (sort.descending ? ' ▾' : ' ▴') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c.key} class={c.numeric ? 'num' : undefined} data-column={c.key}>
                  {c.render ? c.render(row) : format(c.value(row))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div class="pager">
        <span>
          {sorted.length} rows · page {current + 1} of {pages}
        </span>
        <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
          Previous
        </button>
        <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
          Next
        </button>
        <label>
          Rows{' '}
          <select
            value={pageSize}
            onChange={(e) => {
              setPageSize(Number((e.target as HTMLSelectElement).value));
              setPage(0);
            }}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
    </div>
  );
}

/** Numbers with thousands separators and at most two decimals; dashes for nothing. */
export function format(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'number') return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return value;
}

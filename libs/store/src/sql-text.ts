/**
 * Just enough of ClickHouse's SQL lexing to take our own migration statements apart: balanced
 * parentheses and top-level commas, skipping quoted strings and identifiers. Not a parser: the
 * statements it sees are the repository's migrations, and the engine parses the result.
 */

const QUOTES = new Set(["'", '"', '`']);

/** The index just past the quoted run that starts at `start` (backslash and doubled quotes escape). */
function skipQuoted(sql: string, start: number): number {
  const quote = sql[start];
  let index = start + 1;
  while (index < sql.length) {
    const char = sql[index];
    if (char === '\\') index += 2;
    else if (char === quote && sql[index + 1] === quote) index += 2;
    else if (char === quote) return index + 1;
    else index += 1;
  }
  throw new SyntaxError(`unterminated ${quote} in: ${sql.slice(start, start + 60)}`);
}

/** Each character of `sql` from `from` on that is outside quotes, with its index. */
function* unquoted(sql: string, from = 0): Generator<[number, string]> {
  let index = from;
  while (index < sql.length) {
    const char = sql[index];
    if (QUOTES.has(char)) {
      index = skipQuoted(sql, index);
      continue;
    }
    yield [index, char];
    index += 1;
  }
}

/** The index of the `)` that closes the `(` at `open`. */
export function closingParen(sql: string, open: number): number {
  if (sql[open] !== '(') throw new SyntaxError(`expected "(" at ${open} in: ${sql.slice(open, open + 60)}`);
  let depth = 0;
  for (const [index, char] of unquoted(sql, open)) {
    if (char === '(') depth += 1;
    if (char === ')' && --depth === 0) return index;
  }
  throw new SyntaxError(`unbalanced "(" in: ${sql.slice(open, open + 60)}`);
}

/** `sql` cut at the commas outside parentheses and quotes, each part trimmed. */
export function splitTopLevel(sql: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (const [index, char] of unquoted(sql)) {
    if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    else if (char === ',' && depth === 0) {
      parts.push(sql.slice(start, index).trim());
      start = index + 1;
    }
  }
  parts.push(sql.slice(start).trim());
  return parts.filter(Boolean);
}

import type { Row, RowWriter } from '@th/store';

/** Records inserts instead of storing them; `refuse` decides which inserts the "store" rejects. */
export class FakeRowWriter {
  readonly inserts: { table: string; rows: Row[]; token: string | undefined }[] = [];

  constructor(private readonly refuse: (table: string, rows: Row[]) => Error | undefined = () => undefined) {}

  insert(table: string, rows: Row[], token?: string): Promise<void> {
    const error = this.refuse(table, rows);
    if (error) return Promise.reject(error);
    this.inserts.push({ table, rows, token });
    return Promise.resolve();
  }

  rows(table: string): Row[] {
    return this.inserts.filter((i) => i.table === table).flatMap((i) => i.rows);
  }

  asRowWriter(): RowWriter {
    return this as unknown as RowWriter;
  }
}

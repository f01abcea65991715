import type { FieldError } from '../validation/schema-validator';

/** A page of a GraphQL list: at most `limit` items after skipping `offset`. */
export interface PageRequest {
  limit: number;
  offset: number;
}

/** What is wrong with a page request, if anything (the limit is capped by GRAPHQL_MAX_PAGE_SIZE). */
export function pageErrors(page: PageRequest, maxPageSize: number): FieldError[] {
  const errors: FieldError[] = [];
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > maxPageSize) {
    errors.push({ field: 'limit', message: `must be from 1 to ${maxPageSize}` });
  }
  if (!Number.isInteger(page.offset) || page.offset < 0) {
    errors.push({ field: 'offset', message: 'must be a non-negative integer' });
  }
  return errors;
}

/** The page as every list query answers it. */
export function toPage<T>(
  items: T[],
  total: number,
  page: PageRequest,
): { items: T[]; totalCount: number; hasMore: boolean } {
  return { items, totalCount: total, hasMore: page.offset + items.length < total };
}

import type { HttpErrorResponse, RenderedError } from '@th/platform';

/**
 * The old dashboard's error body is `{"error": "<what is wrong>"}` and scripts print that field:
 * it carries our message, and the hub's stable code moves to `code` (the other fields stay).
 */
export function renderDashboardError(response: HttpErrorResponse): RenderedError {
  return {
    contentType: 'application/json; charset=utf-8',
    payload: JSON.stringify({ ...response.body, error: response.body.message, code: response.body.error }),
  };
}

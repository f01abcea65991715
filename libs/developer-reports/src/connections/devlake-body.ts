import type { ErrorBodyExtras, FieldError } from '@th/platform';

/** DevLake's success body (`shared.ApiBody`). */
export interface DevLakeBody {
  code: 0;
  success: true;
  message: string;
  causes: null;
  data: null;
}

export function devlakeBody(message: string): DevLakeBody {
  return { code: 0, success: true, message, causes: null, data: null };
}

/**
 * DevLake's error fields (`code`, `causes`, `data`), added to the hub's error body on the plugin's
 * routes: `causes` lists each invalid field, as DevLake lists an error's causes.
 */
export const devlakeErrorFields: ErrorBodyExtras = (body) => ({
  code: 0,
  causes: Array.isArray(body.errors)
    ? (body.errors as FieldError[]).map((e) => `${e.field} ${e.message}`)
    : null,
  data: null,
});

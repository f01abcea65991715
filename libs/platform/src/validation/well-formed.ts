/** Any surrogate code unit: the cheap test most text passes. */
const ANY_SURROGATE = /[\uD800-\uDFFF]/;
/** A surrogate not paired with its other half (`u` mode reads a pair as one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

const illFormed = (text: string) => ANY_SURROGATE.test(text) && LONE_SURROGATE.test(text);

/**
 * The path of the first string (value or key) in `value` that is not well-formed Unicode (it holds
 * a lone surrogate, which JSON allows as `\ud800`), or undefined. Such text cannot be stored: the
 * store refuses it or silently replaces it, so it is refused at the edge like any invalid field.
 */
export function illFormedTextPath(value: unknown): string | undefined {
  const path = illFormedAt(value);
  return path === undefined ? undefined : path.reverse().join('').replace(/^\./, '') || '(body)';
}

/** The path to the ill-formed text, innermost segment first (built only when one is found). */
function illFormedAt(value: unknown): string[] | undefined {
  if (typeof value === 'string') return illFormed(value) ? [] : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedAt(value[i]);
      if (found) return [...found, `[${i}]`];
    }
    return undefined;
  }
  const object = value as Record<string, unknown>;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    if (illFormed(key)) return [];
    const found = illFormedAt(object[key]);
    if (found) return [...found, `.${key}`];
  }
  return undefined;
}

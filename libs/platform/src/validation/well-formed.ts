/** A UTF-16 surrogate not paired with its other half (`u` mode reads pairs as one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The path of the first string (value or key) in `value` that is not well-formed Unicode (it holds
 * a lone surrogate, which JSON allows as `\ud800`), or undefined. Such text cannot be stored: the
 * store refuses it or silently replaces it, so it is refused at the edge like any invalid field.
 */
export function illFormedTextPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path || '(body)' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedTextPath(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const at = path ? `${path}.${key}` : key;
    if (LONE_SURROGATE.test(key)) return path || '(body)';
    const found = illFormedTextPath(item, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

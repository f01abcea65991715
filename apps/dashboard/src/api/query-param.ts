import { useLocation } from 'preact-iso';

/**
 * Sets (or, when empty, removes) one parameter of the page's URL, keeping the others (the time
 * range among them): filters live in the URL, so links and reloads keep them. `replace` does not
 * add a history entry (for typing in a search box).
 */
export function useSetQueryParam(): (name: string, value: string, replace?: boolean) => void {
  const { path, query, route } = useLocation();
  return (name, value, replace = false) => {
    const params = new URLSearchParams(query);
    if (value) params.set(name, value);
    else params.delete(name);
    route(`${path}?${params.toString()}`, replace);
  };
}

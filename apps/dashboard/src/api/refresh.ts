import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** Bumped by the auto-refresh timer: every query on the page runs again when it changes. */
export const RefreshTick = createContext(0);

export function useRefreshTick(): number {
  return useContext(RefreshTick);
}

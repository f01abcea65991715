import { useState } from 'preact/hooks';
import { saveKey } from '../api/client';

/** Signs in with an API key with the read scope, kept in this browser's storage. */
export function KeyForm({ onDone }: { onDone?: () => void }) {
  const [value, setValue] = useState('');
  return (
    <form
      class="key-form"
      onSubmit={(e) => {
        e.preventDefault();
        saveKey(value.trim() || undefined);
        onDone?.();
        location.reload();
      }}
    >
      <label>
        API key with the read scope{' '}
        <input
          type="password"
          autoComplete="off"
          placeholder="thk_…"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit">Sign in</button>
    </form>
  );
}

import { createHash } from 'node:crypto';

/**
 * The action's fingerprint of a finding: SHA-256 hex of `rule_id|file|start_line` (its first
 * location), first 16 characters. Computed by us for older run files that lack it.
 */
export function findingFingerprint(ruleId: string, file: string, startLine: number): string {
  return createHash('sha256').update(`${ruleId}|${file}|${startLine}`, 'utf8').digest('hex').slice(0, 16);
}

/**
 * A key that survives a line shift: rule, file and a hash of the finding's normalised snippet or
 * message (whitespace collapsed, case kept: CodeQL messages name identifiers). Undefined when the
 * run file gives neither, so the finding is tracked by its fingerprint alone.
 */
export function shiftProofKey(
  ruleId: string,
  file: string,
  text: { snippet?: string | null; message?: string | null },
): string | undefined {
  const source = text.snippet ?? text.message;
  if (source === undefined || source === null) return undefined;
  const normalised = source.replace(/\s+/g, ' ').trim();
  if (normalised === '') return undefined;
  return createHash('sha256').update(`${ruleId}|${file}|${normalised}`, 'utf8').digest('hex').slice(0, 16);
}

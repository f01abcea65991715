/**
 * Secret redaction for PR-trace payloads: every string an IDE plugin posts (diff snippets, command lines,
 * stdout samples, commit messages, notes, unknown fields) is scanned before the event reaches the Kafka
 * log, the store or a response, and each secret is replaced by a marker naming its kind.
 *
 * Linear time on hostile input: every pattern starts with a literal or a look-behind that allows one
 * start per word, bounds its quantifiers or ends in a greedy class that cannot fail once it has matched
 * one character, and never nests unbounded repetitions. Values after a key are read with a separate
 * sticky pattern only when the key names a secret, and the scan resumes after them.
 */

export type SecretKind =
  | 'private-key'
  | 'authorization'
  | 'aws-access-key'
  | 'aws-secret-key'
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'slack-webhook'
  | 'google-api-key'
  | 'stripe-key'
  | 'npm-token'
  | 'openai-key'
  | 'anthropic-key'
  | 'jwt'
  | 'url-credentials'
  | 'password-assignment';

/** The text put in place of a secret; names the kind so a reader knows what was there. */
export function redactionMarker(kind: SecretKind): string {
  return `[REDACTED:${kind}]`;
}

/** `text` with every secret replaced, and how many were replaced. Pure; linear time. */
export function redactText(text: string): { text: string; redactions: number } {
  let redactions = 0;
  for (const rule of RULES) {
    const step = applyRule(text, rule);
    text = step.text;
    redactions += step.redactions;
  }
  return { text, redactions };
}

/**
 * A redacted deep copy of a JSON value and the total count: keys are kept, strings are scanned, and every
 * string beneath a key that names a secret (`password`, `api_key`, `accessToken`, ...) is replaced whole.
 */
export function redactJson(value: unknown): { value: unknown; redactions: number } {
  return walk(value, undefined);
}

function walk(value: unknown, inheritedKind: SecretKind | undefined): { value: unknown; redactions: number } {
  if (typeof value === 'string')
    return inheritedKind ? redactWhole(value, inheritedKind) : redactString(value);
  if (Array.isArray(value)) {
    const items = (value as unknown[]).map((item) => walk(item, inheritedKind));
    return { value: items.map((item) => item.value), redactions: total(items) };
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, item]) => [key, walk(item, inheritedKind ?? secretKeyKind(key))] as const,
    );
    // fromEntries defines own properties, so a "__proto__" key stays data instead of becoming a prototype.
    const copy = Object.fromEntries(entries.map(([key, item]) => [key, item.value]));
    return { value: copy, redactions: total(entries.map(([, item]) => item)) };
  }
  return { value, redactions: 0 };
}

function total(results: readonly { redactions: number }[]): number {
  return results.reduce((sum, result) => sum + result.redactions, 0);
}

function redactString(value: string): { value: unknown; redactions: number } {
  const { text, redactions } = redactText(value);
  return { value: text, redactions };
}

/** Under a secret-named key the whole string is the secret, however short; empty or redacted stays. */
function redactWhole(value: string, kind: SecretKind): { value: unknown; redactions: number } {
  if (value === '' || MARKER.test(value)) return { value, redactions: 0 };
  return { value: redactionMarker(kind), redactions: 1 };
}

const MARKER = /^\[REDACTED:[a-z-]+\]$/;

// ---------------------------------------------------------------------------------------------------------
// Rules: one global pattern each, applied in order (specific token formats first, so that the contextual
// rules after them see markers and leave them alone).

/** What becomes of text[match.index, end): `replacement`, or unchanged when it is undefined. */
interface Verdict {
  readonly end: number;
  readonly replacement?: string;
}

interface Rule {
  readonly pattern: RegExp;
  readonly judge: (match: RegExpExecArray, text: string) => Verdict;
}

function applyRule(text: string, { pattern, judge }: Rule): { text: string; redactions: number } {
  // The patterns are shared; scanning is synchronous, so resetting lastIndex keeps redactText pure.
  pattern.lastIndex = 0;
  let out = '';
  let copiedTo = 0;
  let redactions = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const verdict = judge(match, text);
    pattern.lastIndex = Math.max(verdict.end, match.index + 1);
    if (verdict.replacement === undefined) continue;
    out += text.slice(copiedTo, match.index) + verdict.replacement;
    copiedTo = verdict.end;
    redactions++;
  }
  return { text: out + text.slice(copiedTo), redactions };
}

/**
 * A rule whose secret is its last capture group (or the whole match), at the end of the match: what
 * precedes it (a header name, a URL's scheme and user) stays visible.
 */
function tokenRule(
  kind: SecretKind,
  pattern: RegExp,
  accept?: (secret: string, match: readonly (string | undefined)[]) => boolean,
): Rule {
  return {
    pattern,
    judge: (match) => {
      const whole = match[0];
      const secret = match.length > 1 ? (match[match.length - 1] ?? '') : whole;
      const end = match.index + whole.length;
      if (secret === '' || isAlreadyRedacted(secret) || (accept && !accept(secret, match))) return { end };
      return { end, replacement: whole.slice(0, whole.length - secret.length) + redactionMarker(kind) };
    },
  };
}

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;

/** A private-key block up to its END line; a block cut short (a truncated sample) is redacted to the end. */
const privateKeyRule: Rule = {
  pattern: PEM_BEGIN,
  judge: (match, text) => {
    PEM_END.lastIndex = match.index + match[0].length;
    const end = PEM_END.exec(text) ? PEM_END.lastIndex : text.length;
    return { end, replacement: redactionMarker('private-key') };
  },
};

const SEPARATOR = String.raw`\\?["']?[ \t]{0,8}[:=][ \t]{0,8}\\?["']?`;
const AUTH_SCHEMES = 'bearer|basic|token|digest|negotiate|ntlm|bot|apikey';

/** `Authorization: <scheme> <credentials>`: the scheme stays, the credentials go. */
const authorizationRule = tokenRule(
  'authorization',
  new RegExp(
    String.raw`\b(?:proxy-)?authorization${SEPARATOR}((?:${AUTH_SCHEMES})[ \t]{1,8})?([^\s"'\x60,;\\]+)`,
    'gi',
  ),
  (secret, [, scheme]) => !isTemplate(secret) && (scheme !== undefined || !looksLikeCode(secret)),
);

/** A bare `Bearer <token>` outside a header; the token must look random, not like a word of prose. */
const bearerRule = tokenRule(
  'authorization',
  /\bbearer[ \t]{1,8}([\w.~+/-]{8,}=*)/gi,
  (secret) => /\d/.test(secret) || (secret.length >= 24 && /[a-z]/.test(secret) && /[A-Z]/.test(secret)),
);

/** `scheme://user:password@host`: scheme, user and host stay, the password goes. */
const urlCredentialsRule = tokenRule(
  'url-credentials',
  /\b[a-z][a-z0-9+.-]{0,20}:\/\/[^\s:/?#@"'<>[\]]{1,256}:([^\s/?#"'<>]{1,256})(?=@)/gi,
  (secret) => !isTemplate(secret),
);

// ---------------------------------------------------------------------------------------------------------
// Assignments: `key = value`, `key: value`, `"key": "value"`, `--key=value`, `--key value`, `?key=value`.
// The key is judged first; only a secret-named key has its value read, and only the value is replaced.

const ASSIGNMENT_KEY =
  /(?<![\w.-])(-{0,2}[A-Za-z_][\w.-]{0,127})(\\?["']?[ \t]{0,8}(?::=|=>|=(?!=)|:(?!:))[ \t]{0,8})/g;
const SECRET_FLAG = /(?<![\w-])(--[A-Za-z][\w-]{0,63})[ \t]{1,8}/g;
/** A quoted value (up to its closing quote or the line's end), or a bare one (up to a space or delimiter). */
const ASSIGNED_VALUE = /\\?(["'`])([^"'`\\\r\n]*)|([^\s"'`\\&,;<>(){}[\]|]+)/y;

const assignmentRule: Rule = {
  pattern: ASSIGNMENT_KEY,
  judge: (match, text) => {
    const [whole, key = '', separator = ''] = match;
    // `KEY=value` (env, query string, CLI) holds a literal; `key = value` or `key: value` may be code.
    const literal = key.startsWith('-') || separator === '=';
    return judgeAssignment(match.index, match.index + whole.length, key, literal, text);
  },
};

/** `--password hunter2`: a CLI flag naming a secret, then its value after a space. */
const flagRule: Rule = {
  pattern: SECRET_FLAG,
  judge: (match, text) => {
    const [whole, flag = ''] = match;
    const valueStart = match.index + whole.length;
    if (text.charAt(valueStart) === '-') return { end: valueStart }; // the next flag, not a value
    return judgeAssignment(match.index, valueStart, flag, true, text);
  },
};

function judgeAssignment(
  start: number,
  valueStart: number,
  key: string,
  literal: boolean,
  text: string,
): Verdict {
  // Authorization values are the authorization rule's: it knows to keep the scheme.
  if (secretKeyKind(key) !== 'password-assignment') return { end: valueStart };
  ASSIGNED_VALUE.lastIndex = valueStart;
  const found = ASSIGNED_VALUE.exec(text);
  if (!found) return { end: valueStart };
  const [whole, quote, quoted = '', bare = ''] = found;
  const end = valueStart + whole.length;
  const value = quote ? quoted : bare;
  const secret = quote ? isQuotedSecret(value) : isBareSecret(value, literal, text.charAt(end));
  if (!secret) return { end };
  return { end, replacement: text.slice(start, end - value.length) + redactionMarker('password-assignment') };
}

/** A quoted value is a literal: any non-empty one is a secret unless it is a placeholder or a label. */
function isQuotedSecret(value: string): boolean {
  return value !== '' && !isPlaceholder(value) && !isLabel(value);
}

function isBareSecret(value: string, literal: boolean, next: string): boolean {
  if (isPlaceholder(value) || isLabel(value) || next === '(' || next === '[') return false;
  if (/^[+-]?\d+(?:\.\d+)?$/.test(value) || /^(?:[a-z][a-z0-9+.-]*:\/\/|\.{0,2}\/|~\/)/i.test(value)) {
    return false; // a count, a port, a URL or a path
  }
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return false; // `config.db.password`
  if (literal) return true;
  // In code or prose (`password: string`, `token: expired`) only a value that looks generated counts.
  return value.length >= 6 && /[^A-Za-z]/.test(value);
}

/** `"password": "Password"`, `token = accessToken`: a label or a variable, not a secret. */
function isLabel(value: string): boolean {
  return !/\d/.test(value) && SECRET_WORDS_IN_TEXT.test(value);
}

const SECRET_WORDS_IN_TEXT = /pass(?:word|wd|phrase)|secret|token|api[_-]?key|pwd/i;

function isPlaceholder(value: string): boolean {
  return (
    isAlreadyRedacted(value) ||
    isTemplate(value) ||
    /^([*xX.#_-])\1{2,}$/.test(value) || // `********`, `xxxxxx`
    /^your[\s_-]/i.test(value) ||
    PLACEHOLDER_WORDS.has(value.toLowerCase())
  );
}

/** `$VAR`, `${VAR}`, `$(cmd)`, `{{ var }}`, `%VAR%`, `<token>`, `%(name)s`: filled in elsewhere. */
function isTemplate(value: string): boolean {
  return /^\$|\$\{|\{\{|%\(|^%\w+%$|^<[^<>]*>$/.test(value);
}

function isAlreadyRedacted(value: string): boolean {
  return value.includes('[REDACTED:');
}

/** An identifier or property path with no digit: a variable in code, not a credential. */
function looksLikeCode(value: string): boolean {
  return !/\d/.test(value) && /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/.test(value);
}

const PLACEHOLDER_WORDS = new Set([
  'null',
  'nil',
  'none',
  'undefined',
  'true',
  'false',
  'empty',
  'string',
  'str',
  'bytes',
  'number',
  'int',
  'integer',
  'boolean',
  'bool',
  'any',
  'unknown',
  'object',
  'buffer',
  'required',
  'optional',
  'redacted',
  'hidden',
  'masked',
]);

/**
 * The kind of secret a key names, judged by its last word so that `token_count`, `passwordPolicy` or
 * `secretName` are not secrets while `DB_PASSWORD`, `accessToken`, `x-api-key` and `client_secret` are.
 */
function secretKeyKind(key: string): SecretKind | undefined {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  const last = words[words.length - 1] ?? '';
  const previous = words[words.length - 2] ?? '';
  if (last === 'authorization') return 'authorization';
  if (last === 'pass' || SECRET_WORD.test(last)) return 'password-assignment';
  if (/^keys?$/.test(last) && KEY_QUALIFIERS.has(previous)) return 'password-assignment';
  return undefined;
}

const SECRET_WORD = /(?:pass(?:word|wd|phrase)s?|secrets?|token|pwd|(?:api|secret|access|private)keys?)$/;
const KEY_QUALIFIERS = new Set([
  'api',
  'secret',
  'access',
  'private',
  'auth',
  'signing',
  'encryption',
  'master',
]);

const RULES: readonly Rule[] = [
  privateKeyRule,
  tokenRule('aws-access-key', /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g),
  tokenRule(
    'aws-secret-key',
    new RegExp(String.raw`(?:aws[_-]?)?secret[_-]?access[_-]?key${SEPARATOR}([A-Za-z0-9/+=]{20,})`, 'gi'),
  ),
  tokenRule('github-token', /\bgh[pousr]_[A-Za-z0-9]{36,}/g),
  tokenRule('github-token', /\bgithub_pat_\w{22,}/g),
  tokenRule('gitlab-token', /\bgl(?:pat|dt|rt|ptt)-[\w-]{20,}/g),
  tokenRule('slack-token', /\b(?:xox[abeoprs]|xapp)-[A-Za-z0-9-]{10,}/g),
  tokenRule('slack-webhook', /\bhttps:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/([\w/-]+)/g),
  tokenRule('google-api-key', /\bAIza[\w-]{35}/g),
  tokenRule('stripe-key', /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g),
  tokenRule('npm-token', /\bnpm_[A-Za-z0-9]{36,}/g),
  tokenRule('anthropic-key', /\bsk-ant-[\w-]{20,}/g),
  tokenRule(
    'openai-key',
    /\bsk-(?:(?:proj|svcacct|admin)-[\w-]{20,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})/g,
  ),
  tokenRule('jwt', /(?<![\w-])eyJ[\w-]{6,}\.eyJ[\w-]{6,}\.[\w-]*/g),
  urlCredentialsRule,
  authorizationRule,
  bearerRule,
  assignmentRule,
  flagRule,
];

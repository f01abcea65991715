import { BadRequestError } from '@th/platform';
import { OutsideBadAnswerError } from './outside-errors';
import { OutsideHttp } from './outside-http';

export const GITHUB_SERVICE = 'GitHub';

/** Where private repositories' `download_url`s point; the token may go there too. */
export const GITHUB_RAW_ORIGIN = 'https://raw.githubusercontent.com';

/** GitHub's largest page, and a bound on the pages read (10 000 items). */
const PAGE_SIZE = 100;
const MAX_PAGES = 100;

const OWNER_REPO = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

export interface GitHubClientOptions {
  /** GITHUB_TOKEN; '' calls GitHub without credentials (public repositories, lower rate limit). */
  token: string;
  /** GITHUB_API_URL, e.g. https://api.github.com. */
  apiUrl: string | URL;
  timeoutMs: number;
  retries: number;
  retryBaseMs?: number;
  now?: () => number;
}

/** A pull request as the old dashboard kept it from `GET /repos/{repo}/pulls`. */
export interface GitHubPull {
  number: number;
  title: string;
  body: string | null;
  html_url: string;
  state: string;
  merged_at: string | null;
  created_at: string;
  /** `user.login`, '' when GitHub gives no user (a deleted account). */
  user_login: string;
}

/** A run file under `telemetry/runs` of ACTION_REPO, from the contents API. */
export interface GitHubRunFile {
  name: string;
  size: number;
  sha: string;
  download_url: string;
}

/** Reads one item of a page: the value to keep, undefined to skip it, or a string saying what is wrong. */
type ItemReader<T> = (item: Record<string, unknown>) => T | undefined | string;

/**
 * The GitHub REST calls of the old dashboard, with its headers (`Authorization: token …`): the
 * pull requests of the fork repositories and the run files of ACTION_REPO.
 */
export class GitHubClient {
  private readonly http: OutsideHttp;
  private readonly apiBase: string;
  private readonly apiOrigin: string;

  constructor(options: GitHubClientOptions) {
    const apiUrl = new URL(String(options.apiUrl));
    this.apiBase = apiUrl.href.replace(/\/+$/, '');
    this.apiOrigin = apiUrl.origin;
    const headers: Record<string, string> = {
      Accept: 'application/vnd.github+json',
      'User-Agent': 'telemetry-hub',
    };
    if (options.token !== '') headers.Authorization = `token ${options.token}`;
    this.http = new OutsideHttp({
      service: GITHUB_SERVICE,
      credentialVar: 'GITHUB_TOKEN',
      headers,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      retryBaseMs: options.retryBaseMs,
      now: options.now,
    });
  }

  /** Every pull request of `owner/repo`, open and closed, newest first as GitHub lists them. */
  async listPulls(repo: string): Promise<GitHubPull[]> {
    return this.allPages(`/repos/${repoPath(repo)}/pulls`, { state: 'all' }, readPull, (pull) =>
      String(pull.number),
    );
  }

  /** The `.json` files under `telemetry/runs` of ACTION_REPO (directories and other files left out). */
  async listRunFiles(actionRepo: string): Promise<GitHubRunFile[]> {
    return this.allPages(`/repos/${repoPath(actionRepo)}/contents/telemetry/runs`, {}, readRunFile, (file) =>
      String(file.name),
    );
  }

  /**
   * The JSON at a `download_url`. The token goes only to GitHub's own origins (the API's and raw
   * downloads'): a URL elsewhere is fetched without it.
   */
  async downloadJson(url: string): Promise<unknown> {
    const target = parseDownloadUrl(url);
    const withCredentials = target.origin === this.apiOrigin || target.origin === GITHUB_RAW_ORIGIN;
    return (await this.http.getJson(target.href, { withCredentials })).body;
  }

  /**
   * Pages 1, 2, … while a page is full. The contents API ignores `page` and answers the whole
   * directory each time, so a page that names nothing new ends the listing as well.
   */
  private async allPages<T>(
    path: string,
    query: Record<string, string>,
    read: ItemReader<T>,
    keyOf: (item: Record<string, unknown>) => string,
  ): Promise<T[]> {
    const seen = new Set<string>();
    const kept: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const params = new URLSearchParams({ ...query, per_page: String(PAGE_SIZE), page: String(page) });
      const { body } = await this.http.getJson(`${this.apiBase}${path}?${params.toString()}`);
      if (!Array.isArray(body)) throw badPage(path, 'is not a JSON array');
      const seenBefore = seen.size;
      body.forEach((item: unknown, index) => {
        if (!isRecord(item)) throw badPage(path, `has an item ${index} that is not an object`);
        const value = read(item);
        if (typeof value === 'string') throw badPage(path, `has an item ${index} that ${value}`);
        const key = keyOf(item);
        if (seen.has(key)) return;
        seen.add(key);
        if (value !== undefined) kept.push(value);
      });
      if (body.length !== PAGE_SIZE || seen.size === seenBefore) break;
    }
    return kept;
  }
}

function readPull(item: Record<string, unknown>): GitHubPull | string {
  const { number, html_url, state } = item;
  if (typeof number !== 'number' || !Number.isInteger(number)) return 'has no number';
  if (typeof html_url !== 'string') return 'has no html_url';
  if (typeof state !== 'string') return 'has no state';
  const user = isRecord(item.user) ? item.user : {};
  return {
    number,
    title: stringOr(item.title, ''),
    body: stringOr(item.body, null),
    html_url,
    state,
    merged_at: stringOr(item.merged_at, null),
    created_at: stringOr(item.created_at, ''),
    user_login: stringOr(user.login, ''),
  };
}

function readRunFile(item: Record<string, unknown>): GitHubRunFile | undefined | string {
  const { name, type, sha, download_url, size } = item;
  if (typeof name !== 'string') return 'has no name';
  if (!name.endsWith('.json') || (type !== undefined && type !== 'file')) return undefined;
  if (typeof sha !== 'string') return 'has no sha';
  if (typeof download_url !== 'string') return 'has no download_url';
  return { name, size: typeof size === 'number' ? size : 0, sha, download_url };
}

/** `owner/repo` as a path, refusing anything else (a `..` would climb out of /repos). */
function repoPath(repo: string): string {
  const match = OWNER_REPO.exec(repo);
  if (!match || [match[1], match[2]].some((part) => /^\.+$/.test(part))) {
    throw new BadRequestError(`not a GitHub repository name: expected owner/repo, got "${repo}"`);
  }
  return `${match[1]}/${match[2]}`;
}

function parseDownloadUrl(url: string): URL {
  let target: URL | undefined;
  try {
    target = new URL(url);
  } catch {
    target = undefined;
  }
  if (target?.protocol !== 'https:' && target?.protocol !== 'http:') {
    throw new OutsideBadAnswerError(
      GITHUB_SERVICE,
      'gave a download_url that is not an http(s) URL',
      'refresh again',
    );
  }
  return target;
}

function badPage(path: string, problem: string): OutsideBadAnswerError {
  return new OutsideBadAnswerError(
    GITHUB_SERVICE,
    `sent a page of ${path} that ${problem}`,
    'check GITHUB_API_URL points at the GitHub REST API',
  );
}

function stringOr<T extends string | null>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

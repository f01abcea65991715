import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';

/** The content types of what the dashboard's build writes. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** A file of the site, ready to send. */
export interface SiteFile {
  body: Buffer;
  contentType: string;
  /** Fingerprinted assets never change under their name; the page itself is asked for each time. */
  cacheControl: string;
}

/** The repository (or image) root: the nearest folder up from here that holds package.json. */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

/**
 * The analysts' dashboard as `npm run build` wrote it (`dist/dashboard`, by Vite from
 * apps/dashboard): `index.html` for every page path (the app routes in the browser, so a deep link
 * survives a reload) and the fingerprinted files under `assets/`. Files are read once and kept.
 */
export class DashboardSite {
  private readonly files = new Map<string, SiteFile>();

  constructor(readonly root = join(packageRoot(__dirname), 'dist', 'dashboard')) {}

  get built(): boolean {
    return existsSync(join(this.root, 'index.html'));
  }

  /** The file for a (decoded) path under /dashboard/: an asset, or the page for any other path. */
  async file(path: string): Promise<SiteFile | undefined> {
    const relative = normalize(path).replace(/^([/\\])+/, '');
    // An asset is a file under assets/ or at the top with an extension; anything else is a page.
    const isAsset = relative.startsWith(`assets${sep}`) || /^[^/\\]+\.[a-z0-9]+$/i.test(relative);
    const name = isAsset && !relative.split(sep).includes('..') ? relative : 'index.html';
    let file = this.files.get(name);
    if (!file) {
      const body = await readFile(join(this.root, name)).catch(() => undefined);
      if (!body) return undefined;
      file = {
        body,
        contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
        cacheControl: name.startsWith(`assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      };
      this.files.set(name, file);
    }
    return file;
  }
}

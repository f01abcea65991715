import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Debian's Chromium (`node scripts/ensure-chromium.js` installs it). */
const CHROMIUM = '/usr/bin/chromium';

/** True once the overview's app-events figure shows a number. */
const FIGURE_SHOWN = `(() => {
  const figure = document.querySelector('[data-testid="stat-app-events"]');
  return figure !== null && /\\d/.test(figure.textContent ?? '');
})()`;

export interface DashboardLoads {
  /** Milliseconds from navigation to the overview's figures on screen, each in a fresh browser context. */
  times: number[];
}

/**
 * Opens the dashboard's overview `loads` times, each time in a new browser context (no cache, as a
 * first visit), and times it from the navigation to the app-events figure showing a number: the
 * page, its bundle, and the GraphQL answer behind the figures.
 */
export async function timeDashboardLoads(url: string, loads: number): Promise<DashboardLoads | undefined> {
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(
      `[bench] dashboard: skipped, ${CHROMIUM} is missing (node scripts/ensure-chromium.js)\n`,
    );
    return undefined;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const times: number[] = [];
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const started = performance.now();
      // Checked on every frame in the page itself: waiting for the load event (or a locator's
      // polling) would add what the user does not wait for (the lazy chart chunk, polling delays).
      await page.goto(`${url}/dashboard/`, { waitUntil: 'commit' });
      await page.waitForFunction(FIGURE_SHOWN, null, { polling: 'raf', timeout: 60_000 });
      times.push(performance.now() - started);
      await context.close();
    }
    return { times };
  } finally {
    await browser.close();
  }
}

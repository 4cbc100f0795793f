/**
 * The browser of the end-to-end tests: Debian's chromium driven by playwright-core. Without a
 * chromium the suites are skipped with a notice, unless IAMSIGHT_REQUIRE_BROWSER=1 (CI), where
 * they fail. Every page records console errors, page errors and CSP violations, so a test can
 * assert there were none.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where the screenshots go (gitignored; CI keeps the folder). */
export const ARTIFACTS = resolve(import.meta.dirname, '../../artifacts/e2e');

/** The chromium executable, or null when none is installed. */
export function findChromium(): string | null {
  const fromEnv = process.env.IAMSIGHT_CHROMIUM;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    const found = execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
      encoding: 'utf8',
    }).trim();
    return found || null;
  } catch {
    // `command -v` failed: no chromium on the PATH.
    return null;
  }
}

/** Whether the browser suites run here; says why not when they do not. */
export function browserAvailability(): { run: boolean; executable: string | null } {
  const executable = findChromium();
  if (executable) return { run: true, executable };
  if (process.env.IAMSIGHT_REQUIRE_BROWSER === '1')
    throw new Error(
      'IAMSIGHT_REQUIRE_BROWSER=1 but no chromium was found: apt-get install -y chromium',
    );
  process.stderr.write(
    '\n[iamsight e2e] SKIPPED: no chromium found (apt-get install -y chromium, or set IAMSIGHT_CHROMIUM).\n',
  );
  return { run: false, executable: null };
}

/** Launches the headless browser shared by a suite. */
export function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** What went wrong on a page: console errors, uncaught errors, CSP violations, dialogs. */
export interface PageProblems {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly cspViolations: string[];
  readonly dialogs: string[];
}

/** A new page (1280×800 unless told) that records its problems. */
export async function openPage(
  browser: Browser,
  viewport = { width: 1280, height: 800 },
): Promise<{ page: Page; problems: PageProblems; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {
    // Older chromium: the copy buttons are not exercised through the clipboard, so no harm.
  });
  const page = await context.newPage();
  const problems: PageProblems = {
    consoleErrors: [],
    pageErrors: [],
    cspViolations: [],
    dialogs: [],
  };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  page.on('dialog', (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.exposeBinding('__iamsightCsp', (_source, text: string) => {
    problems.cspViolations.push(text);
  });
  // Text, not a function: the test runner's transform may add helpers the page does not have.
  await page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => window.__iamsightCsp(e.violatedDirective + ' blocked ' + e.blockedURI));",
  );
  return { page, problems, close: () => context.close() };
}

/** Saves a full-window screenshot as artifacts/e2e/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

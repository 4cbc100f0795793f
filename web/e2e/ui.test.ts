/**
 * The web UI end to end, in a real headless chromium against the real server (`startDemo`):
 * overview, group by resource, filter by severity, a resource's relationships graph with a red
 * at-risk edge, a detection's Fix in AWS link, mute and the score; then hostile names, tags and
 * policy documents rendered as inert text. Screenshots of every step go to artifacts/e2e/.
 * No console error, page error, CSP violation or dialog is allowed during the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  browserAvailability,
  launchBrowser,
  openPage,
  screenshot,
  type PageProblems,
} from './browser.js';
import { build } from 'vite';
import { startDemoServer, startHostileServer, type RunningServer } from './servers.js';

const availability = browserAvailability();
const RED = 'rgb(216, 40, 59)';

let browser: Browser;
beforeAll(async () => {
  if (!availability.executable) return;
  // The UI under test is the one in web/ now, built as `npm run build` builds it.
  await build({
    configFile: new URL('../vite.config.ts', import.meta.url).pathname,
    logLevel: 'warn',
  });
  browser = await launchBrowser(availability.executable);
});
afterAll(async () => {
  await browser?.close();
});

function expectNoProblems(problems: PageProblems): void {
  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
  expect(problems.cspViolations).toEqual([]);
  expect(problems.dialogs).toEqual([]);
}

function pathAndQuery(page: Page): URL {
  return new URL(page.url());
}

async function headerScore(
  page: Page,
): Promise<{ value: number; earned: number; possible: number }> {
  const header = page.getByTestId('header-score');
  await expect.poll(() => header.getAttribute('data-possible')).not.toBeNull();
  return {
    value: Number(await header.getAttribute('data-value')),
    earned: Number(await header.getAttribute('data-earned')),
    possible: Number(await header.getAttribute('data-possible')),
  };
}

describe.runIf(availability.run)('the web UI on the demo', () => {
  let server: RunningServer;
  let page: Page;
  let problems: PageProblems;
  let close: () => Promise<void>;

  beforeAll(async () => {
    server = await startDemoServer();
    ({ page, problems, close } = await openPage(browser));
  });
  afterAll(async () => {
    await close?.();
    await server?.close();
  });

  it('walks overview → explorer → resource graph → detection → mute without a console error', async () => {
    // 1. The overview: the score gauge and its number.
    await page.goto(server.url);
    await page.getByTestId('score-gauge').waitFor();
    const overviewScore = Number(await page.getByTestId('score-value').textContent());
    expect(overviewScore).toBeGreaterThan(0);
    expect(overviewScore).toBeLessThanOrEqual(100);
    await page.locator('.trend-point').first().waitFor();
    expect(await page.locator('.trend-point').count()).toBeGreaterThan(1);
    await screenshot(page, '01-overview');

    // 2. The explorer, grouped by resource.
    await page.getByRole('link', { name: 'Identity Risks Explorer' }).click();
    await page.locator('.row-group').first().waitFor();
    await page.locator('button[data-group="resource"]').click();
    await expect.poll(() => pathAndQuery(page).searchParams.get('group')).toBe('resource');
    await page.locator('.row-group .row-sub').first().waitFor();
    expect(pathAndQuery(page).searchParams.getAll('status')).toEqual(['open']);
    await screenshot(page, '02-explorer-by-resource');

    // 3. Filter by severity: the facet's count is the list's total, every group is that severe.
    const high = page.locator('input[data-facet="severity"][data-value="high"]');
    const highCount = Number(
      (await high.locator('xpath=..').locator('.facet-count').textContent())?.replace(/,/g, ''),
    );
    expect(highCount).toBeGreaterThan(0);
    await high.check();
    await expect.poll(() => pathAndQuery(page).searchParams.getAll('severity')).toEqual(['high']);
    await expect
      .poll(async () => (await page.getByTestId('result-count').textContent()) ?? '')
      .toMatch(new RegExp(`^${highCount.toLocaleString('en-US')} findings`));
    const severities = await page.locator('.row-group .sev').allTextContents();
    expect(severities.length).toBeGreaterThan(0);
    expect(new Set(severities)).toEqual(new Set(['high']));
    await screenshot(page, '03-explorer-high');

    // 4. A resource panel whose relationships graph has a red at-risk edge.
    let found = false;
    const groups = page.locator('.row-group');
    const tries = Math.min(await groups.count(), 10);
    for (let i = 0; i < tries && !found; i++) {
      await groups.nth(i).getByRole('button', { name: 'Resource' }).click();
      const panel = page.getByTestId('resource-panel');
      await panel.waitFor();
      await panel.locator('.react-flow__node, .graph-empty').first().waitFor();
      found = (await panel.locator('.react-flow__edge-path.rel-edge.at-risk').count()) > 0;
      if (!found) {
        await page.keyboard.press('Escape');
        await panel.waitFor({ state: 'detached' });
      }
    }
    expect(found, 'a high-severity resource with an at-risk edge').toBe(true);
    const panel = page.getByTestId('resource-panel');
    expect(pathAndQuery(page).searchParams.get('resource')).toMatch(/^arn:aws:/);
    const riskyEdge = panel.locator('.react-flow__edge-path.rel-edge.at-risk').first();
    await riskyEdge.waitFor();
    const stroke = await page.evaluate(
      "getComputedStyle(document.querySelector('[data-testid=resource-panel] .react-flow__edge-path.rel-edge.at-risk')).stroke",
    );
    expect(stroke).toBe(RED);
    // The reason is said on hover (and focus) of the connection.
    const riskItem = panel.locator('.risk-item').first();
    const riskSentence = (await riskItem.locator('.risk-text').textContent()) ?? '';
    expect(riskSentence.length).toBeGreaterThan(10);
    await riskItem.focus();
    await expect.poll(() => panel.getByTestId('edge-info').textContent()).toContain(riskSentence);
    await screenshot(page, '04-resource-relationships');
    const steps = panel.locator('.path-steps .step-button');
    if ((await steps.count()) > 0) {
      await steps.first().click();
      await panel.locator('.react-flow__edge-path.rel-edge.highlight').first().waitFor();
      await screenshot(page, '05-escalation-step');
    }
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(pathAndQuery(page).searchParams.get('resource')).toBeNull();

    // 5. A detection on a role, opened with the keyboard; Fix in AWS is the role's console page.
    await page.goto(`${server.url}explorer?status=open&group=none&resourceType=AWS::IAM::Role`);
    const firstRow = page.locator('.row-finding').first();
    await firstRow.waitFor();
    await firstRow.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const detection = page.getByTestId('detection-panel');
    await detection.waitFor();
    const fingerprint = pathAndQuery(page).searchParams.get('finding');
    expect(fingerprint).toMatch(/^[0-9a-f]+$/);
    const detail = (await (
      await fetch(`${server.url}api/findings/${fingerprint}`, { headers: server.headers })
    ).json()) as { finding: { resource: { name: string; type: string }; severity: string } };
    expect(detail.finding.resource.type).toBe('AWS::IAM::Role');
    const fix = detection.getByTestId('fix-in-aws');
    expect(await fix.getAttribute('href')).toBe(
      `https://console.aws.amazon.com/iam/home#/roles/details/${encodeURIComponent(detail.finding.resource.name)}`,
    );
    expect(await fix.getAttribute('target')).toBe('_blank');
    expect(await fix.getAttribute('rel')).toBe('noopener noreferrer');
    await screenshot(page, '06-detection');

    // The back button closes the panel, forward opens it again.
    await page.goBack();
    await detection.waitFor({ state: 'detached' });
    await page.goForward();
    await detection.waitFor();

    // 6. Mute it with a reason: the live score in the header changes.
    const before = await headerScore(page);
    await detection.getByRole('button', { name: 'Mute…' }).click();
    await detection
      .locator('textarea[name="reason"]')
      .fill('break-glass role, reviewed by the security team');
    await detection.getByRole('button', { name: 'Mute', exact: true }).click();
    await detection.locator('.status-muted').first().waitFor();
    await expect.poll(async () => (await headerScore(page)).possible).toBeLessThan(before.possible);
    const after = await headerScore(page);
    expect(after.value).toBeGreaterThanOrEqual(before.value);
    expect(after.value).toBe(Math.round((1000 * after.earned) / after.possible) / 10);
    process.stdout.write(
      `[iamsight e2e] score before mute ${before.value} (${before.earned}/${before.possible}), after ${after.value} (${after.earned}/${after.possible})\n`,
    );
    await screenshot(page, '07-muted');

    // One finding moves the one-decimal score only a little; unmute, then mute every finding of
    // its rule in its account: the score visibly rises.
    await detection.getByRole('button', { name: 'Unmute' }).click();
    await expect.poll(async () => (await headerScore(page)).possible).toBe(before.possible);
    await detection.getByRole('button', { name: 'Mute…' }).click();
    await detection.getByRole('radio', { name: /^every .* finding in account \d{12}$/ }).check();
    await detection.locator('textarea[name="reason"]').fill('sandbox account, risk accepted');
    await detection.getByRole('button', { name: 'Mute', exact: true }).click();
    await detection.locator('.status-muted').first().waitFor();
    await expect.poll(async () => (await headerScore(page)).value).toBeGreaterThan(before.value);
    const ruleMuted = await headerScore(page);
    expect(ruleMuted.earned).toBe(before.earned);
    process.stdout.write(
      `[iamsight e2e] score after muting the rule in the account: ${ruleMuted.value} (${ruleMuted.earned}/${ruleMuted.possible})\n`,
    );
    await screenshot(page, '07b-rule-muted');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await page.getByTestId('score-gauge').waitFor();
    await expect
      .poll(async () => Number(await page.getByTestId('score-value').textContent()))
      .toBe(ruleMuted.value);
    // The overview says the new sums too.
    await expect
      .poll(() => page.locator('.score-card').textContent())
      .toContain(`of ${ruleMuted.possible.toLocaleString('en-US')} weighted checks pass`);
    await screenshot(page, '08-overview-after-mute');

    expectNoProblems(problems);
  });
});

describe.runIf(availability.run)('hostile AWS data in the web UI', () => {
  let server: Awaited<ReturnType<typeof startHostileServer>>;

  beforeAll(async () => {
    server = await startHostileServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('shows names, tags and policy documents carrying HTML and script as inert text', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${server.url}explorer?group=none&q=${encodeURIComponent('onerror')}`);
      const row = page.locator('.row-finding').first();
      await row.waitFor();
      // The name is on screen literally, as text.
      await expect.poll(() => row.textContent()).toContain(server.hostile.name);
      await screenshot(page, '10-hostile-explorer');
      await row.click();
      const detection = page.getByTestId('detection-panel');
      await detection.waitFor();
      await detection.getByRole('tab', { name: 'Overview' }).waitFor();
      await expect.poll(() => detection.textContent()).toContain(server.hostile.name);
      await detection.getByRole('tab', { name: 'Resource' }).click();
      await detection.locator('pre.code').first().waitFor();
      await expect.poll(() => detection.textContent()).toContain(server.hostile.sid);
      await expect.poll(() => detection.textContent()).toContain(server.hostile.tag);
      await screenshot(page, '11-hostile-detection');
      await detection.getByRole('button', { name: /Open the resource panel/ }).click();
      const resource = page.getByTestId('resource-panel');
      await resource.locator('.react-flow__node').first().waitFor();
      await expect
        .poll(() => resource.locator('.rel-node-label').allTextContents())
        .toContain(server.hostile.name);
      await screenshot(page, '12-hostile-resource');

      // Nothing was injected: no <img src=x>, no script but the app's, the payloads never ran.
      expect(await page.locator('img').count()).toBe(0);
      const scripts = await page
        .locator('script')
        .evaluateAll((els) => els.map((el) => el.getAttribute('src')));
      expect(scripts.every((src) => src !== null && src.startsWith('/assets/'))).toBe(true);
      expect(await page.evaluate('window.__pwned')).toBeUndefined();
      expectNoProblems(problems);
    } finally {
      await close();
    }
  });
});

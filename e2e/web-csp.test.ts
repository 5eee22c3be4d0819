import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { TestApp } from '../src/test-support/test-app.ts';
import { axeViolations } from './axe.ts';
import { browserSuite, createChannel, createConversation, createWebWorkspace, openContext, signIn } from './web-support.ts';

// The Content-Security-Policy is strict (no inline script or style, no foreign origin). This walks
// every page of the app in a real browser and fails on any violation the browser reports.
let t: TestApp;
let browser: Browser;

browserSuite((app, chromium) => {
  t = app;
  browser = chromium;
});

interface PageGlobals {
  document: {
    addEventListener(type: 'securitypolicyviolation', listener: (e: { violatedDirective: string; blockedURI: string }) => void): void;
    createElement(tag: 'script'): { textContent: string };
    body: { append(node: unknown): void };
  };
  __errataCsp(what: string): void;
  __inline?: number;
}

/** Collects what the browser refused under the CSP: the DOM event and the console's report. */
async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction('__errataCsp', (what: string) => seen.push(what));
  // Runs in the page (the e2e project has no DOM types: the page's globals are described here).
  await page.addInitScript(() => {
    const page = globalThis as unknown as PageGlobals;
    page.document.addEventListener('securitypolicyviolation', (e) => page.__errataCsp(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  return seen;
}

it('every page of the app runs under the CSP without a single violation (and the watcher does catch one), and axe finds nothing on each', async () => {
  const ws = await createWebWorkspace(t);
  const channel = await createChannel(t, ws);
  const { conversationId } = await createConversation(t, ws, channel.id, { name: 'James Carter', phone: '+44 7911 123456', language: 'en' });
  const { context, page } = await openContext(browser, t);
  const violations = await watchCsp(page);
  await signIn(page, t, ws.users.admin.email);

  await page.goto(`${t.baseUrl}/#/c/${conversationId}`);
  await page.getByRole('heading', { level: 1, name: 'James Carter' }).waitFor();
  await page.getByRole('textbox', { name: /^Message to/ }).fill('Your order is ready, see you tomorrow');
  for (const [hash, title] of [
    ['/approvals', /awaiting approval/],
    ['/channels', /Channels/],
    ['/guard', /Checks/],
    ['/team', /Team/],
    ['/security', /Security/],
    ['/settings', /Settings/],
  ] as const) {
    await page.goto(`${t.baseUrl}/#${hash}`);
    await page.getByRole('heading', { level: 1, name: title }).first().waitFor();
    // While here, each page is also checked for accessibility.
    expect(await axeViolations(page), hash).toEqual([]);
  }
  // Two-factor set-up draws its QR code and key on the Security page.
  await page.goto(`${t.baseUrl}/#/security`);
  await page.getByRole('button', { name: 'Set up', exact: true }).click();
  await page.locator('a[href^="otpauth://totp/"]').waitFor();
  await page.waitForTimeout(300);
  expect(violations).toEqual([]);

  // The watcher is not blind: an inline script is refused and reported.
  await page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const script = document.createElement('script');
    script.textContent = 'window.__inline = 1';
    document.body.append(script);
  });
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__inline)).toBeUndefined();
  await context.close();
});

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../src/test-support/test-app.ts';
import { launchBrowser, screenshotDir } from './browser.ts';

let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

it('the browsable API documentation renders the message endpoints', async () => {
  const page = await browser.newPage();
  await page.goto(`${t.baseUrl}/api/docs`);
  await expect.poll(() => page.locator('.info .title').textContent(), { timeout: 15_000 }).toContain('Errata API');
  const paths = await page.locator('.opblock-summary-path').allTextContents();
  expect(paths.map((p) => p.replace(/\u200b/g, ''))).toEqual(
    expect.arrayContaining(['/api/v1/messages', '/api/v1/messages/{id}/delete', '/api/v1/messages/{id}/remedies']),
  );
  await page.screenshot({ path: path.join(screenshotDir, 'api-docs.png'), fullPage: false });
});

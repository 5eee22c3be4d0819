import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createApiToken } from '../src/commands/create-api-token.ts';
import { createUser, createWorkspace } from '../src/commands/create-workspace.ts';
import { call, startTestApp, type TestApp } from '../src/test-support/test-app.ts';
import { launchBrowser, screenshotDir } from './browser.ts';

const root = path.resolve(import.meta.dirname, '..');
export const PASSWORD = 'correct horse battery staple';

/**
 * A browser file's set-up: the web app built, a real server on a fresh database and Debian's
 * Chromium before the file's tests, both closed after. `ready` receives them.
 */
export function browserSuite(ready: (t: TestApp, browser: Browser) => void, timeoutMs = 120_000): void {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    buildWebApp();
    t = await startTestApp();
    browser = await launchBrowser();
    ready(t, browser);
  }, timeoutMs);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
}

/** The server serves web/dist when it exists at start-up: build it once per run. */
export function buildWebApp(): void {
  if (process.env.ERRATA_E2E_SKIP_BUILD === '1' && existsSync(path.join(root, 'web/dist/index.html'))) return;
  execFileSync('npm', ['run', '--silent', 'build:web'], { cwd: root, stdio: 'inherit' });
}

export interface WebWorkspace {
  workspaceId: string;
  adminToken: string;
  users: Record<'admin' | 'agent' | 'supervisor', { id: string; email: string; name: string }>;
}

let counter = 0;

/** A workspace whose people can sign in with a password, plus an API token for setting things up. */
export async function createWebWorkspace(t: TestApp, language: 'fr' | 'en' = 'en'): Promise<WebWorkspace> {
  const ctx = t.app.ctx;
  const suffix = `${process.pid}-${counter++}-${Math.random().toString(36).slice(2, 6)}`;
  const adminEmail = `ada-${suffix}@errata.test`;
  const { workspaceId, adminId } = await createWorkspace(ctx, {
    name: `Web ${suffix}`,
    language,
    admin: { email: adminEmail, name: 'Ada Admin', password: PASSWORD },
  });
  t.workspaceIds.add(workspaceId);
  const agentEmail = `alice-${suffix}@errata.test`;
  const supervisorEmail = `sam-${suffix}@errata.test`;
  const agentId = await createUser(ctx, { workspaceId, email: agentEmail, name: 'Alice Agent', role: 'agent', password: PASSWORD });
  const supervisorId = await createUser(ctx, { workspaceId, email: supervisorEmail, name: 'Sam Supervisor', role: 'supervisor', password: PASSWORD });
  const adminToken = await createApiToken(ctx, { workspaceId, userId: adminId, label: 'e2e' });
  return {
    workspaceId,
    adminToken,
    users: {
      admin: { id: adminId, email: adminEmail, name: 'Ada Admin' },
      agent: { id: agentId, email: agentEmail, name: 'Alice Agent' },
      supervisor: { id: supervisorId, email: supervisorEmail, name: 'Sam Supervisor' },
    },
  };
}

export async function api<T = unknown>(t: TestApp, ws: WebWorkspace, method: string, route: string, body?: unknown): Promise<T> {
  const response = await call<T>(t, method, `/api/v1${route}`, { token: ws.adminToken, body });
  if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function createChannel(t: TestApp, ws: WebWorkspace, options: Record<string, unknown> = {}): Promise<{ id: string }> {
  return api(t, ws, 'POST', '/channels', { type: 'simulator', name: 'Simulator', defaultHoldSeconds: 10, ...options });
}

/** A contact with a conversation on the channel (the customer writes first). */
export async function createConversation(
  t: TestApp,
  ws: WebWorkspace,
  channelId: string,
  contact: { name: string; phone: string; language: 'fr' | 'en' },
  firstWords = 'Hello, any news about my order?',
): Promise<{ contactId: string; conversationId: string }> {
  const created = await api<{ id: string }>(t, ws, 'POST', '/contacts', contact);
  const reply = await api<{ conversationId: string }>(t, ws, 'POST', `/simulator/contacts/${created.id}/reply`, { text: firstWords, channelId });
  return { contactId: created.id, conversationId: reply.conversationId };
}

/**
 * A browser context whose clock starts at the server's manual clock and flows from there, so
 * countdowns computed from server fields (holdUntil, revocableUntil) read right.
 */
export async function openContext(
  browser: Browser,
  t: TestApp,
  options: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-GB',
    viewport: options.viewport ?? { width: 1366, height: 820 },
    reducedMotion: 'reduce',
  });
  await context.clock.install({ time: t.clock.now() });
  const page = await context.newPage();
  return { context, page };
}

export async function signIn(page: Page, t: TestApp, email: string, lang: 'en' | 'fr' = 'en'): Promise<void> {
  await page.goto(`${t.baseUrl}/`);
  await page.getByLabel(lang === 'fr' ? 'E-mail' : 'Email', { exact: true }).fill(email);
  await page.getByLabel(lang === 'fr' ? 'Mot de passe' : 'Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: lang === 'fr' ? 'Se connecter' : 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
}

/** Moves the server's clock and every open page's clock together, then runs the jobs now due. */
export async function advance(t: TestApp, seconds: number, pages: Page[]): Promise<void> {
  t.clock.advance(seconds);
  for (const page of pages) await page.clock.fastForward(seconds * 1000);
  await t.app.ctx.jobs.drain();
}

export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: false });
}

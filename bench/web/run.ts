/**
 * `npm run bench:web` — the web app's performance bars, measured in Debian's Chromium against a
 * real server (PGlite, in memory) seeded with 10 000 conversations:
 *   1. first-load JS (gzip) <= 300 kB: what index.html loads before any interaction;
 *   2. inbox ready <= 1 s after sign-in: click "Sign in" → first conversation row on screen;
 *   3. guard feedback <= 150 ms after the agent stops typing: last keystroke → verdict shown.
 * Options (env): BENCH_CONVERSATIONS (default 10000), BENCH_RUNS (default 5), BENCH_DRAFTS (default 8).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../../e2e/browser.ts';
import { buildWebApp, createChannel, createConversation, createWebWorkspace, PASSWORD } from '../../e2e/web-support.ts';
import { seedConversations } from '../../src/test-support/seed-large-workspace.ts';
import { startTestApp } from '../../src/test-support/test-app.ts';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DRAFTS = Number(process.env.BENCH_DRAFTS ?? 8);
const dist = path.resolve(import.meta.dirname, '../../web/dist');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const max = (xs: number[]) => Math.max(...xs);
const ms = (x: number) => `${x.toFixed(0)} ms`;

function bundle() {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const files = refs.map((ref) => {
    const bytes = readFileSync(path.join(dist, ref));
    return { ref, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const js = files.filter((f) => f.ref.endsWith('.js'));
  return { files, jsGzip: js.reduce((a, f) => a + f.gzip, 0), jsRaw: js.reduce((a, f) => a + f.raw, 0) };
}

buildWebApp();
const size = bundle();
console.log('First load:');
for (const f of size.files) console.log(`  ${f.ref}  ${(f.raw / 1024).toFixed(1)} kB raw, ${(f.gzip / 1024).toFixed(1)} kB gzip`);
console.log(`  JS total ${(size.jsGzip / 1024).toFixed(1)} kB gzip (bar 300 kB) ${size.jsGzip <= 300 * 1024 ? 'OK' : 'OVER'}`);

const t = await startTestApp();
const browser = await launchBrowser();
try {
  const ws = await createWebWorkspace(t, 'fr');
  const channel = await createChannel(t, ws, { defaultHoldSeconds: 0 });
  // The conversation used for typing is the newest; 10 000 older ones fill the inbox.
  const seedStarted = performance.now();
  await seedConversations(t.app.ctx.db, ws.workspaceId, channel.id, CONVERSATIONS, t.clock.now());
  t.clock.advance(60);
  const target = await createConversation(t, ws, channel.id, { name: 'Camille Dubois', phone: '+33 6 98 76 54 32', language: 'fr' });
  console.log(`\nSeeded ${CONVERSATIONS} conversations in ${ms(performance.now() - seedStarted)}`);

  const ready: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1366, height: 820 } });
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/`);
    await page.getByLabel('E-mail', { exact: true }).fill(ws.users.agent.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    const started = performance.now();
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.locator('.conversation-list li a').first().waitFor();
    ready.push(performance.now() - started);
    const rows = await page.locator('.conversation-list li a').count();
    if (run === 0) console.log(`\nInbox: ${rows} rows on first screen of ${CONVERSATIONS + 1} conversations`);
    await context.close();
  }
  console.log(`Inbox ready after sign-in: median ${ms(median(ready))}, max ${ms(max(ready))} over ${RUNS} runs (bar 1000 ms)`);

  interface Samples {
    __samples: number[];
    __last: number;
  }
  // Guard feedback: type like a person (40 ms per key), then time last keystroke → verdict.
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1366, height: 820 } });
  const page = await context.newPage();
  await page.goto(`${t.baseUrl}/#/c/${target.conversationId}`);
  await page.getByLabel('E-mail', { exact: true }).fill(ws.users.agent.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const box = page.getByRole('textbox', { name: /^Message à/ });
  await box.waitFor();
  await page.evaluate(`(() => {
    const w = window;
    w.__samples = [];
    w.__last = 0;
    const textarea = document.querySelector('.composer textarea');
    textarea.addEventListener('input', () => { w.__last = performance.now(); });
    const output = document.querySelector('.composer output.verdict');
    new MutationObserver(() => {
      const text = output.textContent || '';
      if (w.__last && text && text !== 'Vérification…') { w.__samples.push(performance.now() - w.__last); w.__last = 0; }
    }).observe(output, { childList: true, characterData: true, subtree: true });
  })()`);
  const drafts = [
    'Bonjour Camille, votre commande part demain matin.',
    'Votre remboursement de 49,90 € a été validé hier.',
    'Merci pour votre patience, nous revenons vers vous rapidement.',
    'Bonjour, le virement est à faire sur FR14 2004 1010 0505 0001 3M02 606.',
    'Votre colis arive demain entre 9 h et 12 h.',
    'Pouvez-vous nous confirmer votre adresse de livraison ?',
    'Nous avons bien reçu votre retour, merci beaucoup.',
    'Le technicien passera jeudi, appelez le 06 12 34 56 78 si besoin.',
  ];
  const latencies: number[] = [];
  for (let i = 0; i < DRAFTS; i++) {
    await box.fill('');
    await page.waitForTimeout(300);
    await page.evaluate(() => {
      const w = globalThis as unknown as Samples;
      w.__samples = [];
      w.__last = 0;
    });
    await box.pressSequentially(drafts[i % drafts.length]!, { delay: 40 });
    // Functions, not strings: a string would be compiled in the page, which its CSP (no eval) refuses.
    await page.waitForFunction(
      () => {
        const w = globalThis as unknown as Samples;
        return w.__samples.length > 0 && w.__last === 0;
      },
      undefined,
      { timeout: 5_000 },
    );
    const samples = await page.evaluate(() => (globalThis as unknown as Samples).__samples);
    latencies.push(samples[samples.length - 1]!);
  }
  console.log(
    `Guard feedback after the last keystroke: median ${ms(median(latencies))}, max ${ms(max(latencies))} over ${DRAFTS} drafts (bar 150 ms)`,
  );
  console.log(`  samples: ${latencies.map((x) => x.toFixed(0)).join(', ')} ms`);
  await context.close();
} finally {
  await browser.close();
  await t.close();
}

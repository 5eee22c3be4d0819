import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../commands/create-api-token.ts';
import { call, createTestWorkspace, startTestApp, type TestApp } from '../test-support/test-app.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/errata.js');

function run(args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

describe('errata send / delete through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends, then deletes for everyone; errors come back with their code', async () => {
    const ws = await createTestWorkspace(t);
    await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: { type: 'simulator', name: 'Sim' } });
    const contact = await call(t, 'POST', '/api/v1/contacts', {
      token: ws.tokens.admin,
      body: { name: 'Claire', phone: '+33612345611' },
    });
    const env = { ERRATA_URL: t.baseUrl, ERRATA_TOKEN: ws.tokens.agent };
    const sent = await run(['send', '--contact', contact.body.id, '--text', 'Bonjour Claire', '--hold', '0'], { env });
    expect(sent.code).toBe(0);
    const message = JSON.parse(sent.stdout);
    expect(message).toMatchObject({ status: 'queued', text: 'Bonjour Claire' });
    await t.app.ctx.jobs.drain();
    const deleted = await run(['delete', message.id, '--scope', 'everyone', '--reason', 'typo'], { env });
    expect(deleted.code).toBe(0);
    expect(JSON.parse(deleted.stdout).deletion).toMatchObject({ scope: 'everyone', reason: 'typo' });
    t.clock.advance(5000);
    const again = await run(['delete', message.id, '--scope', 'everyone', '--reason', 'typo'], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('conflict');
    const badReason = await run(['delete', message.id, '--scope', 'everyone', '--reason', 'oops'], { env });
    expect(badReason.code).not.toBe(0);
    expect(badReason.stderr).toContain('expected one of');
  });

  it('token create issues a working token for a new user', async () => {
    const ws = await createTestWorkspace(t);
    // The CLI opens the database itself; PGlite in memory cannot be shared, so this runs where a URL exists.
    if (process.env.ERRATA_TEST_DB !== 'postgres') {
      const token = await createApiToken(t.app.ctx, { workspaceId: ws.workspaceId, userId: ws.userIds.agent, label: 'x' });
      expect((await call(t, 'GET', '/api/v1/channels', { token })).status).toBe(200);
      return;
    }
    const email = `cli-${Date.now()}@test.local`;
    const created = await run(['token', 'create', '--email', email, '--role', 'agent'], {
      env: { DATABASE_URL: process.env.ERRATA_TEST_DATABASE_URL! },
    });
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^ert_/);
    expect((await call(t, 'GET', '/api/v1/channels', { token })).status).toBe(200);
  });
});

describe('errata token create on the embedded database', () => {
  it('refuses while the data directory is in use, and works once it is free', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'errata-cli-'));
    try {
      const env = { ERRATA_DATA_DIR: dir, ERRATA_DEMO: '0', DATABASE_URL: '' };
      const noWorkspace = await run(['token', 'create', '--email', 'a@b.c', '--role', 'agent'], { env });
      expect(noWorkspace.code).toBe(1);
      expect(noWorkspace.stderr).toContain('No workspace yet');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('errata workspace create', () => {
  it('creates a workspace and prints its first admin’s one-time invitation link (embedded database)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'errata-cli-'));
    try {
      const env = { ERRATA_DATA_DIR: dir, DATABASE_URL: '', ERRATA_PUBLIC_URL: 'https://errata.example.com/' };
      const created = await run(['workspace', 'create', '--name', 'Boulangerie Martin', '--admin-email', 'Paul@Martin.example'], { env });
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toContain('Workspace "Boulangerie Martin" created');
      expect(created.stdout).toContain('paul@martin.example (admin)');
      expect(created.stdout).toMatch(/^https:\/\/errata\.example\.com\/invitation#token=eri_[A-Za-z0-9_-]+$/m);
      const again = await run(['workspace', 'create', '--name', 'Other', '--admin-email', 'paul@martin.example'], { env });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already has an Errata account');
      const bad = await run(['workspace', 'create', '--name', 'X', '--admin-email', 'not-an-email'], { env });
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('adminEmail');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('errata check', () => {
  it('checks JSON lines in order, reports bad lines and exits 1', async () => {
    const input = [
      JSON.stringify({ id: 'a', text: 'Voici mon IBAN : FR76 3000 6000 0112 3456 7890 189', lang: 'fr' }),
      'not json',
      JSON.stringify({ id: 'c', text: 'Bonjour Claire, votre commande n° 48213 est prête.', recipient: { name: 'Claire' } }),
      JSON.stringify({ id: 'd' }),
    ].join('\n');
    const result = await run(['check', '--jsonl', '--no-spelling'], { input });
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ id: 'a', verdict: 'block' });
    expect(lines[0].findings[0]).toMatchObject({ kind: 'pii.iban', category: 'pii', severity: 'block' });
    expect(lines[1].error.code).toBe('invalid_json');
    expect(lines[2]).toMatchObject({ id: 'c', verdict: 'pass', findings: [] });
    expect(lines[3]).toMatchObject({ id: 'd', error: { code: 'missing_text' } });
  });
});

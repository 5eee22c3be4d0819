import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestWorkspace, startTestApp, TEST_PLATFORM_TOKEN, type TestApp } from '../../test-support/test-app.ts';

/** A real SMTP server on loopback: what Errata hands to it is what a mailbox would get. */
interface Received {
  from: string;
  to: string[];
  raw: string;
}
const inbox: Received[] = [];
const refused = new Set<string>();
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onRcptTo(address, _session, callback) {
    if (refused.has(address.address)) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
    callback();
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      inbox.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      callback();
    });
  },
});

/** The text part as a reader sees it (quoted-printable undone, UTF-8 decoded). */
function bodyText(raw: string): string {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
const header = (raw: string, name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1] ?? '';

let logs = '';
let t: TestApp;
let noMail: TestApp;
beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs += chunk.toString();
      done();
    },
  });
  [t, noMail] = await Promise.all([
    startTestApp({ smtp: { url: `smtp://127.0.0.1:${port}`, from: 'Errata <errata@test.local>', timeoutMs: 3_000 }, logger: pino({ level: 'debug' }, sink) }),
    startTestApp(),
  ]);
});
afterAll(async () => {
  await Promise.all([t?.close(), noMail?.close()]);
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});
beforeEach(() => {
  inbox.length = 0;
});

let seq = 0;
const newEmail = () => `mail-${process.pid}-${Date.now()}-${seq++}@test.local`;

describe('links by e-mail, where mail is configured', () => {
  it('an invitation goes to the invitee with the exact one-time link, and the answer says it was sent', async () => {
    const ws = await createTestWorkspace(t);
    const email = newEmail();
    const invited = await call(t, 'POST', '/api/v1/users', { token: ws.tokens.admin, body: { email, name: 'Nina New', role: 'agent' } });
    expect(invited.status).toBe(201);
    expect(invited.body.mail).toBe('sent');
    expect(inbox).toHaveLength(1);
    const mail = inbox[0]!;
    expect(mail.to).toEqual([email]);
    expect(mail.from).toBe('errata@test.local');
    const text = bodyText(mail.raw);
    expect(text).toContain(invited.body.invitationUrl);
    expect(text).toContain('Nina New');
    expect(text).toContain('Ada Admin');
    expect(header(mail.raw, 'Subject')).not.toBe('');

    // The link in the mail is the one that works.
    const token = new URL(invited.body.invitationUrl).hash.replace('#token=', '');
    const accepted = await call(t, 'POST', '/api/v1/auth/invitations/accept', { body: { token, password: 'violet kettle harbour' } });
    expect(accepted.status).toBe(200);
  });

  it('a password reset goes to the person, in the workspace language', async () => {
    const ws = await createTestWorkspace(t);
    const reset = await call(t, 'POST', `/api/v1/users/${ws.userIds.agent}/password-reset`, { token: ws.tokens.admin });
    expect(reset.status).toBe(200);
    expect(reset.body.mail).toBe('sent');
    expect(inbox).toHaveLength(1);
    expect(bodyText(inbox[0]!.raw)).toContain(reset.body.resetUrl);
  });

  it('a workspace created by the platform operator mails its first admin, in the workspace’s language', async () => {
    const adminEmail = newEmail();
    const created = await call(t, 'POST', '/api/v1/workspaces', {
      headers: { authorization: `Bearer ${TEST_PLATFORM_TOKEN}` },
      body: { name: 'Boulangerie Mail', adminEmail, language: 'fr', country: 'FR' },
    });
    expect(created.status).toBe(201);
    t.workspaceIds.add(created.body.workspace.id);
    expect(created.body.mail).toBe('sent');
    const text = bodyText(inbox[0]!.raw);
    expect(text).toContain(created.body.invitationUrl);
    expect(text).toContain('Boulangerie Mail');
    expect(text).toMatch(/Choisissez votre mot de passe/);
  });

  it('a server that refuses the address: the invitation still exists, the answer says the mail failed, and the secret link is never logged', async () => {
    const ws = await createTestWorkspace(t);
    const email = newEmail();
    refused.add(email);
    const invited = await call(t, 'POST', '/api/v1/users', { token: ws.tokens.admin, body: { email, name: 'Rita Refused', role: 'agent' } });
    expect(invited.status).toBe(201);
    expect(invited.body.mail).toBe('failed');
    expect(inbox).toHaveLength(0);
    const team = await call(t, 'GET', '/api/v1/users', { token: ws.tokens.admin });
    expect(team.body.items.find((u: { email: string }) => u.email === email)).toMatchObject({ status: 'invited' });
    const token = new URL(invited.body.invitationUrl).hash.replace('#token=', '');
    expect(logs).toContain('link e-mail not sent');
    expect(logs).not.toContain(token);
  });

  it('without SMTP settings nothing is sent and the answer says so (the admin hands the link over)', async () => {
    const ws = await createTestWorkspace(noMail);
    const invited = await call(noMail, 'POST', '/api/v1/users', { token: ws.tokens.admin, body: { email: newEmail(), name: 'Nina New', role: 'agent' } });
    expect(invited.status).toBe(201);
    expect(invited.body.mail).toBe('not_configured');
    expect(inbox).toHaveLength(0);
  });
});

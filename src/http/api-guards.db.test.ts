import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from './server.ts';
import { call, createTestWorkspace, countMessages as countMessagesOf, setupSimulator, startTestApp, type TestApp } from '../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('authentication', () => {
  it('every API route refuses a missing or wrong token', async () => {
    const spec = (await call(t, 'GET', '/api/openapi.json')).body;
    const routes = Object.entries(spec.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => [method.toUpperCase(), path] as const),
    );
    expect(routes.length).toBeGreaterThanOrEqual(18);
    const id = '00000000-0000-4000-8000-000000000000';
    // Public routes say so themselves (`config: { public: true }`): signing in, and accepting a one-time link.
    const publicSet = new Set(registeredRoutes(t.app.server).filter((r) => r.public).map((r) => `${r.method} ${r.url}`));
    expect(publicSet).toContain('POST /api/v1/auth/login');
    const publicRoutes = routes.filter(([method, path]) => publicSet.has(`${method} ${path.replace(/\{([^}]+)\}/g, ':$1')}`));
    for (const [method, template] of routes.filter((r) => !publicRoutes.includes(r))) {
      const path = template.replace(/\{[^}]+\}/g, id);
      for (const token of [undefined, 'ert_not-a-real-token']) {
        const response = await call(t, method, path, { token, body: method === 'GET' ? undefined : {} });
        expect(response.status, `${method} ${path} with ${token ?? 'no token'}`).toBe(401);
        expect(response.body.error.code).toBe('unauthorized');
      }
    }
  });

  it('health and docs are public; the OpenAPI document lists the message routes', async () => {
    expect((await call(t, 'GET', '/healthz')).status).toBe(200);
    const spec = (await call(t, 'GET', '/api/openapi.json')).body;
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/messages', '/api/v1/messages/{id}/delete', '/api/v1/messages/{id}/remedies']),
    );
    const docs = await call(t, 'GET', '/api/docs/');
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain('swagger');
  });
});

describe('bad input is refused with a clear code, and nothing is stored', () => {
  const setup = () => setupSimulator(t);

  const countMessages = (workspaceId: string) => countMessagesOf(t, workspaceId);

  it.each([
    ['malformed JSON', '{"contactId": "x", "text": ', 'validation_failed', 400],
    ['unknown field', { text: 'hi', holdSeconds: 0, sneaky: true }, 'validation_failed', 400],
    ['empty text', { text: '   ', holdSeconds: 0 }, 'validation_failed', 400],
    ['text over 4096 characters', { text: 'a'.repeat(4097), holdSeconds: 0 }, 'validation_failed', 400],
    ['negative hold', { text: 'hi', holdSeconds: -1 }, 'validation_failed', 400],
    ['contact id that is not a uuid', { text: 'hi', contactId: 'abc' }, 'validation_failed', 400],
    ['unknown contact', { text: 'hi', contactId: '00000000-0000-4000-8000-000000000000' }, 'not_found', 404],
  ] as const)('POST /messages with %s', async (_name, body, code, status) => {
    const { ws, contactId } = await setup();
    const payload = typeof body === 'string' ? body : { contactId, ...body };
    const response = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: payload });
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message.length).toBeGreaterThan(5);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+/);
    expect(await countMessages(ws.workspaceId)).toBe(0);
  });

  it('exactly 4096 characters is accepted', async () => {
    const { ws, contactId } = await setup();
    const response = await call(t, 'POST', '/api/v1/messages', {
      token: ws.tokens.agent,
      body: { contactId, text: 'a'.repeat(4096), holdSeconds: 0 },
    });
    expect(response.status).toBe(202);
  });

  it('an unparseable phone number is refused in the caller’s language, and no contact is created', async () => {
    const { ws } = await setup();
    const response = await call(t, 'POST', '/api/v1/contacts', {
      token: ws.tokens.admin,
      body: { name: 'Nobody', phone: '06 12 34' },
      headers: { 'accept-language': 'fr' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'validation_failed', message: 'Ce numéro de téléphone n’est pas valide.' });
    const contacts = await call(t, 'GET', '/api/v1/contacts', { token: ws.tokens.admin });
    expect(contacts.body.items.map((c: { name: string }) => c.name)).toEqual(['James Carter']);
  });

  it('a phone is stored in E.164 and a duplicate is a conflict', async () => {
    const { ws } = await setup();
    const created = await call(t, 'POST', '/api/v1/contacts', {
      token: ws.tokens.admin,
      body: { name: 'Lucie Moreau', phone: '06 98 76 54 32' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ phone: '+33698765432', language: 'fr' });
    const again = await call(t, 'POST', '/api/v1/contacts', {
      token: ws.tokens.admin,
      body: { name: 'Lucie M.', phone: '+33 6 98 76 54 32' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  it('wrong enum values and unknown ids on message actions', async () => {
    const { ws, contactId } = await setup();
    const sent = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: 'hi', holdSeconds: 0 } });
    const scope = await call(t, 'POST', `/api/v1/messages/${sent.body.id}/delete`, {
      token: ws.tokens.agent,
      body: { scope: 'everybody', reason: 'typo' },
    });
    expect(scope.status).toBe(400);
    expect(scope.body.error.code).toBe('validation_failed');
    expect(scope.body.error.details.issues[0].path).toBe('scope');
    const reason = await call(t, 'POST', `/api/v1/messages/${sent.body.id}/delete`, {
      token: ws.tokens.agent,
      body: { scope: 'me' },
    });
    expect(reason.status).toBe(400);
    const channelType = await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: { type: 'telegram', name: 'x' } });
    expect(channelType.status).toBe(400);
    const unknown = await call(t, 'POST', '/api/v1/messages/00000000-0000-4000-8000-000000000000/cancel', { token: ws.tokens.agent });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const notUuid = await call(t, 'GET', '/api/v1/messages/42', { token: ws.tokens.agent });
    expect(notUuid.status).toBe(400);
    const events = await call(t, 'GET', `/api/v1/messages/${sent.body.id}/events`, { token: ws.tokens.agent });
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(['message.created', 'message.queued']);
  });

  it('only admins create channels', async () => {
    const { ws } = await setup();
    const response = await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.agent, body: { type: 'simulator', name: 'Mine' } });
    expect(response.status).toBe(403);
  });
});

describe('history is append-only', () => {
  it('the database refuses to update or delete an event or a version', async () => {
    const ws = await createTestWorkspace(t);
    await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: { type: 'simulator', name: 'Sim' } });
    const contact = await call(t, 'POST', '/api/v1/contacts', { token: ws.tokens.admin, body: { name: 'A', phone: '+33612345679' } });
    await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId: contact.body.id, text: 'hi', holdSeconds: 0 } });
    const db = t.app.ctx.db;
    await expect(db.deleteFrom('message_events').where('workspace_id', '=', ws.workspaceId).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(
      db.updateTable('message_versions').set({ text: 'rewritten' }).where('workspace_id', '=', ws.workspaceId).execute(),
    ).rejects.toThrow(/append-only/);
  });
});

describe('realtime', () => {
  it('streams the caller’s workspace events only', async () => {
    const ws = await createTestWorkspace(t);
    const other = await createTestWorkspace(t);
    await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: { type: 'simulator', name: 'Sim' } });
    const contact = await call(t, 'POST', '/api/v1/contacts', { token: ws.tokens.admin, body: { name: 'A', phone: '+33612345670' } });
    const controller = new AbortController();
    const seen: string[] = [];
    const otherSeen: string[] = [];
    const listen = async (token: string, into: string[]) => {
      const response = await fetch(`${t.baseUrl}/api/v1/events`, {
        headers: { authorization: `Bearer ${token}` },
        signal: controller.signal,
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const match of decoder.decode(value).matchAll(/^data: (.+)$/gm)) into.push(JSON.parse(match[1]!).type);
        }
      } catch {
        // aborted
      }
    };
    const listening = Promise.all([listen(ws.tokens.agent, seen), listen(other.tokens.agent, otherSeen)]);
    await new Promise((r) => setTimeout(r, 100));
    await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId: contact.body.id, text: 'hi', holdSeconds: 0 } });
    await t.app.ctx.jobs.drain();
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    await listening;
    expect(seen).toEqual(expect.arrayContaining(['message.created', 'message.queued', 'message.sent', 'message.delivered']));
    expect(otherSeen).toEqual([]);
  });
});

describe('sign-in with a session cookie', () => {
  async function userWithPassword() {
    const ws = await createTestWorkspace(t);
    const email = `camille-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@test.local`;
    const { createUser } = await import('../commands/create-workspace.ts');
    await createUser(t.app.ctx, { workspaceId: ws.workspaceId, email, name: 'Camille Roux', role: 'agent', password: 'correct horse' });
    return { ws, email };
  }

  const cookieOf = (response: Response) => response.headers.get('set-cookie') ?? '';

  it('signs in, uses the cookie (with the CSRF header for changes), signs out', async () => {
    const { email } = await userWithPassword();
    const wrong = await call(t, 'POST', '/api/v1/auth/login', {
      body: { email, password: 'nope' },
      headers: { 'accept-language': 'fr' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe('E-mail ou mot de passe incorrect.');
    const unknown = await call(t, 'POST', '/api/v1/auth/login', { body: { email: 'nobody@test.local', password: 'nope' } });
    expect(unknown.status).toBe(401);

    const login = await fetch(`${t.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: email.toUpperCase(), password: 'correct horse' }),
    });
    expect(login.status).toBe(200);
    const setCookie = cookieOf(login);
    expect(setCookie).toMatch(/errata_session=ers_/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = setCookie.split(';')[0]!;
    expect(((await login.json()) as { user: unknown }).user).toMatchObject({ email, role: 'agent', name: 'Camille Roux' });

    const me = await call(t, 'GET', '/api/v1/auth/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(email);
    const noCsrf = await call(t, 'POST', '/api/v1/contacts', { headers: { cookie }, body: { name: 'A', phone: '+33612340000' } });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.details.reason).toBe('csrf_header_missing');
    const withCsrf = await call(t, 'POST', '/api/v1/contacts', {
      headers: { cookie, 'x-errata-csrf': '1' },
      body: { name: 'A', phone: '+33612340000' },
    });
    expect(withCsrf.status).toBe(201);

    const logout = await call(t, 'POST', '/api/v1/auth/logout', { headers: { cookie, 'x-errata-csrf': '1' } });
    expect(logout.status).toBe(204);
    expect((await call(t, 'GET', '/api/v1/auth/me', { headers: { cookie } })).status).toBe(401);
  });

  it('slows down password guessing from one place: a growing wait, then the right password works', async () => {
    const { email } = await userWithPassword();
    for (let i = 0; i < 5; i++) {
      expect((await call(t, 'POST', '/api/v1/auth/login', { body: { email, password: `guess-${i}` } })).status).toBe(401);
    }
    // The sixth is still checked (five are free); from then on each failure makes the next wait longer.
    expect((await call(t, 'POST', '/api/v1/auth/login', { body: { email, password: 'guess-5' } })).status).toBe(401);
    const blocked = await fetch(`${t.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse' }),
    });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('1');
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    t.clock.advance(1);
    expect((await call(t, 'POST', '/api/v1/auth/login', { body: { email, password: 'correct horse' } })).status).toBe(200);
  });
});

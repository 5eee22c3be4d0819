import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, setupSimulator, startTestApp, TEST_METRICS_TOKEN, type TestApp } from '../test-support/test-app.ts';
import { registeredRoutes } from './server.ts';

/**
 * Issue 12, defects 1–9: the doors an attacker tried. Every request goes over real HTTP with the
 * exact path given (no client-side normalisation), and every refusal must be in our error shape.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read bodies freely
  json: any;
}

/** One request with this exact path (and bytes), answered within `timeoutMs` or failed. */
function raw(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const url = new URL(t.baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}),
          ...(options.headers ?? {}),
          connection: 'close',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`${method} ${path}: no complete answer within ${options.timeoutMs ?? 3_000} ms (a stream held open?)`));
    }, options.timeoutMs ?? 3_000);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

function expectErrorShape(response: RawResponse, label: string) {
  expect(response.headers['content-type'], label).toMatch(/^application\/json/);
  expect(response.json, label).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) });
  expect(Object.keys(response.json.error).every((k) => ['code', 'message', 'details'].includes(k)), label).toBe(true);
}

const ID = '00000000-0000-4000-8000-000000000000';
const fill = (url: string, id = ID) => url.replace(/:[A-Za-z]+/g, id);

/** Spellings of a path a lenient router, proxy or client might treat as the same route. */
function variants(path: string): string[] {
  const segments = path.split('/').filter(Boolean);
  const encodeFirst = (s: string) => `%${s.charCodeAt(0).toString(16)}${s.slice(1)}`;
  const encodeAll = (s: string) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
  const last = segments.length - 1;
  return [
    `/${encodeFirst(segments[0]!)}/${segments.slice(1).join('/')}`,
    `/${segments.map(encodeAll).join('/')}`,
    `/${segments.map((s, i) => (i === last ? encodeFirst(s) : s)).join('/')}`,
    `/${segments.join('%2F')}`,
    `/${segments.join('%2f')}`,
    `//${segments.join('/')}`,
    `/${segments[0]}//${segments.slice(1).join('/')}`,
    `/${segments.join('//')}`,
    `${path}/`,
    `${path}//`,
    path.toUpperCase(),
    `/${segments[0]!.toUpperCase()}/${segments.slice(1).join('/')}`,
    `/${segments.slice(0, -1).join('/')}/./${segments[last]}`,
    `/${segments.slice(0, -1).join('/')}/x/../${segments[last]}`,
    `/${segments.slice(0, -1).join('/')}/%2e/${segments[last]}`,
    `${path};jsessionid=1`,
    `${path}%20`,
    `${path}?x=1`,
  ];
}

describe('authentication is a property of the route (defect 1)', () => {
  it('every registered API route, in every spelling, refuses a request without credentials', async () => {
    const routes = registeredRoutes(t.app.server).filter((r) => r.url.startsWith('/api/v1/'));
    const protectedRoutes = routes.filter((r) => !r.public);
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(40);
    // Signing in is public by its route option, not by its URL.
    expect(routes.filter((r) => r.public).map((r) => `${r.method} ${r.url}`)).toContain('POST /api/v1/auth/login');
    let checked = 0;
    for (const route of protectedRoutes) {
      const path = fill(route.url);
      const headers: Record<string, string> = route.method === 'GET' || route.method === 'HEAD' ? {} : { 'content-type': 'application/json' };
      const body = headers['content-type'] ? '{}' : undefined;
      const exact = await raw(route.method, path, { headers, ...(body ? { body } : {}) });
      expect(exact.status, `${route.method} ${path}`).toBe(401);
      for (const variant of variants(path)) {
        const label = `${route.method} ${variant}`;
        const response = await raw(route.method, variant, { headers, ...(body ? { body } : {}) });
        expect([400, 401, 404], label).toContain(response.status);
        if (route.method !== 'HEAD') expectErrorShape(response, label);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(700);
  }, 120_000);

  it('a path Fastify decodes to a route reaches its authentication: /%61pi/v1/users and the event stream', async () => {
    const users = await raw('GET', '/%61pi/v1/users');
    expect(users.status).toBe(401);
    expect(users.json.error.code).toBe('unauthorized');
    const events = await raw('GET', '/%61pi/v1/events', { timeoutMs: 2_000 });
    expect(events.status).toBe(401);
    const encodedEvents = await raw('GET', '/api/v1/%65vents', { timeoutMs: 2_000 });
    expect(encodedEvents.status).toBe(401);
  });

  it('paths that look like the API never get the web app', async () => {
    for (const path of ['/API/V1/USERS', '//api/v1/users', '/api/v1/users/', '/Api/v1/nothing', '/METRICS', '//metrics', '/webhooks/nothing', '/%61pi/v1/nothing']) {
      const response = await raw('GET', path);
      expect(response.status, path).toBe(404);
      expectErrorShape(response, path);
    }
  });
});

describe('every error is in our shape, whoever raises it (defect 4)', () => {
  it('over-long path parameter (414), malformed URL, unknown path, 415, 413, malformed JSON, header overflow, malformed request', async () => {
    const { ws } = await setupSimulator(t);
    const auth = { authorization: `Bearer ${ws.tokens.admin}` };
    // Past the router's parameter limit: 414 (or 404 when the web app's catch-all takes the path), never Fastify's body echoing the URL.
    for (const [method, long] of [
      ['GET', `/api/v1/messages/${'a'.repeat(500)}`],
      ['GET', `/api/v1/simulator/contacts/${ID}/devices/${'a'.repeat(101)}`],
      ['POST', `/webhooks/evolution/${'b'.repeat(300)}`],
      ['POST', `/webhooks/evolution/${ID}/${'c'.repeat(300)}`],
    ] as const) {
      const tooLong = await raw(method, long, { headers: auth });
      expect([404, 414], long).toContain(tooLong.status);
      expectErrorShape(tooLong, long);
      expect(tooLong.json.error.code).toBe(tooLong.status === 414 ? 'uri_too_long' : 'not_found');
      expect(tooLong.text).not.toMatch(/aaaaaaaaaa|bbbbbbbbbb|cccccccccc/);
    }

    const badUrl = await raw('GET', '/api/v1/messages/%E0%A4%A', { headers: auth });
    expect(badUrl.status).toBe(400);
    expectErrorShape(badUrl, 'bad url');
    expect(badUrl.text).not.toContain('%E0');

    for (const path of ['/nothing.js', '/api/v1/nothing', '/api/nothing', '/assets/nothing.css']) {
      const missing = await raw('GET', path, { headers: auth });
      expect(missing.status, path).toBe(404);
      expectErrorShape(missing, path);
    }

    const wrongType = await raw('POST', '/api/v1/contacts', { headers: { ...auth, 'content-type': 'application/xml' }, body: '<a/>' });
    expect(wrongType.status).toBe(415);
    expectErrorShape(wrongType, '415');
    // text/plain is what a cross-site form can post without a preflight: the API reads JSON only.
    for (const path of ['/api/v1/contacts', '/api/v1/auth/login']) {
      const plain = await raw('POST', path, { headers: { ...auth, 'content-type': 'text/plain' }, body: '{"name":"x","phone":"+33612345678"}' });
      expect(plain.status, path).toBe(415);
      expectErrorShape(plain, `text/plain ${path}`);
    }

    const huge = await raw('POST', '/api/v1/contacts', {
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), phone: '+33612345678' }),
    });
    expect(huge.status).toBe(413);
    expectErrorShape(huge, '413');

    const notJson = await raw('POST', '/api/v1/contacts', { headers: { ...auth, 'content-type': 'application/json' }, body: '{"name":' });
    expect(notJson.status).toBe(400);
    expectErrorShape(notJson, 'malformed json');

    const badLength = await raw('POST', '/api/v1/contacts', {
      headers: { ...auth, 'content-type': 'application/json', 'content-length': '5' },
      body: '{}',
    }).catch(() => undefined);
    if (badLength) expectErrorShape(badLength, 'content-length');

    const headerOverflow = await raw('GET', '/api/v1/users', { headers: { ...auth, 'x-big': 'y'.repeat(40_000) } });
    expect(headerOverflow.status).toBe(431);
    expect(headerOverflow.json).toEqual({ error: { code: 'headers_too_large', message: expect.any(String) } });

    const malformed = await new Promise<string>((resolve, reject) => {
      const url = new URL(t.baseUrl);
      const socket = connect(Number(url.port), url.hostname, () => socket.write('GET /api/v1/users HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'));
      let text = '';
      socket.on('data', (c) => {
        text += c.toString('utf8');
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(malformed).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(malformed.slice(malformed.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'validation_failed', message: expect.any(String) },
    });
  });
});

describe('security headers (defect 7)', () => {
  it('the web app, the API (answers and refusals), health and docs carry them', async () => {
    const { ws } = await setupSimulator(t);
    for (const [path, headers] of [
      ['/', {}],
      ['/inbox/some/deep/link', {}],
      ['/api/v1/contacts', { authorization: `Bearer ${ws.tokens.agent}` }],
      ['/api/v1/contacts', {}],
      ['/healthz', {}],
      ['/api/docs/', {}],
    ] as const) {
      const response = await raw('GET', path, { headers });
      const csp = String(response.headers['content-security-policy']);
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("object-src 'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(csp, path).not.toContain('unsafe-eval');
      expect(response.headers['x-content-type-options'], path).toBe('nosniff');
      expect(response.headers['x-frame-options'], path).toBe('DENY');
      expect(response.headers['referrer-policy'], path).toBe('no-referrer');
    }
    const index = await raw('GET', '/');
    // The CSP lets the app run: no inline script in the page it serves.
    expect(index.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
  });

  it('without trustProxy, X-Forwarded-Proto is not believed: no Secure cookie on plain http', async () => {
    const email = `sec-${Date.now()}@test.local`;
    const { createUser } = await import('../commands/create-workspace.ts');
    const { ws } = await setupSimulator(t);
    await createUser(t.app.ctx, { workspaceId: ws.workspaceId, email, name: 'Sec', role: 'agent', password: 'correct horse battery' });
    const login = await raw('POST', '/api/v1/auth/login', {
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ email, password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('without trustProxy, X-Forwarded-For is not believed: a guesser cannot escape throttling by claiming other addresses', async () => {
    const email = `spoof-${Date.now()}@test.local`;
    let last = 0;
    for (let i = 0; i < 7; i++) {
      last = (
        await raw('POST', '/api/v1/auth/login', {
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
          body: JSON.stringify({ email, password: `guess-${i}` }),
        })
      ).status;
    }
    expect(last).toBe(429);
  });
});

describe('/metrics needs ERRATA_METRICS_TOKEN (defect 9)', () => {
  it('refuses without the token or with a wrong one, serves with it', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TEST_METRICS_TOKEN }] as Record<string, string>[]) {
      const response = await raw('GET', '/metrics', { headers });
      expect(response.status).toBe(401);
      expectErrorShape(response, 'metrics');
      expect(response.text).not.toContain('errata_');
    }
    const ok = await raw('GET', '/metrics', { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('errata_sign_in_failures_total');
  });
});

// ——— Bad input on every route: 4xx in our shape, nothing stored (defects 2, 3, 5, 6)

interface OpenApiOperation {
  parameters?: { in: string; name: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  required?: string[];
  default?: unknown;
}

async function openApiOperations(): Promise<{ method: string; path: string; op: OpenApiOperation }[]> {
  const spec = (await call(t, 'GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, OpenApiOperation>> };
  return Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path: path.replace(/\{([^}]+)\}/g, ':$1'), op })),
  );
}

/** Every string in a schema, with where it is. */
function strings(schema: JsonSchema | undefined, where: string, out: { where: string; schema: JsonSchema }[] = []) {
  if (!schema) return out;
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) strings(branch, where, out);
  const types = [schema.type].flat();
  if (types.includes('string')) out.push({ where, schema });
  for (const [name, child] of Object.entries(schema.properties ?? {})) strings(child, `${where}.${name}`, out);
  if (schema.items) strings(schema.items, `${where}[]`, out);
  if (schema.propertyNames) strings(schema.propertyNames, `${where}{key}`, out);
  if (typeof schema.additionalProperties === 'object') strings(schema.additionalProperties, `${where}{value}`, out);
  return out;
}

/** A body where every string is one character over its maximum (first branch of unions). */
function overLong(schema: JsonSchema): unknown {
  const branch = schema.anyOf?.[0] ?? schema.oneOf?.[0] ?? schema;
  if (branch !== schema) return overLong(branch);
  const types = [schema.type].flat();
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (types.includes('object') || schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(schema.properties ?? {})) out[name] = overLong(child);
    // A record: one key over its maximum.
    if (schema.propertyNames?.maxLength !== undefined && typeof schema.additionalProperties === 'object') {
      out['x'.repeat(schema.propertyNames.maxLength + 1)] = overLong(schema.additionalProperties);
    }
    return out;
  }
  if (types.includes('array')) return [overLong(schema.items ?? { type: 'string', maxLength: 10 })];
  if (types.includes('string')) return 'x'.repeat((schema.maxLength ?? 10_000) + 1);
  if (types.includes('number') || types.includes('integer')) return 1;
  if (types.includes('boolean')) return true;
  return null;
}

/** Every row of every table that belongs to the workspace, and the workspace itself, as text. */
async function snapshot(workspaceId: string): Promise<string> {
  const db = t.app.ctx.db;
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.columns
    where column_name = 'workspace_id' and table_schema = current_schema() order by table_name`.execute(db);
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql`select * from ${sql.table(table_name)} where workspace_id = ${workspaceId}`.execute(db);
    parts.push(`${table_name}:${JSON.stringify(rows.rows.map((r) => JSON.stringify(r)).sort())}`);
  }
  const workspace = await sql`select * from workspaces where id = ${workspaceId}`.execute(db);
  parts.push(JSON.stringify(workspace.rows));
  return parts.join('\n');
}

describe('bad input on every route answers 4xx in our shape and stores nothing', () => {
  /** A workspace with one of everything, so each :id route points at a real object. */
  async function populated() {
    const s = await setupSimulator(t);
    const admin = s.ws.tokens.admin;
    const sent = await call(t, 'POST', '/api/v1/messages', { token: admin, body: { contactId: s.contactId, text: 'Bonjour', holdSeconds: 0 } });
    const device = await call(t, 'POST', `/api/v1/simulator/contacts/${s.contactId}/devices`, {
      token: admin,
      body: { label: 'Tablet', clientVersion: '2.24.1', online: true },
    });
    const item = await call(t, 'POST', '/api/v1/catalog', { token: admin, body: { name: 'Lampe', price: 10 } });
    const allow = await call(t, 'POST', '/api/v1/guard/allowlist', { token: admin, body: { text: 'Lumière' } });
    const conversations = await call(t, 'GET', '/api/v1/conversations', { token: admin });
    const ids: Record<string, string> = {
      messages: sent.body.id,
      contacts: s.contactId,
      channels: s.channelId,
      conversations: conversations.body.items[0].id,
      catalog: item.body.id,
      simulator: s.contactId,
      guard: allow.body.id,
      deviceId: device.body.id,
    };
    for (const [name, id] of Object.entries(ids)) expect(id, name).toMatch(/^[0-9a-f-]{36}$/);
    const pathOf = (template: string) => {
      const resource = template.split('/')[3] ?? '';
      return template.replace(/:deviceId/g, ids.deviceId!).replace(/:[A-Za-z]+/g, ids[resource] ?? ID);
    };
    return { ...s, admin, pathOf };
  }

  it('NUL, lone surrogates, invalid UTF-8 and over-long strings in every body (defects 2, 5, 6)', async () => {
    const s = await populated();
    const before = await snapshot(s.ws.workspaceId);
    const withBody = (await openApiOperations()).filter((o) => o.op.requestBody && o.path !== '/api/v1/auth/login');
    expect(withBody.length).toBeGreaterThanOrEqual(20);
    for (const { method, path, op } of withBody) {
      const url = s.pathOf(path);
      const schema = op.requestBody!.content['application/json']!.schema;
      const sample = overLong(schema) as Record<string, unknown>;
      const attempts: [string, string | Buffer, string | null][] = [
        ['nul', JSON.stringify({ text: 'a\u0000b', name: 'a\u0000b' }), 'nul_character'],
        ['nul in a key', '{"na\\u0000me":"x"}', 'nul_character'],
        ...(JSON.stringify(nulEverywhere(sample)).includes('\\u0000')
          ? [['nul in the real shape', JSON.stringify(nulEverywhere(sample)), 'nul_character'] as [string, string, string]]
          : []),
        ['lone surrogate', '{"text":"a\\ud800b","name":"\\udfff"}', 'lone_surrogate'],
        ['invalid utf-8', Buffer.concat([Buffer.from('{"text":"caf'), Buffer.from([0xc3, 0x28]), Buffer.from('","name":"'), Buffer.from([0xff]), Buffer.from('"}')]), 'invalid_utf8'],
        ...(/x{11}/.test(JSON.stringify(sample)) ? [['over-long', JSON.stringify(sample), null] as [string, string, null]] : []),
      ];
      for (const [name, body, reason] of attempts) {
        const label = `${method} ${path} ${name}`;
        const response = await raw(method, url, { headers: { authorization: `Bearer ${s.admin}`, 'content-type': 'application/json' }, body });
        expect(response.status, `${label}: ${response.text}`).toBe(400);
        expectErrorShape(response, label);
        expect(response.json.error.code, label).toBe('validation_failed');
        if (reason) expect(response.json.error.details.reason, label).toBe(reason);
      }
    }
    // The login route too: refused before any lookup.
    const login = await raw('POST', '/api/v1/auth/login', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a\u0000@x.fr', password: 'x' }),
    });
    expect(login.status).toBe(400);
    expect(await snapshot(s.ws.workspaceId)).toBe(before);
  }, 120_000);

  it('NUL, over-long and malformed path parameters and query strings on every route (defect 3)', async () => {
    const s = await populated();
    const before = await snapshot(s.ws.workspaceId);
    const auth = { authorization: `Bearer ${s.admin}`, 'content-type': 'application/json' };
    for (const { method, path, op } of await openApiOperations()) {
      if (path === '/api/v1/auth/login' || path === '/api/v1/events') continue;
      const body = op.requestBody ? '{}' : undefined;
      const base = s.pathOf(path);
      if (path.includes(':')) {
        for (const [name, bad, status] of [
          ['nul id', '%00', 400],
          ['not a uuid', 'abc', 400],
          ['over-long id', 'a'.repeat(150), 'long'],
          ['encoded nul in a uuid', `${ID.slice(0, -1)}%00`, 400],
        ] as const) {
          const url = path.replace(/:[A-Za-z]+/, bad).replace(/:deviceId/, ID).replace(/:[A-Za-z]+/g, ID);
          const response = await raw(method, url, { headers: auth, ...(body ? { body } : {}) });
          if (status === 'long') expect([404, 414], `${method} ${url} ${name}`).toContain(response.status);
          else expect(response.status, `${method} ${url} ${name}`).toBe(status);
          expectErrorShape(response, `${method} ${path} ${name}`);
        }
      }
      const query = (op.parameters ?? []).filter((p) => p.in === 'query');
      for (const param of query) {
        const values = ['%00', 'a%00b', `${'z'.repeat((param.schema.maxLength ?? 300) + 1)}`, '%ff'];
        for (const value of values) {
          const url = `${base}?${param.name}=${value}`;
          const response = await raw(method, url, { headers: auth, ...(body ? { body } : {}) });
          expect(response.status, `${method} ${url.slice(0, 120)}`).toBe(400);
          expectErrorShape(response, url);
        }
      }
      // An unknown query parameter on a route that declares some is refused; NUL anywhere is.
      const nul = await raw(method, `${base}?q=%00`, { headers: auth, ...(body ? { body } : {}) });
      expect(nul.status, `${method} ${base}?q=%00`).toBe(400);
      expectErrorShape(nul, `${method} ${path} q=%00`);
    }
    expect(await snapshot(s.ws.workspaceId)).toBe(before);
  }, 120_000);

  it('cursors: not base64, not a pair, a non-UUID id, a date out of range, a number beyond bigint — all 400', async () => {
    const s = await populated();
    const token = s.admin;
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const conversationId = (await call(t, 'GET', '/api/v1/conversations', { token })).body.items[0].id;
    for (const bad of [
      'not a cursor!',
      cursor('just a string'),
      cursor([null]),
      cursor(['2026-03-02T10:00:00.000Z', 'not-a-uuid']),
      cursor(['2026-03-02T10:00:00.000Z', 42]),
      cursor(['-271821-04-20T00:00:00.000Z', ID]),
      cursor(['+275760-09-13T00:00:00.000Z', ID]),
      cursor(['99999-01-01T00:00:00.000Z', ID]),
      cursor(['yesterday', ID]),
      cursor([12345, ID]),
      cursor(['2026-03-02T10:00:00.000Z', `${ID}\u0000`]),
      Buffer.from('\u0000').toString('base64url'),
    ]) {
      const response = await call(t, 'GET', `/api/v1/conversations?cursor=${encodeURIComponent(bad)}`, { token });
      expect(response.status, bad).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
    const good = await call(t, 'GET', `/api/v1/conversations?cursor=${cursor(['2026-03-02T10:00:00.000Z', ID])}`, { token });
    expect(good.status).toBe(200);
    for (const bad of ['9223372036854775808', '99999999999999999999999', '-1', '1e5', '0x10', '1.5', ' 1']) {
      const response = await call(t, 'GET', `/api/v1/conversations/${conversationId}/messages?cursor=${encodeURIComponent(bad)}`, { token });
      expect(response.status, bad).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
    expect((await call(t, 'GET', `/api/v1/conversations/${conversationId}/messages?cursor=999999999999999`, { token })).status).toBe(200);
    for (const q of ['%00', 'a%00', '%C3%28', 'x'.repeat(201)]) {
      const response = await call(t, 'GET', `/api/v1/conversations?q=${q}`, { token });
      expect(response.status, q).toBe(400);
    }
    expect((await call(t, 'GET', `/api/v1/conversations?q=${encodeURIComponent('Jamés 👋')}`, { token })).status).toBe(200);
  });

  it('the business name: not empty, not 200 kB (defect 5)', async () => {
    const s = await populated();
    const before = await snapshot(s.ws.workspaceId);
    for (const name of ['', '   ', 'x'.repeat(200_000), 'x'.repeat(201)]) {
      const response = await call(t, 'PUT', '/api/v1/business-profile', { token: s.admin, body: { name } });
      expect(response.status, `${name.length} characters`).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
    expect(await snapshot(s.ws.workspaceId)).toBe(before);
    const ok = await call(t, 'PUT', '/api/v1/business-profile', { token: s.admin, body: { name: 'Maison Lumière' } });
    expect(ok.status).toBe(200);
  });

  it('every text field of every request documents a minimum and a maximum length (OpenAPI)', async () => {
    const unbounded: string[] = [];
    for (const { method, path, op } of await openApiOperations()) {
      const found = [
        ...(op.parameters ?? []).flatMap((p) => strings(p.schema, `${p.in}:${p.name}`)),
        ...Object.values(op.requestBody?.content ?? {}).flatMap((c) => strings(c.schema, 'body')),
      ];
      for (const { where, schema } of found) {
        // Formats whose length is bounded by their shape: a UUID, an ISO date or date-time.
        if (schema.enum || schema.const !== undefined || ['uuid', 'date-time', 'date'].includes(schema.format ?? '')) continue;
        if (schema.minLength === undefined || schema.maxLength === undefined) unbounded.push(`${method} ${path} ${where}`);
      }
    }
    expect(unbounded).toEqual([]);
  });
});

/** The same shape with a NUL appended to every string. */
function nulEverywhere(value: unknown): unknown {
  if (typeof value === 'string') return `${value.slice(0, 3)}\u0000`;
  if (Array.isArray(value)) return value.map(nulEverywhere);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nulEverywhere(v)]));
  return value;
}

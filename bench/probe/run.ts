/**
 * An attacker's probe of the whole API (issue 12's bar, generalised): for every operation in the
 * OpenAPI document, a seeded stream of requests — valid-looking bodies with one field mutated (wrong
 * type, boundary numbers, odd Unicode, NUL, over-long, extra keys, deep nesting), ids from another
 * workspace, no or a foreign token — and three checks on every answer: never 5xx, every error in
 * our shape, never a stack trace or a server path. Another workspace's objects must stay invisible.
 *
 *   npm run probe:api [-- --requests 3000 --seed 7]
 */
import { request as httpRequest } from 'node:http';
import { call, setupSimulator, startTestApp, type TestApp } from '../../src/test-support/test-app.ts';

type Json = Record<string, unknown>;
interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  additionalProperties?: Schema | boolean;
}
interface Operation {
  requestBody?: { content: Record<string, { schema: Schema }> };
  parameters?: { in: string; name: string; schema?: Schema }[];
}

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const TOTAL = arg('requests', 2000);
let seed = arg('seed', 1) >>> 0;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let x = seed;
  x = Math.imul(x ^ (x >>> 15), x | 1);
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const ODD_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u202eevil',
  'zero\u200bwidth',
  '👩‍👩‍👧‍👦'.repeat(50),
  'x'.repeat(70_000),
  '../../etc/passwd',
  "'; drop table messages; --",
  '<script>alert(1)</script>',
  '%00',
  '\ud800',
  '{{constructor.constructor}}',
  '__proto__',
  '2026-02-30T25:61:00Z',
  '-1',
  '1e309',
];
const ODD_VALUES: unknown[] = [null, true, 0, -1, 1.5, 2 ** 63, -(2 ** 63), 1e308, [], {}, [[[[[[]]]]]], { __proto__: { admin: true } }, ...ODD_STRINGS];

function sample(schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return null;
  const branch = schema.anyOf ?? schema.oneOf;
  if (branch?.length) return sample(pick(branch), depth + 1);
  if (schema.allOf?.length) return Object.assign({}, ...schema.allOf.map((s) => sample(s, depth + 1) as Json));
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return pick(schema.enum);
  const type = [schema.type].flat()[0];
  if (type === 'object' || schema.properties) {
    const out: Json = {};
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      if (schema.required?.includes(name) || random() < 0.5) out[name] = sample(child, depth + 1);
    }
    return out;
  }
  if (type === 'array') return [sample(schema.items, depth + 1)];
  if (type === 'integer') return Math.round(schema.minimum ?? 1);
  if (type === 'number') return schema.minimum ?? 1;
  if (type === 'boolean') return random() < 0.5;
  if (type === 'string') {
    if (schema.format === 'uuid') return crypto.randomUUID();
    if (schema.format === 'date-time') return '2026-03-02T10:00:00.000Z';
    if (schema.format === 'email') return `p${Math.floor(random() * 1e6)}@probe.test`;
    return 'Bonjour'.slice(0, Math.max(schema.minLength ?? 1, Math.min(7, schema.maxLength ?? 7)));
  }
  return null;
}

/** A valid-looking body with one place changed. */
function mutate(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return pick(ODD_VALUES);
  const obj = { ...(body as Json) };
  const keys = Object.keys(obj);
  const roll = random();
  if (roll < 0.1 || keys.length === 0) obj[pick(['extra', '__proto__', 'workspaceId', 'role', 'id'])] = pick(ODD_VALUES);
  else if (roll < 0.15) return pick(ODD_VALUES);
  else {
    const key = pick(keys);
    const value = obj[key];
    obj[key] = value && typeof value === 'object' && !Array.isArray(value) && random() < 0.5 ? mutate(value) : pick(ODD_VALUES);
  }
  return obj;
}

interface Answer {
  status: number;
  text: string;
}
function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ status: 0, text: 'timeout' });
    }, 5_000);
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const LEAK = /node_modules|\/work\/|\bat [\w.<>]+ \(|\.ts:\d+|\bstack\b|SELECT |PGlite|postgres error/i;

async function populate(t: TestApp) {
  const s = await setupSimulator(t);
  const admin = s.ws.tokens.admin;
  const sent = await call(t, 'POST', '/api/v1/messages', { token: admin, body: { contactId: s.contactId, text: 'Bonjour', holdSeconds: 0 } });
  const conversations = await call(t, 'GET', '/api/v1/conversations', { token: admin });
  const item = await call(t, 'POST', '/api/v1/catalog', { token: admin, body: { name: 'Lampe', price: 10 } });
  return {
    ...s,
    ids: {
      messages: sent.body.id as string,
      contacts: s.contactId,
      simulator: s.contactId,
      channels: s.channelId,
      conversations: conversations.body.items?.[0]?.id as string,
      catalog: item.body.id as string,
      users: s.ws.userIds.agent,
    } as Record<string, string>,
  };
}

async function main() {
  const t = await startTestApp();
  try {
    const mine = await populate(t);
    const theirs = await populate(t);
    const spec = (await call(t, 'GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
    const findings: string[] = [];
    const counts = { requests: 0, '2xx': 0, '4xx': 0, '5xx': 0, leaks: 0, badShape: 0, crossWorkspace: 0 };
    for (let n = 0; n < TOTAL; n++) {
      const { method, path, op } = pick(operations);
      if (path === '/api/v1/events') continue; // a stream: probed by the security suite
      const scenario = random();
      const foreign = scenario < 0.15;
      const resource = path.split('/')[3] ?? '';
      const idFor = (name: string) => {
        if (foreign) return (theirs.ids[resource] ?? crypto.randomUUID());
        if (random() < 0.1) return pick(['x', '%00', '1', '..%2f', crypto.randomUUID(), 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
        return name === 'deviceId' ? crypto.randomUUID() : (mine.ids[resource] ?? crypto.randomUUID());
      };
      const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => idFor(name));
      const token = scenario < 0.2 && scenario >= 0.15 ? 'errata_bogus' : pick([mine.ws.tokens.admin, mine.ws.tokens.agent, mine.ws.tokens.auditor, mine.ws.tokens.supervisor]);
      const schema = op.requestBody?.content['application/json']?.schema;
      const body = schema ? JSON.stringify(random() < 0.8 ? mutate(sample(schema)) : sample(schema)) : undefined;
      const query = op.parameters?.some((p) => p.in === 'query') && random() < 0.5 ? `?${pick(['q', 'cursor', 'limit', 'status', 'since'])}=${encodeURIComponent(String(pick(ODD_VALUES)).replace(/[\ud800-\udfff]/g, '%ED%A0%80'))}` : '';
      if (method === 'POST' && /logout|login|invitations\/accept|password-reset\/accept/.test(path) && random() < 0.7) continue;
      const answer = await send(t.baseUrl, method, url + query, { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body);
      counts.requests++;
      const label = `${method} ${url.slice(0, 120)}${query.slice(0, 40)} → ${answer.status}`;
      if (answer.status >= 500 || answer.status === 0) {
        counts['5xx']++;
        findings.push(`${label}: ${answer.text.slice(0, 200)} body=${(body ?? '').slice(0, 200)}`);
      } else if (answer.status >= 400) counts['4xx']++;
      else counts['2xx']++;
      if (LEAK.test(answer.text) && answer.status >= 400) {
        counts.leaks++;
        findings.push(`leak? ${label}: ${answer.text.slice(0, 200)}`);
      }
      if (answer.status >= 400) {
        try {
          const parsed = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
          if (typeof parsed.error?.code !== 'string' || typeof parsed.error?.message !== 'string') throw new Error('shape');
        } catch {
          counts.badShape++;
          findings.push(`shape ${label}: ${answer.text.slice(0, 120)}`);
        }
      }
      // Another workspace's object must answer as if it did not exist.
      if (foreign && answer.status < 400 && path.includes('{') && theirs.ids[resource] && answer.text.includes(theirs.ids[resource]!)) {
        counts.crossWorkspace++;
        findings.push(`cross-workspace ${label}`);
      }
    }
    console.log(JSON.stringify({ seed: arg('seed', 1), ...counts }));
    for (const f of findings.slice(0, 40)) console.log(f);
    process.exitCode = counts['5xx'] + counts.leaks + counts.badShape + counts.crossWorkspace > 0 ? 1 : 0;
  } finally {
    await t.close();
  }
}

await main();

import type { CloudApiFake } from '../../src/test-support/fakes/cloud-api-fake.ts';
import { cloudChannelBody } from '../../src/test-support/test-app.ts';
import http from 'node:http';

/** A keep-alive JSON client for the benchmarks (plain node:http: the client must not be the bottleneck). */
export function jsonClient(token: string, maxSockets: number, options: { timeoutMs?: number } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  // biome-ignore lint/suspicious/noExplicitAny: benchmark scripts read the API's JSON freely
  function request(base: string, method: string, route: string, body?: unknown): Promise<{ status: number; json: any }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        `${base}${route}`,
        {
          method,
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
          ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            try {
              resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null });
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }
  /** Closes the kept-alive connections, so the script can exit. */
  return Object.assign(request, { destroy: () => agent.destroy() });
}

export async function withPostgresDatabase<T>(adminUrl: string, prefix: string, run: (url: string) => Promise<T>): Promise<T> {
  const pg = (await import('pg')).default;
  const name = `${prefix}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await run(url.toString());
  } finally {
    const again = new pg.Client({ connectionString: adminUrl });
    await again.connect();
    await again.query(`drop database if exists ${name} with (force)`);
    await again.end();
  }
}

type Request = ReturnType<typeof jsonClient>;


/**
 * Connects the fake's number as a Cloud API channel, and has `contacts` customers write first (so
 * their 24-hour windows are open). Answers the channel id and the contacts' ids.
 */
export async function connectCloudChannel(
  request: Request,
  base: string,
  fake: CloudApiFake,
  options: { ratePerSecond: number; defaultHoldSeconds: number; contacts: number; phonePrefix: string },
): Promise<{ channelId: string; contactIds: string[]; phones: string[] }> {
  const channel = await request(
    base,
    'POST',
    '/api/v1/channels',
    cloudChannelBody(fake, { name: 'Bench', ratePerSecond: options.ratePerSecond, defaultHoldSeconds: options.defaultHoldSeconds }),
  );
  if (channel.status !== 201) throw new Error(`channel: ${JSON.stringify(channel.json)}`);
  const phones = Array.from({ length: options.contacts }, (_, i) => `${options.phonePrefix}${String(i).padStart(4, '0')}`);
  for (const from of phones) {
    const d = await fake.sendWebhook(`${base}/webhooks/whatsapp`, fake.webhooks.inboundText({ from, body: `Bonjour ${from}` }));
    if (d.status !== 200) throw new Error(`inbound webhook: ${d.status} ${d.responseBody}`);
  }
  // Customer messages are applied right after the 200: wait until every conversation is there.
  for (let attempt = 0; attempt < 200; attempt++) {
    const conversations = await request(base, 'GET', `/api/v1/conversations?limit=${Math.min(200, options.contacts)}`);
    const contactIds: string[] = conversations.json.items.map((c: { contact: { id: string } }) => c.contact.id);
    if (contactIds.length === Math.min(200, options.contacts)) return { channelId: channel.json.id, contactIds, phones };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('customers never showed up as conversations');
}

/**
 * `npm run bench:analytics` — the Health dashboard's queries on PostgreSQL with 1 000 000 messages,
 * 50 000 deletions for everyone and 200 agents over 90 days (issue 17). The data are seeded in one
 * SQL statement per table (generate_series), then every dashboard request is timed through the
 * real HTTP routes (Fastify inject: authentication, validation, queries, measures, serialisation).
 * Bar: p95 ≤ 300 ms per request.
 *
 * Options (env): BENCH_MESSAGES (default 1000000), BENCH_RUNS (default 20),
 * BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_KEEP_DB=1.
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import pg from 'pg';
import { createApp } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { createApiToken } from '../../src/commands/create-api-token.ts';
import { settleDeletionFacts } from '../../src/commands/analytics/evaluate-alerts.ts';
import { createUser, createWorkspace } from '../../src/commands/create-workspace.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const AGENTS = 200;
const CONTACTS = 20_000;
const DAYS = 90;
const NOW = new Date('2026-06-01T12:00:00.000Z');

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function seed(url: string, workspaceId: string, channelId: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await load(client, workspaceId, channelId);
  } finally {
    await client.end();
  }
}

async function load(client: pg.Client, workspaceId: string, channelId: string): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const step = async (name: string, text: string, values: unknown[] = []) => {
    const t0 = performance.now();
    await client.query(text, values);
    timings[name] = performance.now() - t0;
  };
  // Foreign-key triggers off for the load (the ids below are consistent by construction).
  await client.query('set session_replication_role = replica');
  const start = new Date(NOW.getTime() - DAYS * 86_400_000);
  await step(
    'agents',
    `insert into users (id, workspace_id, email, name, role, created_at)
     select md5('agent' || k)::uuid, $1::uuid, 'agent' || k || '-' || $1::text || '@bench.test', 'Agent ' || k, 'agent', $2
     from generate_series(0, ${AGENTS - 1}) k`,
    [workspaceId, start],
  );
  await step(
    'contacts',
    `insert into contacts (id, workspace_id, name, phone, language, created_at, updated_at)
     select md5('contact' || k)::uuid, $1, 'Client ' || k, '+3360' || lpad(k::text, 7, '0'), case when k % 3 = 0 then 'en' else 'fr' end, $2, $2
     from generate_series(0, ${CONTACTS - 1}) k`,
    [workspaceId, start],
  );
  await step(
    'conversations',
    `insert into conversations (id, workspace_id, contact_id, channel_id, created_at, last_message_at)
     select md5('conv' || k)::uuid, $1, md5('contact' || k)::uuid, $2, $3, $4
     from generate_series(0, ${CONTACTS - 1}) k`,
    [workspaceId, channelId, start, NOW],
  );
  await step(
    'devices',
    `insert into simulator_devices (id, workspace_id, contact_id, label, client_version, online, created_at, updated_at)
     select md5('device' || k)::uuid, $1, md5('contact' || k)::uuid, 'Phone', '2.24.0', true, $2, $2
     from generate_series(0, ${CONTACTS - 1}) k`,
    [workspaceId, start],
  );
  // One message every ~7.8 s; 50 consecutive messages share a conversation; one in five is the
  // customer's. Out of every 16 messages the 2nd is deleted for everyone a few seconds after it
  // left (when it is ours: 1 000 000 / 16 × 4/5 = 50 000), and the next one, a few seconds later,
  // is a correction when it is ours. Edits, deletes for me, guard findings, approvals and undos
  // are sprinkled in.
  const span = DAYS * 86_400;
  await step(
    'messages',
    `insert into messages (id, workspace_id, conversation_id, channel_id, contact_id, direction, author_user_id, status, text,
        created_at, updated_at, sent_at, read_at, revoked_at, revoke_reason, read_before_revoke, edited_at,
        deleted_for_me_at, deleted_for_me_reason, guard_verdict, guard_findings, guard_acknowledged,
        approval_requested_at, approval_decision, approval_decided_at, cancelled_at)
     select md5('msg' || g)::uuid, $1, md5('conv' || c)::uuid, $2, md5('contact' || c)::uuid,
        case when outgoing then 'out' else 'in' end,
        case when outgoing then md5('agent' || ((g / 5) % ${AGENTS}))::uuid end,
        case when cancelled then 'cancelled' when outgoing then 'read' else 'received' end,
        case when g % 16 = 2 then 'Sorry, my mistake: here is the right information.' else 'Message ' || g end,
        at, at,
        case when outgoing and not cancelled then at end,
        case when outgoing and not cancelled and g % 3 = 0 then at + interval '1 second' end,
        case when revoked then at + make_interval(secs => 2 + g % 3) end,
        case when revoked then (array['typo','wrong_price','confidential','wrong_recipient','tone','promotion_withdrawn','other'])[1 + g % 7] end,
        revoked and g % 3 = 0,
        case when outgoing and not revoked and not cancelled and g % 97 = 3 then at + interval '60 seconds' end,
        case when outgoing and not revoked and not cancelled and g % 211 = 5 then at + interval '90 seconds' end,
        case when outgoing and not revoked and not cancelled and g % 211 = 5 then 'other' end,
        case when outgoing and g % 20 = 7 then 'warn' end,
        case when outgoing and g % 20 = 7 then '[{"kind":"spelling.word","category":"spelling","severity":"warn"}]'::jsonb end,
        case when outgoing and g % 40 = 7 then '["spelling.word"]'::jsonb else '[]'::jsonb end,
        case when outgoing and g % 101 = 9 then at - interval '5 minutes' end,
        case when outgoing and g % 101 = 9 then (case when g % 2 = 0 then 'approved' else 'rejected' end) end,
        case when outgoing and g % 101 = 9 then at - interval '2 minutes' end,
        case when cancelled then at + interval '5 seconds' end
     from (
       select g, (g / 50) % ${CONTACTS} as c, g % 5 <> 0 as outgoing,
         g % 5 <> 0 and g % 16 = 1 as revoked,
         g % 5 <> 0 and g % 16 <> 1 and g % 503 = 11 as cancelled,
         $3::timestamptz + make_interval(secs => (g::double precision * ${span}) / ${MESSAGES}) as at
       from generate_series(1, ${MESSAGES}) g
     ) s
     order by g`,
    [workspaceId, channelId, start],
  );
  await step(
    'device states',
    `insert into message_device_states (message_id, device_id, workspace_id, delivered_at, read_at, shown_version, revoke_outcome, revoke_requested_at, revoke_resolved_at)
     select m.id, d.id, m.workspace_id, m.sent_at, m.read_at, 0,
       (array['applied','applied','applied','pending','ignored','expired'])[1 + (m.seq % 6)::int], m.revoked_at, m.revoked_at
     from messages m join simulator_devices d on d.contact_id = m.contact_id
     where m.workspace_id = $1 and m.revoked_at is not null`,
    [workspaceId],
  );
  await client.query('set session_replication_role = origin');
  await step('vacuum analyze', 'vacuum analyze messages, message_device_states, contacts, conversations, users');
  const counts = await client.query(
    `select count(*)::int as messages, count(*) filter (where revoked_at is not null)::int as deleted,
            count(distinct author_user_id)::int as agents
     from messages where workspace_id = $1`,
    [workspaceId],
  );
  console.log(`Seeded ${JSON.stringify(counts.rows[0])}`);
  return timings;
}

async function main() {
  const dbName = `errata_bench_analytics_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const clock = new ManualClock(NOW);
  const app = await createApp({ databaseUrl: url.toString(), clock, logger: pino({ level: 'warn' }), poolSize: 10 });
  try {
    const { workspaceId, adminId } = await createWorkspace(app.ctx, { name: 'Bench', language: 'en', admin: { email: `bench-${dbName}@bench.test`, name: 'Ada' } });
    const supervisorId = await createUser(app.ctx, { workspaceId, email: `sam-${dbName}@bench.test`, name: 'Sam', role: 'supervisor' });
    const token = await createApiToken(app.ctx, { workspaceId, userId: supervisorId, label: 'bench' });
    const channel = await app.server.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: { authorization: `Bearer ${await createApiToken(app.ctx, { workspaceId, userId: adminId, label: 'admin' })}` },
      payload: { type: 'simulator', name: 'Bench' },
    });
    const channelId = channel.json().id as string;
    const t0 = performance.now();
    const timings = await seed(url.toString(), workspaceId, channelId);
    console.log(`Seed: ${((performance.now() - t0) / 1000).toFixed(1)} s (${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')})`);
    // What the analytics job does every minute: store the follow-ups of deletions that can no longer change.
    const t1 = performance.now();
    const settled = await settleDeletionFacts(app.ctx, workspaceId);
    console.log(`Settled deletion facts stored by the job: ${settled} in ${((performance.now() - t1) / 1000).toFixed(1)} s (the last 7 days stay live)`);

    const to = NOW.toISOString();
    const from30 = new Date(NOW.getTime() - 30 * 86_400_000).toISOString();
    const from7 = new Date(NOW.getTime() - 7 * 86_400_000).toISOString();
    const from90 = new Date(NOW.getTime() - 90 * 86_400_000).toISOString();
    const someAgent = (await app.ctx.db.selectFrom('users').select('id').where('workspace_id', '=', workspaceId).where('role', '=', 'agent').limit(1).executeTakeFirstOrThrow()).id;
    const period = (from: string) => `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&tz=Europe/Paris`;
    const requests: [string, string][] = [
      ['deletions, 30 days', `/api/v1/analytics/deletions?${period(from30)}`],
      ['prevention, 30 days', `/api/v1/analytics/prevention?${period(from30)}`],
      ['trust, 30 days', `/api/v1/analytics/trust?${period(from30)}`],
      ['drill-down deleted, 30 days', `/api/v1/analytics/messages?measure=deleted&${period(from30)}`],
      ['deletions, 7 days', `/api/v1/analytics/deletions?${period(from7)}`],
      ['deletions, 90 days', `/api/v1/analytics/deletions?${period(from90)}`],
      ['deletions, 30 days, one agent', `/api/v1/analytics/deletions?${period(from30)}&agentId=${someAgent}`],
      ['deletions, 30 days, language en', `/api/v1/analytics/deletions?${period(from30)}&language=en`],
      ['deletions CSV, 30 days', `/api/v1/analytics/deletions?${period(from30)}&format=csv`],
    ];
    const headers = { authorization: `Bearer ${token}` };
    console.log(`\n${'request'.padEnd(36)} ${'p50'.padStart(10)} ${'p95'.padStart(10)} ${'max'.padStart(10)}  bar p95 ≤ 300 ms`);
    let failed = false;
    for (const [name, path] of requests) {
      for (let i = 0; i < 2; i++) await app.server.inject({ method: 'GET', url: path, headers });
      const times: number[] = [];
      let sample = '';
      for (let i = 0; i < RUNS; i++) {
        const s = performance.now();
        const r = await app.server.inject({ method: 'GET', url: path, headers });
        times.push(performance.now() - s);
        if (r.statusCode !== 200) throw new Error(`${path}: ${r.statusCode} ${r.body.slice(0, 300)}`);
        sample = r.body;
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 0.95);
      if (p95 > 300) failed = true;
      console.log(`${name.padEnd(36)} ${ms(percentile(times, 0.5)).padStart(10)} ${ms(p95).padStart(10)} ${ms(times.at(-1)!).padStart(10)}  ${p95 <= 300 ? 'ok' : 'OVER'}`);
      if (name === 'deletions, 30 days') {
        const b = JSON.parse(sample);
        console.log(`  (sent ${b.sent}, deleted ${b.deletedForEveryone}, transparency ${(b.transparencyRate * 100).toFixed(1)} %, ${b.byAgent.length} agents)`);
      }
    }
    console.log(failed ? '\nSome requests are over the bar.' : '\nEvery request within the bar.');
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await app.close();
    if (process.env.BENCH_KEEP_DB !== '1') await admin.query(`drop database ${dbName} with (force)`);
    else console.log(`Kept database ${dbName}`);
    await admin.end();
  }
}

await main();

/**
 * `npm run bench:whatsapp` — the real-channel bars, on PostgreSQL:
 *   webhooks: ≥ 2 000 signed Cloud API webhook events/s ingested (verify, dedupe, store, apply);
 *   send: the sender sustains a number's configured rate (1 000/s) without exceeding it.
 * `npm run bench:whatsapp -- webhooks` or `-- send` runs one. Exit code 1 if a bar is missed.
 */
import { measureSendRate } from './send-rate.ts';
import { measureWebhookIngest } from './webhook-ingest.ts';

const which = process.argv[2] ?? 'all';
let failed = false;

if (which === 'all' || which === 'webhooks') {
  const result = await measureWebhookIngest();
  process.stdout.write(`webhooks ${JSON.stringify(result, null, 2)}\n`);
  if (Number(result.eventsPerSecond) < 2_000 || result.non200 !== 0 || !result.sampleAllRead || !result.inboundStoredOnce) failed = true;
}
if (which === 'all' || which === 'send') {
  const result = await measureSendRate();
  process.stdout.write(`send ${JSON.stringify(result, null, 2)}\n`);
  if (!result.withinRate || result.refusedForThroughput !== 0 || !result.allSentOnce) failed = true;
}
process.exitCode = failed ? 1 : 0;

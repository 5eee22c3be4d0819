import type { CloudApiFake } from '../../src/test-support/fakes/cloud-api-fake.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Like Meta: a `sent` status webhook for every message the fake took (with our key), each retried
 * until the server (or some process behind the proxy) answers 200 — a status can settle a message
 * whose answer a crash swallowed. `stop()` resolves once every message taken so far was reported.
 */
export function startStatusReporter(fake: CloudApiFake, base: string, batchSize: number): { stop(): Promise<void> } {
  let reporting = true;
  let cursor = 0;
  const done = (async () => {
    while (reporting || cursor < fake.accepted.length) {
      const batch = fake.accepted.slice(cursor, cursor + batchSize);
      if (batch.length === 0) {
        await sleep(50);
        continue;
      }
      await Promise.all(
        batch.map(async (m) => {
          for (let attempt = 0; attempt < 600; attempt++) {
            try {
              const answer = await fake.sendWebhook(`${base}/webhooks/whatsapp`, fake.webhooks.statusFor(m.wamid, 'sent'));
              if (answer.status === 200) return;
            } catch {
              // the server is down (or a process died mid-request): Meta retries too
            }
            await sleep(100);
          }
        }),
      );
      cursor += batch.length;
    }
  })();
  return {
    stop() {
      reporting = false;
      return done;
    },
  };
}

import { createHmac } from 'node:crypto';
import type { AppContext } from '../../app-context.ts';
import { claimDueWebhookDeliveries, getAlertSettings, recordWebhookAttempt } from '../../db/queries/analytics-alert-queries.ts';
import { WEBHOOK_MAX_ATTEMPTS, webhookRetryDelaySeconds } from '../../domain/analytics/alert-rules.ts';

/** `X-Errata-Signature: sha256=<hex HMAC-SHA256 of the raw body with the workspace's secret>`. */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

const TIMEOUT_MS = 10_000;
/** A delivery being attempted is not due again for this long (another process skips it). */
const LEASE_SECONDS = 60;

/**
 * Sends the alert webhooks that are due: a 2xx answer delivers; anything else (status, timeout,
 * network) is tried again after 10 s, 30 s, 90 s … (at most 1 h apart), 8 attempts in all, on the
 * injected clock. The body sent is the one stored when the alert changed, byte for byte.
 */
export async function deliverAlertWebhooks(ctx: AppContext, fetchImpl: typeof fetch = fetch): Promise<{ delivered: number; failed: number }> {
  const now = ctx.clock.now();
  const due = await claimDueWebhookDeliveries(ctx.db, now, LEASE_SECONDS, 50);
  let delivered = 0;
  let failed = 0;
  for (const d of due) {
    const settings = await getAlertSettings(ctx.db, d.workspace_id);
    const secret = settings?.webhook_secret ? ctx.providers.box.open(settings.webhook_secret) : null;
    let status: number | null = null;
    let error: string | null = null;
    if (!secret) {
      error = 'no signing secret';
    } else {
      try {
        const response = await fetchImpl(d.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-errata-signature': signWebhookBody(secret, d.body), 'user-agent': 'Errata-Alerts/1' },
          body: d.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        status = response.status;
        await response.body?.cancel();
        if (status < 200 || status >= 300) error = `HTTP ${status}`;
      } catch (e) {
        error = e instanceof Error ? e.message.slice(0, 200) : 'request failed';
      }
    }
    const at = ctx.clock.now();
    if (error === null) {
      delivered++;
      await recordWebhookAttempt(ctx.db, d.id, { deliveredAt: at, nextAttemptAt: null, status, error: null });
    } else {
      failed++;
      const next = d.attempts >= WEBHOOK_MAX_ATTEMPTS ? null : new Date(at.getTime() + webhookRetryDelaySeconds(d.attempts) * 1000);
      await recordWebhookAttempt(ctx.db, d.id, { deliveredAt: null, nextAttemptAt: next, status, error });
    }
  }
  return { delivered, failed };
}

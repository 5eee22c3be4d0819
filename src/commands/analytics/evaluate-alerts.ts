import type { AppContext } from '../../app-context.ts';
import { clearAlert, insertAlert, insertWebhookDelivery, listWorkspaceIds, lockOpenAlerts, type AlertRow } from '../../db/queries/analytics-alert-queries.ts';
import { countSent, listIncidents, storeSettledDeletionFacts } from '../../db/queries/analytics-queries.ts';
import { activeConditions, reconcileAlerts, settledDeletions } from '../../domain/analytics/alert-rules.ts';
import { deletionMeasures } from '../../domain/analytics/deletion-measures.ts';
import { lastDays } from '../../domain/analytics/period.ts';
import { inTransaction } from '../unit-of-work.ts';
import { loadAlertSettings } from './alert-settings.ts';

export const ALERT_EVENTS = { raised: 'analytics.alert_raised', cleared: 'analytics.alert_cleared' } as const;

/** An alert as the API and the signed webhook show it. */
export const alertJson = (a: AlertRow) => ({
  id: a.id,
  kind: a.kind,
  agentId: a.agent_id,
  value: a.value,
  threshold: a.threshold,
  raisedAt: a.raised_at.toISOString(),
  clearedAt: a.cleared_at?.toISOString() ?? null,
});

/**
 * Checks one workspace's alert rules on the injected clock's "now": a condition that starts
 * holding raises one alert, one that stops holding clears it (docs/analytics.md, "Alerts"). Each
 * change is announced on the event stream and, with a webhook URL, queued for delivery in the
 * same transaction (the body is fixed there; the deliverer signs and sends it).
 */
export async function evaluateAlerts(ctx: AppContext, workspaceId: string): Promise<{ raised: AlertRow[]; cleared: AlertRow[] }> {
  const now = ctx.clock.now();
  const settings = await loadAlertSettings(ctx, workspaceId);
  const scope = { workspaceId, ...lastDays(now, settings.windowDays) };
  const options = { correctionWithinSeconds: settings.correctionWithinSeconds, timeZone: 'UTC' };
  const [sent, incidents] = await Promise.all([countSent(ctx.db, scope, 'UTC'), listIncidents(ctx.db, scope)]);
  const all = deletionMeasures(sent, incidents, options);
  const settled = deletionMeasures(sent, settledDeletions(incidents, now, settings.correctionWithinSeconds), options);
  const active = activeConditions(settings, all, settled);

  return inTransaction(ctx, async (uow) => {
    const open = await lockOpenAlerts(uow.trx, workspaceId);
    const plan = reconcileAlerts(open.map((o) => ({ ...o, agentId: o.agent_id })), active);
    const raised: AlertRow[] = [];
    const cleared: AlertRow[] = [];
    for (const c of plan.raise) {
      const row = await insertAlert(uow.trx, { workspaceId, kind: c.kind, agentId: c.agentId, value: c.value, threshold: c.threshold, at: now });
      if (row) raised.push(row);
    }
    for (const o of plan.clear) {
      const row = await clearAlert(uow.trx, o.id, now);
      if (row) cleared.push(row);
    }
    const changes = [...raised.map((a) => ({ event: ALERT_EVENTS.raised, alert: a })), ...cleared.map((a) => ({ event: ALERT_EVENTS.cleared, alert: a }))];
    for (const { event, alert } of changes) {
      uow.announce({ type: event, workspaceId, conversationId: null, messageId: null, at: now.toISOString(), data: { alertId: alert.id, kind: alert.kind } });
      if (settings.webhookUrl) {
        const body = JSON.stringify({ event, workspaceId, at: now.toISOString(), alert: alertJson(alert) });
        await insertWebhookDelivery(uow.trx, { workspaceId, alertId: alert.id, event, url: settings.webhookUrl, body, at: now });
      }
    }
    return { raised, cleared };
  });
}

/** Stores the follow-ups of deletions that can no longer change, so the dashboard reads them instead of looking them up. */
export async function settleDeletionFacts(ctx: AppContext, workspaceId: string): Promise<number> {
  let total = 0;
  for (;;) {
    const stored = await storeSettledDeletionFacts(ctx.db, workspaceId, ctx.clock.now());
    total += stored;
    if (stored === 0) return total;
  }
}

/** The analytics job's beat: settled deletion facts, then the alert rules, for every workspace. */
export async function evaluateAllAlerts(ctx: AppContext): Promise<void> {
  for (const workspaceId of await listWorkspaceIds(ctx.db)) {
    try {
      await settleDeletionFacts(ctx, workspaceId);
      await evaluateAlerts(ctx, workspaceId);
    } catch (error) {
      ctx.log.warn({ err: error, workspaceId }, 'evaluating deletion-health alerts failed');
    }
  }
}

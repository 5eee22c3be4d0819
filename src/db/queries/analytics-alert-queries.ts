import { sql } from 'kysely';
import type { AlertKind, AlertSettings } from '../../domain/analytics/alert-rules.ts';
import type { DbOrTx } from '../database.ts';

/** Alert thresholds, raised alerts and their outgoing webhooks (issue 17, migration 0018). */

export interface AlertSettingsRow {
  workspace_id: string;
  deletion_rate_above: number | null;
  transparency_below: number | null;
  agent_factor_above: number | null;
  window_days: number;
  min_sent: number;
  correction_within_seconds: number;
  webhook_url: string | null;
  webhook_secret: string | null;
}

export interface AlertRow {
  id: string;
  workspace_id: string;
  kind: AlertKind;
  agent_id: string | null;
  value: number;
  threshold: number;
  raised_at: Date;
  cleared_at: Date | null;
}

export async function getAlertSettings(db: DbOrTx, workspaceId: string): Promise<AlertSettingsRow | undefined> {
  const r = await sql<AlertSettingsRow>`select * from analytics_alert_settings where workspace_id = ${workspaceId}::uuid`.execute(db);
  return r.rows[0];
}

export async function saveAlertSettings(
  db: DbOrTx,
  workspaceId: string,
  s: AlertSettings & { webhookUrl: string | null; webhookSecret: string | null },
  at: Date,
  by: string,
): Promise<void> {
  await sql`
    insert into analytics_alert_settings (workspace_id, deletion_rate_above, transparency_below, agent_factor_above, window_days, min_sent,
      correction_within_seconds, webhook_url, webhook_secret, updated_at, updated_by)
    values (${workspaceId}::uuid, ${s.deletionRateAbove}, ${s.transparencyBelow}, ${s.agentFactorAbove}, ${s.windowDays}, ${s.minSent},
      ${s.correctionWithinSeconds}, ${s.webhookUrl}, ${s.webhookSecret}, ${at}, ${by}::uuid)
    on conflict (workspace_id) do update set deletion_rate_above = excluded.deletion_rate_above, transparency_below = excluded.transparency_below,
      agent_factor_above = excluded.agent_factor_above, window_days = excluded.window_days, min_sent = excluded.min_sent,
      correction_within_seconds = excluded.correction_within_seconds, webhook_url = excluded.webhook_url, webhook_secret = excluded.webhook_secret,
      updated_at = excluded.updated_at, updated_by = excluded.updated_by`.execute(db);
}

export async function listWorkspaceIds(db: DbOrTx): Promise<string[]> {
  const r = await sql<{ id: string }>`select id from workspaces order by id`.execute(db);
  return r.rows.map((row) => row.id);
}

/** Open alerts, locked: two evaluations of one workspace take turns. */
export async function lockOpenAlerts(db: DbOrTx, workspaceId: string): Promise<AlertRow[]> {
  await sql`select workspace_id from analytics_alert_settings where workspace_id = ${workspaceId}::uuid for update`.execute(db);
  const r = await sql<AlertRow>`
    select * from analytics_alerts where workspace_id = ${workspaceId}::uuid and cleared_at is null order by raised_at for update`.execute(db);
  return r.rows;
}

export async function listAlerts(db: DbOrTx, workspaceId: string, recentCleared: number): Promise<AlertRow[]> {
  const r = await sql<AlertRow>`
    (select * from analytics_alerts where workspace_id = ${workspaceId}::uuid and cleared_at is null)
    union all
    (select * from analytics_alerts where workspace_id = ${workspaceId}::uuid and cleared_at is not null order by cleared_at desc limit ${recentCleared})
    order by raised_at desc`.execute(db);
  return r.rows;
}

/** Raises an alert unless the same condition is already open (the unique index decides). */
export async function insertAlert(
  db: DbOrTx,
  a: { workspaceId: string; kind: AlertKind; agentId: string | null; value: number; threshold: number; at: Date },
): Promise<AlertRow | undefined> {
  const r = await sql<AlertRow>`
    insert into analytics_alerts (id, workspace_id, kind, agent_id, value, threshold, raised_at)
    values (${crypto.randomUUID()}::uuid, ${a.workspaceId}::uuid, ${a.kind}, ${a.agentId}::uuid, ${a.value}, ${a.threshold}, ${a.at})
    on conflict do nothing returning *`.execute(db);
  return r.rows[0];
}

export async function clearAlert(db: DbOrTx, id: string, at: Date): Promise<AlertRow | undefined> {
  const r = await sql<AlertRow>`
    update analytics_alerts set cleared_at = ${at} where id = ${id}::uuid and cleared_at is null returning *`.execute(db);
  return r.rows[0];
}

export async function insertWebhookDelivery(db: DbOrTx, d: { workspaceId: string; alertId: string; event: string; url: string; body: string; at: Date }): Promise<void> {
  await sql`
    insert into analytics_webhook_deliveries (id, workspace_id, alert_id, event, url, body, next_attempt_at, created_at)
    values (${crypto.randomUUID()}::uuid, ${d.workspaceId}::uuid, ${d.alertId}::uuid, ${d.event}, ${d.url}, ${d.body}, ${d.at}, ${d.at})`.execute(db);
}

export interface WebhookDeliveryRow {
  id: string;
  workspace_id: string;
  url: string;
  body: string;
  attempts: number;
}

/** Deliveries due at `now`, taken for one attempt (the next attempt time moves past the attempt so another process skips them). */
export async function claimDueWebhookDeliveries(db: DbOrTx, now: Date, leaseSeconds: number, limit: number): Promise<WebhookDeliveryRow[]> {
  const r = await sql<WebhookDeliveryRow>`
    update analytics_webhook_deliveries d set next_attempt_at = ${new Date(now.getTime() + leaseSeconds * 1000)}, attempts = d.attempts + 1
    where d.id in (
      select id from analytics_webhook_deliveries
      where delivered_at is null and next_attempt_at is not null and next_attempt_at <= ${now}
      order by next_attempt_at limit ${limit} for update skip locked)
    returning d.id, d.workspace_id, d.url, d.body, d.attempts`.execute(db);
  return r.rows;
}

export async function recordWebhookAttempt(
  db: DbOrTx,
  id: string,
  outcome: { deliveredAt: Date | null; nextAttemptAt: Date | null; status: number | null; error: string | null },
): Promise<void> {
  await sql`
    update analytics_webhook_deliveries set delivered_at = ${outcome.deliveredAt}, next_attempt_at = ${outcome.nextAttemptAt},
      last_status = ${outcome.status}, last_error = ${outcome.error}
    where id = ${id}::uuid`.execute(db);
}

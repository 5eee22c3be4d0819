import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../app-context.ts';
import { getAlertSettings, saveAlertSettings as saveRow, type AlertSettingsRow } from '../../db/queries/analytics-alert-queries.ts';
import { recordTeamEvents } from '../../db/queries/team-queries.ts';
import { type Actor, can } from '../../domain/actor.ts';
import { type AlertSettings, DEFAULT_ALERT_SETTINGS } from '../../domain/analytics/alert-rules.ts';
import { CommandError } from '../command-error.ts';
import { inTransaction } from '../unit-of-work.ts';

export interface StoredAlertSettings extends AlertSettings {
  webhookUrl: string | null;
  /** Sealed with the SecretBox. */
  webhookSecret: string | null;
}

export function settingsFromRow(row: AlertSettingsRow | undefined): StoredAlertSettings {
  if (!row) return { ...DEFAULT_ALERT_SETTINGS, webhookUrl: null, webhookSecret: null };
  return {
    deletionRateAbove: row.deletion_rate_above,
    transparencyBelow: row.transparency_below,
    agentFactorAbove: row.agent_factor_above,
    windowDays: row.window_days,
    minSent: row.min_sent,
    correctionWithinSeconds: row.correction_within_seconds,
    webhookUrl: row.webhook_url,
    webhookSecret: row.webhook_secret,
  };
}

export async function loadAlertSettings(ctx: AppContext, workspaceId: string): Promise<StoredAlertSettings> {
  return settingsFromRow(await getAlertSettings(ctx.db, workspaceId));
}

/**
 * Sets a workspace's alert thresholds and webhook. A webhook gets a signing secret (32 random
 * bytes, hex) the first time a URL is set or when asked to rotate; it is sealed like channel
 * secrets and shown once, in this answer. Recorded in team_events (never the secret).
 */
export async function saveAlertSettings(
  ctx: AppContext,
  input: { workspaceId: string; actor: Actor; settings: AlertSettings & { webhookUrl: string | null; rotateSecret?: boolean | undefined } },
): Promise<{ settings: StoredAlertSettings; newSecret: string | null }> {
  if (!can(input.actor, 'analytics.alerts.manage')) throw new CommandError('forbidden');
  const now = ctx.clock.now();
  return inTransaction(ctx, async (uow) => {
    const before = settingsFromRow(await getAlertSettings(uow.trx, input.workspaceId));
    const { rotateSecret, ...wanted } = input.settings;
    const needsSecret = wanted.webhookUrl !== null && (before.webhookSecret === null || rotateSecret === true);
    const newSecret = needsSecret ? randomBytes(32).toString('hex') : null;
    const webhookSecret = newSecret ? ctx.providers.box.seal(newSecret) : before.webhookSecret;
    const settings: StoredAlertSettings = { ...wanted, webhookSecret };
    await saveRow(uow.trx, input.workspaceId, settings, now, input.actor.userId);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of Object.keys(wanted) as (keyof typeof wanted)[]) {
      if (before[key] !== wanted[key]) changes[key] = { from: before[key], to: wanted[key] };
    }
    if (Object.keys(changes).length > 0 || newSecret) {
      await recordTeamEvents(uow.trx, [
        {
          workspaceId: input.workspaceId,
          actorUserId: input.actor.userId,
          actorKind: 'user',
          type: 'analytics.alerts_changed',
          at: now,
          data: { changes, ...(newSecret ? { secretReplaced: true } : {}) },
        },
      ]);
    }
    return { settings, newSecret };
  });
}

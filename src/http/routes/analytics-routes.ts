import { alertJson } from '../../commands/analytics/evaluate-alerts.ts';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { loadAlertSettings, saveAlertSettings, type StoredAlertSettings } from '../../commands/analytics/alert-settings.ts';
import { CommandError, notFound, nouns } from '../../commands/command-error.ts';
import {
  alertSettingsBody,
  alertSettingsResponse,
  type AnalyticsQuery,
  analyticsQuery,
  deletionsResponse,
  drillDownQuery,
  drillDownResponse,
  preventionResponse,
  trustResponse,
} from '../../contracts/analytics-schemas.ts';
import { listAlerts, type AlertRow } from '../../db/queries/analytics-alert-queries.ts';
import type { AnalyticsScope } from '../../db/queries/analytics-queries.ts';
import { getChannel } from '../../db/queries/channel-queries.ts';
import { getUser } from '../../db/queries/user-queries.ts';
import { can } from '../../domain/actor.ts';
import { type CsvValue, toCsv } from '../../domain/analytics/csv.ts';
import { DEFAULT_CORRECTION_WITHIN_SECONDS } from '../../domain/analytics/deletion-measures.ts';
import { defaultPeriod } from '../../domain/analytics/period.ts';
import { deletionsReport, drillDown, preventionReport, trustReport } from '../../views/analytics-report.ts';
import type { Principal } from '../authentication.ts';

const DEFINITIONS = 'Definitions: docs/analytics.md. Messages belong to the period in which they were sent; every share is null when its denominator is 0.';
const ROLES_NOTE = 'Supervisors, admins and auditors read the team’s numbers; agents read only their own (agentId is theirs).';

/**
 * Who asks decides the scope: team readers may filter by anyone; agents always get their own
 * numbers (an `agentId` of someone else is refused). A channel or person of another workspace is
 * "not found", as everywhere.
 */
async function scopeOf(ctx: AppContext, principal: Principal, query: Omit<AnalyticsQuery, 'format' | 'tz'>): Promise<{ scope: AnalyticsScope; team: boolean }> {
  if (!can(principal, 'analytics.read')) throw new CommandError('forbidden');
  const team = can(principal, 'analytics.read_team');
  if (!team && query.agentId && query.agentId !== principal.userId) throw new CommandError('forbidden');
  const agentId = team ? query.agentId : principal.userId;
  if (query.agentId && team && !(await getUser(ctx.db, principal.workspaceId, query.agentId))) {
    throw notFound({ en: 'Person', fr: 'Personne' });
  }
  if (query.channelId && !(await getChannel(ctx.db, principal.workspaceId, query.channelId))) throw notFound(nouns.channel);
  const now = ctx.clock.now();
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : defaultPeriod(to).from;
  return { scope: { workspaceId: principal.workspaceId, from, to, agentId, channelId: query.channelId, language: query.language }, team };
}

function sendCsv(reply: FastifyReply, name: string, header: string[], rows: CsvValue[][]) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(toCsv(header, rows));
}

function settingsAnswer(s: StoredAlertSettings, alerts: AlertRow[], newSecret?: string | null) {
  const { webhookSecret, ...rest } = s;
  return { ...rest, webhookSecretSet: webhookSecret !== null, ...(newSecret ? { webhookSecret: newSecret } : {}), alerts: alerts.map(alertJson) };
}

/** Deletion health and prevention (issue 17): measures, trust score, drill-down, alerts. */
export function analyticsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/analytics/deletions',
      {
        schema: {
          tags: ['analytics'],
          summary: 'Deletion health over a period, compared with the previous one (`format=csv` for a file)',
          description: `${DEFINITIONS} ${ROLES_NOTE}`,
          querystring: analyticsQuery,
          response: { 200: deletionsResponse },
        },
      },
      async (request, reply) => {
        const { scope } = await scopeOf(ctx, request.principal, request.query);
        const report = await deletionsReport(ctx.db, scope, {
          correctionWithinSeconds: request.query.correctionWithinSeconds ?? DEFAULT_CORRECTION_WITHIN_SECONDS,
          timeZone: request.query.tz ?? 'UTC',
        });
        if (request.query.format !== 'csv') return report;
        const rows: CsvValue[][] = [];
        const previous = report.previous as Record<string, unknown>;
        for (const [key, value] of Object.entries(report)) {
          if (typeof value === 'number' || value === null) rows.push(['total', key, '', value, (previous[key] as CsvValue) ?? null]);
        }
        for (const key of ['timeToDelete', 'outcomes'] as const) {
          for (const [sub, value] of Object.entries(report[key])) rows.push(['total', `${key}.${sub}`, '', value, (report.previous[key] as Record<string, CsvValue>)[sub] ?? null]);
        }
        for (const [reason, n] of Object.entries(report.byReason)) rows.push(['byReason', reason, '', n, null]);
        for (const [reason, n] of Object.entries(report.byReasonForMe)) rows.push(['byReasonForMe', reason, '', n, null]);
        for (const a of report.byAgent) {
          for (const key of ['sent', 'deleted', 'deletedForMe', 'edited', 'deletionRate'] as const) rows.push(['byAgent', key, a.name ?? a.agentId, a[key], null]);
        }
        for (const [key, value] of Object.entries(report.customer)) rows.push(['customer', key, '', value, null]);
        for (const d of report.series) {
          for (const key of ['sent', 'deletedForEveryone', 'edited', 'deletionRate'] as const) rows.push(['series', key, d.day, d[key], null]);
        }
        return sendCsv(reply, 'deletions', ['section', 'measure', 'dimension', 'value', 'previous'], rows);
      },
    );

    app.get(
      '/analytics/prevention',
      {
        schema: {
          tags: ['analytics'],
          summary: 'What the guard, approvals and the hold window caught, compared with the previous period (`format=csv`)',
          description: `${DEFINITIONS} Prevention measures belong to the period in which the message was written. ${ROLES_NOTE}`,
          querystring: analyticsQuery,
          response: { 200: preventionResponse },
        },
      },
      async (request, reply) => {
        const { scope } = await scopeOf(ctx, request.principal, request.query);
        const report = await preventionReport(ctx.db, scope);
        if (request.query.format !== 'csv') return report;
        const rows: CsvValue[][] = [];
        const previous = report.previous as unknown as Record<string, unknown>;
        for (const [key, value] of Object.entries(report)) {
          if (typeof value === 'number' || value === null) rows.push(['total', key, '', value, (previous[key] as CsvValue) ?? null]);
          else if (key !== 'period' && key !== 'previousPeriod' && key !== 'previous' && typeof value === 'object') {
            for (const [sub, n] of Object.entries(value as Record<string, CsvValue>)) rows.push([key, sub, '', n, (previous[key] as Record<string, CsvValue> | undefined)?.[sub] ?? null]);
          }
        }
        return sendCsv(reply, 'prevention', ['section', 'measure', 'dimension', 'value', 'previous'], rows);
      },
    );

    app.get(
      '/analytics/trust',
      {
        schema: {
          tags: ['analytics'],
          summary: 'Trust score (0–100) of the workspace and per agent, its trend, and the mistake funnel (`format=csv`)',
          description: `${DEFINITIONS} score = round(100 × (0.5 × frequency + 0.3 × transparency + 0.2 × unseen)). ${ROLES_NOTE}`,
          querystring: analyticsQuery,
          response: { 200: trustResponse },
        },
      },
      async (request, reply) => {
        const { scope, team } = await scopeOf(ctx, request.principal, request.query);
        const report = await trustReport(ctx.db, scope, {
          correctionWithinSeconds: request.query.correctionWithinSeconds ?? DEFAULT_CORRECTION_WITHIN_SECONDS,
          timeZone: request.query.tz ?? 'UTC',
        });
        const alerts = team ? (await listAlerts(ctx.db, scope.workspaceId, 0)).map(alertJson) : [];
        const answer = { ...report, alerts };
        if (request.query.format !== 'csv') return answer;
        const rows: CsvValue[][] = [['total', 'score', '', report.score, report.previousScore]];
        for (const a of report.byAgent) rows.push(['byAgent', 'score', a.name ?? a.agentId, a.score, a.previousScore]);
        for (const [key, n] of Object.entries(report.funnel)) rows.push(['funnel', key, '', n, null]);
        return sendCsv(reply, 'trust', ['section', 'measure', 'dimension', 'value', 'previous'], rows);
      },
    );

    app.get(
      '/analytics/messages',
      {
        schema: {
          tags: ['analytics'],
          summary: 'Drill-down: the messages a number counts (newest 200), each linking to its conversation',
          description: `The same facts and predicates as the measure named by \`measure\`. ${ROLES_NOTE}`,
          querystring: drillDownQuery,
          response: { 200: drillDownResponse },
        },
      },
      async (request) => {
        const { scope } = await scopeOf(ctx, request.principal, request.query);
        return drillDown(ctx.db, scope, request.query.measure, {
          correctionWithinSeconds: request.query.correctionWithinSeconds ?? DEFAULT_CORRECTION_WITHIN_SECONDS,
          timeZone: 'UTC',
          reason: request.query.reason,
        });
      },
    );

    app.get(
      '/analytics/alerts',
      {
        schema: {
          tags: ['analytics'],
          summary: 'Alert thresholds, webhook and alerts (open, and the 50 most recently cleared; supervisors, admins, auditors)',
          description: 'Rules and defaults: docs/analytics.md, "Alerts".',
          response: { 200: alertSettingsResponse },
        },
      },
      async (request) => {
        if (!can(request.principal, 'analytics.read_team')) throw new CommandError('forbidden');
        const { workspaceId } = request.principal;
        const [settings, alerts] = await Promise.all([loadAlertSettings(ctx, workspaceId), listAlerts(ctx.db, workspaceId, 50)]);
        return settingsAnswer(settings, alerts);
      },
    );

    app.put(
      '/analytics/alerts',
      {
        schema: {
          tags: ['analytics'],
          summary: 'Set the alert thresholds and webhook (supervisors, admins); a new signing secret is shown once',
          description:
            'Each alert raised or cleared is POSTed to `webhookUrl` as JSON with `X-Errata-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>`; non-2xx answers are retried after 10 s, 30 s, 90 s … (8 attempts).',
          body: alertSettingsBody,
          response: { 200: alertSettingsResponse },
        },
      },
      async (request) => {
        const { workspaceId } = request.principal;
        const { settings, newSecret } = await saveAlertSettings(ctx, {
          workspaceId,
          actor: { userId: request.principal.userId, role: request.principal.role },
          settings: request.body,
        });
        return settingsAnswer(settings, await listAlerts(ctx.db, workspaceId, 50), newSecret);
      },
    );
  };
}

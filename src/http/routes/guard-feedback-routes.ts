import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { CommandError } from '../../commands/command-error.ts';
import { addAllowListEntry } from '../../commands/guard/add-allowlist-entry.ts';
import { addGlossaryWord } from '../../commands/guard/add-glossary-word.ts';
import { recordFalseAlarm } from '../../commands/guard/record-false-alarm.ts';
import { removeAllowListEntry } from '../../commands/guard/remove-allowlist-entry.ts';
import { reportMissedMistake } from '../../commands/guard/report-missed-mistake.ts';
import { idParams } from '../../contracts/api-schemas.ts';
import {
  allowEntryBody,
  allowEntrySchema,
  allowListQuery,
  allowListSchema,
  glossaryWordBody,
  guardFeedbackBody,
  guardFeedbackSchema,
  guardFeedbackStatsQuery,
  guardFeedbackStatsSchema,
} from '../../contracts/guard-feedback-schemas.ts';
import {
  countFeedbackByKind,
  countStoredFindingsByKind,
  listAllowEntries,
  listFalseAlarmGroups,
  listFeedback,
} from '../../db/queries/guard-feedback-queries.ts';
import { type Action, can } from '../../domain/actor.ts';
import { type AllowEntry, allowListProposals, corpusLine, falseAlarmRates, type GuardFeedback } from '../../domain/guard-feedback.ts';
import type { Principal } from '../authentication.ts';

const actorOf = (p: Principal) => ({ userId: p.userId, role: p.role });

function requireCan(principal: Principal, action: Action) {
  if (!can(principal, action)) throw new CommandError('forbidden');
}

const DEFAULT_STATS_DAYS = 30;
const DAY_MS = 86_400_000;

const toFeedback = (f: GuardFeedback) => ({
  id: f.id,
  verdict: f.verdict,
  kind: f.kind,
  category: f.category,
  text: f.text,
  span: f.span,
  phrase: f.phrase,
  glossary: f.glossary,
  note: f.note,
  createdBy: f.userId,
  createdAt: f.createdAt.toISOString(),
});

const toEntry = (e: AllowEntry) => ({
  id: e.id,
  text: e.phrase,
  kind: e.kind,
  category: e.category,
  createdBy: e.createdBy,
  createdAt: e.createdAt.toISOString(),
  removedAt: e.removedAt?.toISOString() ?? null,
  removedBy: e.removedBy,
});

const yes = (flag: string | undefined) => flag === '1' || flag === 'true';

/**
 * Feedback from agents on the pre-send guard (false alarms, missed mistakes, the JSON Lines export
 * and false-alarm rates) and the workspace's allow-list and glossary. Every query is scoped to the
 * caller's workspace; who may do what is `can()`'s answer.
 */
export function guardFeedbackRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/guard/feedback',
      {
        schema: {
          tags: ['guard'],
          summary: '“Not a mistake” on a finding (false_alarm), or a mistake the guard missed (missed)',
          body: guardFeedbackBody,
          response: { 201: guardFeedbackSchema },
        },
      },
      async (request, reply) => {
        const { workspaceId } = request.principal;
        const actor = actorOf(request.principal);
        const body = request.body;
        const feedback =
          body.verdict === 'false_alarm'
            ? await recordFalseAlarm(ctx, {
                workspaceId,
                actor,
                findingKind: body.findingKind,
                text: body.text,
                span: body.span,
                note: body.note,
                glossary: body.glossary,
              })
            : await reportMissedMistake(ctx, { workspaceId, actor, kind: body.kind, text: body.text, span: body.span, note: body.note });
        return reply.code(201).send(toFeedback(feedback));
      },
    );

    app.get(
      '/guard/feedback/export',
      {
        schema: {
          tags: ['guard'],
          summary: 'The labelled examples as JSON Lines in the guard corpus format (admins, supervisors)',
          produces: ['application/x-ndjson'],
        },
      },
      async (request, reply) => {
        requireCan(request.principal, 'guard.feedback.read');
        const rows = await listFeedback(ctx.db, request.principal.workspaceId);
        const body = rows.map((f) => `${JSON.stringify(corpusLine(f))}\n`).join('');
        return reply
          .type('application/x-ndjson; charset=utf-8')
          .header('content-disposition', 'attachment; filename="guard-feedback.jsonl"')
          .send(body);
      },
    );

    app.get(
      '/guard/feedback/stats',
      {
        schema: {
          tags: ['guard'],
          summary: 'False-alarm rate per kind over the last `days` (default 30; admins, supervisors)',
          querystring: guardFeedbackStatsQuery,
          response: { 200: guardFeedbackStatsSchema },
        },
      },
      async (request) => {
        requireCan(request.principal, 'guard.feedback.read');
        const { workspaceId } = request.principal;
        const since = new Date(ctx.clock.now().getTime() - (request.query.days ?? DEFAULT_STATS_DAYS) * DAY_MS);
        const [feedback, findings] = await Promise.all([
          countFeedbackByKind(ctx.db, workspaceId, since),
          countStoredFindingsByKind(ctx.db, workspaceId, since),
        ]);
        return { since: since.toISOString(), kinds: falseAlarmRates(feedback, findings) };
      },
    );

    app.get(
      '/guard/allowlist',
      {
        schema: {
          tags: ['guard'],
          summary: 'The allow-list (admins); `proposals=1` adds repeated false alarms and glossary wishes not on it yet',
          querystring: allowListQuery,
          response: { 200: allowListSchema },
        },
      },
      async (request) => {
        requireCan(request.principal, 'guard.allowlist.manage');
        const { workspaceId } = request.principal;
        const entries = await listAllowEntries(ctx.db, workspaceId, { includeRemoved: yes(request.query.includeRemoved) });
        if (!yes(request.query.proposals)) return { items: entries.map(toEntry) };
        const active = entries.filter((e) => e.removedAt === null);
        const proposals = allowListProposals(await listFalseAlarmGroups(ctx.db, workspaceId), active).map((p) => ({
          text: p.phrase,
          kind: p.kind,
          category: p.category,
          count: p.count,
          reporters: p.reporters,
          lastAt: p.lastAt.toISOString(),
          glossary: p.glossary,
        }));
        return { items: entries.map(toEntry), proposals };
      },
    );

    app.post(
      '/guard/allowlist',
      {
        schema: {
          tags: ['guard'],
          summary: 'Stop flagging a phrase: for one kind, one category, or every finding (admins)',
          body: allowEntryBody,
          response: { 201: allowEntrySchema },
        },
      },
      async (request, reply) => {
        const entry = await addAllowListEntry(ctx, {
          workspaceId: request.principal.workspaceId,
          actor: actorOf(request.principal),
          ...request.body,
        });
        return reply.code(201).send(toEntry(entry));
      },
    );

    app.delete(
      '/guard/allowlist/:id',
      {
        schema: {
          tags: ['guard'],
          summary: 'Flag the phrase again (admins). The entry is kept, marked removed',
          params: idParams,
          response: { 200: allowEntrySchema },
        },
      },
      async (request) => {
        const entry = await removeAllowListEntry(ctx, {
          workspaceId: request.principal.workspaceId,
          actor: actorOf(request.principal),
          entryId: request.params.id,
        });
        return toEntry(entry);
      },
    );

    app.post(
      '/guard/glossary',
      {
        schema: {
          tags: ['guard'],
          summary: 'Add a word to the workspace glossary: an allow-list entry of kind spelling.word (admins)',
          body: glossaryWordBody,
          response: { 201: allowEntrySchema },
        },
      },
      async (request, reply) => {
        const entry = await addGlossaryWord(ctx, {
          workspaceId: request.principal.workspaceId,
          actor: actorOf(request.principal),
          word: request.body.word,
        });
        return reply.code(201).send(toEntry(entry));
      },
    );
  };
}

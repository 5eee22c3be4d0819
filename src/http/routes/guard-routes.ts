import { can } from '../../domain/actor.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { checkDraft } from '../../commands/check-draft.ts';
import { CommandError, notFound } from '../../commands/command-error.ts';
import { approveMessage, rejectMessage } from '../../commands/review-message.ts';
import {
  businessProfileBody,
  businessProfileSchema,
  catalogItemBody,
  catalogItemSchema,
  guardCheckBody,
  guardCheckSchema,
  guardPolicyBody,
  guardPolicySchema,
  idParams,
  messageSchema,
  approveBody,
  rejectBody,
} from '../../contracts/api-schemas.ts';
import {
  getCatalogItem,
  insertCatalogItem,
  listCatalog,
  updateCatalogItem,
  updateWorkspaceGuardData,
} from '../../db/queries/guard-queries.ts';
import { listAwaitingApproval } from '../../db/queries/message-queries.ts';
import { getWorkspace } from '../../db/queries/workspace-queries.ts';
import type { CatalogItemRow, WorkspaceRow } from '../../db/schema.ts';
import { effectiveGuardPolicy, type StoredGuardPolicy } from '../../domain/guard-settings.ts';
import { buildMessageViews } from '../../views/message-view.ts';
import type { Principal } from '../authentication.ts';

const actorOf = (p: Principal) => ({ userId: p.userId, role: p.role });
const catalogNoun = { en: 'Catalogue item', fr: 'Article du catalogue' };

function requireSettings(principal: Principal) {
  if (!can(actorOf(principal), 'workspace.settings.manage')) throw new CommandError('forbidden');
}

const toProfile = (w: WorkspaceRow) => ({
  name: w.business_name ?? w.name,
  country: w.country,
  phones: w.business_phones,
  emails: w.business_emails,
  ibans: w.business_ibans,
  addresses: w.business_addresses,
  staff: w.staff_names,
});

const toCatalogItem = (row: CatalogItemRow) => ({
  id: row.id,
  name: row.name,
  price: Number(row.price),
  currency: row.currency,
  archived: row.archived_at !== null,
});

/** The pre-send guard's API: draft checks for the composer, policy, business data, catalogue, approvals. */
export function guardRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/guard/check',
      {
        schema: {
          tags: ['guard'],
          summary: 'Check a draft without sending it (for the live composer)',
          body: guardCheckBody,
          response: { 200: guardCheckSchema },
        },
      },
      async (request) => {
        const check = await checkDraft(ctx, {
          workspaceId: request.principal.workspaceId,
          actor: actorOf(request.principal),
          ...request.body,
        });
        return {
          verdict: check.decision.verdict,
          findings: check.findings,
          holdSeconds: check.send.outcome === 'blocked' ? 0 : check.send.holdSeconds,
        };
      },
    );

    app.get(
      '/guard/policy',
      { schema: { tags: ['guard'], summary: 'The workspace’s guard policy, defaults included', response: { 200: guardPolicySchema } } },
      async (request) => {
        const workspace = await getWorkspace(ctx.db, request.principal.workspaceId);
        const { policy, warnHoldSeconds } = effectiveGuardPolicy(workspace?.guard_policy as StoredGuardPolicy);
        return {
          categories: policy.categories,
          kinds: policy.kinds ?? {},
          holdExtensionSeconds: { warn: warnHoldSeconds, ...policy.holdExtensionSeconds },
        };
      },
    );

    app.put(
      '/guard/policy',
      {
        schema: {
          tags: ['guard'],
          summary: 'Change the guard policy (admins): an action per category or kind, extra hold per category',
          body: guardPolicyBody,
          response: { 200: guardPolicySchema },
        },
      },
      async (request) => {
        requireSettings(request.principal);
        const { workspaceId } = request.principal;
        const current = ((await getWorkspace(ctx.db, workspaceId))?.guard_policy ?? {}) as StoredGuardPolicy;
        const next: StoredGuardPolicy = {
          categories: { ...current.categories, ...request.body.categories },
          kinds: { ...current.kinds, ...request.body.kinds },
          holdExtensionSeconds: { ...current.holdExtensionSeconds, ...request.body.holdExtensionSeconds },
        };
        await updateWorkspaceGuardData(ctx.db, workspaceId, { guardPolicy: next as Record<string, unknown> });
        ctx.guardData.invalidate(workspaceId);
        const { policy, warnHoldSeconds } = effectiveGuardPolicy(next);
        return {
          categories: policy.categories,
          kinds: policy.kinds ?? {},
          holdExtensionSeconds: { warn: warnHoldSeconds, ...policy.holdExtensionSeconds },
        };
      },
    );

    app.get(
      '/business-profile',
      { schema: { tags: ['guard'], summary: 'The business’s own details (never flagged as personal data)', response: { 200: businessProfileSchema } } },
      async (request) => {
        const workspace = await getWorkspace(ctx.db, request.principal.workspaceId);
        if (!workspace) throw notFound({ en: 'Workspace', fr: 'Espace de travail' });
        return toProfile(workspace);
      },
    );

    app.put(
      '/business-profile',
      { schema: { tags: ['guard'], body: businessProfileBody, response: { 200: businessProfileSchema } } },
      async (request) => {
        requireSettings(request.principal);
        const { workspaceId } = request.principal;
        const b = request.body;
        const workspace = await updateWorkspaceGuardData(ctx.db, workspaceId, {
          ...(b.name !== undefined ? { businessName: b.name } : {}),
          ...(b.country !== undefined ? { country: b.country } : {}),
          ...(b.phones !== undefined ? { phones: b.phones } : {}),
          ...(b.emails !== undefined ? { emails: b.emails } : {}),
          ...(b.ibans !== undefined ? { ibans: b.ibans } : {}),
          ...(b.addresses !== undefined ? { addresses: b.addresses } : {}),
          ...(b.staff !== undefined ? { staff: b.staff } : {}),
        });
        ctx.guardData.invalidate(workspaceId);
        return toProfile(workspace);
      },
    );

    app.get(
      '/catalog',
      {
        schema: {
          tags: ['guard'],
          summary: 'Catalogue (prices the guard checks against)',
          querystring: z.strictObject({ includeArchived: z.enum(['true', 'false']).optional() }),
          response: { 200: z.object({ items: z.array(catalogItemSchema) }) },
        },
      },
      async (request) => ({
        items: (
          await listCatalog(ctx.db, request.principal.workspaceId, { includeArchived: request.query.includeArchived === 'true' })
        ).map(toCatalogItem),
      }),
    );

    app.post(
      '/catalog',
      { schema: { tags: ['guard'], body: catalogItemBody, response: { 201: catalogItemSchema } } },
      async (request, reply) => {
        requireSettings(request.principal);
        const row = await insertCatalogItem(ctx.db, {
          id: crypto.randomUUID(),
          workspaceId: request.principal.workspaceId,
          ...request.body,
          now: ctx.clock.now(),
        });
        ctx.guardData.invalidate(request.principal.workspaceId);
        return reply.code(201).send(toCatalogItem(row));
      },
    );

    app.patch(
      '/catalog/:id',
      {
        schema: {
          tags: ['guard'],
          summary: 'Change an item, or archive it (items are never deleted)',
          params: idParams,
          body: catalogItemBody.partial().extend({ archived: z.boolean().optional() }).strict(),
          response: { 200: catalogItemSchema },
        },
      },
      async (request) => {
        requireSettings(request.principal);
        const { workspaceId } = request.principal;
        const { archived, ...rest } = request.body;
        if (!(await getCatalogItem(ctx.db, workspaceId, request.params.id))) throw notFound(catalogNoun);
        const now = ctx.clock.now();
        const row = await updateCatalogItem(ctx.db, workspaceId, request.params.id, {
          ...rest,
          ...(archived !== undefined ? { archivedAt: archived ? now : null } : {}),
          now,
        });
        ctx.guardData.invalidate(workspaceId);
        return toCatalogItem(row!);
      },
    );

    app.get(
      '/approvals',
      {
        schema: {
          tags: ['approvals'],
          summary: 'Messages waiting for approval (supervisors and admins see all; others their own)',
          response: { 200: z.object({ items: z.array(messageSchema) }) },
        },
      },
      async (request) => {
        const { workspaceId, role, userId } = request.principal;
        const reviewer = can({ role }, 'approvals.review');
        const rows = await listAwaitingApproval(ctx.db, workspaceId, { limit: 200, ...(reviewer ? {} : { authorUserId: userId }) });
        return { items: await buildMessageViews(ctx.db, workspaceId, rows) };
      },
    );

    app.post(
      '/messages/:id/approve',
      {
        schema: {
          tags: ['approvals'],
          summary: 'Approve a message, as written or with changes (`text`: a new version, checked by the guard)',
          params: idParams,
          body: approveBody,
          response: { 200: messageSchema },
        },
      },
      async (request) => {
        const row = await approveMessage(
          ctx,
          request.principal.workspaceId,
          request.params.id,
          actorOf(request.principal),
          request.body?.text,
        );
        return (await buildMessageViews(ctx.db, request.principal.workspaceId, [row]))[0]!;
      },
    );

    app.post(
      '/messages/:id/reject',
      { schema: { tags: ['approvals'], params: idParams, body: rejectBody, response: { 200: messageSchema } } },
      async (request) => {
        const row = await rejectMessage(
          ctx,
          request.principal.workspaceId,
          request.params.id,
          actorOf(request.principal),
          request.body.reason,
        );
        return (await buildMessageViews(ctx.db, request.principal.workspaceId, [row]))[0]!;
      },
    );
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { CommandError, notFound, nouns } from '../../commands/command-error.ts';
import { createContact } from '../../commands/create-contact.ts';
import { contactSchema, createContactBody, idParams } from '../../contracts/api-schemas.ts';
import { identitiesOf } from '../../db/queries/contact-identity-queries.ts';
import { getContact, listContacts } from '../../db/queries/contact-queries.ts';
import { getWorkspace } from '../../db/queries/workspace-queries.ts';
import type { ContactRow } from '../../db/schema.ts';
import { canWrite } from '../../domain/actor.ts';

const tags = ['contacts'];

type Identities = Awaited<ReturnType<typeof identitiesOf>>;
const toContact = (row: ContactRow, identities: Identities = []) => ({
  id: row.id,
  name: row.name,
  phone: row.phone,
  identities: [
    ...(row.phone ? [{ kind: 'phone' as const, value: row.phone, retired: false }] : []),
    ...identities.filter((i) => i.contact_id === row.id).map((i) => ({ kind: i.kind, value: i.value, retired: i.retired_at !== null })),
  ],
  language: row.language === 'en' ? ('en' as const) : ('fr' as const),
  createdAt: row.created_at.toISOString(),
});

export function contactRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/contacts',
      {
        schema: {
          tags,
          summary: 'Create a contact (phone normalised to E.164)',
          body: createContactBody,
          response: { 201: contactSchema },
        },
      },
      async (request, reply) => {
        if (!canWrite(request.principal)) throw new CommandError('forbidden');
        const workspace = await getWorkspace(ctx.db, request.principal.workspaceId);
        const row = await createContact(ctx, {
          workspaceId: request.principal.workspaceId,
          country: workspace?.country ?? 'FR',
          name: request.body.name,
          phone: request.body.phone,
          language: request.body.language ?? (workspace?.language === 'en' ? 'en' : 'fr'),
        });
        return reply.code(201).send(toContact(row));
      },
    );

    app.get(
      '/contacts',
      { schema: { tags, response: { 200: z.object({ items: z.array(contactSchema) }) } } },
      async (request) => {
        const rows = await listContacts(ctx.db, request.principal.workspaceId, 500);
        const identities = await identitiesOf(ctx.db, rows.map((r) => r.id));
        return { items: rows.map((r) => toContact(r, identities)) };
      },
    );

    app.get(
      '/contacts/:id',
      { schema: { tags, params: idParams, response: { 200: contactSchema } } },
      async (request) => {
        const row = await getContact(ctx.db, request.principal.workspaceId, request.params.id);
        if (!row) throw notFound(nouns.contact);
        return toContact(row, await identitiesOf(ctx.db, [row.id]));
      },
    );
  };
}

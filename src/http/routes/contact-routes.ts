import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { CommandError, notFound, nouns } from '../../commands/command-error.ts';
import { createContact } from '../../commands/create-contact.ts';
import { contactSchema, createContactBody, idParams } from '../../contracts/api-schemas.ts';
import { getContact, listContacts } from '../../db/queries/contact-queries.ts';
import { getWorkspace } from '../../db/queries/workspace-queries.ts';
import type { ContactRow } from '../../db/schema.ts';
import { canWrite } from '../../domain/actor.ts';

const tags = ['contacts'];

const toContact = (row: ContactRow) => ({
  id: row.id,
  name: row.name,
  phone: row.phone,
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
      async (request) => ({ items: (await listContacts(ctx.db, request.principal.workspaceId, 500)).map(toContact) }),
    );

    app.get(
      '/contacts/:id',
      { schema: { tags, params: idParams, response: { 200: contactSchema } } },
      async (request) => {
        const row = await getContact(ctx.db, request.principal.workspaceId, request.params.id);
        if (!row) throw notFound(nouns.contact);
        return toContact(row);
      },
    );
  };
}

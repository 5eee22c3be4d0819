import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { mailLanguage } from '../../domain/team-mail.ts';
import { sendLinkMail } from '../../mail/link-mail.ts';
import { CommandError } from '../../commands/command-error.ts';
import { createWorkspaceWithInvitation } from '../../commands/team/create-workspace-with-invitation.ts';
import { createdWorkspaceSchema, createWorkspaceBody } from '../../contracts/team-schemas.ts';
import { linkUrl } from '../session-view.ts';

const platformOff = {
  en: 'Creating workspaces over the API is off: set ERRATA_PLATFORM_TOKEN and send it as a bearer token.',
  fr: 'La création d’espaces par l’API est désactivée : définissez ERRATA_PLATFORM_TOKEN et envoyez-le comme jeton Bearer.',
};
const notPlatform = {
  en: 'This needs the platform operator’s token (ERRATA_PLATFORM_TOKEN), not a user’s.',
  fr: 'Il faut le jeton de l’opérateur de la plateforme (ERRATA_PLATFORM_TOKEN), pas celui d’un utilisateur.',
};

function tokenMatches(expected: string, header: string | undefined): boolean {
  const given = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  if (!given) return false;
  const digest = (value: string) => createHmac('sha256', 'errata-platform').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * For people who host Errata for several businesses: `POST /workspaces` with the platform
 * operator's token (ERRATA_PLATFORM_TOKEN) creates a workspace and invites its first admin. The
 * route is outside the users' authentication (no user token opens it); without the setting it
 * answers 401 to everyone.
 */
export function platformRoutes(ctx: AppContext, options: { platformToken?: string | undefined }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/workspaces',
      {
        schema: {
          tags: ['workspaces'],
          summary: 'Create a workspace and invite its first admin (platform operator: Authorization: Bearer $ERRATA_PLATFORM_TOKEN)',
          body: createWorkspaceBody,
          response: { 201: createdWorkspaceSchema },
        },
        config: { public: true },
        // Checked once the body has passed validation (like every route, a malformed body is a 400 first).
        preHandler: async (request) => {
          if (!options.platformToken) throw new CommandError('unauthorized', platformOff, { reason: 'platform_token_not_configured' });
          if (!tokenMatches(options.platformToken, request.headers.authorization)) throw new CommandError('unauthorized', notPlatform);
        },
      },
      async (request, reply) => {
        const result = await createWorkspaceWithInvitation(ctx, request.body, 'platform');
        const invitationUrl = linkUrl(request, 'invitation', result.token);
        const mail = await sendLinkMail(ctx, result.admin.email, {
          kind: 'invitation',
          language: mailLanguage(result.workspace.language),
          url: invitationUrl,
          expiresAt: result.expiresAt,
          workspaceName: result.workspace.name,
          recipientName: result.admin.name,
        });
        return reply.code(201).send({
          workspace: result.workspace,
          admin: result.admin,
          invitationUrl,
          expiresAt: result.expiresAt.toISOString(),
          mail,
        });
      },
    );
  };
}

import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { hashToken } from '../../auth/secrets.ts';
import { acceptLink } from '../../commands/team/accept-link.ts';
import { changeOwnPassword } from '../../commands/team/change-password.ts';
import { inviteUser } from '../../commands/team/invite-user.ts';
import { issuePasswordReset } from '../../commands/team/issue-password-reset.ts';
import { requireCan, toUserView } from '../../commands/team/team-common.ts';
import { issueApiToken } from '../../commands/team/issue-api-token.ts';
import { revokeApiToken } from '../../commands/team/revoke-api-token.ts';
import { disableTwoFactor, enableTwoFactor, setupTwoFactor, setWorkspaceTwoFactor, twoFactorStatus } from '../../commands/team/two-factor.ts';
import { updateTeamMember } from '../../commands/team/update-user.ts';
import { can } from '../../domain/actor.ts';
import { mailLanguage } from '../../domain/team-mail.ts';
import { getWorkspace } from '../../db/queries/workspace-queries.ts';
import { sendLinkMail } from '../../mail/link-mail.ts';
import { idParams } from '../../contracts/api-schemas.ts';
import {
  acceptInvitationBody,
  acceptPasswordResetBody,
  changePasswordBody,
  createdTokenSchema,
  createTokenBody,
  inviteUserAnswer,
  inviteUserBody,
  meSchema,
  passwordResetAnswer,
  teamListSchema,
  teamUserSchema,
  tokenListQuery,
  tokenListSchema,
  totpCodeBody,
  totpDisableBody,
  totpSetupAnswer,
  totpStatusSchema,
  updateUserBody,
  workspaceSecurityBody,
  workspaceSecuritySchema,
} from '../../contracts/team-schemas.ts';
import { type getToken, listTeam, listTokens, pendingInvitations } from '../../db/queries/team-queries.ts';
import { type Principal, SESSION_COOKIE } from '../authentication.ts';
import { linkUrl, sessionView, setSessionCookie } from '../session-view.ts';

/** What the team routes need from authentication: drop a person's cached lookups after a change. */
export interface AuthCache {
  forgetUser(userId: string): void;
  forgetAll(): void;
}

type TokenRow = NonNullable<Awaited<ReturnType<typeof getToken>>>;

/** A token as the API shows it: never its secret (only its creation answer carries that, once). */
export function toTokenView(row: TokenRow, now: Date) {
  return {
    id: row.id,
    name: row.label,
    role: row.role ?? row.user_role,
    userId: row.user_id,
    userName: row.user_name,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    state: row.revoked_at ? ('revoked' as const) : row.expires_at && row.expires_at.getTime() <= now.getTime() ? ('expired' as const) : ('live' as const),
  };
}

export const actorOf = (p: Principal) => ({ workspaceId: p.workspaceId, userId: p.userId, role: p.role });

/**
 * People of the workspace: invitations, roles, deactivation, password links and changes. Every
 * query is scoped to the caller's workspace (another workspace's id answers 404); who may do what
 * is `can()`'s answer; every change is recorded in `team_events` with its actor.
 */
export function teamRoutes(ctx: AppContext, auth: AuthCache): FastifyPluginAsyncZod {
  /** An admin's link, also e-mailed where mail is configured (in the workspace's language). */
  async function mailTeamLink(
    request: FastifyRequest,
    kind: 'invitation' | 'password_reset',
    url: string,
    expiresAt: Date,
    to: { email: string; name: string },
  ) {
    const workspace = await getWorkspace(ctx.db, request.principal.workspaceId);
    return sendLinkMail(ctx, to.email, {
      kind,
      language: mailLanguage(workspace?.language),
      url,
      expiresAt,
      workspaceName: workspace?.name ?? '',
      senderName: request.principal.name,
      recipientName: to.name,
    });
  }
  return async (app) => {
    app.get(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: 'People of the workspace, active or not (status: active, invited, invitation_expired, deactivated, no_password)',
          response: { 200: teamListSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request.principal);
        requireCan(actor, 'users.read');
        const now = ctx.clock.now();
        const [users, invitations] = await Promise.all([listTeam(ctx.db, actor.workspaceId), pendingInvitations(ctx.db, actor.workspaceId)]);
        const invitationOf = new Map(invitations.map((i) => [i.user_id, { expiresAt: i.expires_at }]));
        return { items: users.map((u) => toUserView(u, invitationOf.get(u.id), now)) };
      },
    );

    app.post(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Invite someone by e-mail with a role (admins): answers a one-time link valid 7 days, shown once',
          body: inviteUserBody,
          response: { 201: inviteUserAnswer },
        },
      },
      async (request, reply) => {
        const result = await inviteUser(ctx, actorOf(request.principal), request.body);
        const invitationUrl = linkUrl(request, 'invitation', result.token);
        const mail = await mailTeamLink(request, 'invitation', invitationUrl, result.expiresAt, result.user);
        return reply.code(201).send({ user: result.user, invitationUrl, expiresAt: result.expiresAt.toISOString(), mail });
      },
    );

    app.patch(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: 'Change someone’s role or name, deactivate or reactivate them (admins); deactivation ends their sessions and stops their tokens at once',
          params: idParams,
          body: updateUserBody,
          response: { 200: teamUserSchema },
        },
      },
      async (request) => {
        const result = await updateTeamMember(ctx, actorOf(request.principal), request.params.id, request.body);
        auth.forgetUser(request.params.id);
        return result.user;
      },
    );

    app.post(
      '/users/:id/password-reset',
      {
        schema: {
          tags: ['users'],
          summary: 'A one-time password-reset link for someone (admins; valid 24 h, replaces any earlier one)',
          params: idParams,
          response: { 200: passwordResetAnswer },
        },
      },
      async (request) => {
        const result = await issuePasswordReset(ctx, actorOf(request.principal), request.params.id);
        const resetUrl = linkUrl(request, 'reset-password', result.token);
        const mail = await mailTeamLink(request, 'password_reset', resetUrl, result.expiresAt, result.recipient);
        return { resetUrl, expiresAt: result.expiresAt.toISOString(), mail };
      },
    );

    app.post(
      '/auth/invitations/accept',
      {
        schema: {
          tags: ['auth'],
          summary: 'Accept an invitation: choose a password (and correct one’s name); signs in. No authentication: the token from the link is the secret',
          security: [],
          body: acceptInvitationBody,
          response: { 200: meSchema },
        },
        config: { public: true },
      },
      async (request, reply) => {
        const session = await acceptLink(ctx, 'invitation', request.body);
        setSessionCookie(request, reply, session.token);
        return sessionView(ctx, session.workspaceId, session.userId);
      },
    );

    app.post(
      '/auth/password-reset/accept',
      {
        schema: {
          tags: ['auth'],
          summary: 'Use a password-reset link: choose a new password; ends every other session and signs in. No authentication: the token is the secret',
          security: [],
          body: acceptPasswordResetBody,
          response: { 200: meSchema },
        },
        config: { public: true },
      },
      async (request, reply) => {
        const session = await acceptLink(ctx, 'password_reset', request.body);
        auth.forgetUser(session.userId);
        setSessionCookie(request, reply, session.token);
        return sessionView(ctx, session.workspaceId, session.userId);
      },
    );

    app.post(
      '/auth/password',
      {
        schema: {
          tags: ['auth'],
          summary: 'Change one’s own password (the current one required); one’s other sessions end',
          body: changePasswordBody,
          response: { 204: z.null() },
        },
        config: { beforeTwoFactor: true },
      },
      async (request, reply) => {
        const cookie = request.principal.via === 'session' ? request.cookies[SESSION_COOKIE] : undefined;
        await changeOwnPassword(ctx, actorOf(request.principal), {
          ...request.body,
          keepSessionHash: cookie ? hashToken(cookie) : undefined,
        });
        auth.forgetUser(request.principal.userId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/tokens',
      {
        schema: {
          tags: ['tokens'],
          summary: 'API tokens: one’s own; admins see the whole workspace’s (scope=mine for their own). Never the secrets',
          querystring: tokenListQuery,
          response: { 200: tokenListSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request.principal);
        const all = can(actor, 'tokens.read_all') && request.query.scope !== 'mine';
        const now = ctx.clock.now();
        const rows = await listTokens(ctx.db, actor.workspaceId, all ? undefined : actor.userId);
        return { items: rows.map((row) => toTokenView(row, now)) };
      },
    );

    app.post(
      '/tokens',
      {
        schema: {
          tags: ['tokens'],
          summary: 'Create an API token for oneself (role within one’s own, optional expiry); the secret is in this answer only',
          body: createTokenBody,
          response: { 201: createdTokenSchema },
        },
      },
      async (request, reply) => {
        const { token, row } = await issueApiToken(ctx, actorOf(request.principal), {
          name: request.body.name,
          role: request.body.role,
          expiresAt: request.body.expiresAt ? new Date(request.body.expiresAt) : undefined,
        });
        return reply.code(201).send({ ...toTokenView(row, ctx.clock.now()), token });
      },
    );

    app.delete(
      '/tokens/:id',
      {
        schema: {
          tags: ['tokens'],
          summary: 'Revoke a token (one’s own; admins any in the workspace): refused from the next request on',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const { ownerUserId } = await revokeApiToken(ctx, actorOf(request.principal), request.params.id);
        auth.forgetUser(ownerUserId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/auth/totp',
      {
        schema: { tags: ['auth'], summary: 'Whether two-factor sign-in is on for me, required by the workspace, and how many recovery codes are left', response: { 200: totpStatusSchema } },
        config: { beforeTwoFactor: true },
      },
      async (request) => twoFactorStatus(ctx, actorOf(request.principal)),
    );

    app.post(
      '/auth/totp/setup',
      {
        schema: {
          tags: ['auth'],
          summary: 'Start two-factor set-up: an otpauth:// URL (QR code) and ten recovery codes, shown once; on after POST /auth/totp/enable',
          response: { 200: totpSetupAnswer },
        },
        config: { beforeTwoFactor: true },
      },
      async (request) => setupTwoFactor(ctx, actorOf(request.principal)),
    );

    app.post(
      '/auth/totp/enable',
      {
        schema: { tags: ['auth'], summary: 'Confirm the set-up with a code from the app: two-factor sign-in is on', body: totpCodeBody, response: { 200: totpStatusSchema } },
        config: { beforeTwoFactor: true },
      },
      async (request) => {
        const actor = actorOf(request.principal);
        await enableTwoFactor(ctx, actor, request.body.code);
        auth.forgetUser(actor.userId);
        return twoFactorStatus(ctx, actor);
      },
    );

    app.post(
      '/auth/totp/disable',
      {
        schema: { tags: ['auth'], summary: 'Turn one’s two-factor sign-in off (a current code or a recovery code required)', body: totpDisableBody, response: { 200: totpStatusSchema } },
      },
      async (request) => {
        const actor = actorOf(request.principal);
        await disableTwoFactor(ctx, actor, { userId: actor.userId, code: request.body.code });
        auth.forgetUser(actor.userId);
        return twoFactorStatus(ctx, actor);
      },
    );

    app.delete(
      '/users/:id/totp',
      {
        schema: {
          tags: ['users'],
          summary: 'Turn someone’s two-factor sign-in off (admins; for a lost phone and lost recovery codes)',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await disableTwoFactor(ctx, actorOf(request.principal), { userId: request.params.id });
        auth.forgetUser(request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/workspace/security',
      { schema: { tags: ['users'], summary: 'The workspace’s security settings', response: { 200: workspaceSecuritySchema } } },
      async (request) => {
        const workspace = await getWorkspace(ctx.db, request.principal.workspaceId);
        return { requireTwoFactor: Boolean(workspace?.require_totp) };
      },
    );

    app.put(
      '/workspace/security',
      {
        schema: {
          tags: ['users'],
          summary: 'Require two-factor sign-in of everyone (admins): sessions of people without it reach only its set-up until they do',
          body: workspaceSecurityBody,
          response: { 200: workspaceSecuritySchema },
        },
      },
      async (request) => {
        await setWorkspaceTwoFactor(ctx, actorOf(request.principal), request.body.requireTwoFactor);
        auth.forgetAll();
        return { requireTwoFactor: request.body.requireTwoFactor };
      },
    );
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { notFound } from '../commands/command-error.ts';
import { SESSION_SECONDS } from '../commands/sign-in.ts';
import { getUser } from '../db/queries/user-queries.ts';
import { getWorkspace } from '../db/queries/workspace-queries.ts';
import { permissionsOf } from '../domain/actor.ts';
import { SESSION_COOKIE } from './authentication.ts';

/**
 * Who is signed in, in which workspace, and what they may do (`permissions`, from `can()`: the web
 * app hides what would be refused). `role` is the role the request acts with: a token's own role
 * when it has a lower one than its owner.
 */
export async function sessionView(ctx: AppContext, workspaceId: string, userId: string, actingRole?: string) {
  const [user, workspace] = await Promise.all([getUser(ctx.db, workspaceId, userId), getWorkspace(ctx.db, workspaceId)]);
  if (!user || !workspace) throw notFound({ en: 'User', fr: 'Utilisateur' });
  const role = (actingRole ?? user.role) as typeof user.role;
  return {
    user: { id: user.id, name: user.name, email: user.email, role },
    workspace: {
      id: workspace.id,
      name: workspace.name,
      country: workspace.country,
      language: workspace.language === 'en' ? ('en' as const) : ('fr' as const),
    },
    permissions: permissionsOf(role),
    twoFactor: {
      enabled: user.totp_enabled_at !== null,
      required: workspace.require_totp,
    },
  };
}

/** The session cookie, as signing in sets it. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    maxAge: SESSION_SECONDS,
  });
}

/**
 * Where links sent to people point: ERRATA_PUBLIC_URL when set (behind a proxy, or to be sure),
 * else the address the admin's own request came to. The secret goes in the fragment (`#`), which
 * browsers never send to a server or put in a Referer.
 */
export function linkUrl(request: FastifyRequest, page: 'invitation' | 'reset-password', token: string): string {
  return linkAt(`${request.protocol}://${request.host}`, page, token);
}

/** The same link from a given origin (the CLI: its own HOST and PORT), ERRATA_PUBLIC_URL first. */
export function linkAt(origin: string, page: 'invitation' | 'reset-password', token: string): string {
  const configured = process.env.ERRATA_PUBLIC_URL?.replace(/\/+$/, '');
  return `${configured || origin}/${page}#token=${token}`;
}

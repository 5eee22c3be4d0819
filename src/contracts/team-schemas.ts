import { z } from 'zod';
import { sessionSchema } from './api-schemas.ts';

/** Team administration (issue 12): people, invitations, passwords, API tokens, two-factor sign-in, workspaces. */

export const teamRoleSchema = z.enum(['admin', 'supervisor', 'agent', 'auditor']);

/** Passwords are checked for length and commonness by the server (the bounds here only keep bodies sane). */
const password = z.string().min(1).max(200);
const personName = z.string().trim().min(1).max(100);
const email = z.email().min(3).max(200);
/** The secret in an invitation or reset link (`eri_…` / `erp_…`). */
const linkToken = z.string().min(10).max(200).regex(/^[A-Za-z0-9_-]+$/, { message: 'the token from the link' });

export const userStatusSchema = z.enum(['active', 'invited', 'invitation_expired', 'deactivated', 'no_password']);

export const teamUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: teamRoleSchema,
  /** false once deactivated: their sessions and tokens no longer work. */
  active: z.boolean(),
  status: userStatusSchema,
  /** Two-factor sign-in (TOTP) is on. */
  twoFactor: z.boolean(),
  createdAt: z.iso.datetime(),
  deactivatedAt: z.iso.datetime().nullable(),
  /** For an invited person: when the invitation link expires (or expired). */
  invitationExpiresAt: z.iso.datetime().nullable(),
});
export type TeamUser = z.infer<typeof teamUserSchema>;

export const teamListSchema = z.object({ items: z.array(teamUserSchema) });

export const inviteUserBody = z.strictObject({ email, name: personName, role: teamRoleSchema });
/** Whether the link also went out by e-mail: `sent` only once the SMTP server accepted it. */
export const linkMailStatus = z.enum(['sent', 'failed', 'not_configured']);

export const inviteUserAnswer = z.object({
  user: teamUserSchema,
  /** The one-time link to hand to the person (valid 7 days). Shown once; only its hash is kept. */
  invitationUrl: z.string(),
  expiresAt: z.iso.datetime(),
  mail: linkMailStatus,
});

export const updateUserBody = z
  .strictObject({ role: teamRoleSchema.optional(), name: personName.optional(), active: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.name !== undefined || b.active !== undefined, { message: 'give role, name or active' });

export const passwordResetAnswer = z.object({
  /** The one-time link (valid 24 hours) to hand to the person. Shown once. */
  resetUrl: z.string(),
  expiresAt: z.iso.datetime(),
  mail: linkMailStatus,
});

export const acceptInvitationBody = z.strictObject({ token: linkToken, password, name: personName.optional() });
export const acceptPasswordResetBody = z.strictObject({
  token: linkToken,
  password,
  /** With two-factor sign-in on: a code from the app or a recovery code (the link replaces the password only). */
  totp: z.string().trim().min(6).max(20).optional(),
});
export const changePasswordBody = z.strictObject({ current: password, next: password });

// ——— API tokens

export const tokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  /** What the token may do (never more than its owner). */
  role: teamRoleSchema,
  userId: z.uuid(),
  userName: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  /** live, expired or revoked. */
  state: z.enum(['live', 'expired', 'revoked']),
});
export type ApiToken = z.infer<typeof tokenSchema>;

export const tokenListSchema = z.object({ items: z.array(tokenSchema) });
export const tokenListQuery = z.strictObject({
  /** Admins: `all` (default) or `mine`. Others only ever see their own. */
  scope: z.enum(['mine', 'all']).optional(),
});

export const createTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: teamRoleSchema.optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export const createdTokenSchema = tokenSchema.extend({
  /** The secret: shown this once, never again. */
  token: z.string(),
});

// ——— Two-factor sign-in

export const totpSetupAnswer = z.object({
  /** For an authenticator app (the web app shows it as a QR code). */
  otpauthUrl: z.string(),
  /** The same secret, for typing in by hand. */
  secret: z.string(),
  /** Ten one-time codes for when the phone is lost. Shown once. */
  recoveryCodes: z.array(z.string()),
});
export const totpCodeBody = z.strictObject({ code: z.string().trim().min(6).max(20) });
export const totpDisableBody = z.strictObject({ code: z.string().trim().min(6).max(20) });
export const totpStatusSchema = z.object({
  enabled: z.boolean(),
  /** The workspace requires two-factor sign-in of everyone. */
  required: z.boolean(),
  recoveryCodesLeft: z.number().int(),
});
export const workspaceSecurityBody = z.strictObject({ requireTwoFactor: z.boolean() });
export const workspaceSecuritySchema = z.object({ requireTwoFactor: z.boolean() });

// ——— Workspaces (platform operator)

export const createWorkspaceBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  adminEmail: email,
  adminName: personName.optional(),
  country: z.string().regex(/^[A-Z]{2}$/).min(2).max(2).optional(),
  language: z.enum(['fr', 'en']).optional(),
});
export const createdWorkspaceSchema = z.object({
  workspace: z.object({ id: z.uuid(), name: z.string(), country: z.string(), language: z.enum(['fr', 'en']) }),
  admin: teamUserSchema,
  invitationUrl: z.string(),
  expiresAt: z.iso.datetime(),
  mail: linkMailStatus,
});

// ——— Who is signed in, and what they may do

/**
 * Every action `can()` knows (src/domain/actor.ts decides who may do each); `permissions` lists those
 * the caller may do. The one list: the domain's `Action` is this enum's type.
 */
export const permissionSchema = z.enum([
  /** Create or change the workspace's content: messages, contacts, conversations, the simulator. */
  'workspace.write',
  /** Cancel, edit, delete or restore a message (subject: the message; agents and supervisors only their own). */
  'message.change',
  /** Say a guard finding is not a mistake, or report one the guard missed. */
  'guard.feedback.record',
  /** Read the team's guard feedback: the JSON Lines export and the false-alarm rates. */
  'guard.feedback.read',
  /** Read and change the guard's allow-list and the workspace glossary. */
  'guard.allowlist.manage',
  /** See the people of the workspace (names, roles: who wrote, who approved). */
  'users.read',
  /** Invite people, change their role or name, deactivate and reactivate them, issue reset links (subject: the user). */
  'users.manage',
  /** Create API tokens for oneself (with a role within one's own). */
  'tokens.create',
  /** See every token of the workspace, not only one's own. */
  'tokens.read_all',
  /** Revoke a token (subject: the token's owner; one's own always). */
  'tokens.revoke',
  /** Change the workspace's security settings (two-factor sign-in required of everyone). */
  'workspace.security.manage',
  /** Connect, change and rotate the secrets of channels (WhatsApp numbers, gateways, the simulator). */
  'channels.manage',
  /** Change what the guard knows and does: business profile, catalogue and prices, guard policy. */
  'workspace.settings.manage',
  /** See every message waiting for approval (others see only their own). */
  'approvals.review',
  /** Open, set pending, snooze or resolve a conversation. */
  'conversation.status',
  /** Give a conversation to someone or to no one (subject: the assignment; agents only take or release their own). */
  'conversation.assign',
  /** Set a conversation's labels. */
  'conversation.labels',
  /** Write an internal note in a conversation (the team only; never sent). */
  'conversation.note',
  /** Read deletion-health numbers: one's own (agents), everyone's with `analytics.read_team`. */
  'analytics.read',
  /** Read the whole team's deletion-health numbers, per agent, and the alerts. */
  'analytics.read_team',
  /** Set the deletion-health alert thresholds and their webhook. */
  'analytics.alerts.manage',
]);
export type Permission = z.infer<typeof permissionSchema>;

export const meSchema = sessionSchema.extend({
  permissions: z.array(permissionSchema),
  twoFactor: z.object({ enabled: z.boolean(), required: z.boolean() }),
});
export type Me = z.infer<typeof meSchema>;

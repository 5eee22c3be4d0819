import type { AppContext } from '../../app-context.ts';
import { newRecoveryCodes, normaliseRecoveryCode } from '../../auth/one-time-secrets.ts';
import { hashToken } from '../../auth/secrets.ts';
import { newTotpSecret, totpStep, totpUrl } from '../../auth/totp.ts';
import type { DbOrTx } from '../../db/database.ts';
import {
  activateRecoveryCodes,
  claimTotpStep,
  clearRecoveryCodes,
  countRecoveryCodesLeft,
  getTeamMember,
  getTotpState,
  recordTeamEvents,
  replacePendingRecoveryCodes,
  setTotp,
  setWorkspaceRequireTotp,
  spendRecoveryCode,
} from '../../db/queries/team-queries.ts';
import { getWorkspace } from '../../db/queries/workspace-queries.ts';
import { CommandError, notFound } from '../command-error.ts';
import { inTransaction } from '../unit-of-work.ts';
import { requireCan, type TeamActor, userNoun } from './team-common.ts';

const recoveryHash = (code: string) => hashToken(`errata-recovery:${normaliseRecoveryCode(code)}`);

const wrongCode = new CommandError(
  'totp_required',
  {
    en: 'This code is not right (or was already used). Enter the current 6-digit code from your authenticator app, or an unused recovery code.',
    fr: 'Ce code n’est pas le bon (ou a déjà servi). Saisissez le code à 6 chiffres affiché par votre application d’authentification, ou un code de secours inutilisé.',
  },
  { reason: 'totp_invalid' },
);

/**
 * Starts two-factor set-up: a new secret (sealed with the SecretBox before it is stored) and ten
 * recovery codes (only their hashes stored), both pending until a code from the app confirms
 * them. A set-up already in force keeps working until then.
 */
export async function setupTwoFactor(ctx: AppContext, actor: TeamActor) {
  const now = ctx.clock.now();
  const [user, workspace] = await Promise.all([getTeamMember(ctx.db, actor.workspaceId, actor.userId), getWorkspace(ctx.db, actor.workspaceId)]);
  if (!user || !workspace) throw notFound(userNoun);
  const secret = newTotpSecret();
  const recoveryCodes = newRecoveryCodes();
  await inTransaction(ctx, async (uow) => {
    await setTotp(uow.trx, actor.userId, { totp_pending_secret: ctx.providers.box.seal(secret) });
    await replacePendingRecoveryCodes(uow.trx, actor.userId, recoveryCodes.map(recoveryHash), now);
  });
  return { otpauthUrl: totpUrl(secret, user.email, `Errata (${workspace.name})`), secret, recoveryCodes };
}

/** Confirms the pending set-up with a code from the app: two-factor sign-in is on from now. */
export async function enableTwoFactor(ctx: AppContext, actor: TeamActor, code: string) {
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const state = await getTotpState(uow.trx, actor.userId);
    if (!state?.totp_pending_secret) {
      throw new CommandError(
        'conflict',
        { en: 'Start the set-up first (POST /auth/totp/setup).', fr: 'Commencez par la configuration (POST /auth/totp/setup).' },
        { reason: 'totp_not_set_up' },
      );
    }
    const step = totpStep(ctx.providers.box.open(state.totp_pending_secret), code.trim(), now);
    if (step === null) throw wrongCode;
    await setTotp(uow.trx, actor.userId, {
      totp_secret: state.totp_pending_secret,
      totp_pending_secret: null,
      totp_enabled_at: now,
      totp_last_step: String(step),
    });
    await activateRecoveryCodes(uow.trx, actor.userId);
    await recordTeamEvents(uow.trx, [
      { workspaceId: actor.workspaceId, actorUserId: actor.userId, actorKind: 'user', type: 'user.two_factor_enabled', subjectUserId: actor.userId, at: now },
    ]);
  });
}

/**
 * The second factor at sign-in: a 6-digit code (each accepted once: a step already used is
 * refused) or a recovery code (spent). Answers how, or throws `totp_required`.
 */
export async function checkSecondFactor(
  ctx: AppContext,
  db: DbOrTx,
  user: { id: string; workspaceId: string },
  code: string | undefined,
  now: Date,
): Promise<'totp' | 'recovery'> {
  if (!code) throw new CommandError('totp_required', undefined, { reason: 'totp_missing' });
  const state = await getTotpState(db, user.id);
  if (!state?.totp_secret) throw wrongCode;
  const trimmed = code.trim();
  if (/^\d{6}$/.test(trimmed)) {
    const step = totpStep(ctx.providers.box.open(state.totp_secret), trimmed, now);
    if (step !== null && (await claimTotpStep(db, user.id, step))) return 'totp';
    throw wrongCode;
  }
  if (await spendRecoveryCode(db, user.id, recoveryHash(trimmed), now)) {
    await recordTeamEvents(db, [
      { workspaceId: user.workspaceId, actorUserId: user.id, actorKind: 'user', type: 'user.recovery_code_used', subjectUserId: user.id, at: now },
    ]);
    return 'recovery';
  }
  throw wrongCode;
}

export async function twoFactorStatus(ctx: AppContext, actor: TeamActor) {
  const state = await getTotpState(ctx.db, actor.userId);
  return {
    enabled: Boolean(state?.totp_enabled_at),
    required: Boolean(state?.require_totp),
    recoveryCodesLeft: state?.totp_enabled_at ? await countRecoveryCodesLeft(ctx.db, actor.userId) : 0,
  };
}

/**
 * Turns two-factor sign-in off: oneself (a current code or recovery code required), or an admin
 * for someone who lost their phone and codes (then they sign in with their password alone, and
 * must set it up again where the workspace requires it).
 */
export async function disableTwoFactor(ctx: AppContext, actor: TeamActor, target: { userId: string; code?: string | undefined }) {
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const self = target.userId === actor.userId;
    const user = await getTeamMember(uow.trx, actor.workspaceId, target.userId);
    if (!user) throw notFound(userNoun);
    if (self) await checkSecondFactor(ctx, uow.trx, { id: user.id, workspaceId: actor.workspaceId }, target.code, now);
    else requireCan(actor, 'users.manage', { user: { id: target.userId } });
    await setTotp(uow.trx, target.userId, { totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_step: null });
    await clearRecoveryCodes(uow.trx, target.userId);
    await recordTeamEvents(uow.trx, [
      { workspaceId: actor.workspaceId, actorUserId: actor.userId, actorKind: 'user', type: 'user.two_factor_disabled', subjectUserId: target.userId, at: now },
    ]);
  });
}

/** An admin requires (or stops requiring) two-factor sign-in of everyone in the workspace. */
export async function setWorkspaceTwoFactor(ctx: AppContext, actor: TeamActor, required: boolean) {
  requireCan(actor, 'workspace.security.manage');
  await inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    await setWorkspaceRequireTotp(uow.trx, actor.workspaceId, required);
    await recordTeamEvents(uow.trx, [
      { workspaceId: actor.workspaceId, actorUserId: actor.userId, actorKind: 'user', type: 'workspace.two_factor_requirement', at: now, data: { required } },
    ]);
  });
}

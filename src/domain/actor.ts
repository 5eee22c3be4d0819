export type Role = 'admin' | 'supervisor' | 'agent' | 'auditor';

export interface Actor {
  userId: string;
  role: Role;
}

/** Who may change an outgoing message: its author, or an admin. Auditors only read. */
export function canChangeMessage(actor: Actor, message: { direction: 'out' | 'in'; authorUserId: string | null }): boolean {
  if (actor.role === 'auditor') return false;
  if (actor.role === 'admin') return true;
  // Customer messages have no author: any team member may tidy them from the team's view.
  if (message.direction === 'in') return true;
  return message.authorUserId === actor.userId;
}

export function canWrite(actor: Actor): boolean {
  return actor.role !== 'auditor';
}

/**
 * What a role may do, in one place. Actions are added here as features need them (the older
 * checks above and in a few routes are to move here too).
 */
export type Action =
  /** Say a guard finding is not a mistake, or report one the guard missed. */
  | 'guard.feedback.record'
  /** Read the team's guard feedback: the JSON Lines export and the false-alarm rates. */
  | 'guard.feedback.read'
  /** Read and change the guard's allow-list and the workspace glossary. */
  | 'guard.allowlist.manage';

const ACTION_ROLES: Record<Action, readonly Role[]> = {
  'guard.feedback.record': ['admin', 'supervisor', 'agent'],
  'guard.feedback.read': ['admin', 'supervisor'],
  'guard.allowlist.manage': ['admin'],
};

export function can(actor: Pick<Actor, 'role'>, action: Action): boolean {
  return ACTION_ROLES[action].includes(actor.role);
}

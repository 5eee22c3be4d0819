import { type Permission, permissionSchema } from '../contracts/team-schemas.ts';

export type Role = 'admin' | 'supervisor' | 'agent' | 'auditor';

export const ROLES: readonly Role[] = ['admin', 'supervisor', 'agent', 'auditor'];

export interface Actor {
  userId: string;
  role: Role;
}

/** Who may change an outgoing message: its author, or an admin. Auditors only read. */
export function canChangeMessage(actor: Actor, message: { direction: 'out' | 'in'; authorUserId: string | null }): boolean {
  return can(actor, 'message.change', { message });
}

export function canWrite(actor: Pick<Actor, 'role'>): boolean {
  return can(actor, 'workspace.write');
}

/**
 * What a role may do, in one place: every route and command asks can(); actions are added here as
 * features need them.
 */
/** What a person may be allowed to do: the list and what each means are in the contract (`permissionSchema`). */
export type Action = Permission;

export const ACTIONS: readonly Action[] = permissionSchema.options;

const ACTION_ROLES: Record<Action, readonly Role[]> = {
  'workspace.write': ['admin', 'supervisor', 'agent'],
  'message.change': ['admin', 'supervisor', 'agent'],
  'guard.feedback.record': ['admin', 'supervisor', 'agent'],
  'guard.feedback.read': ['admin', 'supervisor'],
  'guard.allowlist.manage': ['admin'],
  'users.read': ['admin', 'supervisor', 'agent', 'auditor'],
  'users.manage': ['admin'],
  'tokens.create': ['admin', 'supervisor', 'agent', 'auditor'],
  'tokens.read_all': ['admin'],
  'tokens.revoke': ['admin', 'supervisor', 'agent', 'auditor'],
  'workspace.security.manage': ['admin'],
  'channels.manage': ['admin'],
  'workspace.settings.manage': ['admin'],
  'approvals.review': ['admin', 'supervisor'],
  'conversation.status': ['admin', 'supervisor', 'agent'],
  'conversation.assign': ['admin', 'supervisor', 'agent'],
  'conversation.labels': ['admin', 'supervisor', 'agent'],
  'conversation.note': ['admin', 'supervisor', 'agent'],
  'analytics.read': ['admin', 'supervisor', 'agent', 'auditor'],
  'analytics.read_team': ['admin', 'supervisor', 'auditor'],
  'analytics.alerts.manage': ['admin', 'supervisor'],
};

/** What an action is about, when the answer depends on it. */
export interface Subject {
  /** For `message.change`. */
  message?: { direction: 'out' | 'in'; authorUserId: string | null };
  /** For `users.manage`: the person acted on. */
  user?: { id: string };
  /** For `tokens.revoke`: whose token it is. */
  ownerUserId?: string;
  /** For `conversation.assign`: who has it now and who it goes to (null: no one). */
  assignment?: { from: string | null; to: string | null };
}

/**
 * May this actor do this (to this subject)? The role decides first; some actions then depend on
 * the subject: agents and supervisors change only their own outgoing messages (customer messages
 * may be hidden by any team member), and only an admin revokes someone else's token.
 */
export function can(actor: Pick<Actor, 'role'> & Partial<Pick<Actor, 'userId'>>, action: Action, subject?: Subject): boolean {
  if (!ACTION_ROLES[action].includes(actor.role)) return false;
  switch (action) {
    case 'message.change': {
      const message = subject?.message;
      if (!message || actor.role === 'admin' || message.direction === 'in') return true;
      return actor.userId !== undefined && message.authorUserId === actor.userId;
    }
    case 'tokens.revoke':
      return actor.role === 'admin' || subject?.ownerUserId === undefined || subject.ownerUserId === actor.userId;
    case 'conversation.assign': {
      // Supervisors and admins dispatch work; an agent takes an unassigned conversation (or keeps
      // their own) and gives back only their own — never takes one from a colleague (docs/decisions.md).
      const assignment = subject?.assignment;
      if (!assignment || actor.role !== 'agent') return true;
      const mine = (id: string | null) => id !== null && id === actor.userId;
      if (assignment.to === null) return mine(assignment.from);
      return mine(assignment.to) && (assignment.from === null || mine(assignment.from));
    }
    default:
      return true;
  }
}

/** Every action the role may do in general (before any subject): what the web app shows. */
export function permissionsOf(role: Role): Action[] {
  return ACTIONS.filter((action) => ACTION_ROLES[action].includes(role));
}

/**
 * Whether `inner` may do nothing that `outer` may not: a token's role must be within its
 * creator's. Derived from the table above, so adding an action keeps it right (an auditor
 * reads what an agent may not, so neither is within the other).
 */
export function roleWithin(inner: Role, outer: Role): boolean {
  return ACTIONS.every((action) => !ACTION_ROLES[action].includes(inner) || ACTION_ROLES[action].includes(outer));
}

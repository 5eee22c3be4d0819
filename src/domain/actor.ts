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

import type { AppContext } from '../app-context.ts';
import { hashToken, newApiToken } from '../auth/secrets.ts';
import { insertApiToken } from '../db/queries/user-queries.ts';

/** Issues a token for a user. The clear token is returned once and never stored. */
export async function createApiToken(
  ctx: AppContext,
  input: { workspaceId: string; userId: string; label: string },
): Promise<string> {
  const token = newApiToken();
  await insertApiToken(ctx.db, {
    id: crypto.randomUUID(),
    workspaceId: input.workspaceId,
    userId: input.userId,
    tokenHash: hashToken(token),
    label: input.label,
    createdAt: ctx.clock.now(),
  });
  return token;
}

import type { AppContext } from '../app-context.ts';
import { hashPassword, hashToken } from '../auth/secrets.ts';
import { insertApiToken, insertUser } from '../db/queries/user-queries.ts';
import { insertWorkspace } from '../db/queries/workspace-queries.ts';
import type { Role } from '../domain/actor.ts';
import { inTransaction } from './unit-of-work.ts';

export interface CreateWorkspaceInput {
  name: string;
  country?: string;
  language?: 'fr' | 'en';
  admin: { email: string; name: string; password?: string | undefined; apiToken?: string | undefined };
}

/** A workspace and its first admin (with a password and/or an API token). */
export async function createWorkspace(ctx: AppContext, input: CreateWorkspaceInput) {
  const passwordHash = input.admin.password ? await hashPassword(input.admin.password) : null;
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const workspaceId = crypto.randomUUID();
    const adminId = crypto.randomUUID();
    await insertWorkspace(uow.trx, {
      id: workspaceId,
      name: input.name,
      country: input.country ?? 'FR',
      language: input.language ?? 'fr',
      createdAt: now,
    });
    await insertUser(uow.trx, {
      id: adminId,
      workspace_id: workspaceId,
      email: input.admin.email.toLowerCase(),
      name: input.admin.name,
      role: 'admin',
      password_hash: passwordHash,
      language: null,
      created_at: now,
    });
    if (input.admin.apiToken) {
      await insertApiToken(uow.trx, {
        id: crypto.randomUUID(),
        workspaceId,
        userId: adminId,
        tokenHash: hashToken(input.admin.apiToken),
        label: 'bootstrap',
        createdAt: now,
      });
    }
    return { workspaceId, adminId };
  });
}

export interface CreateUserInput {
  workspaceId: string;
  email: string;
  name: string;
  role: Role;
  password?: string | undefined;
}

export async function createUser(ctx: AppContext, input: CreateUserInput): Promise<string> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const id = crypto.randomUUID();
  await insertUser(ctx.db, {
    id,
    workspace_id: input.workspaceId,
    email: input.email.toLowerCase(),
    name: input.name,
    role: input.role,
    password_hash: passwordHash,
    language: null,
    created_at: ctx.clock.now(),
  });
  return id;
}

import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError, onUnauthorized, request } from './api.ts';
import type { Session } from './types.ts';

export const sessionKey = ['session'] as const;

async function fetchSession(): Promise<Session | null> {
  try {
    return await request<Session>('GET', 'auth/me', { quiet401: true });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** The signed-in user, `null` when signed out, `undefined` while the first check runs. */
export function useSession() {
  const client = useQueryClient();
  const query = useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: Number.POSITIVE_INFINITY, retry: 1 });
  useEffect(
    () =>
      onUnauthorized(() => {
        client.setQueryData(sessionKey, null);
      }),
    [client],
  );
  return query;
}

export async function signIn(email: string, password: string, totp?: string): Promise<Session> {
  return request<Session>('POST', 'auth/login', { body: { email, password, ...(totp ? { totp } : {}) }, quiet401: true });
}

export async function signOut(): Promise<void> {
  await request('POST', 'auth/logout', { quiet401: true }).catch(() => undefined);
}

/** Forgets everything the previous user saw, then sets (or clears) the session in place, so the
 * app's session observer stays attached. */
export function replaceSession(client: QueryClient, session: Session | null): void {
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
  client.setQueryData(sessionKey, session);
}

import { type QueryClient, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get, post, query } from './api.ts';
import type { Channel, Contact, Conversation, Message, Page, Screen, User } from './types.ts';

export const PAGE_SIZE = 50;

export function useConversations(q: string) {
  return useInfiniteQuery({
    queryKey: ['conversations', q],
    queryFn: ({ pageParam, signal }) =>
      get<Page<Conversation>>(`conversations${query({ limit: PAGE_SIZE, cursor: pageParam, q: q.trim() })}`, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
  });
}

export function useConversation(id: string | null) {
  return useQuery({
    queryKey: ['conversations', 'one', id],
    queryFn: ({ signal }) => get<Conversation>(`conversations/${id}`, signal),
    enabled: !!id,
  });
}

export function useMessages(conversationId: string | null, includeHidden: boolean) {
  return useInfiniteQuery({
    queryKey: ['messages', conversationId, includeHidden],
    queryFn: ({ pageParam, signal }) =>
      get<Page<Message>>(
        `conversations/${conversationId}/messages${query({ limit: PAGE_SIZE, cursor: pageParam, includeHidden: includeHidden ? 'true' : undefined })}`,
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !!conversationId,
  });
}

export function useChannels() {
  return useQuery({
    queryKey: ['channels'],
    queryFn: ({ signal }) => get<{ items: Channel[] } | Channel[]>('channels', signal).then((r) => (Array.isArray(r) ? r : r.items)),
    staleTime: 60_000,
  });
}

export function useContact(id: string | null) {
  return useQuery({
    queryKey: ['contact', id],
    queryFn: ({ signal }) => get<Contact>(`contacts/${id}`, signal),
    enabled: !!id,
    staleTime: 60_000,
  });
}

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: ['users'],
    queryFn: ({ signal }) => get<{ items: User[] }>('users', signal).then((r) => r.items),
    staleTime: 60_000,
    enabled,
    retry: false,
  });
}

export function useApprovals(enabled: boolean) {
  return useQuery({
    queryKey: ['approvals'],
    queryFn: ({ signal }) => get<{ items: Message[] }>('approvals', signal).then((r) => r.items),
    enabled,
  });
}

export function useScreen(contactId: string | null) {
  return useQuery({
    queryKey: ['screen', contactId],
    queryFn: ({ signal }) => get<Screen>(`simulator/contacts/${contactId}/screen`, signal),
    enabled: !!contactId,
  });
}

/** Runs a message action and refreshes everything that shows messages. */
export async function messageAction(client: QueryClient, path: string, body?: unknown): Promise<Message> {
  const message = await post<Message>(path, body);
  void client.invalidateQueries({ queryKey: ['messages', message.conversationId] });
  void client.invalidateQueries({ queryKey: ['conversations'] });
  void client.invalidateQueries({ queryKey: ['screen'] });
  void client.invalidateQueries({ queryKey: ['approvals'] });
  return message;
}

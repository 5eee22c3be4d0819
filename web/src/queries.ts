import { type QueryClient, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get, post, query } from './api.ts';
import type { Channel, Contact, Conversation, ConversationStatus, LabelCount, Message, Page, Screen, ThreadItem, User } from './types.ts';

export const PAGE_SIZE = 50;

/** The inbox's filters (team inbox): whose conversations, which status, which label. */
export interface ConversationFilters {
  assignee?: 'me' | 'unassigned' | undefined;
  status?: ConversationStatus | undefined;
  label?: string | undefined;
}

export function useConversations(q: string, filters: ConversationFilters = {}) {
  return useInfiniteQuery({
    queryKey: ['conversations', q, filters.assignee ?? '', filters.status ?? '', filters.label ?? ''],
    queryFn: ({ pageParam, signal }) =>
      get<Page<Conversation>>(`conversations${query({ limit: PAGE_SIZE, cursor: pageParam, q: q.trim(), ...filters })}`, signal),
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
      get<Page<ThreadItem>>(
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

/** The workspace's conversation labels with their counts (the label editor's suggestions, the filter). */
export function useLabels() {
  return useQuery({
    queryKey: ['conversations', 'labels'],
    queryFn: ({ signal }) => get<{ items: LabelCount[] }>('labels', signal).then((r) => r.items),
    staleTime: 30_000,
  });
}

/** Runs a conversation action (status, assign, labels) and refreshes the lists and the thread. */
export async function conversationAction(client: QueryClient, conversationId: string, action: 'status' | 'assign' | 'labels', body: unknown): Promise<Conversation> {
  const updated = await post<Conversation>(`conversations/${conversationId}/${action}`, body);
  client.setQueryData(['conversations', 'one', conversationId], updated);
  void client.invalidateQueries({ queryKey: ['conversations'] });
  return updated;
}

import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { get } from './api.ts';
import { useI18n } from './i18n.tsx';
import type { Message, Page } from './types.ts';

/** The quoted message when the thread already holds it (no request for what is on screen). */
function fromThread(client: QueryClient, conversationId: string, id: string): Message | undefined {
  for (const [, data] of client.getQueriesData<{ pages: Page<Message>[] }>({ queryKey: ['messages', conversationId] })) {
    for (const page of data?.pages ?? []) {
      const hit = page.items.find((m) => m.id === id);
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * A reply (a correction quoting the wrong message) shows what it quotes, as the team sees it: the
 * text, marked when that message was deleted for everyone (the customer's devices show the quote
 * as they show the message; the customer's phone panel shows that).
 */
export function ReplyQuote({ message }: { message: Message }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const id = message.replyToMessageId;
  const quoted = useQuery({
    queryKey: ['message', id],
    queryFn: ({ signal }) => get<Message>(`messages/${id}`, signal),
    enabled: !!id,
    initialData: () => (id ? fromThread(client, message.conversationId, id) : undefined),
    staleTime: 30_000,
  });
  if (!id) return null;
  const q = quoted.data;
  const deleted = q?.deletion?.scope === 'everyone';
  return (
    <blockquote className="reply-quote">
      <span className="muted">{t('replyingTo')}</span>{' '}
      {q ? (
        <>
          <span className="quoted-text">{q.versions[0]?.text ?? q.text}</span>
          {deleted && <span className="muted"> · {t('quotedDeleted')}</span>}
        </>
      ) : (
        <span className="muted">{t('quotedEarlier')}</span>
      )}
    </blockquote>
  );
}

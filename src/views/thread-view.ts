import type { DbOrTx } from '../db/database.ts';
import { listConversationNotes } from '../db/queries/inbox-queries.ts';
import { listConversationMessages } from '../db/queries/message-queries.ts';
import type { ConversationNoteRow, MessageRow } from '../db/schema.ts';
import { buildMessageViews, type MessageView } from './message-view.ts';

export type NoteView = {
  kind: 'note';
  id: string;
  conversationId: string;
  authorUserId: string;
  text: string;
  mentions: string[];
  createdAt: string;
};
export type ThreadItem = (MessageView & { kind: 'message' }) | NoteView;

export function toNoteView(row: ConversationNoteRow): NoteView {
  return {
    kind: 'note',
    id: row.id,
    conversationId: row.conversation_id,
    authorUserId: row.author_user_id,
    text: row.text,
    mentions: row.mentions,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * One page of a thread, newest first: messages and internal notes share one sequence (a note
 * takes its number from the messages'), so one cursor pages through both.
 */
export async function buildThreadPage(
  db: DbOrTx,
  workspaceId: string,
  conversationId: string,
  options: { limit: number; before?: number | undefined; includeHidden: boolean },
): Promise<{ items: ThreadItem[]; nextCursor: string | null }> {
  const [messages, notes] = await Promise.all([
    listConversationMessages(db, workspaceId, conversationId, { ...options, limit: options.limit + 1 }),
    listConversationNotes(db, workspaceId, conversationId, { limit: options.limit + 1, before: options.before }),
  ]);
  type Entry = { seq: number; message?: MessageRow; note?: ConversationNoteRow };
  const merged: Entry[] = [...messages.map((m) => ({ seq: Number(m.seq), message: m })), ...notes.map((n) => ({ seq: Number(n.seq), note: n }))];
  merged.sort((a, b) => b.seq - a.seq);
  const page = merged.slice(0, options.limit);
  const views = new Map(
    (await buildMessageViews(db, workspaceId, page.flatMap((e) => (e.message ? [e.message] : [])))).map((v) => [v.id, v]),
  );
  return {
    items: page.map((e): ThreadItem => (e.note ? toNoteView(e.note) : { ...views.get(e.message!.id)!, kind: 'message' })),
    nextCursor: merged.length > options.limit ? String(page[page.length - 1]!.seq) : null,
  };
}

import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import CustomerPanel from './CustomerPanel.tsx';
import { honestyText } from './honesty-i18n.ts';
import { formatTime, useI18n } from './i18n.tsx';
import { Thread } from './Thread.tsx';
import { ConversationTags, hasFilters, InboxFilters } from './InboxFilters.tsx';
import { inboxText } from './inbox-i18n.ts';
import { type ConversationFilters, useChannels, useConversation, useConversations } from './queries.ts';
import { href } from './route.ts';
import type { Conversation, Session } from './types.ts';

const PANEL_KEY = 'errata.customerPanel';
/** Phone-sized windows (styles.css uses the same width): one pane at a time. */
export const NARROW = '(max-width: 900px)';
export const isNarrow = () => typeof matchMedia === 'function' && matchMedia(NARROW).matches;
const NewConversation = lazy(() => import('./NewConversation.tsx'));

export function Inbox({ session, conversationId }: { session: Session; conversationId: string | null }) {
  const { t } = useI18n();
  const conversation = useConversation(conversationId);
  const channels = useChannels();
  // On a phone-sized window the customer's phone starts closed (it would cover the thread).
  const [panelOpen, setPanelOpen] = useState(() => {
    if (isNarrow()) return false;
    try {
      return localStorage.getItem(PANEL_KEY) !== '0';
    } catch {
      return true;
    }
  });
  const channel = channels.data?.find((c) => c.id === conversation.data?.channelId);
  const simulator = channel?.type === 'simulator';
  const showPanel = simulator && panelOpen && !!conversation.data;

  const togglePanel = () => {
    setPanelOpen((open) => {
      try {
        if (!isNarrow()) localStorage.setItem(PANEL_KEY, open ? '0' : '1');
      } catch {
        // not remembered
      }
      return !open;
    });
  };

  return (
    <div className={`inbox ${conversationId ? 'has-thread' : 'no-thread'} ${showPanel ? 'has-panel' : ''}`}>
      <ConversationList selectedId={conversationId} />
      <main id="main" className="thread-pane" tabIndex={-1} aria-label={conversation.data ? t('thread', { name: conversation.data.contact.name }) : t('inbox')}>
        {conversation.data ? (
          <Thread
            key={conversation.data.id}
            session={session}
            conversation={conversation.data}
            channel={channel}
            panelOpen={showPanel}
            onTogglePanel={simulator ? togglePanel : undefined}
          />
        ) : (
          <>
            {/* The page's h1 while no conversation is open (the contact's name is, in a thread). */}
            <h1 className="sr-only">{t('inbox')}</h1>
            <p className="empty">{conversationId && conversation.isPending ? t('loading') : t('pickConversation')}</p>
          </>
        )}
      </main>
      {showPanel && conversation.data && channel && (
        <CustomerPanel contactId={conversation.data.contact.id} channel={channel} onClose={togglePanel} />
      )}
    </div>
  );
}

function ConversationList({ selectedId }: { selectedId: string | null }) {
  const { t, lang } = useI18n();
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const searchId = useId();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const [filters, setFilters] = useState<ConversationFilters>({});
  const conversations = useConversations(q, filters);
  const items: Conversation[] = conversations.data?.pages.flatMap((p) => p.items) ?? [];
  const [starting, setStarting] = useState(false);

  return (
    <nav className="conversation-list" aria-label={t('conversations')}>
      <div className="list-head">
        <div className="list-title">
          <h2>{t('conversations')}</h2>
          <button type="button" className="ghost" onClick={() => setStarting(true)}>
            {t('newConversation')}
          </button>
        </div>
        {starting && (
          <Suspense fallback={null}>
            <NewConversation onClose={() => setStarting(false)} />
          </Suspense>
        )}
        <label htmlFor={searchId} className="sr-only">
          {t('search')}
        </label>
        <input
          id={searchId}
          type="search"
          placeholder={t('searchPlaceholder')}
          value={input}
          onChange={(e) => {
            const value = e.target.value;
            setInput(value);
            clearTimeout(timer.current);
            timer.current = setTimeout(() => setQ(value), 200);
          }}
        />
        <InboxFilters value={filters} onChange={setFilters} />
      </div>
      {conversations.isError && (
        <p className="error" role="alert">
          {conversations.error.message || t('errorGeneric')}{' '}
          <button type="button" className="link" onClick={() => conversations.refetch()}>
            {t('retry')}
          </button>
        </p>
      )}
      {conversations.isPending ? (
        <p className="muted pad">{t('loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted pad">{q ? t('noMatches', { q }) : hasFilters(filters) ? inboxText(lang, 'noMatchesFiltered') : t('noConversations')}</p>
      ) : (
        <ul>
          {items.map((c) => (
            <li key={c.id}>
              <a
                href={href({ view: 'inbox', conversationId: c.id })}
                aria-current={c.id === selectedId ? 'true' : undefined}
                className={c.unreadCount > 0 ? 'unread' : undefined}
              >
                <span className="row1">
                  <span className="name">{c.contact.name}</span>
                  <time dateTime={c.lastMessageAt ?? undefined}>{formatTime(c.lastMessageAt, lang)}</time>
                </span>
                <span className="row2">
                  {c.lastMessageDeleted ? (
                    <span className="last deleted">{honestyText(lang, 'lastMessageDeleted')}</span>
                  ) : (
                    <span className="last">{c.lastMessageText ?? t('noMessagesYet')}</span>
                  )}
                  {c.unreadCount > 0 && (
                    <span className="badge" title={t('unread', { count: c.unreadCount })}>
                      <span aria-hidden="true">{c.unreadCount}</span>
                      <span className="sr-only">{t('unread', { count: c.unreadCount })}</span>
                    </span>
                  )}
                </span>
                <span className="contact-phone">{c.contact.phone ?? c.contact.handle}</span>
                <ConversationTags conversation={c} />
              </a>
            </li>
          ))}
        </ul>
      )}
      {conversations.hasNextPage && (
        <button type="button" className="ghost block" onClick={() => conversations.fetchNextPage()} disabled={conversations.isFetchingNextPage}>
          {conversations.isFetchingNextPage ? t('loading') : t('loadMore')}
        </button>
      )}
    </nav>
  );
}

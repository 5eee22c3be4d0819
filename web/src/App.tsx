import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { useEventStream } from './events.ts';
import { useI18n } from './i18n.tsx';
import { Inbox } from './Inbox.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { titleWith, unreadTotal, useNotifications } from './notify.ts';
import { useApprovals, useConversations } from './queries.ts';
import { href, useRoute } from './route.ts';
import { replaceSession, signOut, useSession } from './session.ts';
import { SignIn } from './SignIn.tsx';
import { AcceptLink, linkPage } from './AcceptLink.tsx';
import type { Me } from '../../src/contracts/team-schemas.ts';
import { useTeamText } from './team-i18n.ts';
import type { Session } from './types.ts';
import { useUndoShortcut } from './undo.ts';

const Approvals = lazy(() => import('./Approvals.tsx'));
const Channels = lazy(() => import('./Channels.tsx'));
const GuardAdmin = lazy(() => import('./GuardAdmin.tsx'));
const Settings = lazy(() => import('./Settings.tsx'));
const Team = lazy(() => import('./Team.tsx'));
const Security = lazy(() => import('./Security.tsx'));
const Health = lazy(() => import('./Health.tsx'));

export function App() {
  const session = useSession();
  const { t } = useI18n();
  // An invitation or reset link opens its own page, signed in or not.
  const link = linkPage();
  if (link) return <AcceptLink page={link} />;
  if (session.isPending) return <p className="splash">{t('loading')}</p>;
  if (!session.data) return <SignIn />;
  return <Shell session={session.data} />;
}

export const canReview = (role: string) => role === 'admin' || role === 'supervisor';
export const isAdmin = (role: string) => role === 'admin';

function Shell({ session }: { session: Session }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const route = useRoute();
  const live = useEventStream(client, true);
  const reviewer = canReview(session.user.role);
  const admin = isAdmin(session.user.role);
  const { t: tt } = useTeamText();
  const me = session as Session & Partial<Pick<Me, 'permissions' | 'twoFactor'>>;
  const manageTeam = me.permissions ? me.permissions.includes('users.manage') : admin;
  // Deletion health: supervisors, admins and auditors (agents' own numbers are in the API only).
  const readHealth = Boolean(me.permissions?.includes('analytics.read_team'));
  // The workspace requires two-factor sign-in and this person has not set it up: only Security works.
  const mustSetUp = Boolean(me.twoFactor?.required && !me.twoFactor.enabled);
  const approvals = useApprovals(reviewer);
  const waiting = approvals.data?.length ?? 0;
  // The unread count in the tab title; notifications and the chime while the person is elsewhere.
  const unread = unreadTotal(useConversations('').data?.pages);
  const notifications = useNotifications({ reviewer, t, userId: session.user.id });
  useUndoShortcut();

  // The dialogs and panels are split from the first load; fetch them once the inbox is idle.
  useEffect(() => {
    const warm = () => {
      void import('./FixDialog.tsx');
      if (reviewer) void import('./Approvals.tsx');
    };
    const id = setTimeout(warm, 1500);
    return () => clearTimeout(id);
  }, [reviewer]);

  useEffect(() => {
    const page =
      route.view === 'approvals'
        ? t('approvals')
        : route.view === 'channels' && admin
          ? t('channels')
          : route.view === 'guard' && admin
            ? t('guardAdmin')
            : route.view === 'settings' && admin && !mustSetUp
              ? t('settings')
              : mustSetUp || route.view === 'security'
              ? tt('security')
              : route.view === 'team' && manageTeam
                ? tt('team')
                : route.view === 'health' && readHealth
                  ? t('health')
                  : t('inbox');
    document.title = titleWith(unread, page);
  }, [route.view, admin, t, tt, mustSetUp, manageTeam, readHealth, unread]);

  async function onSignOut() {
    await signOut();
    replaceSession(client, null);
    history.replaceState(null, '', '#/');
  }

  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">Errata</span>
        <nav aria-label={t('nav')}>
          <a href={href({ view: 'inbox', conversationId: null })} aria-current={route.view === 'inbox' ? 'page' : undefined}>
            {t('inbox')}
          </a>
          {reviewer && (
            <a
              href={href({ view: 'approvals' })}
              aria-current={route.view === 'approvals' ? 'page' : undefined}
            >
              {/* The name starts with what the link shows (“Approvals”), then the count: “Approvals (2 waiting)”. */}
              {t('approvals')}
              {waiting > 0 && (
                <>
                  <span className="badge" aria-hidden="true">
                    {waiting}
                  </span>
                  <span className="sr-only"> {t('approvalsWaiting', { count: waiting })}</span>
                </>
              )}
            </a>
          )}
          {admin && (
            <a href={href({ view: 'channels' })} aria-current={route.view === 'channels' ? 'page' : undefined}>
              {t('channels')}
            </a>
          )}
          {admin && (
            <a href={href({ view: 'guard' })} aria-current={route.view === 'guard' ? 'page' : undefined}>
              {t('guardAdmin')}
            </a>
          )}
          {admin && (
            <a href={href({ view: 'settings' })} aria-current={route.view === 'settings' ? 'page' : undefined}>
              {t('settings')}
            </a>
          )}
          {manageTeam && (
            <a href={href({ view: 'team' })} aria-current={route.view === 'team' ? 'page' : undefined}>
              {tt('team')}
            </a>
          )}
          {readHealth && (
            <a href={href({ view: 'health' })} aria-current={route.view === 'health' ? 'page' : undefined}>
              {t('health')}
            </a>
          )}
          <a href={href({ view: 'security' })} aria-current={route.view === 'security' ? 'page' : undefined}>
            {tt('security')}
          </a>
        </nav>
        <span className={`live ${live}`} title={live === 'live' ? t('live') : t('reconnecting')}>
          <span className="dot" aria-hidden="true" />
          <span className="sr-only-narrow">{live === 'live' ? t('live') : t('reconnecting')}</span>
        </span>
        {notifications.supported && (
          <span className="notify-toggles">
            <button
              type="button"
              className="ghost"
              aria-pressed={notifications.enabled}
              title={notifications.blocked ? t('notifyBlockedHint') : undefined}
              onClick={() => void notifications.toggle()}
            >
              <span aria-hidden="true">{notifications.enabled ? '🔔' : '🔕'} </span>
              {t('notifyToggle')}
            </button>
            <button type="button" className="ghost" aria-pressed={notifications.sound} onClick={notifications.toggleSound}>
              <span aria-hidden="true">{notifications.sound ? '🔊' : '🔈'} </span>
              {t('soundToggle')}
            </button>
          </span>
        )}
        <LanguageSwitch />
        <span className="who" title={t('signedInAs', { name: session.user.name, role: t(`role_${session.user.role}`) })}>
          {session.user.name}
        </span>
        <button type="button" className="ghost" onClick={onSignOut}>
          {t('signOut')}
        </button>
      </header>
      {mustSetUp || route.view === 'security' ? (
        <main id="main" className="page" tabIndex={-1}>
          <Suspense fallback={<p className="splash">{t('loading')}</p>}>
            <Security />
          </Suspense>
        </main>
      ) : route.view === 'team' && manageTeam ? (
        <main id="main" className="page" tabIndex={-1}>
          <Suspense fallback={<p className="splash">{t('loading')}</p>}>
            <Team session={session} />
          </Suspense>
        </main>
      ) : route.view === 'settings' && admin ? (
        <main id="main" className="page" tabIndex={-1}>
          <Suspense fallback={<p className="splash">{t('loading')}</p>}>
            <Settings />
          </Suspense>
        </main>
      ) : route.view === 'guard' && admin ? (
        <main id="main" className="page" tabIndex={-1}>
          <Suspense fallback={<p className="splash">{t('loading')}</p>}>
            <GuardAdmin />
          </Suspense>
        </main>
      ) : route.view === 'channels' && admin ? (
        <main id="main" className="page" tabIndex={-1}>
          <Suspense fallback={<p className="splash">{t('loading')}</p>}>
            <Channels />
          </Suspense>
        </main>
      ) : route.view === 'health' && readHealth ? (
        <main id="main" className="page" tabIndex={-1}>
          <Suspense fallback={<p className="splash">{t('loading')}</p>}>
            <Health />
          </Suspense>
        </main>
      ) : route.view === 'approvals' && reviewer ? (
        <main id="main" className="page" tabIndex={-1}>
          <Suspense fallback={<p className="splash">{t('loading')}</p>}>
            <Approvals session={session} />
          </Suspense>
        </main>
      ) : (
        <Inbox session={session} conversationId={route.view === 'inbox' ? route.conversationId : null} />
      )}
    </div>
  );
}

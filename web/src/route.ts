import { useEffect, useState } from 'react';

export type Route =
  | { view: 'inbox'; conversationId: string | null }
  | { view: 'approvals' }
  | { view: 'channels' }
  | { view: 'guard' }
  | { view: 'team' }
  | { view: 'security' }
  | { view: 'settings' }
  | { view: 'health' };

function parse(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '/approvals') return { view: 'approvals' };
  if (path === '/channels') return { view: 'channels' };
  if (path === '/guard') return { view: 'guard' };
  if (path === '/team') return { view: 'team' };
  if (path === '/security') return { view: 'security' };
  if (path === '/settings') return { view: 'settings' };
  if (path === '/health') return { view: 'health' };
  const match = /^\/c\/([0-9a-f-]{36})$/.exec(path);
  return { view: 'inbox', conversationId: match?.[1] ?? null };
}

export function href(route: Route): string {
  if (route.view === 'approvals') return '#/approvals';
  if (route.view === 'channels') return '#/channels';
  if (route.view === 'guard') return '#/guard';
  if (route.view === 'team') return '#/team';
  if (route.view === 'security') return '#/security';
  if (route.view === 'settings') return '#/settings';
  if (route.view === 'health') return '#/health';
  return route.conversationId ? `#/c/${route.conversationId}` : '#/';
}

/** Hash routing: bookmarkable, back button works, no server routes needed. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parse(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(route: Route): void {
  location.hash = href(route);
}

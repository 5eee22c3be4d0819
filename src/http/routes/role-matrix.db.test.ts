import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, can, permissionsOf, ROLES, type Role } from '../../domain/actor.ts';
import { call, createTestWorkspace, startTestApp, type TestApp, type TestWorkspace } from '../../test-support/test-app.ts';

let t: TestApp;
let ws: TestWorkspace;
beforeAll(async () => {
  t = await startTestApp();
  ws = await createTestWorkspace(t);
});
afterAll(async () => {
  await t?.close();
});

let seq = 0;
/**
 * Routes whose permission is one `can()` action (no subject), with a request that would succeed
 * for an allowed role. The expectations below are generated from `can()`: a role it refuses gets
 * 403 `forbidden`, any other role gets past the check.
 */
const routes: { action: Action; method: string; label: string; path: () => string; body?: () => unknown }[] = [
  { action: 'users.read', method: 'GET', label: '/api/v1/users', path: () => '/api/v1/users' },
  {
    action: 'users.manage',
    method: 'POST',
    label: '/api/v1/users',
    path: () => '/api/v1/users',
    body: () => ({ email: `matrix-${process.pid}-${Date.now()}-${seq++}@test.local`, name: 'Matrix', role: 'agent' }),
  },
  { action: 'users.manage', method: 'PATCH', label: '/api/v1/users/:id', path: () => `/api/v1/users/${ws.userIds.agent2}`, body: () => ({ name: 'Bob Agent' }) },
  { action: 'users.manage', method: 'POST', label: '/api/v1/users/:id/password-reset', path: () => `/api/v1/users/${ws.userIds.agent2}/password-reset` },
  { action: 'tokens.create', method: 'POST', label: '/api/v1/tokens', path: () => '/api/v1/tokens', body: () => ({ name: 'matrix' }) },
  { action: 'workspace.security.manage', method: 'PUT', label: '/api/v1/workspace/security', path: () => '/api/v1/workspace/security', body: () => ({ requireTwoFactor: false }) },
  {
    action: 'workspace.write',
    method: 'POST',
    label: '/api/v1/contacts',
    path: () => '/api/v1/contacts',
    body: () => ({ name: 'Matrix Contact', phone: `+33 6 ${String(10 + (seq++ % 89)).padStart(2, '0')} 22 33 44`, language: 'fr' }),
  },
  { action: 'guard.feedback.read', method: 'GET', label: '/api/v1/guard/feedback/stats', path: () => '/api/v1/guard/feedback/stats' },
  { action: 'guard.feedback.read', method: 'GET', label: '/api/v1/guard/feedback/export', path: () => '/api/v1/guard/feedback/export' },
  { action: 'guard.allowlist.manage', method: 'GET', label: '/api/v1/guard/allowlist', path: () => '/api/v1/guard/allowlist' },
  { action: 'analytics.read', method: 'GET', label: '/api/v1/analytics/deletions', path: () => '/api/v1/analytics/deletions' },
  { action: 'analytics.read_team', method: 'GET', label: '/api/v1/analytics/alerts', path: () => '/api/v1/analytics/alerts' },
  {
    action: 'analytics.alerts.manage',
    method: 'PUT',
    label: '/api/v1/analytics/alerts',
    path: () => '/api/v1/analytics/alerts',
    body: () => ({ deletionRateAbove: 0.03, transparencyBelow: 0.8, agentFactorAbove: 2, windowDays: 7, minSent: 20, correctionWithinSeconds: 3600, webhookUrl: null }),
  },
];

describe('role matrix (generated from can())', () => {
  for (const route of routes) {
    for (const role of ROLES) {
      const allowed = can({ role }, route.action);
      it(`${role} ${route.method} ${route.label} (${route.action}) → ${allowed ? 'allowed' : '403'}`, async () => {
        const response = await call(t, route.method, route.path(), { token: ws.tokens[role], body: route.body?.() });
        if (allowed) {
          expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
        } else {
          expect(response.status).toBe(403);
          expect(response.body.error.code).toBe('forbidden');
        }
      });
    }
  }

  it('GET /auth/me tells each role exactly what can() allows it', async () => {
    for (const role of ROLES as readonly Role[]) {
      const me = await call(t, 'GET', '/api/v1/auth/me', { token: ws.tokens[role] });
      expect(me.status).toBe(200);
      expect(me.body.user.role).toBe(role);
      expect(me.body.permissions).toEqual(permissionsOf(role));
      expect(me.body.twoFactor).toEqual({ enabled: false, required: false });
    }
  });
});

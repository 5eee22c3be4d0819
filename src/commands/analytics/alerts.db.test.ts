import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeEvent } from '../../realtime/event-bus.ts';
import { call, setupSimulator, startTestApp, type TestApp } from '../../test-support/test-app.ts';
import { deliverAlertWebhooks } from './deliver-alert-webhooks.ts';
import { evaluateAlerts } from './evaluate-alerts.ts';

// Issue 17, alerts: fire once and clear once on the injected clock, announced on the event stream
// and POSTed to a webhook signed with the workspace's secret, retried with backoff.
let t: TestApp;
let hook: Server;
let hookUrl: string;
const received: { body: string; signature: string | undefined }[] = [];
let answers: number[] = [];

beforeAll(async () => {
  t = await startTestApp();
  hook = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ body, signature: req.headers['x-errata-signature'] as string | undefined });
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/errata`;
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => hook?.close(resolve));
});

describe('deletion-rate alert', () => {
  it('is raised once, announced, POSTed signed (retried after a failure), and cleared once', async () => {
    const { ws, contactId } = await setupSimulator(t, { channel: { revokeWindowSeconds: 4096 } });
    t.clock.set('2026-04-01T09:00:00.000Z');
    const put = await call(t, 'PUT', '/api/v1/analytics/alerts', {
      token: ws.tokens.supervisor,
      body: { deletionRateAbove: 0.1, transparencyBelow: null, agentFactorAbove: null, windowDays: 7, minSent: 5, correctionWithinSeconds: 3600, webhookUrl: hookUrl },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const secret: string = put.body.webhookSecret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const again = await call(t, 'GET', '/api/v1/analytics/alerts', { token: ws.tokens.auditor });
    expect(again.body).toMatchObject({ webhookSecretSet: true, webhookUrl: hookUrl, alerts: [] });
    expect(again.body.webhookSecret).toBeUndefined();
    const asAgent = await call(t, 'PUT', '/api/v1/analytics/alerts', {
      token: ws.tokens.agent,
      body: { deletionRateAbove: 0.5, transparencyBelow: null, agentFactorAbove: null, windowDays: 7, minSent: 5, correctionWithinSeconds: 3600, webhookUrl: null },
    });
    expect(asAgent.status).toBe(403);

    const events: RealtimeEvent[] = [];
    const stop = t.app.ctx.bus.subscribe(ws.workspaceId, (e) => events.push(e));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: `Your order ${i + 1} has shipped.`, holdSeconds: 0 } });
      ids.push(r.body.id);
      await t.app.ctx.jobs.drain();
    }
    // 1 of 5 = 20 % > 10 %.
    await call(t, 'POST', `/api/v1/messages/${ids[0]}/delete`, { token: ws.tokens.agent, body: { scope: 'everyone', reason: 'typo' } });
    t.clock.set('2026-04-01T09:10:00.000Z');

    const first = await evaluateAlerts(t.app.ctx, ws.workspaceId);
    expect(first.raised).toHaveLength(1);
    expect(first.raised[0]).toMatchObject({ kind: 'deletion_rate', value: 0.2, threshold: 0.1 });
    const second = await evaluateAlerts(t.app.ctx, ws.workspaceId);
    expect(second).toEqual({ raised: [], cleared: [] });
    expect(events.filter((e) => e.type === 'analytics.alert_raised')).toHaveLength(1);

    // The in-app alert, for supervisors (and on the trust answer); agents do not see it.
    const listed = await call(t, 'GET', '/api/v1/analytics/alerts', { token: ws.tokens.supervisor });
    expect(listed.body.alerts).toEqual([expect.objectContaining({ kind: 'deletion_rate', clearedAt: null, raisedAt: '2026-04-01T09:10:00.000Z' })]);
    expect((await call(t, 'GET', '/api/v1/analytics/alerts', { token: ws.tokens.agent })).status).toBe(403);
    expect((await call(t, 'GET', '/api/v1/analytics/trust', { token: ws.tokens.agent })).body.alerts).toEqual([]);

    // The receiver fails once: retried 10 s later, not before.
    answers = [500];
    expect(await deliverAlertWebhooks(t.app.ctx)).toEqual({ delivered: 0, failed: 1 });
    expect(await deliverAlertWebhooks(t.app.ctx)).toEqual({ delivered: 0, failed: 0 });
    t.clock.advance(10);
    expect(await deliverAlertWebhooks(t.app.ctx)).toEqual({ delivered: 1, failed: 0 });
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toBe(received[0]!.body);
    const { body, signature } = received[1]!;
    expect(signature).toBe(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
    expect(signature).not.toBe(`sha256=${createHmac('sha256', 'another secret').update(body).digest('hex')}`);
    expect(JSON.parse(body)).toMatchObject({ event: 'analytics.alert_raised', workspaceId: ws.workspaceId, alert: { kind: 'deletion_rate', value: 0.2 } });

    // Enough good messages bring the rate to 1 of 11 (≈ 9 %): cleared, once.
    for (let i = 0; i < 6; i++) {
      await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: `Thank you, order ${i + 6}.`, holdSeconds: 0 } });
      await t.app.ctx.jobs.drain();
    }
    const cleared = await evaluateAlerts(t.app.ctx, ws.workspaceId);
    expect(cleared.raised).toEqual([]);
    expect(cleared.cleared).toHaveLength(1);
    expect((await evaluateAlerts(t.app.ctx, ws.workspaceId)).cleared).toEqual([]);
    expect(events.filter((e) => e.type === 'analytics.alert_cleared')).toHaveLength(1);
    expect(await deliverAlertWebhooks(t.app.ctx)).toEqual({ delivered: 1, failed: 0 });
    expect(JSON.parse(received[2]!.body)).toMatchObject({ event: 'analytics.alert_cleared' });
    stop();
  });

  it('gives up after 8 attempts', async () => {
    const { ws, contactId } = await setupSimulator(t, { channel: { revokeWindowSeconds: 4096 } });
    t.clock.set('2026-05-01T09:00:00.000Z');
    await call(t, 'PUT', '/api/v1/analytics/alerts', {
      token: ws.tokens.admin,
      body: { deletionRateAbove: 0, transparencyBelow: null, agentFactorAbove: null, windowDays: 1, minSent: 1, correctionWithinSeconds: 3600, webhookUrl: hookUrl },
    });
    const r = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: 'Your order has shipped.', holdSeconds: 0 } });
    await t.app.ctx.jobs.drain();
    await call(t, 'POST', `/api/v1/messages/${r.body.id}/delete`, { token: ws.tokens.agent, body: { scope: 'everyone', reason: 'typo' } });
    expect((await evaluateAlerts(t.app.ctx, ws.workspaceId)).raised).toHaveLength(1);
    answers = Array(20).fill(503);
    const before = received.length;
    for (let i = 0; i < 12; i++) {
      await deliverAlertWebhooks(t.app.ctx);
      t.clock.advance(3_600);
    }
    expect(received.length - before).toBe(8);
    answers = [];
  });
});

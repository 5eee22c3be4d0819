import type { AppContext } from '../../app-context.ts';
import { deliverAlertWebhooks } from './deliver-alert-webhooks.ts';
import { evaluateAllAlerts } from './evaluate-alerts.ts';

/**
 * Evaluates every workspace's deletion-health alerts once a minute and sends due alert webhooks
 * every 10 s (the evaluation reads the injected clock; tests call the two functions directly).
 * Several processes may run it: an alert is raised once per condition (unique index) and a
 * delivery is claimed by one process at a time.
 */
export function startAlertLoop(ctx: AppContext, options: { evaluateEveryMs?: number; deliverEveryMs?: number } = {}): () => void {
  let evaluating = false;
  let delivering = false;
  const evaluate = () => {
    if (evaluating) return;
    evaluating = true;
    evaluateAllAlerts(ctx)
      .catch((error) => ctx.log.warn({ err: error }, 'deletion-health alerts failed'))
      .finally(() => {
        evaluating = false;
      });
  };
  const deliver = () => {
    if (delivering) return;
    delivering = true;
    deliverAlertWebhooks(ctx)
      .catch((error) => ctx.log.warn({ err: error }, 'alert webhooks failed'))
      .finally(() => {
        delivering = false;
      });
  };
  const a = setInterval(evaluate, options.evaluateEveryMs ?? 60_000);
  const b = setInterval(deliver, options.deliverEveryMs ?? 10_000);
  a.unref();
  b.unref();
  return () => {
    clearInterval(a);
    clearInterval(b);
  };
}

import { describe, expect, it } from 'vitest';
import { mistakeFunnel, type PreventionFact, preventionMeasures } from './prevention-measures.ts';

const at = (iso: string) => new Date(iso);
function fact(id: string, over: Partial<PreventionFact> = {}): PreventionFact {
  return {
    messageId: id,
    agentId: 'a',
    createdAt: at('2026-03-02T10:00:00Z'),
    guardVerdict: null,
    findingCategories: [],
    acknowledged: [],
    approvalRequestedAt: null,
    approvalDecision: null,
    approvalDecidedAt: null,
    rejections: 0,
    cancelledAt: null,
    sentAt: at('2026-03-02T10:01:00Z'),
    ...over,
  };
}

const facts: PreventionFact[] = [
  // p1: two warnings, one acknowledged, sent.
  fact('p1', { guardVerdict: 'warn', findingCategories: ['spelling', 'tone'], acknowledged: ['tone.aggressive'] }),
  // p2: review, approved after 4 min.
  fact('p2', { guardVerdict: 'review', findingCategories: ['pii'], approvalRequestedAt: at('2026-03-02T10:00:00Z'), approvalDecision: 'approved', approvalDecidedAt: at('2026-03-02T10:04:00Z') }),
  // p3: review, rejected after 10 min; never sent.
  fact('p3', { guardVerdict: 'review', findingCategories: ['price'], approvalRequestedAt: at('2026-03-02T10:00:00Z'), approvalDecision: 'rejected', approvalDecidedAt: at('2026-03-02T10:10:00Z'), rejections: 1, sentAt: null }),
  // p4: rejected, edited (resubmitted at 11:15, decision cleared), approved at 11:20.
  fact('p4', { approvalRequestedAt: at('2026-03-02T11:15:00Z'), approvalDecision: 'approved', approvalDecidedAt: at('2026-03-02T11:20:00Z'), rejections: 1 }),
  // p5: held, cancelled: an undo-send.
  fact('p5', { cancelledAt: at('2026-03-02T10:00:05Z'), sentAt: null }),
  // p6: waiting for a colleague, withdrawn by its author.
  fact('p6', { approvalRequestedAt: at('2026-03-02T10:00:00Z'), cancelledAt: at('2026-03-02T10:02:00Z'), sentAt: null }),
  // p7: approved after a minute, then held and cancelled: an undo-send too.
  fact('p7', { approvalRequestedAt: at('2026-03-02T10:00:00Z'), approvalDecision: 'approved', approvalDecidedAt: at('2026-03-02T10:01:00Z'), cancelledAt: at('2026-03-02T10:01:10Z'), sentAt: null }),
];
const blocked = [
  { agentId: 'a', at: at('2026-03-02T09:00:00Z'), categories: ['pii', 'pii'] },
  { agentId: 'b', at: at('2026-03-02T09:30:00Z'), categories: ['recipient'] },
];

describe('prevention measures on a hand-built period', () => {
  const p = preventionMeasures(facts, blocked, { falseAlarms: 3, missed: 1 });

  it('guard findings by category (sent and blocked) and by verdict', () => {
    expect(p.guardFindings).toEqual({ spelling: 1, tone: 1, pii: 3, price: 1, recipient: 1 });
    expect(p.guardVerdicts).toEqual({ pass: 0, warn: 1, review: 2, block: 2 });
    expect(p.blocked).toBe(2);
  });

  it('approvals: asked, approved, rejected (a resubmitted message keeps its rejection), withdrawn, turnaround, rate', () => {
    expect(p.sentForApproval).toBe(5); // p2 p3 p4 p6 p7
    expect(p.approved).toBe(3); // p2 p4 p7
    expect(p.rejected).toBe(2); // p3, p4
    expect(p.withdrawn).toBe(1); // p6
    expect(p.awaitingDecision).toBe(0);
    expect(p.rejectionRate).toBe(2 / 4); // decided at least once: p2 p3 p4 p7
    // turnarounds 240 (p2), 600 (p3), 300 (p4), 60 (p7) → 60 240 300 600
    expect(p.approvalTurnaround).toEqual({ p50Seconds: 240, p90Seconds: 600 });
  });

  it('undo-sends, acknowledged warnings, agents’ reports', () => {
    expect(p.undoSends).toBe(2); // p5, p7
    expect(p.warningsAcknowledged).toBe(1);
    expect(p.falseAlarmReports).toBe(3);
    expect(p.missedMistakeReports).toBe(1);
    expect(preventionMeasures(facts, blocked, null).falseAlarmReports).toBeNull();
  });

  it('the funnel counts each mistake at the stage that stopped it', () => {
    const funnel = mistakeFunnel({ edited: 1, deletedForEveryone: 5, corrected: 2 }, p);
    expect(funnel).toEqual({ mistakes: 4 + 2 + 1 + 5, caughtBeforeSend: 4, undone: 2, edited: 1, deleted: 5, corrected: 2 });
  });
});

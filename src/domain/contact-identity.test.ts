import { describe, expect, it } from 'vitest';
import { planContactIdentity, replyAddress } from './contact-identity.ts';
import { conversationEffect, summaryOf } from './inbound-content.ts';

describe('contact identity', () => {
  const bsuid = 'FR.1502576394655843';
  it('creates a contact for someone new, with every part of their identity', () => {
    expect(planContactIdentity({ phone: '+33611111111', bsuid }, [])).toEqual({ action: 'create', phone: '+33611111111', attach: [{ kind: 'bsuid', value: bsuid }] });
    expect(planContactIdentity({ bsuid }, [])).toEqual({ action: 'create', phone: null, attach: [{ kind: 'bsuid', value: bsuid }] });
  });

  it('completes a known contact with the parts it lacked', () => {
    const byId = [{ contactId: 'A', kind: 'bsuid' as const, value: bsuid, contactPhone: null }];
    expect(planContactIdentity({ phone: '+33611111111', bsuid }, byId)).toEqual({ action: 'use', contactId: 'A', setPhone: '+33611111111', attach: [], absorb: [] });
    const byPhone = [{ contactId: 'B', kind: 'phone' as const, value: '+5511999990001', contactPhone: '+5511999990001' }];
    expect(planContactIdentity({ phone: '+5511999990001', lid: '1234@lid' }, byPhone)).toEqual({ action: 'use', contactId: 'B', setPhone: null, attach: [{ kind: 'lid', value: '1234@lid' }], absorb: [] });
  });

  it('merges two contacts one payload proves are the same person, keeping the one with the number', () => {
    const matches = [
      { contactId: 'L', kind: 'lid' as const, value: '1234@lid', contactPhone: null },
      { contactId: 'P', kind: 'phone' as const, value: '+5511999990001', contactPhone: '+5511999990001' },
    ];
    expect(planContactIdentity({ phone: '+5511999990001', lid: '1234@lid' }, matches)).toEqual({ action: 'use', contactId: 'P', setPhone: null, attach: [{ kind: 'lid', value: '1234@lid' }], absorb: ['L'] });
  });

  it('replies to a number first, else to the id the provider accepts', () => {
    expect(replyAddress('whatsapp-cloud', { phone: '+33611111111', bsuid })).toEqual({ kind: 'phone', value: '+33611111111' });
    expect(replyAddress('whatsapp-cloud', { bsuid, lid: '1@lid' })).toEqual({ kind: 'bsuid', value: bsuid });
    expect(replyAddress('evolution', { bsuid, lid: '1@lid' })).toEqual({ kind: 'lid', value: '1@lid' });
    expect(replyAddress('evolution', { bsuid })).toBeNull();
  });
});

describe('what each kind does to a conversation', () => {
  it('only the customer’s own messages are unread and open the window; system notices never', () => {
    expect(conversationEffect('image', 'customer')).toEqual({ unread: true, opensServiceWindow: true, createsContact: true });
    expect(conversationEffect('system', 'customer')).toEqual({ unread: false, opensServiceWindow: false, createsContact: false });
    expect(conversationEffect('text', 'business')).toEqual({ unread: false, opensServiceWindow: false, createsContact: true });
  });
  it('summarises a kind for the inbox', () => {
    expect(summaryOf('image', 'La facture')).toBe('📷 La facture');
    expect(summaryOf('location', '')).toBe('📍 [location]');
    expect(summaryOf('text', ' Bonjour ')).toBe('Bonjour');
  });
});

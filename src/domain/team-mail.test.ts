import { describe, expect, it } from 'vitest';
import { linkMail, mailLanguage } from './team-mail.ts';

const base = {
  url: 'https://errata.example.com/invitation#token=eri_abc',
  expiresAt: new Date('2026-03-09T10:00:00.000Z'),
  workspaceName: 'Boulangerie Martin',
  recipientName: 'Nina',
};

describe('link e-mails', () => {
  it('an invitation names who invites, to which workspace, the link and when it expires, in English and French', () => {
    const en = linkMail({ ...base, kind: 'invitation', language: 'en', senderName: 'Ada' });
    expect(en.subject).toBe('Invitation to join Boulangerie Martin on Errata');
    expect(en.text).toContain('Ada invites you to join the "Boulangerie Martin" workspace');
    expect(en.text).toContain(base.url);
    expect(en.text).toContain('9 March 2026 at 10:00');
    const fr = linkMail({ ...base, kind: 'invitation', language: 'fr', senderName: 'Ada' });
    expect(fr.subject).toBe('Invitation à rejoindre Boulangerie Martin sur Errata');
    expect(fr.text).toContain('Ada vous invite');
    expect(fr.text).toContain('9 mars 2026');
    expect(fr.text).toContain(base.url);
  });

  it('a reset says a reset was asked for, never that the password changed', () => {
    const en = linkMail({ ...base, kind: 'password_reset', language: 'en', senderName: 'Ada' });
    expect(en.subject).toBe('Reset your Errata password');
    expect(en.text).toContain('asked for your password');
    expect(en.text).not.toMatch(/has been changed|was changed/);
    expect(linkMail({ ...base, kind: 'password_reset', language: 'fr' }).text).toContain('a été demandée');
  });

  it('writes French or English only', () => {
    expect(mailLanguage('fr')).toBe('fr');
    expect(mailLanguage('de')).toBe('en');
    expect(mailLanguage(null)).toBe('en');
  });
});

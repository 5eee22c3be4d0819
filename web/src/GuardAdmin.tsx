import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { API, ApiError, get, post, request } from './api.ts';
import { type GuardAdminKey, useGuardAdminText } from './guard-admin-i18n.ts';
import type { MessageKey } from './i18n.tsx';
import { useToast } from './toast.tsx';
import type { AllowEntry, AllowList, AllowProposal, GuardFeedbackStats } from './types.ts';

const CATEGORIES = ['pii', 'price', 'recipient', 'tone', 'spelling'] as const;
const GLOSSARY = 'spelling.word';

/** What an entry or proposal applies to, in words. */
function useScope() {
  const { t } = useGuardAdminText();
  return (e: { kind: string | null; category: string | null }) =>
    e.kind === GLOSSARY
      ? t('appliesGlossary')
      : e.kind
        ? `${t(`category_${e.kind.split('.')[0]}` as MessageKey)} · ${e.kind}`
        : e.category
          ? t(`category_${e.category}` as MessageKey)
          : t('appliesAll');
}

/** Admins: proposals from repeated false alarms, the allow-list and glossary, false-alarm rates. */
export default function GuardAdmin() {
  const { t } = useGuardAdminText();
  const list = useQuery({ queryKey: ['guard', 'allowlist'], queryFn: ({ signal }) => get<AllowList>('guard/allowlist?proposals=1', signal) });
  const stats = useQuery({ queryKey: ['guard', 'stats'], queryFn: ({ signal }) => get<GuardFeedbackStats>('guard/feedback/stats', signal) });
  return (
    <section className="approvals guard-admin" aria-labelledby="guard-admin-title">
      <h1 id="guard-admin-title">{t('guardAdminTitle')}</h1>
      {list.isPending && <p className="muted">{t('loading')}</p>}
      {list.isError && (
        <p className="error" role="alert">
          {list.error.message}
        </p>
      )}
      {list.data && <Proposals proposals={list.data.proposals ?? []} />}
      {list.data && <AllowListSection entries={list.data.items} />}
      <Rates stats={stats.data} error={stats.isError ? stats.error.message : null} />
      <p>
        <a href={`${API}/guard/feedback/export`} download="guard-feedback.jsonl">
          {t('exportLink')}
        </a>
      </p>
    </section>
  );
}

function useListChange() {
  const client = useQueryClient();
  const { notify } = useToast();
  const { t } = useGuardAdminText();
  return async (run: () => Promise<unknown>, done: { key: GuardAdminKey; text: string }) => {
    try {
      await run();
      notify({ text: t(done.key, { text: done.text }), tone: 'success' });
    } catch (e) {
      notify({ text: e instanceof ApiError && e.code !== 'network_error' ? e.message : t('networkError'), tone: 'error' });
    } finally {
      void client.invalidateQueries({ queryKey: ['guard'] });
    }
  };
}

function Proposals({ proposals }: { proposals: AllowProposal[] }) {
  const { t } = useGuardAdminText();
  const scope = useScope();
  const change = useListChange();
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('proposalsTitle')}</h2>
      <p className="hint">{t('proposalsHelp')}</p>
      {proposals.length === 0 ? (
        <p className="muted">{t('noProposals')}</p>
      ) : (
        <ul className="approval-list">
          {proposals.map((p) => (
            <li key={`${p.kind}:${p.text}`} className="approval">
              <p className="approval-head">
                <strong>“{p.text}”</strong>
                <span className="muted">
                  {scope({ kind: p.kind, category: null })} · {t('reportedTimes', { count: p.count, reporters: p.reporters })}
                  {p.glossary && ` · ${t('glossaryWish')}`}
                </span>
              </p>
              <div>
                <button
                  type="button"
                  className="primary"
                  onClick={() => void change(() => post<AllowEntry>('guard/allowlist', { text: p.text, kind: p.kind }), { key: 'added', text: p.text })}
                >
                  {t('accept')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AllowListSection({ entries }: { entries: AllowEntry[] }) {
  const { t } = useGuardAdminText();
  const scope = useScope();
  const change = useListChange();
  const id = useId();
  const [text, setText] = useState('');
  const [appliesTo, setAppliesTo] = useState<string>('');

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const phrase = text.trim();
    if (!phrase) return;
    const body =
      appliesTo === GLOSSARY ? { text: phrase, kind: GLOSSARY } : appliesTo ? { text: phrase, category: appliesTo } : { text: phrase };
    void change(() => post<AllowEntry>('guard/allowlist', body), { key: 'added', text: phrase }).then(() => setText(''));
  }

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('allowListTitle')}</h2>
      <p className="hint">{t('allowListHelp')}</p>
      {entries.length === 0 ? (
        <p className="muted">{t('noEntries')}</p>
      ) : (
        <ul className="approval-list">
          {entries.map((e) => (
            <li key={e.id} className="approval">
              <p className="approval-head">
                <strong>“{e.text}”</strong>
                <span className="muted">{t('appliesToValue', { scope: scope(e) })}</span>
              </p>
              <div>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void change(() => request('DELETE', `guard/allowlist/${e.id}`), { key: 'removed', text: e.text })}
                >
                  {t('remove')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <form className="approval" onSubmit={onSubmit}>
        <label htmlFor={`${id}-phrase`}>{t('phrase')}</label>
        <input id={`${id}-phrase`} required maxLength={200} value={text} autoComplete="off" onChange={(e) => setText(e.target.value)} />
        <label htmlFor={`${id}-scope`}>{t('appliesTo')}</label>
        <select id={`${id}-scope`} value={appliesTo} onChange={(e) => setAppliesTo(e.target.value)}>
          <option value="">{t('appliesAll')}</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`category_${c}` as MessageKey)}
            </option>
          ))}
          <option value={GLOSSARY}>{t('appliesGlossary')}</option>
        </select>
        <div>
          <button type="submit" className="primary">
            {t('add')}
          </button>
        </div>
      </form>
    </section>
  );
}

function Rates({ stats, error }: { stats: GuardFeedbackStats | undefined; error: string | null }) {
  const { t, lang } = useGuardAdminText();
  const id = useId();
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('ratesTitle')}</h2>
      <p className="hint">{t('ratesHelp')}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {stats && stats.kinds.length === 0 && <p className="muted">{t('noRates')}</p>}
      {stats && stats.kinds.length > 0 && (
        <table className="rates">
          <thead>
            <tr>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('falseAlarms')}</th>
              <th scope="col">{t('findingsShown')}</th>
              <th scope="col">{t('rate')}</th>
              <th scope="col">{t('missed')}</th>
            </tr>
          </thead>
          <tbody>
            {stats.kinds.map((k) => (
              <tr key={k.kind}>
                <th scope="row">
                  <code>{k.kind}</code>
                </th>
                <td>{k.falseAlarms}</td>
                <td>{k.findings}</td>
                <td>{k.falseAlarmRate === null ? '—' : percent.format(k.falseAlarmRate)}</td>
                <td>{k.missed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import type { z } from 'zod';
import type { businessProfileSchema, catalogItemSchema, guardPolicySchema } from '../../src/contracts/api-schemas.ts';
import type { assignmentSettingsSchema } from '../../src/contracts/inbox-schemas.ts';
import { ApiError, get, patch, post, put } from './api.ts';
import type { MessageKey } from './i18n.tsx';
import { useChannels } from './queries.ts';
import { type SettingsKey, useSettingsText } from './settings-i18n.ts';
import { useToast } from './toast.tsx';
import type { Channel } from './types.ts';

type Profile = z.infer<typeof businessProfileSchema>;
type CatalogItem = z.infer<typeof catalogItemSchema>;
type Policy = z.infer<typeof guardPolicySchema>;
type Action = 'pass' | 'warn' | 'review' | 'block';
const ACTIONS: Action[] = ['pass', 'warn', 'review', 'block'];
const CATEGORIES = ['pii', 'price', 'recipient', 'tone', 'spelling'] as const;
const LIST_FIELDS = [
  ['phones', 'profilePhones'],
  ['emails', 'profileEmails'],
  ['ibans', 'profileIbans'],
  ['addresses', 'profileAddresses'],
  ['staff', 'profileStaff'],
] as const satisfies readonly (readonly [keyof Profile, SettingsKey])[];

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** Saves through `run`, shows the server's refusal (in the UI language) or a "Saved." toast. */
function useSave() {
  const { t } = useSettingsText();
  const { notify } = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function save(run: () => Promise<unknown>, done?: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await run();
      notify({ text: done ?? t('saved'), tone: 'success' });
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? (e.code === 'network_error' ? t('networkError') : e.message) : t('errorGeneric'));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, save };
}

/** Admins: what today needed the API — the business profile, catalogue and prices, guard policy, hold times. */
export default function Settings() {
  const { t } = useSettingsText();
  return (
    <section className="approvals settings" aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settingsTitle')}</h1>
      <ProfileForm />
      <CatalogSection />
      <PolicySection />
      <HoldSection />
      <AssignmentSection />
    </section>
  );
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null;
}

function ProfileForm() {
  const { t } = useSettingsText();
  const id = useId();
  const client = useQueryClient();
  const profile = useQuery({ queryKey: ['business-profile'], queryFn: ({ signal }) => get<Profile>('business-profile', signal) });
  const [edits, setEdits] = useState<Partial<Record<keyof Profile, string>>>({});
  const { busy, error, save } = useSave();
  const value = (key: keyof Profile) => {
    if (edits[key] !== undefined) return edits[key];
    const v = profile.data?.[key];
    return Array.isArray(v) ? v.join('\n') : (v ?? '');
  };
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    for (const [key, text] of Object.entries(edits)) body[key] = key === 'name' || key === 'country' ? text.trim() : lines(text);
    if (await save(() => put<Profile>('business-profile', body).then((p) => client.setQueryData(['business-profile'], p)))) setEdits({});
  }
  const field = (key: keyof Profile, label: SettingsKey, multiline: boolean) => (
    <div className="field" key={key}>
      <label htmlFor={`${id}-${key}`}>{t(label)}</label>
      {multiline ? (
        <textarea id={`${id}-${key}`} rows={2} value={value(key)} onChange={(e) => setEdits((d) => ({ ...d, [key]: e.target.value }))} />
      ) : (
        <input id={`${id}-${key}`} value={value(key)} autoComplete="off" onChange={(e) => setEdits((d) => ({ ...d, [key]: e.target.value }))} />
      )}
    </div>
  );
  return (
    <form className="approval connect-form" aria-labelledby={`${id}-title`} onSubmit={onSubmit}>
      <h2 id={`${id}-title`}>{t('profileTitle')}</h2>
      <p className="hint">{t('profileHelp')}</p>
      {field('name', 'profileName', false)}
      {field('country', 'profileCountry', false)}
      {LIST_FIELDS.map(([key, label]) => field(key, label, true))}
      <ErrorLine error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || Object.keys(edits).length === 0}>
          {busy ? t('saving') : t('save')}
        </button>
      </div>
    </form>
  );
}

function CatalogSection() {
  const { t } = useSettingsText();
  const id = useId();
  const client = useQueryClient();
  const catalog = useQuery({ queryKey: ['catalog'], queryFn: ({ signal }) => get<{ items: CatalogItem[] }>('catalog', signal).then((r) => r.items) });
  const [name, setName] = useState('');
  const [price, setPrice] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const { busy, error, save } = useSave();
  const refresh = () => client.invalidateQueries({ queryKey: ['catalog'] });
  async function add(e: FormEvent) {
    e.preventDefault();
    const ok = await save(() => post('catalog', { name: name.trim(), price: Number(price.replace(',', '.')), currency: currency.trim().toUpperCase() }).then(refresh));
    if (ok) {
      setName('');
      setPrice('');
    }
  }
  return (
    <section className="approval" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('catalogTitle')}</h2>
      <p className="hint">{t('catalogHelp')}</p>
      {catalog.data?.length === 0 && <p className="muted">{t('catalogEmpty')}</p>}
      {(catalog.data?.length ?? 0) > 0 && (
        <table className="settings-table">
          <thead>
            <tr>
              <th scope="col">{t('itemName')}</th>
              <th scope="col">{t('itemPrice')}</th>
              <th scope="col">{t('itemArchived')}</th>
              <th scope="col">
                <span className="sr-only">{t('save')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {catalog.data?.map((item) => (
              <CatalogRow key={item.id} item={item} onSaved={refresh} />
            ))}
          </tbody>
        </table>
      )}
      <form className="catalog-add" aria-label={t('newItem')} onSubmit={add}>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('itemName')}</label>
          <input id={`${id}-name`} required maxLength={200} value={name} autoComplete="off" onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field narrow">
          <label htmlFor={`${id}-price`}>{t('itemPrice')}</label>
          <input id={`${id}-price`} required inputMode="decimal" pattern="[0-9]+([.,][0-9]{1,2})?" value={price} onChange={(e) => setPrice(e.target.value)} />
        </div>
        <div className="field narrow">
          <label htmlFor={`${id}-currency`}>{t('itemCurrency')}</label>
          <input id={`${id}-currency`} required pattern="[A-Za-z]{3}" maxLength={3} value={currency} onChange={(e) => setCurrency(e.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {t('addItem')}
        </button>
      </form>
      <ErrorLine error={error} />
    </section>
  );
}

function CatalogRow({ item, onSaved }: { item: CatalogItem; onSaved: () => unknown }) {
  const { t } = useSettingsText();
  const [price, setPrice] = useState(String(item.price));
  const [archived, setArchived] = useState(item.archived);
  const { busy, error, save } = useSave();
  const changed = Number(price.replace(',', '.')) !== item.price || archived !== item.archived;
  return (
    <tr>
      <th scope="row">{item.name}</th>
      <td>
        <input
          aria-label={t('itemPriceOf', { name: item.name })}
          inputMode="decimal"
          value={price}
          onChange={(e) => setPrice(e.target.value)}
          aria-invalid={Number.isNaN(Number(price.replace(',', '.'))) || undefined}
        />{' '}
        {item.currency}
        <ErrorLine error={error} />
      </td>
      <td>
        <input type="checkbox" aria-label={t('itemArchivedOf', { name: item.name })} checked={archived} onChange={(e) => setArchived(e.target.checked)} />
      </td>
      <td>
        <button
          type="button"
          className="secondary"
          disabled={busy || !changed}
          onClick={() => save(() => patch(`catalog/${item.id}`, { price: Number(price.replace(',', '.')), archived }).then(onSaved))}
        >
          {t('saveItem', { name: item.name })}
        </button>
      </td>
    </tr>
  );
}

function usePolicy() {
  return useQuery({ queryKey: ['guard-policy'], queryFn: ({ signal }) => get<Policy>('guard/policy', signal) });
}

function PolicySection() {
  const { t } = useSettingsText();
  const id = useId();
  const client = useQueryClient();
  const policy = usePolicy();
  const [categories, setCategories] = useState<Partial<Record<string, Action>>>({});
  const [kinds, setKinds] = useState<Record<string, Action>>({});
  const [newKind, setNewKind] = useState('');
  const [newAction, setNewAction] = useState<Action>('warn');
  const { busy, error, save } = useSave();
  const allKinds = { ...(policy.data?.kinds ?? {}), ...kinds };
  const select = (label: string, value: string | undefined, onChange: (a: Action) => void, inputId?: string) => (
    <select id={inputId} aria-label={inputId ? undefined : label} value={value ?? ''} onChange={(e) => onChange(e.target.value as Action)}>
      {ACTIONS.map((a) => (
        <option key={a} value={a}>
          {t(`action_${a}`)}
        </option>
      ))}
    </select>
  );
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const body = { categories, kinds: { ...kinds, ...(newKind.trim() ? { [newKind.trim()]: newAction } : {}) } };
    const ok = await save(() => put<Policy>('guard/policy', body).then((p) => client.setQueryData(['guard-policy'], p)));
    if (ok) {
      setCategories({});
      setKinds({});
      setNewKind('');
    }
  }
  return (
    <form className="approval connect-form" aria-labelledby={`${id}-title`} onSubmit={onSubmit}>
      <h2 id={`${id}-title`}>{t('policyTitle')}</h2>
      <p className="hint">{t('policyHelp')}</p>
      <table className="settings-table">
        <thead>
          <tr>
            <th scope="col">{t('policyCategory')}</th>
            <th scope="col">{t('policyAction')}</th>
          </tr>
        </thead>
        <tbody>
          {CATEGORIES.map((c) => {
            const name = t(`category_${c}` as MessageKey);
            return (
              <tr key={c}>
                <th scope="row">{name}</th>
                <td>{select(t('actionFor', { name }), categories[c] ?? policy.data?.categories[c], (a) => setCategories((x) => ({ ...x, [c]: a })))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>{t('policyKinds')}</h3>
      <p className="hint">{t('policyKindsHelp')}</p>
      {Object.keys(allKinds).length === 0 ? (
        <p className="muted">{t('policyKindsNone')}</p>
      ) : (
        <ul className="kind-list">
          {Object.entries(allKinds).map(([kind, action]) => (
            <li key={kind}>
              <code>{kind}</code> {select(t('actionFor', { name: kind }), action, (a) => setKinds((x) => ({ ...x, [kind]: a })))}
            </li>
          ))}
        </ul>
      )}
      <div className="catalog-add">
        <div className="field">
          <label htmlFor={`${id}-kind`}>{t('policyKind')}</label>
          <input id={`${id}-kind`} value={newKind} pattern="[a-z]+\.[a-z_]+" placeholder="pii.iban" autoComplete="off" onChange={(e) => setNewKind(e.target.value)} />
        </div>
        <div className="field narrow">
          <label htmlFor={`${id}-kind-action`}>{t('policyAction')}</label>
          {select(t('policyAction'), newAction, setNewAction, `${id}-kind-action`)}
        </div>
      </div>
      <ErrorLine error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
      </div>
    </form>
  );
}

function HoldSection() {
  const { t } = useSettingsText();
  const id = useId();
  const client = useQueryClient();
  const channels = useChannels();
  const policy = usePolicy();
  const [channelHolds, setChannelHolds] = useState<Record<string, string>>({});
  const [extra, setExtra] = useState<Record<string, string>>({});
  const { busy, error, save } = useSave();
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const ok = await save(async () => {
      for (const [channelId, seconds] of Object.entries(channelHolds)) await patch<Channel>(`channels/${channelId}`, { defaultHoldSeconds: Number(seconds) });
      if (Object.keys(extra).length > 0) {
        const holdExtensionSeconds = Object.fromEntries(Object.entries(extra).map(([c, s]) => [c, Number(s)]));
        client.setQueryData(['guard-policy'], await put<Policy>('guard/policy', { holdExtensionSeconds }));
      }
      await client.invalidateQueries({ queryKey: ['channels'] });
    });
    if (ok) {
      setChannelHolds({});
      setExtra({});
    }
  }
  const number = (inputId: string, label: string, value: string, onChange: (v: string) => void) => (
    <div className="field" key={inputId}>
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} type="number" min={0} max={3600} step={1} required value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
  return (
    <form className="approval connect-form" aria-labelledby={`${id}-title`} onSubmit={onSubmit}>
      <h2 id={`${id}-title`}>{t('holdTitle')}</h2>
      <p className="hint">{t('holdHelp')}</p>
      {channels.data?.map((c) =>
        number(`${id}-ch-${c.id}`, t('channelHold', { name: c.name }), channelHolds[c.id] ?? String(c.defaultHoldSeconds), (v) =>
          setChannelHolds((x) => ({ ...x, [c.id]: v })),
        ),
      )}
      {CATEGORIES.map((c) =>
        number(
          `${id}-x-${c}`,
          t('extraHold', { category: t(`category_${c}` as MessageKey) }),
          extra[c] ?? String(policy.data?.holdExtensionSeconds[c] ?? 0),
          (v) => setExtra((x) => ({ ...x, [c]: v })),
        ),
      )}
      <ErrorLine error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || (Object.keys(channelHolds).length === 0 && Object.keys(extra).length === 0)}>
          {busy ? t('saving') : t('saveHolds')}
        </button>
      </div>
    </form>
  );
}

type AssignmentMode = z.infer<typeof assignmentSettingsSchema>['mode'];

/** Manual assignment, or round-robin among active agents for conversations never assigned. */
function AssignmentSection() {
  const { t } = useSettingsText();
  const id = useId();
  const client = useQueryClient();
  const current = useQuery({
    queryKey: ['workspace-assignment'],
    queryFn: ({ signal }) => get<z.infer<typeof assignmentSettingsSchema>>('workspace/assignment', signal),
  });
  const [mode, setMode] = useState<AssignmentMode | null>(null);
  const { busy, error, save } = useSave();
  const shown = mode ?? current.data?.mode ?? 'manual';
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!mode) return;
    const ok = await save(async () => client.setQueryData(['workspace-assignment'], await put('workspace/assignment', { mode })));
    if (ok) setMode(null);
  }
  return (
    <form className="approval connect-form" aria-labelledby={`${id}-title`} onSubmit={onSubmit}>
      <h2 id={`${id}-title`}>{t('assignmentTitle')}</h2>
      <fieldset className="choices">
        <legend className="sr-only">{t('assignmentTitle')}</legend>
        {(
          [
            ['manual', 'assignmentManual'],
            ['round_robin', 'assignmentRoundRobin'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="choice">
            <input type="radio" name={`${id}-mode`} value={value} checked={shown === value} onChange={() => setMode(value)} /> {t(label)}
          </label>
        ))}
      </fieldset>
      <ErrorLine error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !mode || mode === current.data?.mode}>
          {busy ? t('saving') : t('saveAssignment')}
        </button>
      </div>
    </form>
  );
}

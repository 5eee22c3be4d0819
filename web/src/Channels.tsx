import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, Fragment, useId, useRef, useState } from 'react';
import { ApiError, post } from './api.ts';
import { CreateSimulatorForm, EditChannelForm, windowsReasonKey } from './ChannelForms.tsx';
import { type ChannelKey, useChannelsText } from './channels-i18n.ts';
import { formatDuration } from './i18n.tsx';
import { useChannels } from './queries.ts';
import { useToast } from './toast.tsx';
import type { Channel } from './types.ts';

type RealType = 'whatsapp-cloud' | 'evolution';
type Field = { key: string; label: ChannelKey; secret?: boolean; optional?: boolean; hint?: ChannelKey };

const cloudFields: Field[] = [
  { key: 'phoneNumberId', label: 'field_phoneNumberId' },
  { key: 'wabaId', label: 'field_wabaId' },
  { key: 'accessToken', label: 'field_accessToken', secret: true },
  { key: 'appSecret', label: 'field_appSecret', secret: true },
  { key: 'verifyToken', label: 'field_verifyToken', secret: true },
  { key: 'apiBaseUrl', label: 'field_apiBaseUrl', optional: true },
  { key: 'apiVersion', label: 'field_apiVersion', optional: true, hint: 'apiVersionHint' },
];
const evolutionFields: Field[] = [
  { key: 'baseUrl', label: 'field_baseUrl' },
  { key: 'apiKey', label: 'field_apiKey', secret: true },
  { key: 'instance', label: 'field_instance' },
];
const fieldLabels = new Map([...cloudFields, ...evolutionFields].map((f) => [f.key, f.label]));

/** Admins: the workspace's channels (and changing them), adding a simulator, connecting a real WhatsApp number (Cloud API or Evolution). */
export default function Channels() {
  const { t } = useChannelsText();
  const channels = useChannels();
  return (
    <section className="approvals" aria-labelledby="channels-title">
      <h1 id="channels-title">{t('channelsTitle')}</h1>
      {channels.isPending && <p className="muted">{t('loading')}</p>}
      {channels.isError && (
        <p className="error" role="alert">
          {channels.error.message}
        </p>
      )}
      <ul className="approval-list">
        {channels.data?.map((c) => (
          <ChannelItem key={c.id} channel={c} />
        ))}
      </ul>
      <CreateSimulatorForm />
      <ConnectForm />
    </section>
  );
}

function ChannelItem({ channel }: { channel: Channel }) {
  const { t, lang } = useChannelsText();
  const id = useId();
  const yes = (b: boolean) => (b ? t('yes') : t('no'));
  const label = (key: string) => {
    const k = fieldLabels.get(key);
    return k ? t(k) : key;
  };
  const p = channel.provider;
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const reason = windowsReasonKey(channel);
  return (
    <li className="approval" aria-labelledby={`${id}-name`}>
      <p className="approval-head">
        <strong id={`${id}-name`}>{channel.name}</strong>
        <span className="muted">
          {t(`channelType_${channel.type}`)}
          {channel.isDefault && ` · ${t('defaultChannel')}`}
        </span>
      </p>
      <dl className="facts">
        <dt>{t('capDeleteForEveryone')}</dt>
        <dd>{channel.capabilities.deleteForEveryone ? `${t('yes')} · ${formatDuration(channel.revokeWindowSeconds, lang)}` : t('no')}</dd>
        <dt>{t('capEdit')}</dt>
        <dd>{channel.capabilities.edit ? `${t('yes')} · ${formatDuration(channel.editWindowSeconds, lang)}` : t('no')}</dd>
        <dt>{t('capConfirmsRevoke')}</dt>
        <dd>{yes(channel.capabilities.confirmsRevoke)}</dd>
        {reason && (
          <>
            <dt>{t('windowsTitle')}</dt>
            <dd className="hint">{t(reason)}</dd>
          </>
        )}
        {channel.simulator && (
          <>
            <dt>{t('minClientVersionLabel')}</dt>
            <dd>{channel.simulator.minClientVersion}</dd>
            <dt>{t('offlineDeadlineLabel')}</dt>
            <dd>{formatDuration(channel.simulator.offlineRevokeDeadlineSeconds, lang)}</dd>
          </>
        )}
        <dt>{t('defaultHold')}</dt>
        <dd>{formatDuration(channel.defaultHoldSeconds, lang)}</dd>
        {p && (
          <>
            {Object.entries(p.settings).map(([key, value]) => (
              <Fragment key={key}>
                <dt>{label(key)}</dt>
                <dd>
                  <code>{value}</code>
                </dd>
              </Fragment>
            ))}
            <dt>{t('ratePerSecond')}</dt>
            <dd>{p.ratePerSecond}</dd>
            <dt>{t('webhookUrl')}</dt>
            <dd>
              <code className="webhook">{window.location.origin + p.webhookPath}</code>
            </dd>
            <dt>{t('secretsStored')}</dt>
            <dd>{p.secretsStored.length ? p.secretsStored.map(label).join(', ') : t('none')}</dd>
          </>
        )}
      </dl>
      {editing ? (
        <EditChannelForm
          channel={channel}
          onDone={() => {
            setEditing(false);
            // Back where the person was: the button that opened the form.
            requestAnimationFrame(() => editButton.current?.focus());
          }}
        />
      ) : (
        <div className="actions">
          <button
            ref={editButton}
            type="button"
            className="ghost"
            aria-label={t('editChannelLabel', { name: channel.name })}
            onClick={() => setEditing(true)}
          >
            {t('editChannel')}
          </button>
        </div>
      )}
    </li>
  );
}

type Issue = { path?: string | null; message?: string };

function ConnectForm() {
  const { t } = useChannelsText();
  const client = useQueryClient();
  const { notify } = useToast();
  const id = useId();
  const [type, setType] = useState<RealType>('whatsapp-cloud');
  const [name, setName] = useState('');
  const [rate, setRate] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<{ message: string; issues: Issue[] } | null>(null);
  const fields = type === 'whatsapp-cloud' ? cloudFields : evolutionFields;
  // The server's sentence for a field (in the UI language), shown next to that field.
  const fieldPaths = new Set(['name', 'ratePerSecond', ...fields.map((f) => `config.${f.key}`)]);
  const issueAt = (path: string) =>
    error?.issues
      .filter((i) => i.path === path && i.message)
      .map((i) => i.message)
      .join(' ') || undefined;
  const unplaced = error?.issues.filter((i) => !i.path || !fieldPaths.has(i.path)) ?? [];
  const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;
  const fieldName = (path: string) => {
    const key = fieldLabels.get(path.replace(/^config\./, '')) ?? (path === 'name' ? 'channelName' : path === 'ratePerSecond' ? 'ratePerSecond' : null);
    return key ? t(key) : path;
  };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const config: Record<string, string> = {};
    for (const f of fields) {
      const v = (values[f.key] ?? '').trim();
      if (v || !f.optional) config[f.key] = f.secret ? (values[f.key] ?? '') : v;
    }
    const body: Record<string, unknown> = { type, name: name.trim() };
    if (rate.trim()) body.ratePerSecond = Number(rate);
    body.config = config;
    setSending(true);
    setError(null);
    try {
      await post<Channel>('channels', body);
      setValues({});
      setName('');
      setRate('');
      notify({ text: t('channelConnected'), tone: 'success' });
      void client.invalidateQueries({ queryKey: ['channels'] });
    } catch (err) {
      if (err instanceof ApiError) {
        const issues = (err.details as { issues?: Issue[] } | undefined)?.issues ?? [];
        setError({ message: err.code === 'network_error' ? t('networkError') : err.message, issues: Array.isArray(issues) ? issues : [] });
      } else setError({ message: t('errorGeneric'), issues: [] });
    } finally {
      setSending(false);
    }
  }

  return (
    <form className="approval connect-form" aria-labelledby={`${id}-title`} onSubmit={onSubmit}>
      <h2 id={`${id}-title`}>{t('connectTitle')}</h2>
      <fieldset className="radio-row">
        <legend>{t('channelTypeLabel')}</legend>
        {(['whatsapp-cloud', 'evolution'] as const).map((value) => (
          <label key={value} className="radio">
            <input type="radio" name={`${id}-type`} value={value} checked={type === value} onChange={() => setType(value)} />{' '}
            {t(`channelType_${value}`)}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${id}-name`}>{t('channelName')}</label>
      <input
        id={`${id}-name`}
        required
        maxLength={100}
        value={name}
        autoComplete="off"
        aria-invalid={issueAt('name') ? true : undefined}
        aria-describedby={describedBy(issueAt('name') && `${id}-name-error`)}
        onChange={(e) => setName(e.target.value)}
      />
      {issueAt('name') && (
        <span id={`${id}-name-error`} className="field-error">
          {issueAt('name')}
        </span>
      )}
      {fields.map((f) => (
        <div key={`${type}-${f.key}`} className="field">
          <label htmlFor={`${id}-${f.key}`}>{f.optional ? t('optionalField', { label: t(f.label) }) : t(f.label)}</label>
          <input
            id={`${id}-${f.key}`}
            type={f.secret ? 'password' : 'text'}
            required={!f.optional}
            autoComplete={f.secret ? 'new-password' : 'off'}
            spellCheck={false}
            value={values[f.key] ?? ''}
            aria-invalid={issueAt(`config.${f.key}`) ? true : undefined}
            aria-describedby={describedBy(issueAt(`config.${f.key}`) && `${id}-${f.key}-error`, f.hint && `${id}-${f.key}-hint`)}
            onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
          />
          {issueAt(`config.${f.key}`) && (
            <span id={`${id}-${f.key}-error`} className="field-error">
              {issueAt(`config.${f.key}`)}
            </span>
          )}
          {f.hint && (
            <span id={`${id}-${f.key}-hint`} className="hint">
              {t(f.hint)}
            </span>
          )}
        </div>
      ))}
      {type === 'whatsapp-cloud' && (
        <div className="field">
          <label htmlFor={`${id}-rate`}>{t('optionalField', { label: t('ratePerSecond') })}</label>
          <input
            id={`${id}-rate`}
            type="number"
            min={1}
            max={1000}
            step={1}
            value={rate}
            aria-invalid={issueAt('ratePerSecond') ? true : undefined}
            aria-describedby={describedBy(issueAt('ratePerSecond') && `${id}-rate-error`, `${id}-rate-hint`)}
            onChange={(e) => setRate(e.target.value)}
          />
          {issueAt('ratePerSecond') && (
            <span id={`${id}-rate-error`} className="field-error">
              {issueAt('ratePerSecond')}
            </span>
          )}
          <span id={`${id}-rate-hint`} className="hint">
            {t('ratePerSecondHint')}
          </span>
        </div>
      )}
      <p className="hint">{t('secretsNeverShown')}</p>
      {error && (
        <div className="error" role="alert">
          {/* Field problems: one sentence here, each explained next to its field; anything else listed. */}
          <p>{error.issues.length > 0 ? t('fixFieldsBelow') : error.message}</p>
          {unplaced.length > 0 && (
            <ul>
              {unplaced.map((issue, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: issues have no identity
                <li key={i}>
                  {issue.path ? `${fieldName(issue.path)}: ` : ''}
                  {issue.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={sending}>
          {sending ? t('connecting') : t('connect')}
        </button>
      </div>
    </form>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, type RefObject, useEffect, useId, useRef, useState } from 'react';
import { ApiError, patch, post } from './api.ts';
import { type ChannelKey, useChannelsText } from './channels-i18n.ts';
import { formatDuration } from './i18n.tsx';
import { useToast } from './toast.tsx';
import type { Channel } from './types.ts';

/**
 * Creating a simulator channel and changing a channel's settings (admins). Every sentence about a
 * field comes from the server, in the UI language, and is shown next to that field; the first field
 * at fault gets the focus.
 */

type Issue = { path?: string | null; message?: string };
type Failure = { message: string; issues: Issue[] };

function failureOf(err: unknown, t: ReturnType<typeof useChannelsText>['t']): Failure {
  if (!(err instanceof ApiError)) return { message: t('errorGeneric'), issues: [] };
  const issues = (err.details as { issues?: unknown } | undefined)?.issues;
  return { message: err.code === 'network_error' ? t('networkError') : err.message, issues: Array.isArray(issues) ? (issues as Issue[]) : [] };
}

/** A number field's text as the API takes it: empty or not a number is sent as null so the server says what it needs. */
const numberOrNull = (text: string) => (text.trim() === '' || !Number.isFinite(Number(text)) ? null : Number(text));

interface FieldProps {
  formId: string;
  path: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  failure: Failure | null;
  hint?: ReactNode;
  type?: 'text' | 'number';
  min?: number;
  max?: number;
  required?: boolean;
  inputRef?: RefObject<HTMLInputElement | null>;
}

const fieldId = (formId: string, path: string) => `${formId}-${path.replace(/\W/g, '-')}`;

function Field({ formId, path, label, value, onChange, failure, hint, type = 'text', min, max, required, inputRef }: FieldProps) {
  const id = fieldId(formId, path);
  const error = failure?.issues
    .filter((i) => i.path === path && i.message)
    .map((i) => i.message)
    .join(' ');
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        ref={inputRef}
        id={id}
        type={type}
        inputMode={type === 'number' ? 'numeric' : undefined}
        min={min}
        max={max}
        step={type === 'number' ? 1 : undefined}
        required={required}
        autoComplete="off"
        spellCheck={false}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
    </div>
  );
}

/** The alert above the buttons: one sentence when fields are at fault (each explained beside it), else the server's. */
function FailureAlert({ failure, placed, alertRef }: { failure: Failure | null; placed: Set<string>; alertRef: RefObject<HTMLDivElement | null> }) {
  const { t } = useChannelsText();
  if (!failure) return null;
  const unplaced = failure.issues.filter((i) => !i.path || !placed.has(i.path));
  return (
    <div className="error" role="alert" tabIndex={-1} ref={alertRef}>
      <p>{failure.issues.length > 0 ? t('fixFieldsBelow') : failure.message}</p>
      {unplaced.length > 0 && (
        <ul>
          {unplaced.map((issue, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: issues have no identity
            <li key={i}>
              {issue.path ? `${issue.path}: ` : ''}
              {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** After a refusal: the first field at fault, else the alert, gets the focus (once React has drawn them). */
function focusFailure(formId: string, failure: Failure, placed: string[], alert: RefObject<HTMLDivElement | null>) {
  requestAnimationFrame(() => {
    const first = placed.find((p) => failure.issues.some((i) => i.path === p));
    const target = first ? document.getElementById(fieldId(formId, first)) : alert.current;
    target?.focus();
  });
}

const readable = (text: string, lang: 'fr' | 'en') => {
  const n = numberOrNull(text);
  return n === null || n < 0 ? undefined : formatDuration(n, lang);
};

/** Add a training channel: the simulator, whose windows and customer phones Errata plays. */
export function CreateSimulatorForm() {
  const { t, lang } = useChannelsText();
  const client = useQueryClient();
  const { notify } = useToast();
  const formId = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const [name, setName] = useState('');
  const [hold, setHold] = useState('');
  const [minVersion, setMinVersion] = useState('');
  const [deadline, setDeadline] = useState('');
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const paths = ['name', 'defaultHoldSeconds', 'simulator.minClientVersion', 'simulator.offlineRevokeDeadlineSeconds'];

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (sending) return;
    const simulator: Record<string, unknown> = {};
    if (minVersion.trim()) simulator.minClientVersion = minVersion.trim();
    if (deadline.trim()) simulator.offlineRevokeDeadlineSeconds = numberOrNull(deadline);
    const body: Record<string, unknown> = { type: 'simulator', name: name.trim() };
    if (hold.trim()) body.defaultHoldSeconds = numberOrNull(hold);
    if (Object.keys(simulator).length > 0) body.simulator = simulator;
    setSending(true);
    setFailure(null);
    try {
      const created = await post<Channel>('channels', body);
      setName('');
      setHold('');
      setMinVersion('');
      setDeadline('');
      notify({ text: t('simulatorCreated', { name: created.name }), tone: 'success' });
      void client.invalidateQueries({ queryKey: ['channels'] });
      nameRef.current?.focus();
    } catch (err) {
      const f = failureOf(err, t);
      setFailure(f);
      focusFailure(formId, f, paths, alertRef);
    } finally {
      setSending(false);
    }
  }

  const common = { formId, failure };
  return (
    <form className="approval connect-form" aria-labelledby={`${formId}-title`} onSubmit={onSubmit} noValidate>
      <h2 id={`${formId}-title`}>{t('createSimulatorTitle')}</h2>
      <p className="hint">{t('createSimulatorHelp')}</p>
      <Field {...common} path="name" label={t('channelName')} value={name} onChange={setName} required inputRef={nameRef} />
      <Field
        {...common}
        path="defaultHoldSeconds"
        type="number"
        min={0}
        max={3600}
        label={t('optionalField', { label: t('holdSecondsLabel') })}
        value={hold}
        onChange={setHold}
        hint={readable(hold, lang) ?? t('holdDefaultHint')}
      />
      <Field
        {...common}
        path="simulator.minClientVersion"
        label={t('optionalField', { label: t('minClientVersionLabel') })}
        value={minVersion}
        onChange={setMinVersion}
        hint={t('minClientVersionHint')}
      />
      <Field
        {...common}
        path="simulator.offlineRevokeDeadlineSeconds"
        type="number"
        min={0}
        label={t('optionalField', { label: t('offlineDeadlineLabel') })}
        value={deadline}
        onChange={setDeadline}
        hint={readable(deadline, lang) ?? t('offlineDeadlineHint')}
      />
      <p className="hint">{t('windowsLaterHint')}</p>
      <FailureAlert failure={failure} placed={new Set(paths)} alertRef={alertRef} />
      <div className="actions">
        <button type="submit" className="primary" aria-disabled={sending || undefined}>
          {sending ? t('creating') : t('createSimulator')}
        </button>
      </div>
    </form>
  );
}

/** Why a real channel's windows cannot be set here: WhatsApp decides them (PRODUCT.md §4). */
export function windowsReasonKey(channel: Channel): ChannelKey | null {
  if (channel.type === 'whatsapp-cloud') return 'windowsFixedCloud';
  if (channel.type === 'evolution') return 'windowsFixedEvolution';
  return null;
}

/** Change a channel: name and hold everywhere; windows and phones on the simulator; pace on real numbers. */
export function EditChannelForm({ channel, onDone }: { channel: Channel; onDone: (saved: boolean) => void }) {
  const { t, lang } = useChannelsText();
  const client = useQueryClient();
  const { notify } = useToast();
  const formId = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const simulator = channel.type === 'simulator';
  const [name, setName] = useState(channel.name);
  const [hold, setHold] = useState(String(channel.defaultHoldSeconds));
  const [revoke, setRevoke] = useState(String(channel.revokeWindowSeconds));
  const [edit, setEdit] = useState(String(channel.editWindowSeconds));
  const [minVersion, setMinVersion] = useState(channel.simulator?.minClientVersion ?? '');
  const [deadline, setDeadline] = useState(String(channel.simulator?.offlineRevokeDeadlineSeconds ?? ''));
  const [rate, setRate] = useState(String(channel.provider?.ratePerSecond ?? ''));
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const paths = simulator
    ? ['name', 'defaultHoldSeconds', 'revokeWindowSeconds', 'editWindowSeconds', 'simulator.minClientVersion', 'simulator.offlineRevokeDeadlineSeconds']
    : ['name', 'defaultHoldSeconds', 'ratePerSecond'];
  const reason = windowsReasonKey(channel);
  // Opening the form puts the focus in its first field.
  useEffect(() => nameRef.current?.focus(), []);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (sending) return;
    const body: Record<string, unknown> = { name: name.trim(), defaultHoldSeconds: numberOrNull(hold) };
    if (simulator) {
      body.revokeWindowSeconds = numberOrNull(revoke);
      body.editWindowSeconds = numberOrNull(edit);
      body.simulator = { minClientVersion: minVersion.trim(), offlineRevokeDeadlineSeconds: numberOrNull(deadline) };
    } else body.ratePerSecond = numberOrNull(rate);
    setSending(true);
    setFailure(null);
    try {
      await patch<Channel>(`channels/${channel.id}`, body);
      notify({ text: t('channelSaved', { name: name.trim() }), tone: 'success' });
      await client.invalidateQueries({ queryKey: ['channels'] });
      onDone(true);
    } catch (err) {
      const f = failureOf(err, t);
      setFailure(f);
      focusFailure(formId, f, paths, alertRef);
    } finally {
      setSending(false);
    }
  }

  const common = { formId, failure };
  return (
    <form className="connect-form channel-edit" aria-labelledby={`${formId}-title`} onSubmit={onSubmit} noValidate>
      <h2 id={`${formId}-title`}>{t('editTitle', { name: channel.name })}</h2>
      <Field {...common} path="name" label={t('channelName')} value={name} onChange={setName} required inputRef={nameRef} />
      <Field
        {...common}
        path="defaultHoldSeconds"
        type="number"
        min={0}
        max={3600}
        label={t('holdSecondsLabel')}
        value={hold}
        onChange={setHold}
        hint={readable(hold, lang)}
      />
      {simulator ? (
        <>
          <Field
            {...common}
            path="revokeWindowSeconds"
            type="number"
            min={0}
            max={2_592_000}
            label={t('revokeWindowLabel')}
            value={revoke}
            onChange={setRevoke}
            hint={[readable(revoke, lang), t('revokeWindowHint')].filter(Boolean).join(' · ')}
          />
          <Field
            {...common}
            path="editWindowSeconds"
            type="number"
            min={0}
            max={2_592_000}
            label={t('editWindowLabel')}
            value={edit}
            onChange={setEdit}
            hint={[readable(edit, lang), t('editWindowHint')].filter(Boolean).join(' · ')}
          />
          <Field
            {...common}
            path="simulator.minClientVersion"
            label={t('minClientVersionLabel')}
            value={minVersion}
            onChange={setMinVersion}
            hint={t('minClientVersionHint')}
          />
          <Field
            {...common}
            path="simulator.offlineRevokeDeadlineSeconds"
            type="number"
            min={0}
            max={2_592_000}
            label={t('offlineDeadlineLabel')}
            value={deadline}
            onChange={setDeadline}
            hint={readable(deadline, lang)}
          />
        </>
      ) : (
        <>
          <fieldset className="readonly-windows">
            <legend>{t('windowsTitle')}</legend>
            <p>
              {t('windowsSummary', {
                revoke: channel.capabilities.deleteForEveryone ? formatDuration(channel.revokeWindowSeconds, lang) : t('no'),
                edit: channel.capabilities.edit ? formatDuration(channel.editWindowSeconds, lang) : t('no'),
              })}
            </p>
            {reason && <p className="hint">{t(reason)}</p>}
          </fieldset>
          <Field
            {...common}
            path="ratePerSecond"
            type="number"
            min={1}
            max={1000}
            label={t('ratePerSecond')}
            value={rate}
            onChange={setRate}
            hint={t('ratePerSecondHint')}
          />
        </>
      )}
      <FailureAlert failure={failure} placed={new Set(paths)} alertRef={alertRef} />
      <div className="actions">
        <button type="button" className="ghost" onClick={() => onDone(false)}>
          {t('cancelEdit')}
        </button>
        <button type="submit" className="primary" aria-disabled={sending || undefined}>
          {sending ? t('saving') : t('saveChannel')}
        </button>
      </div>
    </form>
  );
}

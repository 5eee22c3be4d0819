import { useQuery } from '@tanstack/react-query';
import type { ChartConfiguration } from 'chart.js';
import { type ReactNode, useId, useMemo, useState } from 'react';
import type {
  DeletionsResponse,
  DrillDownResponse,
  PreventionResponse,
  TrustResponse,
} from '../../src/contracts/analytics-schemas.ts';
import { get, query } from './api.ts';
import { type HealthKey, useHealthText } from './health-i18n.ts';
import { HealthChart, PALETTE } from './HealthChart.tsx';
import { href } from './route.ts';
import './health.css';

type Measure = DrillDownResponse['measure'];
type T = ReturnType<typeof useHealthText>['t'];
const DAY_MS = 86_400_000;
const PERIODS = [7, 30, 90] as const;

function percent(value: number | null | undefined, lang: string): string {
  if (value === null || value === undefined) return '—';
  return (value * 100).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }) + '\u00a0%';
}

function duration(seconds: number | null, t: T): string {
  if (seconds === null) return t('noValue');
  if (seconds < 120) return t('seconds', { value: Math.round(seconds) });
  if (seconds < 7_200) return t('minutes', { value: Math.round(seconds / 60) });
  return t('hours', { value: Math.round(seconds / 360) / 10 });
}

/** The period ends at the next whole hour, so a query key stays the same for a while (and caches). */
function periodOf(days: number) {
  const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  return { from: new Date(to.getTime() - days * DAY_MS).toISOString(), to: to.toISOString() };
}

/**
 * The Health dashboard (issue 17): deletion health, the trust score, the mistake funnel and
 * prevention, for a period compared with the one before. Every chart has its data table; every
 * count opens the messages behind it, each linking to its conversation.
 */
export default function Health() {
  const { t, lang } = useHealthText();
  const [days, setDays] = useState<number>(30);
  const [agentId, setAgentId] = useState<string>('');
  const [drill, setDrill] = useState<{ measure: Measure; reason?: string } | null>(null);
  const period = useMemo(() => periodOf(days), [days]);
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const params = { ...period, tz, agentId: agentId || undefined };
  const qs = query(params);
  const deletions = useQuery({ queryKey: ['analytics', 'deletions', qs], queryFn: ({ signal }) => get<DeletionsResponse>(`analytics/deletions${qs}`, signal) });
  const prevention = useQuery({ queryKey: ['analytics', 'prevention', qs], queryFn: ({ signal }) => get<PreventionResponse>(`analytics/prevention${qs}`, signal) });
  const trust = useQuery({ queryKey: ['analytics', 'trust', qs], queryFn: ({ signal }) => get<TrustResponse>(`analytics/trust${qs}`, signal) });
  const periodId = useId();
  const agentSelectId = useId();
  const d = deletions.data;
  const names = new Map((d?.byAgent ?? []).map((a) => [a.agentId, a.name]));
  const error = deletions.error ?? prevention.error ?? trust.error;

  return (
    <section className="health" aria-labelledby="health-title">
      <h1 id="health-title">{t('healthTitle')}</h1>
      <p className="hint">{t('healthIntro')}</p>
      <div className="health-filters">
        <label htmlFor={periodId}>{t('period')}</label>
        <select id={periodId} value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {PERIODS.map((n) => (
            <option key={n} value={n}>
              {t(`last${n}` as HealthKey)}
            </option>
          ))}
        </select>
        <label htmlFor={agentSelectId}>{t('agent')}</label>
        <select id={agentSelectId} value={agentId} onChange={(e) => setAgentId(e.target.value)}>
          <option value="">{t('everyone')}</option>
          {(d?.byAgent ?? [])
            .filter((a) => a.agentId)
            .map((a) => (
              <option key={a.agentId} value={a.agentId!}>
                {a.name ?? t('unknownAgent')}
              </option>
            ))}
        </select>
        <span className="muted">{t('comparedWith', { days })}</span>
      </div>
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      {(deletions.isPending || trust.isPending) && <p className="muted">{t('loading')}</p>}
      {trust.data && trust.data.alerts.length > 0 && <Alerts alerts={trust.data.alerts} names={names} t={t} lang={lang} />}
      {d && trust.data && (
        <>
          <dl className="health-kpis">
            <Kpi label={t('trustScore')} value={trust.data.score === null ? t('noValue') : String(trust.data.score)} before={trust.data.previousScore === null ? null : String(trust.data.previousScore)} t={t} />
            <Kpi label={t('deletionRate')} value={percent(d.deletionRate, lang)} before={percent(d.previous.deletionRate, lang)} t={t} onOpen={() => setDrill({ measure: 'deleted' })} detail={`${d.deletedForEveryone} / ${d.sent}`} />
            <Kpi label={t('transparencyRate')} value={percent(d.transparencyRate, lang)} before={percent(d.previous.transparencyRate, lang)} t={t} onOpen={() => setDrill({ measure: 'not_corrected' })} detail={`${d.corrected} / ${d.deletedForEveryone}`} />
            <Kpi label={t('beforeReadRate')} value={percent(d.beforeReadRate, lang)} before={percent(d.previous.beforeReadRate, lang)} t={t} onOpen={() => setDrill({ measure: 'before_read' })} />
            <Kpi label={t('unverifiableRate')} value={percent(d.unverifiableRate, lang)} before={percent(d.previous.unverifiableRate, lang)} t={t} onOpen={() => setDrill({ measure: 'unverifiable' })} />
            <Kpi
              label={t('timeToDelete')}
              value={`${duration(d.timeToDelete.p50Seconds, t)} / ${duration(d.timeToDelete.p90Seconds, t)}`}
              before={`${duration(d.previous.timeToDelete.p50Seconds, t)} / ${duration(d.previous.timeToDelete.p90Seconds, t)}`}
              t={t}
            />
            <Kpi label={t('deletedForMe')} value={String(d.deletedForMe)} before={String(d.previous.deletedForMe)} t={t} onOpen={() => setDrill({ measure: 'deleted_for_me' })} />
            <Kpi label={t('edited')} value={String(d.edited)} before={String(d.previous.edited)} t={t} onOpen={() => setDrill({ measure: 'edited' })} />
          </dl>
          {drill && <DrillDown params={params} drill={drill} onClose={() => setDrill(null)} t={t} lang={lang} />}
          <div className="health-grid">
            <Series d={d} t={t} lang={lang} />
            <Reasons d={d} t={t} onOpen={(reason) => setDrill({ measure: 'deleted', reason })} />
            <Agents d={d} trust={trust.data} t={t} lang={lang} onPick={setAgentId} />
            <Funnel trust={trust.data} t={t} onOpen={setDrill} />
            {prevention.data && <Prevention p={prevention.data} t={t} onOpen={setDrill} />}
          </div>
        </>
      )}
    </section>
  );
}

function Kpi(props: { label: string; value: string; before: string | null; detail?: string; t: T; onOpen?: () => void }) {
  const { label, value, before, detail, t, onOpen } = props;
  return (
    <div className="health-kpi">
      <dt>{label}</dt>
      <dd>
        {onOpen ? (
          <button type="button" className="link health-number" onClick={onOpen} aria-label={`${label}: ${value}. ${t('seeMessages')}`}>
            {value}
          </button>
        ) : (
          <span className="health-number">{value}</span>
        )}
        {detail && <span className="muted"> ({detail})</span>}
        {before !== null && <span className="muted health-before">{t('previous', { value: before })}</span>}
      </dd>
    </div>
  );
}

/** Rows keyed by their first column's text. */
function DataTable({ caption, head, rows }: { caption: string; head: string[]; rows: { key: string; cells: ReactNode[] }[] }) {
  const { t } = useHealthText();
  return (
    <details className="health-data">
      <summary>{t('showData')}</summary>
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, j) =>
                j === 0 ? (
                  <th key={head[j]} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={head[j]}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Series({ d, t, lang }: { d: DeletionsResponse; t: T; lang: string }) {
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels: d.series.map((s) => s.day),
        datasets: [{ label: t('deletionRate'), data: d.series.map((s) => (s.deletionRate === null ? null : s.deletionRate * 100)), borderColor: PALETTE[1], backgroundColor: PALETTE[1] }],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { callback: (v) => `${v} %` } } } },
    }),
    [d, t],
  );
  const first = d.series[0]?.day ?? '';
  const last = d.series.at(-1)?.day ?? '';
  return (
    <figure className="health-card">
      <figcaption>
        <h2>{t('seriesTitle')}</h2>
      </figcaption>
      <HealthChart config={config} label={t('chartSeries', { from: first, to: last })} />
      <DataTable
        caption={t('seriesTitle')}
        head={[t('day'), t('sent'), t('deleted'), t('deletionRate'), t('edited')]}
        rows={d.series.map((s) => ({ key: s.day, cells: [s.day, s.sent, s.deletedForEveryone, percent(s.deletionRate, lang), s.edited] }))}
      />
    </figure>
  );
}

function Reasons({ d, t, onOpen }: { d: DeletionsResponse; t: T; onOpen: (reason: string) => void }) {
  const entries = useMemo(() => Object.entries(d.byReason).sort((a, b) => b[1] - a[1]), [d]);
  const label = (reason: string) => t(`reason_${reason}` as HealthKey);
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: entries.map(([r]) => t(`reason_${r}` as HealthKey)),
        datasets: [{ label: t('count'), data: entries.map(([, n]) => n), backgroundColor: PALETTE[0] }],
      },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    }),
    [entries, t],
  );
  return (
    <figure className="health-card">
      <figcaption>
        <h2>{t('reasonsTitle')}</h2>
      </figcaption>
      <HealthChart config={config} label={t('chartBars', { title: t('reasonsTitle') })} />
      <DataTable
        caption={t('reasonsTitle')}
        head={[t('reason'), t('count')]}
        rows={entries.map(([r, n]) => ({
          key: r,
          cells: [
            label(r),
            <button key={r} type="button" className="link" onClick={() => onOpen(r)} aria-label={`${label(r)}: ${n}. ${t('seeMessages')}`}>
              {n}
            </button>,
          ],
        }))}
      />
    </figure>
  );
}

function Agents({ d, trust, t, lang, onPick }: { d: DeletionsResponse; trust: TrustResponse; t: T; lang: string; onPick: (id: string) => void }) {
  const scores = new Map(trust.byAgent.map((a) => [a.agentId, a.score]));
  const rows = useMemo(() => d.byAgent.slice(0, 20), [d]);
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: rows.map((a) => a.name ?? t('unknownAgent')),
        datasets: [{ label: t('deletionRate'), data: rows.map((a) => (a.deletionRate ?? 0) * 100), backgroundColor: PALETTE[2] }],
      },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { callback: (v) => `${v} %` } } } },
    }),
    [rows, t],
  );
  return (
    <figure className="health-card">
      <figcaption>
        <h2>{t('agentsTitle')}</h2>
      </figcaption>
      <HealthChart config={config} label={t('chartBars', { title: t('agentsTitle') })} />
      <DataTable
        caption={t('agentsTitle')}
        head={[t('agent'), t('sent'), t('deleted'), t('deletionRate'), t('edited'), t('trustScore')]}
        rows={rows.map((a) => ({
          key: a.agentId ?? '',
          cells: [
          a.agentId ? (
            <button key={a.agentId} type="button" className="link" onClick={() => onPick(a.agentId!)}>
              {a.name ?? t('unknownAgent')}
            </button>
          ) : (
            t('unknownAgent')
          ),
          a.sent,
          a.deleted,
          percent(a.deletionRate, lang),
          a.edited,
          scores.get(a.agentId) ?? t('noValue'),
          ],
        }))}
      />
    </figure>
  );
}

const STAGES = ['mistakes', 'caughtBeforeSend', 'undone', 'edited', 'deleted', 'corrected'] as const;
const STAGE_MEASURE: Partial<Record<(typeof STAGES)[number], Measure>> = { undone: 'undo_sends', edited: 'edited', deleted: 'deleted', corrected: 'corrected' };

function Funnel({ trust, t, onOpen }: { trust: TrustResponse; t: T; onOpen: (d: { measure: Measure }) => void }) {
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: STAGES.map((s) => t(`funnel_${s}` as HealthKey)),
        datasets: [{ label: t('count'), data: STAGES.map((s) => trust.funnel[s]), backgroundColor: STAGES.map((_, i) => PALETTE[i % PALETTE.length]!) }],
      },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    }),
    [trust, t],
  );
  return (
    <figure className="health-card">
      <figcaption>
        <h2>{t('funnelTitle')}</h2>
      </figcaption>
      <HealthChart config={config} label={t('chartBars', { title: t('funnelTitle') })} />
      <DataTable
        caption={t('funnelTitle')}
        head={[t('stage'), t('count')]}
        rows={STAGES.map((s) => {
          const measure = STAGE_MEASURE[s];
          const n = trust.funnel[s];
          return {
            key: s,
            cells: [
            t(`funnel_${s}` as HealthKey),
            measure ? (
              <button key={s} type="button" className="link" onClick={() => onOpen({ measure })} aria-label={`${t(`funnel_${s}` as HealthKey)}: ${n}. ${t('seeMessages')}`}>
                {n}
              </button>
            ) : (
              n
            ),
            ],
          };
        })}
      />
    </figure>
  );
}

function Prevention({ p, t, onOpen }: { p: PreventionResponse; t: T; onOpen: (d: { measure: Measure }) => void }) {
  const rows: [HealthKey, number | string, number | string | null, Measure | null][] = [
    ['blocked', p.blocked, p.previous.blocked, null],
    ['sentForApproval', p.sentForApproval, p.previous.sentForApproval, null],
    ['approved', p.approved, p.previous.approved, null],
    ['rejected', p.rejected, p.previous.rejected, 'rejected'],
    ['undoSends', p.undoSends, p.previous.undoSends, 'undo_sends'],
    ['warningsAcknowledged', p.warningsAcknowledged, p.previous.warningsAcknowledged, 'acknowledged'],
    ['falseAlarmReports', p.falseAlarmReports ?? '—', p.previous.falseAlarmReports, null],
  ];
  return (
    <section className="health-card" aria-labelledby="prevention-title">
      <h2 id="prevention-title">{t('preventionTitle')}</h2>
      <table className="health-table">
        <thead>
          <tr>
            <th scope="col">{t('preventionTitle')}</th>
            <th scope="col">{t('count')}</th>
            <th scope="col">{t('previous', { value: '' }).replace(/[:：]?\s*$/, '')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, value, before, measure]) => (
            <tr key={key}>
              <th scope="row">{t(key)}</th>
              <td>
                {measure ? (
                  <button type="button" className="link" onClick={() => onOpen({ measure })} aria-label={`${t(key)}: ${value}. ${t('seeMessages')}`}>
                    {value}
                  </button>
                ) : (
                  value
                )}
              </td>
              <td>{before ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Alerts({ alerts, names, t, lang }: { alerts: TrustResponse['alerts']; names: Map<string | null, string | null>; t: T; lang: string }) {
  return (
    <section className="health-alerts" aria-labelledby="health-alerts-title">
      <h2 id="health-alerts-title">{t('alertsTitle')}</h2>
      <ul>
        {alerts.map((a) => (
          <li key={a.id}>
            {t(`alert_${a.kind}` as HealthKey, {
              value: percent(a.value, lang),
              threshold: percent(a.threshold, lang),
              name: names.get(a.agentId) ?? t('unknownAgent'),
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DrillDown(props: { params: Record<string, string | undefined>; drill: { measure: Measure; reason?: string }; onClose: () => void; t: T; lang: string }) {
  const { params, drill, onClose, t, lang } = props;
  const { tz: _tz, ...rest } = params;
  const qs = query({ ...rest, measure: drill.measure, reason: drill.reason });
  const list = useQuery({ queryKey: ['analytics', 'messages', qs], queryFn: ({ signal }) => get<DrillDownResponse>(`analytics/messages${qs}`, signal) });
  const title = t('drillTitle', { measure: `${t(`measure_${drill.measure}` as HealthKey)}${drill.reason ? ` · ${t(`reason_${drill.reason}` as HealthKey)}` : ''}` });
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' }) : '');
  return (
    <section className="health-card health-drill" aria-labelledby="drill-title">
      <div className="health-drill-head">
        <h2 id="drill-title" tabIndex={-1}>
          {title}
        </h2>
        <button type="button" className="ghost" onClick={onClose}>
          {t('close')}
        </button>
      </div>
      {list.isPending && <p className="muted">{t('loading')}</p>}
      {list.data && (
        <>
          <p className="muted">{t('drillTotal', { total: list.data.total, shown: list.data.items.length })}</p>
          {list.data.items.length === 0 ? (
            <p className="muted">{t('drillEmpty')}</p>
          ) : (
            <ul className="health-drill-list">
              {list.data.items.map((m) => (
                <li key={m.id}>
                  <a href={href({ view: 'inbox', conversationId: m.conversationId })}>
                    <strong>{m.contactName}</strong> · {when(m.sentAt ?? m.createdAt)}
                    {m.revokeReason ? ` · ${t(`reason_${m.revokeReason}` as HealthKey)}` : ''}
                  </a>
                  <p className="health-drill-text">{m.text ?? t('deletedForMeHidden')}</p>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

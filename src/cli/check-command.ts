// `errata check`: one message as plain text, or with --jsonl one JSON object per line, checked by the
// pre-send guard; one JSON line out per input, in order (or a human report with --pretty). A bad line
// gets {id?, error} and the others go on; the exit code is 1 when any line failed, else 0.

import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { decideVerdict, defaultGuardPolicy } from '../domain/guard/index.ts';
import type { GuardAction, GuardFinding, GuardInput, GuardPolicy } from '../domain/guard/types.ts';

/** Longest message accepted (WhatsApp allows 4 096 characters; this leaves room for other channels). */
export const MAX_TEXT_LENGTH = 100_000;

const stringList = z.array(z.string()).optional();

export const checkInputSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  text: z.string({ error: 'text is required and must be a string' }),
  lang: z.enum(['fr', 'en']).optional(),
  region: z.string().regex(/^[A-Za-z]{2}$/).optional(),
  recipient: z.object({ name: z.string().optional(), phone: z.string().optional(), email: z.string().optional() }).optional(),
  business: z
    .object({
      name: z.string().optional(),
      phones: stringList,
      emails: stringList,
      ibans: stringList,
      addresses: stringList,
      staff: stringList,
    })
    .optional(),
  agent: z.object({ name: z.string().optional() }).optional(),
  // A catalogue entry without a price is kept (its name still feeds the glossary) but never price-checked.
  catalog: z
    .array(z.object({ name: z.string(), price: z.number().finite().nullable().optional(), currency: z.string().optional() }))
    .optional(),
  history: z.array(z.object({ from: z.enum(['business', 'customer']), text: z.string() })).optional(),
  otherContacts: z.array(z.object({ name: z.string(), references: stringList })).optional(),
});

export type CheckInput = z.infer<typeof checkInputSchema>;

export interface CheckResult {
  id?: string | number;
  verdict: GuardAction;
  findings: GuardFinding[];
}

export interface CheckError {
  id?: string | number;
  error: { code: 'invalid_json' | 'missing_text' | 'invalid_input' | 'empty_text' | 'text_too_long' | 'internal_error'; message: string };
}

export interface CheckCommandOptions {
  input: Readable | AsyncIterable<string | Buffer>;
  output: { write(chunk: string): unknown };
  /** The guard to run; createGuard() from src/guard-runtime provides one with Hunspell loaded. */
  guard: { check(input: GuardInput): GuardFinding[] };
  jsonl?: boolean;
  pretty?: boolean;
  policy?: GuardPolicy;
}

function fail(id: string | number | undefined, code: CheckError['error']['code'], message: string): CheckError {
  return id === undefined ? { error: { code, message } } : { id, error: { code, message } };
}

/** Validates one parsed value and runs the guard; never throws. */
export function checkOne(value: unknown, guard: CheckCommandOptions['guard'], policy: GuardPolicy): CheckResult | CheckError {
  const rawId = (value as { id?: unknown } | null)?.id;
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(id, 'invalid_input', 'each line must be a JSON object');
  if (!('text' in value) || (value as { text?: unknown }).text === undefined || (value as { text?: unknown }).text === null)
    return fail(id, 'missing_text', 'the "text" field is missing');
  const parsed = checkInputSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(id, 'invalid_input', issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'invalid input');
  }
  const input = parsed.data;
  if (input.text.trim().length === 0) return fail(id, 'empty_text', 'the message is empty');
  if (input.text.length > MAX_TEXT_LENGTH) return fail(id, 'text_too_long', `the message is longer than ${MAX_TEXT_LENGTH} characters`);
  try {
    const findings = guard.check(input as GuardInput);
    const { verdict } = decideVerdict(findings, policy);
    return id === undefined ? { verdict, findings } : { id, verdict, findings };
  } catch (error) {
    return fail(id, 'internal_error', error instanceof Error ? error.message : String(error));
  }
}

const SYMBOL: Record<GuardAction, string> = { pass: '✔', warn: '!', review: '?', block: '✖' };

export function formatPretty(result: CheckResult | CheckError, text: string | undefined): string {
  const label = result.id === undefined ? 'message' : `message ${result.id}`;
  if ('error' in result) return `✖ ${label}: error ${result.error.code} — ${result.error.message}\n`;
  const lines = [`${SYMBOL[result.verdict]} ${label}: ${result.verdict.toUpperCase()} (${result.findings.length} finding${result.findings.length === 1 ? '' : 's'})`];
  for (const f of result.findings) {
    const excerpt = text === undefined ? '' : ` “${text.slice(f.start, f.end).replace(/\s+/g, ' ').slice(0, 60)}”`;
    const suggestion = f.suggestion ? ` → ${f.suggestion}` : '';
    lines.push(`  [${f.severity}] ${f.kind} ${f.start}-${f.end}${excerpt}: ${f.message}${suggestion}`);
  }
  return `${lines.join('\n')}\n`;
}

async function readAll(input: CheckCommandOptions['input']): Promise<string> {
  let text = '';
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of input as AsyncIterable<string | Buffer>) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

export async function runCheckCommand(options: CheckCommandOptions): Promise<number> {
  const policy = options.policy ?? defaultGuardPolicy;
  const emit = (result: CheckResult | CheckError, text: string | undefined): void => {
    options.output.write(options.pretty ? formatPretty(result, text) : `${JSON.stringify(result)}\n`);
  };
  if (!options.jsonl) {
    const text = (await readAll(options.input)).replace(/\r?\n$/, '');
    const result = checkOne({ text }, options.guard, policy);
    emit(result, text);
    return 'error' in result ? 1 : 0;
  }
  let failed = false;
  const stream = options.input instanceof Readable ? options.input : Readable.from(options.input);
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      failed = true;
      emit(fail(undefined, 'invalid_json', error instanceof Error ? error.message : 'invalid JSON'), undefined);
      continue;
    }
    const result = checkOne(value, options.guard, policy);
    if ('error' in result) failed = true;
    emit(result, typeof (value as { text?: unknown })?.text === 'string' ? (value as { text: string }).text : undefined);
  }
  return failed ? 1 : 0;
}

/** A small client for the CLI commands that act through the HTTP API like any integrator. */
export async function apiRequest(method: string, path: string, body?: unknown): Promise<unknown> {
  const base = process.env.ERRATA_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  const token = process.env.ERRATA_TOKEN;
  if (!token) throw new Error('Set ERRATA_TOKEN to an API token (errata token create --email … --role agent).');
  const response = await fetch(new URL(path, base), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const payload = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!response.ok) {
    const error = payload?.error;
    throw new Error(error ? `${error.code}: ${error.message}` : `HTTP ${response.status}`);
  }
  return payload;
}

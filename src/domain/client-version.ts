/** Compares dotted client versions ("2.23.4" < "2.24"); missing parts count as zero. */
export function compareClientVersions(a: string, b: string): number {
  const left = parseVersion(a);
  const right = parseVersion(b);
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff < 0 ? -1 : 1;
  }
  return 0;
}

export function isValidClientVersion(version: string): boolean {
  return /^\d{1,5}(\.\d{1,5}){0,3}$/.test(version);
}

function parseVersion(version: string): number[] {
  return version.split('.').map((part) => Number.parseInt(part, 10) || 0);
}

export function isOutdatedClient(clientVersion: string, minClientVersion: string): boolean {
  return compareClientVersions(clientVersion, minClientVersion) < 0;
}

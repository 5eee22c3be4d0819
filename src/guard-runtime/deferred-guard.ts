import type { GuardFinding, GuardInput, GuardPolicy } from '../domain/guard/types.ts';
import type { RunGuardOptions } from '../domain/guard/index.ts';
import type { Guard } from './create-guard.ts';

/**
 * A guard that loads (Hunspell's WebAssembly and dictionaries, the tone model) when first needed or
 * when told to, rather than before the server may listen: nothing before the first draft check
 * needs it, and loading it took a fifth of a restart. Callers reach it through `loadedGuard`,
 * which waits for the load; `/readyz` reports `guard` until it is done.
 */
export class DeferredGuard implements Guard {
  readonly #load: () => Promise<Guard>;
  #loading: Promise<Guard> | undefined;
  #guard: Guard | undefined;
  #disposed = false;

  constructor(load: () => Promise<Guard>) {
    this.#load = load;
  }

  get loaded(): boolean {
    return this.#guard !== undefined;
  }

  /** Starts loading (once); a failed load is tried again by the next call. */
  load(): Promise<Guard> {
    this.#loading ??= this.#load().then(
      (guard) => {
        if (this.#disposed) guard.dispose();
        else this.#guard = guard;
        return guard;
      },
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }

  get readyMs(): number {
    return this.#guard?.readyMs ?? Number.NaN;
  }

  check(input: GuardInput, options?: Pick<RunGuardOptions, 'only'>): GuardFinding[] {
    return this.#required().check(input, options);
  }

  decide(input: GuardInput, policy?: GuardPolicy): ReturnType<Guard['decide']> {
    return this.#required().decide(input, policy);
  }

  dispose(): void {
    this.#disposed = true;
    this.#guard?.dispose();
    this.#guard = undefined;
  }

  #required(): Guard {
    if (!this.#guard) throw new Error('the guard is still loading: use loadedGuard(guard)');
    return this.#guard;
  }
}

/** The guard, ready to check: waits for a deferred one to load. */
export function loadedGuard(guard: Guard): Guard | Promise<Guard> {
  return guard instanceof DeferredGuard ? guard.load() : guard;
}

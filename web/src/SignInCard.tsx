import type { ReactNode } from 'react';
import { LanguageSwitch } from './LanguageSwitch.tsx';

/** The frame of the pages seen before signing in (sign-in, invitation, password reset). */
export function SignInCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <div className="signin-top">
          <p className="brand" aria-hidden="true">
            Errata
          </p>
          <LanguageSwitch />
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

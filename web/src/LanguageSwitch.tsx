import { useI18n } from './i18n.tsx';

/** FR | EN toggle; the choice is remembered in this browser. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    // biome-ignore lint/a11y/useSemanticElements: a labelled group of toggle buttons
    <div className="lang-switch" role="group" aria-label={t('language')}>
      {(['fr', 'en'] as const).map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          aria-pressed={lang === code}
          onClick={() => setLang(code)}
          title={code === 'fr' ? 'Français' : 'English'}
        >
          {code.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

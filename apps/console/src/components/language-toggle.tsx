import { useT } from '../i18n';

/** Switches between Serbian and English; named by its visible text (the other language's name, in that language). */
export function LanguageToggle() {
  const { t, toggle, language } = useT();
  return (
    <button
      type="button"
      className="secondary"
      onClick={toggle}
      lang={language === 'sr' ? 'en' : 'sr-Latn'}
      title={t('languageLabel')}
    >
      {t('language')}
    </button>
  );
}

import { useMemo } from 'react';
import { useT } from '../i18n';
import { Field, Select } from './form';
import { useReference } from './reference-lists';
import type { Country } from '../types';

/**
 * A country chosen by its name (Serbian or English, in that language's
 * collation), sent as its ISO code. Until the list is read (or if it cannot
 * be), the code is typed.
 */
export function CountrySelect({
  label,
  name,
  value,
  onChange,
  required = true,
}: {
  label: string;
  /** The api's name for the value: its errors show beside the field. */
  name?: string;
  value: string;
  onChange: (code: string) => void;
  required?: boolean;
}) {
  const { language } = useT();
  const countries = useReference<Country>('/reference/countries');
  const options = useMemo(() => {
    const collator = new Intl.Collator(language === 'sr' ? 'sr-Latn' : 'en');
    return countries
      .map((c): [string, string] => [c.code, language === 'sr' ? c.nameSr : c.nameEn])
      .sort((a, b) => collator.compare(a[1], b[1]));
  }, [countries, language]);
  if (!options.length) {
    return (
      <Field
        label={label}
        name={name}
        required={required}
        pattern="[A-Za-z]{2}"
        maxLength={2}
        value={value}
        onChange={(e) => onChange(e.target.value.toUpperCase())}
      />
    );
  }
  return (
    <Select
      label={label}
      name={name}
      required={required}
      value={value.toUpperCase()}
      onChange={(e) => onChange(e.target.value)}
      options={[['', '—'], ...options]}
    />
  );
}

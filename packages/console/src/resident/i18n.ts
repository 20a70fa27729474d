import { useContext } from 'react';
import { I18nContext, fill } from '../i18n-core.ts';
import { residentMessages, type ResidentKey } from './messages.ts';

/** The report form's translations: its own small table (the tracking and lookup pages load the console's). */
export function useT() {
  const { locale } = useContext(I18nContext);
  return (key: ResidentKey, params?: Record<string, string | number>) => fill(residentMessages[locale][key] ?? residentMessages['zh-CN'][key] ?? key, params);
}

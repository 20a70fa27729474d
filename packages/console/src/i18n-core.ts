import { createContext } from 'react';

/** What both pages share of translation: the languages, the current one, and filling a text's {placeholders}. */
export type Locale = 'zh-CN' | 'en-US';
export const I18nContext = createContext<{ locale: Locale; setLocale: (l: Locale) => void }>({ locale: 'zh-CN', setLocale: () => {} });
export const fill = (text: string, params: Record<string, string | number> = {}) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));

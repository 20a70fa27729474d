import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ConfigProvider } from 'antd';
import zhCNModule from 'antd/locale/zh_CN.js';
import enUSModule from 'antd/locale/en_US.js';
import type { Locale as AntLocale } from 'antd/es/locale/index.js';
import { I18nContext, type Locale } from '../i18n-core.ts';
import { setPublicLocale } from './public-api.ts';
import { Resident } from './Resident.tsx';
import { button, theme } from '../theme.ts';

const unwrap = (m: unknown) => ((m as { default?: AntLocale }).default ?? m) as AntLocale;

/** The resident's page (/m/…): reporting from a QR code or a link, and following the case. No sign-in. */
function Root() {
  const [locale, setLocaleState] = useState<Locale>(() => (localStorage.getItem('fq.locale') as Locale) || (navigator.language.startsWith('en') ? 'en-US' : 'zh-CN'));
  setPublicLocale(locale);
  const ctx = useMemo(() => ({
    locale,
    setLocale: (l: Locale) => { localStorage.setItem('fq.locale', l); document.documentElement.lang = l; setLocaleState(l); },
  }), [locale]);
  return (
    <I18nContext.Provider value={ctx}>
      <ConfigProvider locale={unwrap(locale === 'zh-CN' ? zhCNModule : enUSModule)} theme={theme} button={button}>
        <Resident />
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(<StrictMode><Root /></StrictMode>);

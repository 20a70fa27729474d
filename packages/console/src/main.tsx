import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ConfigProvider, App as AntApp } from 'antd';
import zhCNModule from 'antd/locale/zh_CN.js';
import enUSModule from 'antd/locale/en_US.js';
import type { Locale as AntLocale } from 'antd/es/locale/index.js';

// antd's locale files are CommonJS; depending on the bundler the default export is the locale or the module
const unwrap = (m: unknown) => ((m as { default?: AntLocale }).default ?? m) as AntLocale;
const zhCN = unwrap(zhCNModule);
const enUS = unwrap(enUSModule);
import { I18nContext, type Locale } from './i18n.ts';
import { setApiLocale } from './api.ts';
import { App } from './App.tsx';
import './console.css';
import { button, theme } from './theme.ts';

function Root() {
  const [locale, setLocaleState] = useState<Locale>(() => (localStorage.getItem('fq.locale') as Locale) || 'zh-CN');
  setApiLocale(locale);
  const ctx = useMemo(() => ({
    locale,
    setLocale: (l: Locale) => { localStorage.setItem('fq.locale', l); document.documentElement.lang = l; setLocaleState(l); },
  }), [locale]);
  return (
    <I18nContext.Provider value={ctx}>
      <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} theme={theme} button={button}>
        <AntApp><App /></AntApp>
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(<StrictMode><Root /></StrictMode>);

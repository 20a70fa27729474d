import type { ThemeConfig } from 'antd';

/** The brand red for buttons, links and the menu; a focused field takes a deep blue, so that focus never looks like an error. */
const focus = '#1d4f91';
const field = { activeBorderColor: focus, hoverBorderColor: focus, activeShadow: '0 0 0 2px rgba(29, 79, 145, 0.15)' };

export const theme: ThemeConfig = {
  // secondary text (counts, hints, descriptions) at 0.6 black: 5.7:1 on white, where antd's 0.45 gives 3.4:1 (WCAG AA asks 4.5:1);
  // links a deeper blue than antd's (5.9:1 where #1677ff gives 4.1:1)
  token: { colorPrimary: '#b22222', colorLink: '#0958d9', colorTextDescription: 'rgba(0, 0, 0, 0.6)', colorTextTertiary: 'rgba(0, 0, 0, 0.6)' },
  components: {
    Input: field, InputNumber: field, DatePicker: field, Mentions: field,
    Select: { activeBorderColor: focus, hoverBorderColor: focus, activeOutlineColor: 'rgba(29, 79, 145, 0.15)' },
  },
};

/** Buttons say 重置, not 重 置: antd spaces two-character labels unless told not to. */
export const button = { autoInsertSpace: false };

import type { ThemeConfig } from 'antd';

/** The brand red for buttons, links and the menu; a focused field takes a deep blue, so that focus never looks like an error. */
const focus = '#1d4f91';
const field = { activeBorderColor: focus, hoverBorderColor: focus, activeShadow: '0 0 0 2px rgba(29, 79, 145, 0.15)' };

export const theme: ThemeConfig = {
  token: { colorPrimary: '#b22222' },
  components: {
    Input: field, InputNumber: field, DatePicker: field, Mentions: field,
    Select: { activeBorderColor: focus, hoverBorderColor: focus, activeOutlineColor: 'rgba(29, 79, 145, 0.15)' },
  },
};

/** Buttons say 重置, not 重 置: antd spaces two-character labels unless told not to. */
export const button = { autoInsertSpace: false };

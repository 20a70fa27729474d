import { createContext, useContext } from 'react';

/** Every string the console shows. zh-CN first; a test fails when a key is missing in any language. */
export const messages = {
  'zh-CN': {
    'app.title': '枫桥 · 综治中心',
    'login.title': '登录',
    'login.username': '用户名',
    'login.password': '密码',
    'login.submit': '登录',
    'login.expired': '长时间未操作，登录已失效，请重新登录',
    'login.required': '请填写{field}',
    'menu.workbench': '工作台',
    'menu.areas': '区域',
    'menu.organizations': '机构',
    'menu.users': '用户',
    'menu.audit': '审计日志',
    'menu.logout': '退出登录',
    'menu.language': 'English',
    'workbench.welcome': '您好，{name}',
    'workbench.organization': '所在机构',
    'workbench.area': '管辖区域',
    'workbench.roles': '角色',
    'workbench.permissions': '权限',
    'workbench.idle': '无操作 {minutes} 分钟后自动退出',
    'common.name': '名称',
    'common.code': '代码',
    'common.level': '层级',
    'common.kind': '类型',
    'common.actions': '操作',
    'common.loadMore': '加载更多',
    'common.reason': '查看原因',
    'common.cancel': '取消',
    'common.ok': '确定',
    'common.official': '官方区划',
    'common.time': '时间',
    'area.city': '市', 'area.county': '区县', 'area.township': '乡镇街道', 'area.village': '村社区', 'area.grid': '网格',
    'org.center': '综治中心', 'org.department': '职能部门', 'org.mediation_committee': '调解委员会',
    'role.admin': '管理员', 'role.intake': '受理员', 'role.dispatcher': '调度员', 'role.handler': '承办人', 'role.grid_worker': '网格员',
    'role.mediator': '调解员', 'role.leader': '领导', 'role.security_officer': '安全审计员', 'role.integration': '系统对接',
    'user.username': '用户名', 'user.displayName': '姓名', 'user.phone': '手机号', 'user.roles': '角色', 'user.status': '状态',
    'user.locked': '已锁定', 'user.disabled': '已停用', 'user.active': '正常',
    'user.unmask': '查看', 'user.unmaskTitle': '查看完整信息（将记入审计日志）', 'user.unmaskReasonRequired': '请填写查看原因',
    'audit.actor': '操作人', 'audit.action': '操作', 'audit.target': '对象', 'audit.ip': '来源',
  },
  'en-US': {
    'app.title': 'Fengqiao · Governance Center',
    'login.title': 'Sign in',
    'login.username': 'Username',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.expired': 'Your session expired after inactivity; please sign in again',
    'login.required': '{field} is required',
    'menu.workbench': 'Workbench',
    'menu.areas': 'Areas',
    'menu.organizations': 'Organisations',
    'menu.users': 'Users',
    'menu.audit': 'Audit log',
    'menu.logout': 'Sign out',
    'menu.language': '中文',
    'workbench.welcome': 'Hello, {name}',
    'workbench.organization': 'Organisation',
    'workbench.area': 'Jurisdiction',
    'workbench.roles': 'Roles',
    'workbench.permissions': 'Permissions',
    'workbench.idle': 'Signed out after {minutes} minutes without activity',
    'common.name': 'Name',
    'common.code': 'Code',
    'common.level': 'Level',
    'common.kind': 'Kind',
    'common.actions': 'Actions',
    'common.loadMore': 'Load more',
    'common.reason': 'Reason',
    'common.cancel': 'Cancel',
    'common.ok': 'OK',
    'common.official': 'Official division',
    'common.time': 'Time',
    'area.city': 'City', 'area.county': 'County', 'area.township': 'Township', 'area.village': 'Village', 'area.grid': 'Grid',
    'org.center': 'Center', 'org.department': 'Department', 'org.mediation_committee': 'Mediation committee',
    'role.admin': 'Administrator', 'role.intake': 'Intake', 'role.dispatcher': 'Dispatcher', 'role.handler': 'Handler', 'role.grid_worker': 'Grid worker',
    'role.mediator': 'Mediator', 'role.leader': 'Leader', 'role.security_officer': 'Security officer', 'role.integration': 'Integration',
    'user.username': 'Username', 'user.displayName': 'Name', 'user.phone': 'Mobile', 'user.roles': 'Roles', 'user.status': 'Status',
    'user.locked': 'Locked', 'user.disabled': 'Disabled', 'user.active': 'Active',
    'user.unmask': 'Reveal', 'user.unmaskTitle': 'Reveal in full (written to the audit log)', 'user.unmaskReasonRequired': 'State a reason',
    'audit.actor': 'Actor', 'audit.action': 'Action', 'audit.target': 'Target', 'audit.ip': 'From',
  },
} as const;

export type Locale = keyof typeof messages;
export type MessageKey = keyof (typeof messages)['zh-CN'];

export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text: string = messages[locale][key] ?? messages['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

export const I18nContext = createContext<{ locale: Locale; setLocale: (l: Locale) => void }>({ locale: 'zh-CN', setLocale: () => {} });
export function useT() {
  const { locale } = useContext(I18nContext);
  return (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
}

import type { Locale } from './errors.ts';

/**
 * Every action the audit log records, named in every language: the server may record only these (its type
 * says so), and the console, the audit log's filters and its Excel export read their names from here.
 */
export const auditLabels = {
  'zh-CN': {
    action: {
      'personal_data.unmask': '查看个人信息', 'auth.login': '登录', 'auth.login_failed': '登录失败', 'auth.locked': '登录失败次数过多，账号锁定', 'auth.logout': '退出登录',
      'auth.change_password': '修改密码', 'case.export': '导出事项台账', 'audit.export': '导出审计日志', 'mediation.agreement_read': '查看调解协议',
      'user.create': '新增用户', 'user.update': '修改用户', 'user.unlock': '解锁用户', 'user.reset_password': '重置密码',
      'token.create': '创建接口令牌', 'token.revoke': '吊销接口令牌', 'keys.rotate': '轮换加密密钥',
      'area.create': '新增区域', 'area.update': '修改区域', 'area.delete': '删除区域', 'area.boundary': '修改区域边界',
      'organization.create': '新增单位', 'organization.update': '修改单位', 'grid.workers': '调整网格员', 'grid.import': '导入网格',
      'settings.category_create': '新增事项类别', 'settings.category_update': '修改事项类别', 'settings.deadline_policy': '设置办理时限',
      'settings.deadline_policy_delete': '删除办理时限', 'settings.calendar_day': '设置节假日', 'settings.calendar_day_delete': '删除节假日',
      'settings.assessment_formula': '设置考评办法', 'figures.ranking_export': '导出考评排名',
      'person.create': '新增人员', 'person.update': '修改人员', 'person.import': '导入人员', 'person.archive': '人员归档', 'person.purge': '人员信息清除',
      'person.group': '设置重点人群', 'person.group_remove': '移出重点人群', 'place.create': '新增场所', 'place.update': '修改场所',
      'place.qr_sheet': '打印场所二维码', 'registry_organization.create': '新增组织', 'sweep.create': '发起排查',
      'mediator.create': '新增调解员', 'mediation_room.create': '新增调解室',
      'warning.rule_create': '新增预警规则', 'warning.rule_update': '修改预警规则', 'warning.acknowledge': '签收预警', 'warning.resolve': '处置预警',
      'triage.train': '训练分类模型', 'triage.activate': '启用分类模型',
      'feed.create': '新增接入平台', 'feed.update': '修改接入平台', 'feed.rotate_secret': '更换接入密钥', 'feed.device_create': '新增感知设备',
      'feed.device_update': '修改感知设备', 'webhook.create': '新增推送地址', 'webhook.update': '修改推送地址', 'webhook.replay': '重发推送',
    },
    target: {
      case: '事项', person: '人员', user: '用户', area: '区域', organization: '单位', category: '事项类别', deadline_policy: '办理时限',
      calendar_day: '日历', assessment_formula: '考评办法', api_token: '接口令牌', place: '场所', registry_organization: '组织', sweep: '排查',
      mediation: '调解', mediation_party: '调解当事人', mediator: '调解员', mediation_room: '调解室', warning: '预警', warning_rule: '预警规则',
      triage_model: '分类模型', feed_source: '接入平台', feed_device: '感知设备', webhook: '推送地址', key: '密钥',
    },
    field: {
      name: '姓名', phone: '电话', idNumber: '身份证号', address: '住址', 'reporter.name': '反映人姓名', 'reporter.phone': '反映人电话',
      groupDetails: '重点人群信息', agentName: '代理人姓名', agentPhone: '代理人电话', displayName: '姓名',
    },
  },
  'en-US': {
    action: {
      'personal_data.unmask': 'Personal data revealed', 'auth.login': 'Signed in', 'auth.login_failed': 'Sign-in failed', 'auth.locked': 'Locked after failed sign-ins', 'auth.logout': 'Signed out',
      'auth.change_password': 'Password changed', 'case.export': 'Case ledger exported', 'audit.export': 'Audit log exported', 'mediation.agreement_read': 'Agreement read',
      'user.create': 'User created', 'user.update': 'User changed', 'user.unlock': 'User unlocked', 'user.reset_password': 'Password reset',
      'token.create': 'API token created', 'token.revoke': 'API token revoked', 'keys.rotate': 'Encryption key rotated',
      'area.create': 'Area created', 'area.update': 'Area changed', 'area.delete': 'Area deleted', 'area.boundary': 'Area boundary changed',
      'organization.create': 'Organisation created', 'organization.update': 'Organisation changed', 'grid.workers': 'Grid workers changed', 'grid.import': 'Grids imported',
      'settings.category_create': 'Category created', 'settings.category_update': 'Category changed', 'settings.deadline_policy': 'Deadline policy set',
      'settings.deadline_policy_delete': 'Deadline policy deleted', 'settings.calendar_day': 'Calendar day set', 'settings.calendar_day_delete': 'Calendar day deleted',
      'settings.assessment_formula': 'Assessment formula set', 'figures.ranking_export': 'Ranking exported',
      'person.create': 'Person created', 'person.update': 'Person changed', 'person.import': 'People imported', 'person.archive': 'Person archived', 'person.purge': 'Person purged',
      'person.group': 'Special group set', 'person.group_remove': 'Special group removed', 'place.create': 'Place created', 'place.update': 'Place changed',
      'place.qr_sheet': 'Place QR codes printed', 'registry_organization.create': 'Registry organisation created', 'sweep.create': 'Sweep started',
      'mediator.create': 'Mediator created', 'mediation_room.create': 'Mediation room created',
      'warning.rule_create': 'Warning rule created', 'warning.rule_update': 'Warning rule changed', 'warning.acknowledge': 'Warning acknowledged', 'warning.resolve': 'Warning resolved',
      'triage.train': 'Category model trained', 'triage.activate': 'Category model activated',
      'feed.create': 'Feed created', 'feed.update': 'Feed changed', 'feed.rotate_secret': 'Feed secret rotated', 'feed.device_create': 'Device created',
      'feed.device_update': 'Device changed', 'webhook.create': 'Webhook created', 'webhook.update': 'Webhook changed', 'webhook.replay': 'Webhook replayed',
    },
    target: {
      case: 'Case', person: 'Person', user: 'User', area: 'Area', organization: 'Organisation', category: 'Category', deadline_policy: 'Deadline policy',
      calendar_day: 'Calendar day', assessment_formula: 'Assessment formula', api_token: 'API token', place: 'Place', registry_organization: 'Registry organisation', sweep: 'Sweep',
      mediation: 'Mediation', mediation_party: 'Mediation party', mediator: 'Mediator', mediation_room: 'Mediation room', warning: 'Warning', warning_rule: 'Warning rule',
      triage_model: 'Category model', feed_source: 'Feed', feed_device: 'Device', webhook: 'Webhook', key: 'Key',
    },
    field: {
      name: 'Name', phone: 'Phone', idNumber: 'ID number', address: 'Address', 'reporter.name': 'Reporter’s name', 'reporter.phone': 'Reporter’s phone',
      groupDetails: 'Special-group details', agentName: 'Agent’s name', agentPhone: 'Agent’s phone', displayName: 'Name',
    },
  },
} as const satisfies Record<Locale, { action: Record<string, string>; target: Record<string, string>; field: Record<string, string> }>;

export type AuditAction = keyof (typeof auditLabels)['zh-CN']['action'];
export type AuditTargetType = keyof (typeof auditLabels)['zh-CN']['target'];
export const AUDIT_ACTIONS = Object.keys(auditLabels['zh-CN'].action) as AuditAction[];
export const AUDIT_TARGET_TYPES = Object.keys(auditLabels['zh-CN'].target) as AuditTargetType[];

/** `auditLabel('zh-CN', 'action', 'personal_data.unmask')` → 查看个人信息; an unknown value is shown as it is. */
export function auditLabel(locale: Locale, group: 'action' | 'target' | 'field', value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return (auditLabels[locale][group] as Record<string, string>)[value] ?? value;
}

/**
 * An entry's detail in a line: for a reveal, the field and the reason given (电话：回访核实); otherwise the
 * recorded facts, shortened. The console and the Excel export say it the same way.
 */
export function auditDetailText(locale: Locale, e: { action: string; detail: Record<string, unknown> }): string {
  const d = e.detail;
  const colon = locale === 'zh-CN' ? '：' : ': ';
  if (e.action === 'personal_data.unmask') return `${auditLabel(locale, 'field', String(d.field ?? ''))}${colon}${String(d.reason ?? '')}`;
  const text = Object.entries(d).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

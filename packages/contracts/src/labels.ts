import type { Locale } from './errors.ts';
import type { CaseAction } from './cases.ts';
import { mediationLabel } from './mediation-labels.ts';

/**
 * Names of the case vocabulary in every language: shared by the console, the resident page and the
 * Excel ledger, so that a status reads the same everywhere. A test fails when one is missing.
 */
export const caseLabels = {
  'zh-CN': {
    caseType: { appeal: '诉求', hazard: '隐患', dispute: '矛盾纠纷' },
    channel: {
      qr_code: '码上反映', mobile_web: '手机网页', hotline: '电话', window: '窗口', grid_patrol: '网格巡查', video_patrol: '视频巡查',
      iot_alarm: '物联感知', police_push: '警情推送', petition: '信访', court_referral: '法院委派', other_platform: '其他平台',
    },
    tier: { general: '一般', major: '较大', difficult: '疑难', cross_region: '跨区' },
    status: {
      pending_acceptance: '待受理', rejected: '不予受理', pending_dispatch: '待派单', pending_signoff: '待签收', in_progress: '办理中',
      suspended: '已挂起', ruling: '待裁定', replied: '已答复', closed: '已办结', archived: '已归档', merged: '已合并',
    },
    queue: {
      to_accept: '待受理', to_dispatch: '待派单', to_sign: '待签收', in_progress: '办理中', due_soon: '即将超期', overdue: '已超期',
      supervised: '督办', to_revisit: '待回访', ruling: '裁定',
    },
    supervision: { normal: '普通督办', yellow: '黄牌督办', red: '红牌督办' },
    visit: { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意', unreachable: '无法联系' },
    clock: { contact: '首次联系', handle: '办理', reply: '答复回访' },
    clockState: { not_started: '未开始', running: '计时中', paused: '已暂停', due_soon: '即将超期', overdue: '已超期', met: '按时完成', missed: '超期完成' },
    action: {
      create: '登记', accept: '受理', reject: '不予受理', set_tier: '调整等级', dispatch: '派单', sign_for: '签收', handle_self: '自办', take_over: '提级办理', return: '退单', rule: '裁定',
      escalate: '上报', send_down: '下派', add_co_handler: '协办', contact: '联系群众', request_extension: '申请延期', approve_extension: '批准延期',
      deny_extension: '驳回延期', suspend: '挂起', resume: '恢复', supervise: '督办', take_ownership: '领导包案', instruct: '领导批示',
      handle_on_spot: '现场直办', reply: '答复', return_visit: '回访', reopen: '重启', merge: '合并', close: '办结', archive: '归档',
      deadline_warning: '时限预警', alarm_clear: '告警解除',
    } satisfies Record<CaseAction | 'create' | 'reopen' | 'deadline_warning' | 'alarm_clear', string>,
  },
  'en-US': {
    caseType: { appeal: 'Appeal', hazard: 'Hazard', dispute: 'Dispute' },
    channel: {
      qr_code: 'QR code', mobile_web: 'Mobile web', hotline: 'Phone', window: 'Window', grid_patrol: 'Grid patrol', video_patrol: 'Video patrol',
      iot_alarm: 'IoT alarm', police_push: 'Police referral', petition: 'Petition', court_referral: 'Court referral', other_platform: 'Other platform',
    },
    tier: { general: 'General', major: 'Major', difficult: 'Difficult', cross_region: 'Cross-region' },
    status: {
      pending_acceptance: 'To accept', rejected: 'Rejected', pending_dispatch: 'To dispatch', pending_signoff: 'To sign for', in_progress: 'In progress',
      suspended: 'Suspended', ruling: 'Awaiting ruling', replied: 'Replied', closed: 'Closed', archived: 'Archived', merged: 'Merged',
    },
    queue: {
      to_accept: 'To accept', to_dispatch: 'To dispatch', to_sign: 'To sign for', in_progress: 'In progress', due_soon: 'Due soon', overdue: 'Overdue',
      supervised: 'Supervised', to_revisit: 'To revisit', ruling: 'Ruling',
    },
    supervision: { normal: 'Supervision', yellow: 'Yellow card', red: 'Red card' },
    visit: { satisfied: 'Satisfied', basically_satisfied: 'Basically satisfied', unsatisfied: 'Unsatisfied', unreachable: 'Unreachable' },
    clock: { contact: 'First contact', handle: 'Handling', reply: 'Reply and visit' },
    clockState: { not_started: 'Not started', running: 'Running', paused: 'Paused', due_soon: 'Due soon', overdue: 'Overdue', met: 'Met', missed: 'Missed' },
    action: {
      create: 'Reported', accept: 'Accept', reject: 'Reject', set_tier: 'Change tier', dispatch: 'Dispatch', sign_for: 'Sign for', handle_self: 'Handle ourselves', take_over: 'Take over', return: 'Return',
      rule: 'Rule', escalate: 'Escalate', send_down: 'Send down', add_co_handler: 'Add co-handler', contact: 'Contact reporter',
      request_extension: 'Request extension', approve_extension: 'Approve extension', deny_extension: 'Deny extension', suspend: 'Suspend',
      resume: 'Resume', supervise: 'Supervise', take_ownership: 'Take ownership', instruct: 'Instruct', handle_on_spot: 'Handle on the spot',
      reply: 'Reply', return_visit: 'Return visit', reopen: 'Reopen', merge: 'Merge', close: 'Close', archive: 'Archive',
      deadline_warning: 'Deadline warning', alarm_clear: 'Alarm cleared',
    } satisfies Record<CaseAction | 'create' | 'reopen' | 'deadline_warning' | 'alarm_clear', string>,
  },
} as const satisfies Record<Locale, unknown>;

export type CaseLabelGroup = keyof (typeof caseLabels)['zh-CN'];
/** `label('zh-CN', 'status', 'in_progress')` → 办理中; an unknown value is shown as it is. */
export function label(locale: Locale, group: CaseLabelGroup, value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  // a mediation's steps appear in the case's timeline too
  if (group === 'action' && value.startsWith('mediation_')) return mediationLabel(locale, 'action', value);
  return (caseLabels[locale][group] as Record<string, string>)[value] ?? value;
}

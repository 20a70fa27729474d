import type { Locale } from './errors.ts';
import type { DisputeType, MediationAction } from './mediation.ts';

/** Names of the mediation vocabulary in every language (console, documents, exports). A test fails when one is missing. */
export const mediationLabels = {
  'zh-CN': {
    disputeType: {
      marriage_family: '婚姻家庭', neighbourhood: '邻里', housing_homestead: '房屋宅基地', contract: '合同', business: '生产经营', damages: '损害赔偿',
      forest_land: '山林土地', land_acquisition: '征地拆迁', environment: '环境污染', labour: '劳动争议', wage_arrears: '拖欠农民工工资', consumer: '消费',
      medical: '医疗', traffic: '道路交通事故', property: '物业', other: '其他',
    } satisfies Record<DisputeType, string>,
    mode: { people: '人民调解', administrative: '行政调解', industry: '行业调解', judicial: '司法调解' },
    source: { application: '当事人申请', sweep: '排查发现', initiative: '主动调解', police: '公安移送（警调）', court: '法院委派（诉调）', petition: '信访移送（访调）', hotline: '12345 转办' },
    risk: { low: '一般', medium: '较高', high: '高风险' },
    partyRole: { applicant: '申请人', respondent: '被申请人', third_party: '第三人' },
    status: { applied: '待受理', declined: '不予受理', accepted: '已受理', in_mediation: '调解中', agreed: '调解成功', partial: '部分达成', failed: '调解不成', terminated: '终止调解', closed: '已结案' },
    outcome: { success: '调解成功', partial: '部分达成', failed: '调解不成', terminated: '终止' },
    action: {
      mediation_open: '启动调解', mediation_accept: '受理调解', mediation_decline: '不予受理调解', mediation_assign: '指派调解员', mediation_assess: '会商研判',
      mediation_schedule_session: '安排调解会', mediation_record_session: '调解笔录', mediation_extend: '延长调解期限', mediation_conclude: '调解结果',
      mediation_record_performance: '履行回访', mediation_file_signed_agreement: '上传签署的协议', mediation_refer_confirmation: '申请司法确认', mediation_record_ruling: '司法确认裁定',
      mediation_refer_on: '调解不成转交', mediation_close: '调解结案',
    } satisfies Record<`mediation_${MediationAction}` | 'mediation_open', string>,
  },
  'en-US': {
    disputeType: {
      marriage_family: 'Marriage and family', neighbourhood: 'Neighbours', housing_homestead: 'Housing and homestead', contract: 'Contract', business: 'Business',
      damages: 'Damages', forest_land: 'Forest and land', land_acquisition: 'Land acquisition', environment: 'Pollution', labour: 'Labour', wage_arrears: 'Unpaid migrant wages',
      consumer: 'Consumer', medical: 'Medical', traffic: 'Road accident', property: 'Property management', other: 'Other',
    } satisfies Record<DisputeType, string>,
    mode: { people: 'People’s mediation', administrative: 'Administrative', industry: 'Industry', judicial: 'Judicial' },
    source: { application: 'Party’s application', sweep: 'Found in a sweep', initiative: 'Own initiative', police: 'Police referral', court: 'Court referral', petition: 'Petition office referral', hotline: '12345 referral' },
    risk: { low: 'Ordinary', medium: 'Elevated', high: 'High risk' },
    partyRole: { applicant: 'Applicant', respondent: 'Respondent', third_party: 'Third party' },
    status: { applied: 'To accept', declined: 'Declined', accepted: 'Accepted', in_mediation: 'In mediation', agreed: 'Agreed', partial: 'Partly agreed', failed: 'Failed', terminated: 'Terminated', closed: 'Closed' },
    outcome: { success: 'Agreed', partial: 'Partly agreed', failed: 'Failed', terminated: 'Terminated' },
    action: {
      mediation_open: 'Mediation opened', mediation_accept: 'Mediation accepted', mediation_decline: 'Mediation declined', mediation_assign: 'Mediators assigned',
      mediation_assess: 'Joint assessment', mediation_schedule_session: 'Session scheduled', mediation_record_session: 'Session recorded', mediation_extend: 'Deadline extended',
      mediation_conclude: 'Outcome', mediation_record_performance: 'Performance follow-up', mediation_file_signed_agreement: 'Signed agreement uploaded', mediation_refer_confirmation: 'Judicial confirmation requested',
      mediation_record_ruling: 'Confirmation ruling', mediation_refer_on: 'Handed on', mediation_close: 'Mediation closed',
    } satisfies Record<`mediation_${MediationAction}` | 'mediation_open', string>,
  },
} as const satisfies Record<Locale, unknown>;

export type MediationLabelGroup = keyof (typeof mediationLabels)['zh-CN'];
export function mediationLabel(locale: Locale, group: MediationLabelGroup, value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return (mediationLabels[locale][group] as Record<string, string>)[value] ?? value;
}

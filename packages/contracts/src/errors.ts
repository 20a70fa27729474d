import { caseLabels } from './labels.ts';
/**
 * Stable error codes. Clients (console, CLI, integrations) branch on `code`, never on text.
 * Each code has one HTTP status and a message in every supported language.
 */
export const ErrorCodes = {
  VALIDATION_FAILED: 400,
  PERIOD_INVALID: 400,
  TRIAGE_NOT_ENOUGH_DATA: 422,
  WARNING_INVALID_TRANSITION: 409,
  BAD_JSON: 400,
  UNAUTHENTICATED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_SESSION_EXPIRED: 401,
  AUTH_ACCOUNT_LOCKED: 423,
  AUTH_ACCOUNT_DISABLED: 403,
  CSRF_TOKEN_INVALID: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  USERNAME_TAKEN: 409,
  AREA_CODE_TAKEN: 409,
  AREA_HAS_CHILDREN: 409,
  PERSON_DUPLICATE: 409,
  ORGANIZATION_DUPLICATE: 409,
  PLACE_CODE_TAKEN: 409,
  PERSON_PURGED: 422,
  PERSON_NOT_ARCHIVED: 422,
  AREA_LEVEL_INVALID: 422,
  OUT_OF_SCOPE: 422,
  REASON_REQUIRED: 422,
  PASSWORD_TOO_WEAK: 422,
  CASE_INVALID_TRANSITION: 409,
  CASE_NOT_YOURS: 403,
  CASE_TIER_NEEDS_ESCALATION: 422,
  CASE_INVALID_TARGET: 422,
  CASE_NO_CENTER: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  ATTACHMENT_TYPE_NOT_ALLOWED: 415,
  ATTACHMENT_PHOTO_ONLY: 415,
  CASE_NOT_AWAITING_RATING: 409,
  ATTACHMENT_LIMIT: 422,
  ATTACHMENT_UNREADABLE: 422,
  UPLOAD_DAILY_LIMIT: 429,
  UPLOADS_PAUSED: 503,
  MEDIATION_INVALID_TRANSITION: 409,
  MEDIATION_EXISTS: 409,
  MEDIATION_DOUBLE_BOOKED: 409,
  MEDIATION_NOT_HOLDER: 422,
  MEDIATION_NO_AGREEMENT: 422,
  MEDIATION_TERMS_REQUIRED: 422,
  MEDIATION_CONFIRMATION_LATE: 422,
  MEDIATION_PARTY_INVALID: 422,
  MEDIATION_SESSION_TIME: 422,
  MEDIATION_SESSION_PLACE: 422,
  MEDIATION_SESSION_RECORDED: 409,
  SWEEP_NOT_A_GRID: 422,
  SWEEP_ALREADY_REPORTED: 409,
  FEED_SIGNATURE_INVALID: 401,
  FEED_TIMESTAMP_STALE: 401,
  FEED_SOURCE_INACTIVE: 403,
  FEED_MESSAGE_REPLAYED: 409,
  FEED_DEVICE_UNKNOWN: 422,
  FEED_CATEGORY_UNKNOWN: 422,
  FEED_ACCOUNT_INVALID: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export const Locales = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof Locales)[number];

type Messages = Record<ErrorCode, string>;

/** Messages may use {name} placeholders filled from the error's params. */
export const errorMessages: Record<Locale, Messages> = {
  'zh-CN': {
    VALIDATION_FAILED: '提交的内容不符合要求：{detail}',
    PERIOD_INVALID: '统计时段的开始日期（{from}）晚于结束日期（{to}）',
    TRIAGE_NOT_ENOUGH_DATA: '可供学习的已办结事项不足：至少需要两个分类、每类至少 5 件（现有 {examples} 件可用）',
    WARNING_INVALID_TRANSITION: '该预警当前状态（{status}）下不能进行此操作',
    BAD_JSON: '请求内容不是有效的 JSON',
    UNAUTHENTICATED: '请先登录',
    AUTH_INVALID_CREDENTIALS: '用户名或密码错误',
    AUTH_SESSION_EXPIRED: '长时间未操作，登录已失效，请重新登录',
    AUTH_ACCOUNT_LOCKED: '登录失败次数过多，已暂停登录，请于 {until} 后重试或联系管理员解锁',
    AUTH_ACCOUNT_DISABLED: '账号已停用，请联系管理员',
    CSRF_TOKEN_INVALID: '页面已过期，请刷新后重试',
    FORBIDDEN: '没有执行此操作的权限',
    NOT_FOUND: '未找到{what}',
    CONFLICT: '数据已被他人修改，请刷新后重试',
    IDEMPOTENCY_KEY_REUSED: '该幂等键已用于另一份不同的提交：请为新的提交使用新的幂等键',
    USERNAME_TAKEN: '用户名“{username}”已被使用',
    AREA_CODE_TAKEN: '区划代码“{code}”已存在',
    AREA_HAS_CHILDREN: '该区域下仍有下级区域或机构，不能删除',
    PERSON_DUPLICATE: '该公民身份号码已登记',
    ORGANIZATION_DUPLICATE: '该统一社会信用代码已登记',
    PLACE_CODE_TAKEN: '场所编码“{code}”已被使用',
    PERSON_PURGED: '该人员已归档或已清除，不能修改',
    PERSON_NOT_ARCHIVED: '只有已归档的人员才能清除',
    AREA_LEVEL_INVALID: '“{child}”不能作为“{parent}”的下级',
    OUT_OF_SCOPE: '目标超出您的管辖范围',
    REASON_REQUIRED: '请填写查看原因',
    PASSWORD_TOO_WEAK: '密码至少 {min} 位，且须包含字母和数字',
    CASE_INVALID_TRANSITION: '事项当前状态（{status}）下不能执行“{action}”',
    CASE_NOT_YOURS: '此事项由{owner}负责，您不能“{action}”。{possible}',
    CASE_TIER_NEEDS_ESCALATION: '该等级的事项应由{center}办理：请先按“{tier}”事项受理，再填写理由上报',
    CASE_INVALID_TARGET: '不能将事项交给该机构：{reason}',
    CASE_NO_CENTER: '该区域没有可以承办的综治中心',
    PAYLOAD_TOO_LARGE: '提交的内容过大（上限 {limit}）',
    UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型',
    ATTACHMENT_TYPE_NOT_ALLOWED: '只能上传 JPEG、PNG、WebP 图片或 PDF 文件',
    ATTACHMENT_PHOTO_ONLY: '只能上传照片（JPEG、PNG 或 WebP 格式）',
    CASE_NOT_AWAITING_RATING: '这件事现在不能评价：办理完毕并答复后，才能对结果进行评价，每次答复评价一次',
    ATTACHMENT_LIMIT: '附件过多或已失效（每件最多 {max} 个；照片请在上传后尽快提交）',
    ATTACHMENT_UNREADABLE: '图片无法读取，可能已损坏，请重新拍摄或换一张',
    MEDIATION_INVALID_TRANSITION: '调解当前状态（{status}）下不能执行“{action}”',
    MEDIATION_EXISTS: '该事项已在调解中',
    MEDIATION_DOUBLE_BOOKED: '时间冲突：{what}在该时段已有安排',
    MEDIATION_NOT_HOLDER: '只有承办该事项的机构才能启动调解',
    MEDIATION_NO_AGREEMENT: '调解成功或部分达成后才有调解协议书',
    MEDIATION_TERMS_REQUIRED: '调解成功或部分达成须填写协议内容',
    MEDIATION_CONFIRMATION_LATE: '协议生效已超过 30 日（期限 {deadline}），不能再申请司法确认；确需申请请说明理由',
    MEDIATION_PARTY_INVALID: '当事人信息有误：{detail}',
    MEDIATION_SESSION_TIME: '调解会须先开始后结束，且不超过一天',
    MEDIATION_SESSION_PLACE: '请选择调解室或线上调解，并至少安排一名调解员',
    MEDIATION_SESSION_RECORDED: '该次调解会已经记录过了',
    SWEEP_NOT_A_GRID: '只能为排查范围内的网格报告',
    SWEEP_ALREADY_REPORTED: '该网格已报告过本次排查',
    UPLOAD_DAILY_LIMIT: '今天从这里上传的照片已达上限，请明天再试，或不带照片直接提交',
    UPLOADS_PAUSED: '暂时无法接收照片，请稍后再试，或不带照片直接提交',
    FEED_SIGNATURE_INVALID: '消息签名不正确：请用该平台的密钥对“时间戳.消息正文”计算 HMAC-SHA256',
    FEED_TIMESTAMP_STALE: '消息时间戳超出允许范围（前后 {seconds} 秒）：请校准发送方时钟后重新签名发送',
    FEED_SOURCE_INACTIVE: '该对接平台已停用',
    FEED_MESSAGE_REPLAYED: '编号为 {id} 的消息已经收到过（事项 {number}），未重复登记',
    FEED_DEVICE_UNKNOWN: '设备 {device} 未登记：请先在对接平台的设备中登记到具体场所',
    FEED_CATEGORY_UNKNOWN: '无法确定类别“{category}”：请使用本中心的类别代码或名称，或为该平台设置默认类别',
    FEED_ACCOUNT_INVALID: '{detail}',
    RATE_LIMITED: '操作过于频繁，请稍后再试',
    INTERNAL: '服务器内部错误，请稍后重试（请求编号 {requestId}）',
    UNAVAILABLE: '服务暂不可用，请稍后重试',
  },
  'en-US': {
    VALIDATION_FAILED: 'The request is invalid: {detail}',
    PERIOD_INVALID: 'The period starts ({from}) after it ends ({to})',
    TRIAGE_NOT_ENOUGH_DATA: 'Not enough closed cases to learn from: at least two categories with five cases each are needed ({examples} usable)',
    WARNING_INVALID_TRANSITION: 'The warning is {status}: this step is not possible now',
    BAD_JSON: 'The request body is not valid JSON',
    UNAUTHENTICATED: 'Please sign in first',
    AUTH_INVALID_CREDENTIALS: 'Wrong username or password',
    AUTH_SESSION_EXPIRED: 'Your session expired after inactivity; please sign in again',
    AUTH_ACCOUNT_LOCKED: 'Too many failed sign-ins; signing in is locked until {until} or until an administrator unlocks it',
    AUTH_ACCOUNT_DISABLED: 'This account is disabled; contact an administrator',
    CSRF_TOKEN_INVALID: 'The page is out of date; reload and try again',
    FORBIDDEN: 'You are not allowed to do this',
    NOT_FOUND: '{what} not found',
    CONFLICT: 'Someone else changed this record; reload and try again',
    IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was used for a different request; send a new key with a new request',
    USERNAME_TAKEN: 'The username "{username}" is already taken',
    AREA_CODE_TAKEN: 'The division code "{code}" already exists',
    AREA_HAS_CHILDREN: 'This area still has sub-areas or organisations and cannot be deleted',
    PERSON_DUPLICATE: 'A person with this ID number is already registered',
    ORGANIZATION_DUPLICATE: 'An organisation with this credit code is already registered',
    PLACE_CODE_TAKEN: 'The place code “{code}” is already in use',
    PERSON_PURGED: 'This person is archived or purged and cannot be changed',
    PERSON_NOT_ARCHIVED: 'Only an archived person can be purged',
    AREA_LEVEL_INVALID: 'A {child} cannot be placed under a {parent}',
    OUT_OF_SCOPE: 'The target lies outside your jurisdiction',
    REASON_REQUIRED: 'State why you need to see this',
    PASSWORD_TOO_WEAK: 'Passwords need at least {min} characters with letters and digits',
    CASE_INVALID_TRANSITION: 'A case in status {status} does not allow "{action}"',
    CASE_NOT_YOURS: '{owner} is responsible for this case; you cannot "{action}". {possible}',
    CASE_TIER_NEEDS_ESCALATION: 'A case of this tier belongs to {center}: accept it as "{tier}", then escalate it with a reason',
    CASE_INVALID_TARGET: 'The case cannot go to that organisation: {reason}',
    CASE_NO_CENTER: 'No center can own cases in this area',
    PAYLOAD_TOO_LARGE: 'The request is too large (limit {limit})',
    UNSUPPORTED_MEDIA_TYPE: 'Unsupported content type',
    ATTACHMENT_TYPE_NOT_ALLOWED: 'Only JPEG, PNG or WebP pictures and PDF files can be uploaded',
    ATTACHMENT_PHOTO_ONLY: 'Only photos (JPEG, PNG or WebP) can be uploaded',
    CASE_NOT_AWAITING_RATING: 'This report cannot be rated now: a result can be rated once it has been handled and answered, once per answer',
    ATTACHMENT_LIMIT: 'Too many attachments, or they expired (at most {max} per case; submit photos soon after uploading them)',
    ATTACHMENT_UNREADABLE: 'The picture cannot be read and may be damaged; take it again or choose another',
    MEDIATION_INVALID_TRANSITION: 'The mediation cannot “{action}” while it is {status}',
    MEDIATION_EXISTS: 'This case is already in mediation',
    MEDIATION_DOUBLE_BOOKED: 'Double booking: {what} is already booked at that time',
    MEDIATION_NOT_HOLDER: 'Only the organisation handling the case can open mediation on it',
    MEDIATION_NO_AGREEMENT: 'There is an agreement only after a successful or partly successful mediation',
    MEDIATION_TERMS_REQUIRED: 'A successful or partly successful mediation needs the agreement’s terms',
    MEDIATION_CONFIRMATION_LATE: 'More than 30 days since the agreement took effect (deadline {deadline}); give a reason to apply for judicial confirmation anyway',
    MEDIATION_PARTY_INVALID: 'A party’s details are wrong: {detail}',
    MEDIATION_SESSION_TIME: 'A session must end after it starts, within one day',
    MEDIATION_SESSION_PLACE: 'Choose a room or online, and at least one mediator',
    MEDIATION_SESSION_RECORDED: 'This session has already been recorded',
    SWEEP_NOT_A_GRID: 'Report only for a grid of the sweep’s area',
    SWEEP_ALREADY_REPORTED: 'This grid has already reported for the sweep',
    UPLOAD_DAILY_LIMIT: 'Today\'s photo uploads from here have reached their limit; try again tomorrow, or submit without photos',
    UPLOADS_PAUSED: 'Photos cannot be received just now; try again later, or submit without photos',
    FEED_SIGNATURE_INVALID: 'The message signature is wrong: sign "timestamp.body" with HMAC-SHA256 under the platform’s secret',
    FEED_TIMESTAMP_STALE: 'The message timestamp is outside the allowed window (±{seconds} s): correct the sender’s clock, sign again and resend',
    FEED_SOURCE_INACTIVE: 'This platform connection is switched off',
    FEED_MESSAGE_REPLAYED: 'Message {id} was received before (case {number}); nothing was registered again',
    FEED_DEVICE_UNKNOWN: 'Device {device} is not registered: register it to its place under the platform’s devices first',
    FEED_CATEGORY_UNKNOWN: 'Cannot tell the category "{category}": send one of the center’s category codes or names, or set the platform’s default category',
    FEED_ACCOUNT_INVALID: '{detail}',
    RATE_LIMITED: 'Too many requests; please wait a moment',
    INTERNAL: 'Internal server error; please retry later (request {requestId})',
    UNAVAILABLE: 'The service is temporarily unavailable',
  },
};

/** Words substituted into messages ({what}, {child}, {parent}). */
export const nouns: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    case: '事项', category: '类别', area: '区域', organization: '机构', user: '用户', token: '令牌', route: '接口', resource: '记录',
    city: '市', county: '区县', township: '乡镇街道', village: '村社区', grid: '网格', root: '顶层',
  },
  'en-US': {
    case: 'Case', category: 'Category', area: 'Area', organization: 'Organisation', user: 'User', token: 'Token', route: 'Endpoint', resource: 'Record',
    city: 'city', county: 'county', township: 'township', village: 'village', grid: 'grid', root: 'top level',
  },
};

export function pickLocale(acceptLanguage: string | undefined | null): Locale {
  if (!acceptLanguage) return 'zh-CN';
  for (const part of acceptLanguage.split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en-US';
  }
  return 'zh-CN';
}

/** Case actions as words in a message: an action named by its label, a list of them as what the reader can do. */
const actionWords: Record<Locale, { one: (a: string) => string; can: (xs: string[]) => string }> = {
  'zh-CN': { one: (a) => caseLabels['zh-CN'].action[a as 'accept'] ?? a, can: (xs) => (xs.length ? `您可以：${xs.join('、')}。` : '您在此事项上没有可做的操作。') },
  'en-US': { one: (a) => caseLabels['en-US'].action[a as 'accept'] ?? a, can: (xs) => (xs.length ? `You can: ${xs.join(', ')}.` : 'There is nothing you can do on this case.') },
};

export function formatMessage(locale: Locale, code: ErrorCode, params: Record<string, unknown> = {}): string {
  const template = errorMessages[locale][code];
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (key === 'possible' && Array.isArray(value)) return actionWords[locale].can(value.map((a) => actionWords[locale].one(String(a))));
    if (key === 'action' && typeof value === 'string' && code.startsWith('CASE_')) return actionWords[locale].one(value);
    if (key === 'status' && typeof value === 'string' && code.startsWith('CASE_')) return caseLabels[locale].status[value as 'closed'] ?? value;
    if (key === 'tier' && typeof value === 'string' && code.startsWith('CASE_')) return caseLabels[locale].tier[value as 'general'] ?? value;
    if (value === undefined || value === null) return '';
    const text = String(value);
    return nouns[locale][text] ?? text;
  });
}

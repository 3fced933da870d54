// Every error the BFF answers with: a stable code, its HTTP status and the Chinese message a
// citizen sees. Clients switch on the code, never on the message.
import { Type, type Static } from '@sinclair/typebox';

export const ERRORS = {
  INVALID_INPUT: { status: 400, message: '请求参数有误' },
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  TOKEN_INVALID: { status: 401, message: '登录已失效，请重新登录' },
  FORBIDDEN: { status: 403, message: '没有权限执行此操作' },
  NOT_FOUND: { status: 404, message: '请求的内容不存在' },
  BAD_CREDENTIALS: { status: 401, message: '用户名或密码错误' },
  ACCOUNT_LOCKED: { status: 423, message: '密码错误次数过多，账号已锁定，请15分钟后再试' },
  WECHAT_CODE_INVALID: { status: 400, message: '微信登录凭证无效或已过期，请重新登录' },
  REALNAME_MISMATCH: { status: 422, message: '姓名、身份证号与手机号不匹配，请核对后重试' },
  REALNAME_REQUIRED: { status: 403, message: '请先完成实名认证' },
  IDENTITY_BOUND: { status: 409, message: '该身份已绑定其他微信账号，请使用原账号登录或到服务大厅办理解绑' },
  SLOT_UNAVAILABLE: { status: 400, message: '该时段不可预约，请选择其他时段' },
  SLOT_FULL: { status: 409, message: '该时段已约满' },
  ALREADY_BOOKED: { status: 409, message: '您当天已预约该事项' },
  BOOKING_RESTRICTED: { status: 403, message: '因多次预约未到，暂时不能预约' },
  BOOKING_NOT_CHANGEABLE: { status: 409, message: '该预约已不能修改' },
  ITEM_NOT_BOOKABLE: { status: 400, message: '该事项不能在此大厅预约' },
  CHECK_IN_CLOSED: { status: 409, message: '不在签到时间内（预约开始前30分钟至开始后15分钟）' },
  QUEUE_CLOSED: { status: 409, message: '当前不在取号时间内' },
  QUOTA_EXHAUSTED: { status: 409, message: '今日该业务号已取完' },
  ALREADY_QUEUED: { status: 409, message: '您已有该业务的排队号' },
  TICKET_NOT_ACTIONABLE: { status: 409, message: '该号码当前状态不能执行此操作' },
  WINDOW_BUSY: { status: 409, message: '请先完成或过号当前号码' },
  QUEUE_EMPTY: { status: 404, message: '当前没有等待的号码' },
  CASE_NOT_FOUND: { status: 404, message: '受理编号或验证信息不正确' },
  DELIVERY_NOT_CHANGEABLE: { status: 409, message: '该办件当前不能选择送达方式' },
  CORRECTION_NOT_OPEN: { status: 409, message: '该补正通知已处理或不存在，请刷新后查看' },
  CORRECTION_EXPIRED: { status: 409, message: '补正期限已过，请联系办理部门' },
  CORRECTION_INCOMPLETE: { status: 400, message: '还有必须补正的材料未上传' },
  MATERIAL_NOT_REQUESTED: { status: 400, message: '该材料不在补正通知中' },
  UPLOAD_TYPE_NOT_ALLOWED: { status: 400, message: '只能上传 JPG、PNG 图片或 PDF 文件' },
  UPLOAD_TOO_LARGE: { status: 413, message: '文件过大，请压缩后重新上传' },
  UPLOAD_KEY_INVALID: { status: 400, message: '文件不属于该补正通知，请重新上传' },
  UPLOAD_NOT_YOURS: { status: 403, message: '不能提交他人上传的文件' },
  UPLOAD_MISSING: { status: 400, message: '文件尚未上传完成或已失效，请重新上传' },
  UPLOAD_CONTENT_MISMATCH: { status: 400, message: '文件内容与格式不符，请重新上传' },
  UPLOAD_LIMIT: { status: 429, message: '上传次数过多，请稍后再试' },
  ALREADY_RATED: { status: 409, message: '您已评价过本次办理' },
  NOT_RATABLE: { status: 409, message: '办理完成后才能评价' },
  FOLLOW_UP_CLOSED: { status: 409, message: '该回访已办结' },
  FOLLOW_UP_INCOMPLETE: { status: 409, message: '请先记录回访情况再办结' },
  TASK_CONFLICT: { status: 409, message: '该任务已被办理或已更新，请刷新后查看' },
  SIGNATURE_REQUIRED: { status: 400, message: '请手写签名后再提交' },
  IDEMPOTENCY_MISMATCH: { status: 409, message: '重复提交的请求内容不一致' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '提交的内容过大' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '请以 JSON 格式提交' },
  REQUEST_TIMEOUT: { status: 408, message: '请求超时，请重试' },
  HEADERS_TOO_LARGE: { status: 431, message: '请求头过大' },
  RATE_LIMITED: { status: 429, message: '操作过于频繁，请稍后再试' },
  INTERNAL: { status: 500, message: '系统繁忙，请稍后再试' },
  UPSTREAM_UNAVAILABLE: { status: 503, message: '业务系统暂时不可用，请稍后再试' },
  OVERLOADED: { status: 503, message: '当前访问人数较多，请稍后再试' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
    requestId: Type.String(),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

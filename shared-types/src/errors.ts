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
  PAYLOAD_TOO_LARGE: { status: 413, message: '提交的内容过大' },
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

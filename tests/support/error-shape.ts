/** The documented error answer: a stable code, a Chinese message, the request id. */
export const errorShape = (code: string) => ({
  error: expect.objectContaining({ code, message: expect.stringMatching(/[\u4e00-\u9fa5]/) }),
  requestId: expect.any(String),
});

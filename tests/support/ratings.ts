// What the rating suites send: a bad (不满意) rating of an online handling, which opens a follow-up.
export const BAD_ONLINE_RATING = {
  channel: 'online',
  level: 1,
  indicators: { overall: 1, efficiency: 1, guideAccuracy: 2, convenience: 1, usability: 2 },
  comment: '办理太慢',
};

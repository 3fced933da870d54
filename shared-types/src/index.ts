export * from './errors';
export * from './catalogue';
export * from './auth';
export * from './booking';
export * from './messages';
export * from './queue';
export * from './progress';
export * from './correction';

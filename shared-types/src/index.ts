export * from './errors';
export * from './catalogue';
export * from './auth';

export * from './errors';
export * from './catalogue';

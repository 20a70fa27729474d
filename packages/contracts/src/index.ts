export * from './errors.ts';
export * from './schemas.ts';
export * from './routes.ts';
export * from './masking.ts';
export * from './cases.ts';
export * from './labels.ts';
export * from './registry.ts';
export * from './links.ts';

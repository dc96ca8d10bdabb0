export * from './errors/app-error';
export * from './errors/error-codes';
export * from './errors/problem';
export * from './errors/problem-details.filter';
export * from './validation/validation';

export * from './heap-defaults';

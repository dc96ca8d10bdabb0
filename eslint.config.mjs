// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'coverage/**',
      'node_modules/**',
      'data/**',
      '.services/**',
      'eslint.config.mjs',
      'jest.config.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../*', '**/libs/*/src/*'],
              message: 'Import another library through its @coffee/<lib> alias.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through @coffee/config.' },
      ],
    },
  },
  {
    // A tenant scope comes from verified credentials (RequestContext.scope(), scopeOf(principal)); only these
    // trusted places make one from a bare restaurant id. A new one (say, a job iterating restaurants) is added here.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      'libs/database/src/tenant-scope.ts',
      'libs/tenancy/src/request-context.ts',
      'libs/sysadmin/src/sysadmin-restaurants.service.ts',
      'libs/menu/src/public-menu/public-menu.builder.ts',
      // Report jobs: the restaurant id comes from a payload the API enqueued for its verified caller.
      'libs/orders/src/sales/rebuild-sales-rollups.usecase.ts',
      'libs/reports/src/daily-report.generator.ts',
      // Jobs over every restaurant's rows: the subscription row or the delivery job names its restaurant.
      'libs/subscriptions/src/lifecycle/advance-subscriptions.usecase.ts',
      'libs/webhooks/src/delivery/deliver-webhook.usecase.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='trustedTenantScope']",
          message: 'Take the scope from RequestContext.scope() or scopeOf(principal); see TenantScope.',
        },
      ],
    },
  },
  {
    files: ['libs/config/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Tests drive the apps from outside, so they may reach into apps/ directly.
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // supertest bodies are `any`; tests assert their shape.
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Plain Node scripts (benchmarks): linted without type information.
    files: ['**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: {
        Buffer: 'readonly',
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
      },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      'no-restricted-properties': 'off',
      // Scripts run after the build and may load the compiled libraries from dist/.
      'no-restricted-imports': 'off',
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // CommonJS scripts run by plain Node.
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);

// Nx's module-boundary rule keeps the architecture honest: a service depends only on itself,
// `contracts` and `shared`; `domain` never reaches for frameworks or infrastructure.
const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');

const FRAMEWORKS = ['@nestjs/*', 'typeorm', 'kafkajs', 'pg', 'fastify', 'nestjs-pino', 'opossum'];

module.exports = [
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.local/**',
      '.nx/**',
      'coverage/**',
      'results/**',
    ],
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: ['scope:contracts'] },
            {
              sourceTag: 'scope:shared',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:contracts'],
            },
            {
              sourceTag: 'scope:ledger',
              onlyDependOnLibsWithTags: ['scope:ledger', 'scope:contracts', 'scope:shared'],
            },
            {
              sourceTag: 'scope:gateway',
              onlyDependOnLibsWithTags: ['scope:gateway', 'scope:contracts', 'scope:shared'],
            },
            {
              sourceTag: 'scope:partner-adapter',
              onlyDependOnLibsWithTags: [
                'scope:partner-adapter',
                'scope:contracts',
                'scope:shared',
              ],
            },
            {
              sourceTag: 'scope:reconciler',
              onlyDependOnLibsWithTags: ['scope:reconciler', 'scope:contracts', 'scope:shared'],
            },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
            {
              sourceTag: 'scope:sandbox-bank',
              onlyDependOnLibsWithTags: ['scope:sandbox-bank', 'scope:contracts', 'scope:shared'],
            },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'],
              bannedExternalImports: FRAMEWORKS,
            },
            {
              sourceTag: 'type:application',
              onlyDependOnLibsWithTags: [
                'type:application',
                'type:domain',
                'type:contracts',
                'type:util',
              ],
              bannedExternalImports: FRAMEWORKS,
            },
            { sourceTag: 'type:contracts', bannedExternalImports: FRAMEWORKS },
            // Tools (runners, benchmarks, chaos, verify, rebuild) may use any library, never an
            // app's internals, and nothing in the product may import a tool.
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: [
                'type:tool',
                'type:contracts',
                'type:util',
                'type:domain',
                'type:application',
                'type:infrastructure',
              ],
            },
          ],
        },
      ],
    },
  },
  // Size limits (issue #9): no file over 300 lines anywhere; no function over 70 lines in the
  // product and the tools. A test file's describe block is a list of cases, not a function one
  // reads as a unit, so tests keep only the file limit.
  {
    files: ['**/*.ts'],
    rules: { 'max-lines': ['error', { max: 300 }] },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'tools/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 70 }] },
  },
];

import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['node_modules/', 'dist/', 'out/', '**/*.js', '**/*.cjs'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			eqeqeq: ['error', 'always', { null: 'ignore' }],
		},
	},
	{
		// The layers that must run in plain Node (CLI, unit tests) never see the editor API.
		files: ['src/shared/**', 'src/platform/**', 'src/providers/**', 'src/tools/**', 'src/chat/**', 'src/cli/**', 'src/mcp/**', 'src/webview/**'],
		rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/vscode/ and src/extension.ts may import vscode.' }] }] },
	},
	{
		files: ['**/*.mjs'],
		languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly' } },
	},
);

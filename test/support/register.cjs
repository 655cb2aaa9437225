// Lets mocha load the TypeScript sources and tests directly in plain Node (type-checking is `npm run typecheck`).
const { transformSync } = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

require.extensions['.ts'] = function compile(module, filename) {
	const source = fs.readFileSync(filename, 'utf8');
	// In the sources, `import()` becomes require(), as in the bundle (Node's own loader would look for x.js and could
	// not load TS); tests keep theirs, some load ESM-only packages with it.
	const sources = filename.startsWith(path.join(__dirname, '..', '..', 'src') + path.sep);
	const { code } = transformSync(source, { loader: 'ts', format: 'cjs', target: 'node20', ...(sources && { supported: { 'dynamic-import': false } }), sourcemap: 'inline', sourcefile: filename });
	module._compile(code, filename);
};

// The sources load some modules lazily as `import('./x.js')`, a path the bundle resolves to x.ts (as TypeScript's
// module resolution does); here a relative `.js` that does not exist is looked up as `.ts`.
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveTs(request, parent, ...rest) {
	try {
		return resolve.call(this, request, parent, ...rest);
	} catch (error) {
		if (!request.startsWith('.') || !request.endsWith('.js')) throw error;
		return resolve.call(this, `${request.slice(0, -3)}.ts`, parent, ...rest);
	}
};

// Loaded by the extension host as the extensionTestsPath: runs every compiled *.test.js beside this file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
	const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
	if (process.env.MOCHA_GREP) mocha.grep(process.env.MOCHA_GREP);
	const files = fs.readdirSync(__dirname, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.test.js')).sort();
	for (const file of files) mocha.addFile(path.join(__dirname, file));
	return new Promise((resolve, reject) => {
		mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host tests failed`)) : resolve()));
	});
}

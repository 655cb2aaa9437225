// @vscode/vsce ships no type declarations; this is the part of its public API (out/api.js) the tests call.
declare module '@vscode/vsce' {
	export enum PackageManager { Npm = 0, Yarn = 1, None = 2 }
	/** The files `vsce package` would put in the .vsix, relative to cwd, with .vscodeignore applied. */
	export function listFiles(options?: { cwd?: string; packageManager?: PackageManager }): Promise<string[]>;
}

// Just enough of the 'vscode' module for src/vscode/conversation/historyStore.ts to run in plain Node: Uri.joinPath and
// workspace.fs over node:fs (what a file: URI costs in a local extension host, minus VS Code's own dispatch).
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

class Uri {
	readonly scheme = 'file';
	constructor(readonly fsPath: string) {}
	static file(fsPath: string): Uri {
		return new Uri(fsPath);
	}
	static joinPath(base: Uri, ...parts: string[]): Uri {
		return new Uri(path.join(base.fsPath, ...parts));
	}
}

const shim = {
	Uri,
	workspace: {
		fs: {
			readFile: async (uri: Uri): Promise<Uint8Array> => fs.promises.readFile(uri.fsPath),
			writeFile: async (uri: Uri, data: Uint8Array): Promise<void> => fs.promises.writeFile(uri.fsPath, data),
			createDirectory: async (uri: Uri): Promise<void> => {
				await fs.promises.mkdir(uri.fsPath, { recursive: true });
			},
			delete: async (uri: Uri): Promise<void> => fs.promises.rm(uri.fsPath, { force: true }),
		},
	},
};

/** A workspaceState stand-in: VS Code keeps it in memory and persists it later, off the caller's path. */
export class MemoryMemento {
	private readonly values = new Map<string, unknown>();
	keys(): readonly string[] {
		return [...this.values.keys()];
	}
	get<T>(key: string, fallback?: T): T | undefined {
		return this.values.has(key) ? (this.values.get(key) as T) : fallback;
	}
	async update(key: string, value: unknown): Promise<void> {
		this.values.set(key, value);
	}
}

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;

/** Makes `require('vscode')` return the shim; call before loading a module that imports it. */
export function installVscodeShim(): typeof Uri {
	const internals = Module as unknown as { _load: Loader };
	const original = internals._load;
	internals._load = (request, parent, isMain) => request === 'vscode' ? shim : original(request, parent, isMain);
	return Uri;
}

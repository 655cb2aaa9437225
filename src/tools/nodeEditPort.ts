// The EditPort for the CLI: no editor to show a diff in, so preview does nothing and apply writes the file
// directly (folders created as needed), after checking the file still holds what the change was computed from.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCurrent, type EditPort, type FileChange } from './fileChange';
import { ToolError, type Workspace } from './types';

export class NodeEditPort implements EditPort {
	constructor(private readonly workspace: Workspace) {}

	async preview(): Promise<void> {
		// The approval prompt's summary is all a terminal shows.
	}

	async apply(change: FileChange, signal: AbortSignal): Promise<void> {
		if (signal.aborted) throw new ToolError('cancelled', 'The tool call was cancelled.');
		const current = await readCurrent(this.workspace, change.target, signal);
		if (current !== change.before) {
			throw new ToolError('failed', `${change.target.display} changed since it was read; read it again and redo the change. Nothing was changed.`);
		}
		try {
			await fs.promises.mkdir(path.dirname(change.target.absolute), { recursive: true });
			// 'wx' for a new file: if something appeared at that path meanwhile, fail rather than overwrite it.
			await fs.promises.writeFile(change.target.absolute, change.after, { encoding: 'utf8', flag: change.before === undefined ? 'wx' : 'w' });
		} catch (error) {
			throw new ToolError('failed', `Could not write ${change.target.display}: ${(error as Error).message}`);
		}
	}
}

// The EditPort for the CLI: no editor to show a diff in (the prompt's summary is all a terminal shows), so no
// preview; apply writes the file directly (folders created as needed), after checking the file still holds what the
// change was computed from.
// It writes exactly the real path that was checked: a folder swapped for a symlink meanwhile makes it refuse.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCurrent, type EditPort, type FileChange } from './fileChange';
import { encodeText } from './textEncoding';
import { ToolError, type Workspace } from './types';

export class NodeEditPort implements EditPort {
	constructor(private readonly workspace: Workspace) {}

	async apply(change: FileChange, signal: AbortSignal): Promise<void> {
		if (signal.aborted) throw new ToolError('cancelled', 'The tool call was cancelled.');
		const current = await readCurrent(this.workspace, change.target, signal);
		if (current !== change.before) {
			throw new ToolError('failed', `${change.target.display} changed since it was read; read it again and redo the change. Nothing was changed.`);
		}
		await writeExactly(change.target.absolute, encodeText(change.after, change.encoding ?? 'utf8', change.target.display), change.before === undefined, change.target.display);
	}
}

const noFollow = fs.constants.O_NOFOLLOW ?? 0;

/**
 * Writes `data` to `absolute`, the real path resolved when the call was checked, and nowhere else: missing folders
 * are made one at a time under folders whose real path is still themselves, the file is opened without following
 * a symlink, and where the open landed is checked before a byte is written.
 */
export async function writeExactly(absolute: string, data: Buffer, create: boolean, display: string): Promise<void> {
	const parent = path.dirname(absolute);
	await makeFolders(parent, display);
	let handle: fs.promises.FileHandle;
	try {
		handle = await fs.promises.open(absolute, create ? fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | noFollow : fs.constants.O_RDWR | noFollow, 0o666);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ELOOP' || code === 'EMLINK') throw moved(display);
		throw new ToolError('failed', `Could not write ${display}: ${(error as Error).message}`);
	}
	try {
		const landed = await openedPath(handle);
		if (landed === undefined ? await realpathOf(parent) !== parent : landed !== absolute) {
			// Only a file this call created (O_EXCL) is removed again; it is empty.
			if (create && landed !== undefined) await fs.promises.unlink(landed).catch(() => undefined);
			throw moved(display);
		}
		await handle.truncate(0);
		await handle.write(data, 0, data.length, 0);
	} catch (error) {
		if (error instanceof ToolError) throw error;
		throw new ToolError('failed', `Could not write ${display}: ${(error as Error).message}`);
	} finally {
		await handle.close();
	}
}

/** Throws when `absolute` became a symlink, or a folder above it no longer has the real path it had when the call was checked. */
export async function checkUnmoved(absolute: string, display: string): Promise<void> {
	const stat = await fs.promises.lstat(absolute).catch(() => undefined);
	if (stat?.isSymbolicLink()) throw moved(display);
	let existing = path.dirname(absolute);
	while (!(await exists(existing))) {
		const up = path.dirname(existing);
		if (up === existing) return;
		existing = up;
	}
	if (await realpathOf(existing) !== existing) throw moved(display);
}

async function makeFolders(folder: string, display: string): Promise<void> {
	if (await exists(folder)) {
		if (await realpathOf(folder) !== folder) throw moved(display);
		return;
	}
	const up = path.dirname(folder);
	if (up !== folder) await makeFolders(up, display);
	try {
		await fs.promises.mkdir(folder);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new ToolError('failed', `Could not write ${display}: ${(error as Error).message}`);
	}
	if (await realpathOf(folder) !== folder) throw moved(display);
}

/** Where an open file really is: Linux names it under /proc/self/fd; elsewhere undefined (the caller re-checks). */
async function openedPath(handle: fs.promises.FileHandle): Promise<string | undefined> {
	if (process.platform !== 'linux') return undefined;
	return fs.promises.readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
}

async function realpathOf(file: string): Promise<string | undefined> {
	return fs.promises.realpath(file).catch(() => undefined);
}

async function exists(file: string): Promise<boolean> {
	return fs.promises.lstat(file).then(() => true, () => false);
}

function moved(display: string): ToolError {
	return new ToolError('failed', `${display} was not written: a folder on its path changed (or became a symlink) after the call was checked. Nothing was changed; read the path again.`);
}

// The workspace when no folder is open (the CLI without --workspace): every path is outside, nothing is readable.
import { ToolError, type Workspace } from './types';

const noFolder = (): never => {
	throw new ToolError('outside-workspace', 'No workspace folder is open, so there are no files to use.');
};

export const noWorkspace: Workspace = {
	folders: [],
	resolve: async (path) => ({ absolute: path, display: path, inside: false }),
	readText: async () => noFolder(),
	listDirectory: async () => noFolder(),
	findFiles: async () => noFolder(),
	searchText: async () => noFolder(),
};

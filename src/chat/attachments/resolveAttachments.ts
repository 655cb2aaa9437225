// Turns what the user attached into the text that goes with their message, read through the Workspace port (so
// the VS Code adapter's unsaved editor text, .gitignore and files.exclude apply) and the diagnostics port. The user
// chose each item, so nothing here asks for approval; a path outside the workspace is still refused, since the
// panel only offers workspace paths and a message naming another one did not come from the picker.
import type { TextPart } from '../../shared/chat';
import type { AttachmentChipView, AttachmentRef } from '../../shared/protocol';
import type { DiagnosticsPort } from '../../tools/getDiagnostics';
import { ToolError, type Workspace } from '../../tools/types';
import { defaultAttachmentLimits, failedBlock, fileBlock, folderBlock, problemsBlock, type AttachmentBlock, type AttachmentLimits } from './attachmentText';

export interface AttachmentSources {
	workspace: Workspace;
	diagnostics?: DiagnosticsPort;
	limits?: AttachmentLimits;
}

export interface ResolvedAttachments {
	/** One text part per attachment, after the user's own text. */
	parts: TextPart[];
	/** The chips the transcript shows, in the same order. */
	chips: AttachmentChipView[];
}

/** Most folder entries asked of the file search: beyond the listing's cap, to say how many were left out. */
const folderScan = 5_000;

/** The user's text followed by one block per attachment; the attachments share the total budget in order. */
export async function resolveAttachments(refs: readonly AttachmentRef[], sources: AttachmentSources, signal: AbortSignal): Promise<ResolvedAttachments> {
	const limits = sources.limits ?? defaultAttachmentLimits;
	let remaining = limits.totalChars;
	const parts: TextPart[] = [];
	const chips: AttachmentChipView[] = [];
	for (const ref of dedupe(refs)) {
		const budget = Math.max(0, Math.min(limits.perAttachmentChars, remaining));
		const chip: AttachmentChipView = { kind: ref.kind, label: chipLabel(ref) };
		if (ref.kind !== 'problems') chip.path = ref.path;
		let block: AttachmentBlock;
		try {
			block = await blockFor(ref, budget, sources, limits, signal);
		} catch (error) {
			if (!(error instanceof ToolError) || error.reason === 'cancelled') throw error;
			chip.error = error.message;
			block = failedBlock(ref.kind, ref.kind === 'problems' ? '' : ref.path, error.message);
		}
		if (block.omitted > 0) chip.omitted = block.omitted;
		remaining -= block.text.length;
		parts.push({ type: 'text', text: block.text });
		chips.push(chip);
	}
	return { parts, chips };
}

/** "src/app.ts", "src/app.ts:10-24", "src/", "Problems": the chip's text in the composer and the transcript. */
export function chipLabel(ref: AttachmentRef): string {
	switch (ref.kind) {
		case 'file': return ref.path;
		case 'folder': return ref.path.endsWith('/') ? ref.path : `${ref.path}/`;
		case 'selection': return ref.startLine === ref.endLine ? `${ref.path}:${ref.startLine}` : `${ref.path}:${ref.startLine}-${ref.endLine}`;
		case 'problems': return 'Problems';
	}
}

async function blockFor(ref: AttachmentRef, budget: number, sources: AttachmentSources, limits: AttachmentLimits, signal: AbortSignal): Promise<AttachmentBlock> {
	const { workspace } = sources;
	switch (ref.kind) {
		case 'problems': {
			const all = await sources.diagnostics?.get(undefined) ?? [];
			const problems = [];
			for (const item of all) {
				const target = await workspace.resolve(item.file);
				// Diagnostics of files outside the workspace (a library's typings) are not the user's problems.
				if (target.inside) problems.push({ ...item, display: target.display });
			}
			return problemsBlock(problems, budget, limits);
		}
		case 'selection': {
			const target = await insideWorkspace(workspace, ref.path);
			return fileBlock('selection', target.display, ref.text, budget, { firstLine: ref.startLine });
		}
		case 'file': {
			const target = await insideWorkspace(workspace, ref.path);
			// Bytes, not characters: four per character covers any UTF-8 text that could fit the budget.
			const read = await workspace.readText(target, budget * 4 + 4, signal);
			return fileBlock('file', target.display, read.text, budget, { fileTruncated: read.truncated, fileSize: read.size });
		}
		case 'folder': {
			const target = await insideWorkspace(workspace, ref.path);
			const prefix = target.display === '.' ? '' : `${target.display.replace(/\/+$/, '')}/`;
			const files = await workspace.findFiles(prefix ? `${escapeGlob(prefix)}**` : '**', folderScan + 1, signal);
			const entries = listing(files.slice(0, folderScan), prefix);
			return folderBlock(prefix || '.', entries, budget, limits, files.length > folderScan);
		}
	}
}

async function insideWorkspace(workspace: Workspace, path: string): Promise<Awaited<ReturnType<Workspace['resolve']>>> {
	const target = await workspace.resolve(path);
	if (!target.inside) throw new ToolError('outside-workspace', `${path} is outside the workspace.`);
	return target;
}

/** Files under a folder as paths relative to it, each subfolder listed once before its first file. */
function listing(files: readonly string[], prefix: string): string[] {
	const entries: string[] = [];
	const seen = new Set<string>();
	for (const file of [...files].sort()) {
		const relative = file.slice(prefix.length);
		const segments = relative.split('/');
		for (let depth = 1; depth < segments.length; depth++) {
			const folder = `${segments.slice(0, depth).join('/')}/`;
			if (!seen.has(folder)) {
				seen.add(folder);
				entries.push(folder);
			}
		}
		entries.push(relative);
	}
	return entries;
}

/** A folder name is literal: its glob characters must not widen the search. */
function escapeGlob(text: string): string {
	return text.replace(/[*?[\]{},]/g, (char) => `[${char}]`);
}

function dedupe(refs: readonly AttachmentRef[]): AttachmentRef[] {
	const seen = new Set<string>();
	return refs.filter((ref) => {
		const key = JSON.stringify(ref);
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

// The row under an assistant turn that wrote files: "Changed: a.ts, b.ts · Undo this turn's changes". Kept apart
// from the transcript: it finds the turn's article by its place among the assistant turns and appends the row.
import type { TurnChangesView } from '../../shared/protocol';
import { button, h } from '../dom';
import { t } from '../l10n';
import type { Conversation } from '../state';

export class CheckpointRows {
	constructor(private readonly list: HTMLElement, private readonly conversation: Conversation, private readonly undo: (turnId: string) => void) {}

	/** After the transcript was rebuilt (init, a conversation from history): every turn's row again. */
	renderAll(): void {
		for (const turn of this.conversation.turns) {
			if (turn.role === 'assistant' && turn.changes) this.render(turn.turnId, turn.changes);
		}
	}

	update(turnId: string, changes: TurnChangesView): void {
		const turn = this.conversation.assistant(turnId);
		if (turn) turn.changes = changes;
		this.render(turnId, changes);
	}

	private render(turnId: string, changes: TurnChangesView): void {
		const article = this.articleOf(turnId);
		if (!article) return;
		const row = h('div', { class: `turn-changes${changes.undone ? ' undone' : ''}`, 'data-turn-id': turnId, role: 'group', 'aria-label': t('changedFiles', '') },
			h('span', { class: 'changed-files', title: changes.files.join('\n') }, t('changedFiles', changes.files.map(baseName).join(', '))));
		if (changes.undone) {
			row.append(h('span', { class: 'undone-label' }, t('turnUndone')));
		} else {
			const undo = button(t('undoTurn'), () => {
				undo.disabled = true;
				this.undo(turnId);
			}, { class: 'secondary undo-turn' });
			row.append(undo);
		}
		const existing = article.querySelector(':scope > .turn-changes');
		if (existing) existing.replaceWith(row);
		else article.append(row);
	}

	/** The transcript mounts one article per turn, in order; the assistant ones carry the class 'assistant'. */
	private articleOf(turnId: string): Element | undefined {
		const assistants = this.conversation.turns.filter((turn) => turn.role === 'assistant');
		const index = assistants.findIndex((turn) => turn.turnId === turnId);
		if (index === -1) return undefined;
		return this.list.querySelectorAll(':scope > article.turn.assistant')[index];
	}
}

function baseName(display: string): string {
	return display.slice(display.lastIndexOf('/') + 1);
}

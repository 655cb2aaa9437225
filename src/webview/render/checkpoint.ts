// The row under an assistant turn that wrote files: "Changed: a.ts, b.ts · Undo this turn's changes". Kept apart
// from the transcript: it finds the turn's article by its place in the list, which holds the newest turns (older
// ones are prepended later, so rows are added whenever articles are).
import type { TurnChangesView } from '../../shared/protocol';
import { button, h } from '../dom';
import { t } from '../l10n';
import type { Conversation } from '../../shared/transcript';

export class CheckpointRows {
	constructor(private readonly list: HTMLElement, private readonly conversation: Conversation, private readonly undo: (turnId: string) => void) {
		new MutationObserver(() => this.renderAll()).observe(list, { childList: true });
	}

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
		const state = JSON.stringify(changes);
		const existing = article.querySelector(':scope > .turn-changes');
		if (existing?.getAttribute('data-state') === state) return;
		const row = h('div', { class: `turn-changes${changes.undone ? ' undone' : ''}`, 'data-turn-id': turnId, 'data-state': state, role: 'group', 'aria-label': t('changedFiles', '') },
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
		if (existing) existing.replaceWith(row);
		else article.append(row);
	}

	/** The list holds one article per turn for the newest turns, in order: turn i is counted from the end. */
	private articleOf(turnId: string): Element | undefined {
		const turns = this.conversation.turns;
		const index = turns.findIndex((turn) => turn.role === 'assistant' && turn.turnId === turnId);
		const articles = this.list.querySelectorAll(':scope > article.turn');
		const at = articles.length - (turns.length - index);
		if (index === -1 || at < 0) return undefined;
		const article = articles[at];
		return article?.classList.contains('assistant') ? article : undefined;
	}
}

function baseName(display: string): string {
	return display.slice(display.lastIndexOf('/') + 1);
}

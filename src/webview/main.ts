// The chat panel's entry point: builds the layout, routes host messages to the views and user actions to the host.
import { assertNever, type ErrorBannerView, type HostToWebview, type ViewState } from '../shared/protocol';
import { button, h } from './dom';
import { setOverrides, t } from './l10n';
import { Banners } from './render/banner';
import { openFileEvent, RulesBar } from './render/attachmentChips';
import { CheckpointRows } from './render/checkpoint';
import { Composer } from './render/composer';
import { ContextMeter } from './render/contextMeter';
import { nextSetupStep, renderEmptyState, renderSetupHint } from './render/emptyState';
import { HistoryPanel } from './render/history';
import { ChatTotalLine } from './render/chatTotal';
import { withIcon } from './render/icon';
import { Transcript } from './render/transcript';
import { loadState, post, saveState } from './vscodeApi';

let viewState: ViewState | undefined;
const persisted = loadState();

const setApiKey = (provider: string | undefined): void => post({ type: 'set-api-key', provider: provider ?? viewState?.selected?.provider });

const historyToggle = withIcon(button(t('history'), () => toggleHistory(), { class: 'secondary', 'aria-expanded': 'false', 'aria-controls': 'history' }), 'history');
const newChat = withIcon(button(t('newChat'), () => post({ type: 'new-chat' }), { class: 'secondary' }), 'add');
const historyPanel = h('section', { id: 'history', class: 'history', 'aria-label': t('history'), hidden: true });
const emptySteps = h('div', {});
const setupHint = h('p', { class: 'setup-hint', role: 'status' });
const emptyState = h('section', { class: 'empty-state' }, emptySteps, setupHint);
/** Set when the user tried to send before setup was done: the checklist then marks the step to do next. */
let pointAtSetup = false;
const list = h('div', { class: 'transcript' });
const scroller = h('main', { class: 'scroller', 'aria-label': t('conversation') }, emptyState, list);
const bannerArea = h('div', { class: 'banners' });
const contextMeter = new ContextMeter();
const chatTotal = new ChatTotalLine();
const historyList = new HistoryPanel(historyPanel, {
	open: (id) => { post({ type: 'history-open', id }); toggleHistory(false); },
	remove: (id) => post({ type: 'history-delete', id }),
	undoRemove: (id) => post({ type: 'history-undo-delete', id }),
	rename: (id, title) => post({ type: 'history-rename', id, title }),
	search: (query) => post({ type: 'history-search', query }),
});

const transcript = new Transcript(list, scroller, {
	copy: (code) => post({ type: 'copy-code', code }),
	insert: (code) => post({ type: 'insert-code', code }),
	approve: (callId, alwaysAllow) => post(alwaysAllow ? { type: 'approve', callId, alwaysAllow } : { type: 'approve', callId }),
	deny: (callId, reason) => post(reason ? { type: 'deny', callId, reason } : { type: 'deny', callId }),
	approveAll: (callIds) => post({ type: 'approve-all', callIds }),
});

const checkpoints = new CheckpointRows(list, transcript.conversation, (turnId) => post({ type: 'undo-turn', turnId }));

const banners = new Banners(bannerArea, (error: ErrorBannerView) => {
	switch (error.action) {
		case 'set-api-key': setApiKey(error.provider); break;
		case 'retry': post({ type: 'retry' }); break;
		case 'open-settings': post(error.setting ? { type: 'open-settings', setting: error.setting } : { type: 'open-settings' }); break;
		case undefined: break;
		default: assertNever(error.action);
	}
});

const composer = new Composer({
	send: (text, attachments, images) => post({ type: 'send-prompt', text, ...(attachments.length > 0 && { attachments }), ...(images.length > 0 && { images }) }),
	mentionQuery: (query) => post({ type: 'mention-query', query }),
	notReady: () => {
		// Nothing is sent and the text stays: the checklist says what to do, or, under a conversation, a banner does.
		if (transcript.conversation.isEmpty) {
			pointAtSetup = true;
			refresh();
		} else {
			banners.showError(setupBanner(viewState));
		}
	},
	stop: () => post({ type: 'stop' }),
	selectModel: (model) => post({ type: 'select-model', provider: model.provider, model: model.model }),
	setApiKey,
	draftChanged: (draft) => {
		persisted.draft = draft;
		saveState(persisted);
	},
	attachmentsChanged: (attachments) => {
		persisted.attachments = attachments;
		saveState(persisted);
	},
}, persisted.draft, persisted.attachments);

const rulesBar = new RulesBar((path, active) => post({ type: 'rule-toggle', path, active }));
// A chip's name (composer, transcript, rules) opens its file.
document.addEventListener(openFileEvent, (event) => {
	const path = (event as CustomEvent<unknown>).detail;
	if (typeof path === 'string') post({ type: 'open-file', path });
});

const app = h('div', { class: 'app' },
	h('header', { class: 'toolbar' }, newChat, historyToggle),
	historyPanel, scroller, bannerArea, chatTotal.element, contextMeter.element, rulesBar.element, composer.element);

/** Under a conversation, where the checklist is not shown: the banner whose action is the missing step. */
function setupBanner(state: ViewState | undefined): ErrorBannerView {
	const provider = state?.providers.find((candidate) => candidate.id === state.selected?.provider);
	if (nextSetupStep(state) === 2 && provider) return { kind: 'config', message: t('needKeyFirst', provider.label), action: 'set-api-key', provider: provider.id };
	return { kind: 'config', message: t('needProviderFirst'), action: 'open-settings', setting: 'switchboard.providers' };
}

function toggleHistory(open = historyPanel.hidden): void {
	historyPanel.hidden = !open;
	historyToggle.setAttribute('aria-expanded', String(open));
	if (open) historyList.opened();
}

function refresh(): void {
	const empty = transcript.conversation.isEmpty;
	emptyState.hidden = !empty;
	if (nextSetupStep(viewState) === undefined) pointAtSetup = false;
	if (empty) renderEmptyState(emptySteps, viewState, { addProvider: () => post({ type: 'add-provider' }), setApiKey }, pointAtSetup);
	renderSetupHint(setupHint, viewState, pointAtSetup && empty);
	chatTotal.update(transcript.conversation.turns);
	composer.setBusy(transcript.conversation.busy);
}

function applyState(state: ViewState): void {
	viewState = state;
	setOverrides(state.l10n);
	composer.update(state);
}

function handle(message: HostToWebview): void {
	switch (message.type) {
		case 'init':
			applyState(message.state);
			historyList.setEntries(message.history);
			banners.clear();
			contextMeter.clear();
			transcript.load(message.conversation);
			checkpoints.renderAll();
			break;
		case 'state': applyState(message.state); break;
		case 'conversation':
			banners.clear();
			contextMeter.clear();
			transcript.load(message.conversation);
			checkpoints.renderAll();
			composer.focus();
			break;
		case 'history': historyList.setEntries(message.entries); break;
		case 'history-results': historyList.setResults(message.query, message.entries); break;
		case 'history-deleted': historyList.deleted(message.id, message.title); break;
		case 'user-message':
			banners.clear();
			transcript.addUser(message.turnId, message.text, { attachments: message.attachments, images: message.images });
			break;
		case 'turn-start': transcript.startAssistant(message.turnId, message.model, message.price); break;
		case 'text-delta':
		case 'reasoning-delta':
			banners.clearRetry();
			transcript.appendDelta(message.turnId, message.type === 'text-delta' ? 'text' : 'reasoning', message.text);
			break;
		case 'tool-call': transcript.upsertCall(message.turnId, message.call); break;
		case 'usage': transcript.setUsage(message.turnId, message.usage); break;
		case 'retry-wait': banners.showRetry(message.attempt, message.delayMs, message.message); break;
		case 'turn-end':
			banners.clearRetry();
			transcript.end(message.turnId, message.reason);
			break;
		case 'error': banners.showError(message.error); break;
		case 'clear-error': banners.clear(); break;
		case 'turn-files': checkpoints.update(message.turnId, message.changes); break;
		case 'context': {
			// The summary shows in the transcript where the compaction happened; beside the meter only when it has no place there.
			const inTranscript = transcript.noteCompaction(message.context.summary, message.turnId);
			contextMeter.update(message.context, !inTranscript);
			break;
		}
		case 'mention-results': composer.mentionResults(message.query, message.items, message.searching === true); return;
		case 'add-attachment': composer.attach(message.attachment); composer.focus(); return;
		case 'focus-composer': composer.focus(); return;
		case 'rules': rulesBar.update(message.rules); return;
		default: assertNever(message);
	}
	refresh();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
	const data = event.data;
	// Only the host posts here; anything without a type is not ours.
	if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string') handle(data as HostToWebview);
});

// Whatever changes size under or inside the transcript (the context meter or a banner appearing, a turn's footer, a
// taller composer), a transcript that was scrolled to the bottom stays there: nothing hides its last line.
// A scroll event can arrive after the sizes changed; it is judged against the sizes seen last, so a change that
// pushed the end down is not taken for the user scrolling up.
let atBottom = true;
let seen = { height: 0, client: 0 };
scroller.addEventListener('scroll', () => { atBottom = seen.height - scroller.scrollTop - seen.client < 48; }, { passive: true });
const stickToBottom = new ResizeObserver(() => {
	if (atBottom) scroller.scrollTop = scroller.scrollHeight;
	seen = { height: scroller.scrollHeight, client: scroller.clientHeight };
});
stickToBottom.observe(scroller);
stickToBottom.observe(list);

function start(): void {
	document.body.append(app);
	refresh();
	post({ type: 'ready' });
}

// The host may load the bundle from <head>; the panel needs <body>.
if (document.body) start();
else document.addEventListener('DOMContentLoaded', start, { once: true });

// English UI strings, overridable by the host (ViewState.l10n) with the same keys.
export const english = {
	'emptyTitle': 'Switchboard',
	'emptyIntro': 'Chat with any model behind the OpenAI Chat Completions or Anthropic Messages protocol. It can read, search and run tasks in this workspace, and you approve each tool call.',
	'emptyStep1': 'Pick a provider preset',
	'emptyStep2': 'Set its API key',
	'emptyStep3': 'Ask a question below',
	'message': 'Message',
	'placeholder': 'Ask anything (Enter to send, Shift+Enter for a new line)',
	'send': 'Send',
	'stop': 'Stop',
	'newChat': 'New chat',
	'history': 'History',
	'model': 'Model',
	'noModels': 'No models configured',
	'noKey': 'no key',
	'setApiKey': 'Set API key',
	'retry': 'Retry',
	'openSettings': 'Open settings',
	'dismiss': 'Dismiss',
	'copy': 'Copy',
	'copied': 'Copied',
	'insert': 'Insert',
	'reasoning': 'Reasoning',
	'arguments': 'Arguments',
	'result': 'Result',
	'showAll': 'Show all',
	'approve': 'Approve',
	'deny': 'Deny',
	'confirmDeny': 'Confirm deny',
	'cancel': 'Cancel',
	'denyReason': 'Reason for denying (optional, sent to the model)',
	'approveAll': 'Approve all',
	'alwaysAllow': 'Always allow {0} in this workspace',
	'interrupted': 'Interrupted: partial answer',
	'stoppedLength': 'Stopped: output token limit reached',
	'stoppedFilter': 'Stopped by the provider\'s content filter',
	'declined': 'The model declined to answer; its tool calls were not run',
	'stoppedError': 'Ended with an error',
	'tokens': '{0} in · {1} out tokens',
	'cached': '{0} cached',
	'retrying': '{0} Retrying in {1} s (attempt {2}).',
	'noHistory': 'No saved chats yet.',
	'open': 'Open',
	'delete': 'Delete',
	'you': 'You',
	'assistant': 'Switchboard',
	'truncatedByHost': 'Output was cut at {0} characters.',
	'stateStreaming': 'Preparing',
	'stateAwaiting': 'Awaiting approval',
	'stateRunning': 'Running',
	'toolCallLabel': 'Tool call: {0}, {1}',
	'commandLine': 'Command line:',
	'stateDone': 'Done',
	'stateError': 'Failed',
	'stateDenied': 'Denied',
	'stateInvalid': 'Invalid arguments',
	'stateIncomplete': 'Not run',
	'deniedReason': 'Reason: {0}',
	'risk': '{0} tool',
	'riskRead': 'read',
	'riskWrite': 'write',
	'riskExecute': 'execute',
	'errorAuth': 'Authentication failed',
	'errorRateLimit': 'Rate limited',
	'errorNetwork': 'Network error',
	'errorServer': 'The provider failed',
	'errorNotFound': 'Not found',
	'errorConfig': 'Configuration problem',
	'errorGeneric': 'Error',
	'stepDone': 'Done:',
	'setupFirst': 'Finish step {0} above first: nothing was sent, and your message stays in the box.',
	'needKeyFirst': 'Set the API key of {0} first: nothing was sent, and your message stays in the box.',
	'needProviderFirst': 'Add a provider with a model first: nothing was sent, and your message stays in the box.',
	'conversation': 'Conversation',
	'waitingCalls': '{0} tool calls are waiting for approval.',
	'contextLabel': 'Context window',
	'contextUsed': 'Context {0}% full ({1} of {2} tokens)',
	'contextElided': '{0} old tool results shortened',
	'contextSummarized': 'Earlier messages summarized ({0})',
	'contextOmitted': 'Earlier messages left out ({0})',
	'changedFiles': 'Changed: {0}',
	'undoTurn': 'Undo this turn\'s changes',
	'turnUndone': 'Changes undone',
	'addContext': 'Add context',
	'addContextHint': 'Attach files, folders, the selection or the problems (type @)',
	'mentionList': 'Files, folders and context to attach',
	'mentionNone': 'No matching files',
	'mentionCount': '{0} matches; Up and Down to choose, Enter to attach',
	'mentionSearching': 'Searching…',
	'attachments': 'Attached context',
	'removeAttachment': 'Remove {0}',
	'openFile': 'Open {0}',
	'problems': 'Problems',
	'attachmentCut': 'Cut to fit: {0} characters left out; the model can read the rest',
	'attachmentFailed': 'Not attached: {0}',
	'notAttached': 'not attached',
	'cut': 'cut',
	'rules': 'Rules',
	'rulesLabel': 'Project rule files',
	'useRule': 'Use {0} in this chat',
	'ruleOn': 'On in this chat',
	'ruleOff': 'Off in this chat',
	'ruleRestricted': 'Off: the workspace is in Restricted Mode; switch it on to use it',
	'ruleCut': 'cut to fit: {0} characters left out',
	'attachImage': 'Attach image',
	'attachedImages': 'Attached images',
	'imageAlt': 'Image {0}: {1}',
	'removeImage': 'Remove image {0}',
	'pastedImage': 'pasted image',
	'imageType': '{0}: only PNG, JPEG, WebP or GIF images can be sent.',
	'imageTooLarge': '{0} is too large: images up to {1} MB can be attached.',
	'imageUnreadable': '{0} could not be read as an image.',
	'imageCount': 'At most {0} images can go with one message.',
	'imagesAttached': '{0} images attached.',
	'imageRemoved': 'Removed {0}.',
	'modelNoImages': '{0} reads no images: remove them or pick another model. Nothing was sent.',
	'cost': 'cost {0}',
	'chatTotal': 'Chat total: {0}',
	'unpricedTurns': 'turns without a price: {0}',
	'searchChats': 'Search chats',
	'searchCount': '{0} chats found',
	'noMatches': 'No chat matches.',
	'rename': 'Rename',
	'renameLabel': 'New name for {0}',
	'undo': 'Undo',
	'undoDelete': 'Undo deleting {0}',
	'chatDeleted': 'Deleted "{0}".',
} as const;

export type StringKey = keyof typeof english;

// The host also puts the translations in the page (meta switchboard-l10n), so labels made before 'init' are translated.
let overrides: Record<string, string> = initialOverrides();

function initialOverrides(): Record<string, string> {
	// Through globalThis: the host imports this file for the English table, without the DOM.
	const page = (globalThis as { document?: { querySelector(selector: string): { getAttribute(name: string): string | null } | null } }).document;
	const content = page?.querySelector('meta[name="switchboard-l10n"]')?.getAttribute('content');
	try {
		const parsed: unknown = content ? JSON.parse(content) : {};
		return parsed && typeof parsed === 'object' ? parsed as Record<string, string> : {};
	} catch {
		return {};
	}
}

export function setOverrides(strings: Record<string, string> | undefined): void {
	if (strings) overrides = strings;
}

/** The string for `key`, with {0}, {1}, … replaced by `args`. */
export function t(key: StringKey, ...args: Array<string | number>): string {
	const template = overrides[key] ?? english[key];
	return template.replace(/\{(\d+)\}/g, (match, index: string) => {
		const value = args[Number(index)];
		return value === undefined ? match : String(value);
	});
}

// Whole conversations in the real workbench: the Chat view's webview, the extension host and the scripted local
// model over HTTP. Nothing is stubbed between the prompt box and the model. Screenshots go to test-results/ui/.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { lastAnswer, lastToolResults, newChat, scriptedWorkbenchSuite, send, until } from './support.mjs';

describe('workbench: conversations with tool calls against the scripted model', function () {
	this.timeout(240000);
	const suite = scriptedWorkbenchSuite({ delayMs: 20, slowDelayMs: 300 });

	it('streams text, shows a read_file card, runs it on Approve and streams an answer quoting the file', async () => {
		const { chat, screenshot } = suite.workbench;
		await send(chat, 'What does src/greet.ts do?');
		const answer = lastAnswer(chat);
		await answer.getByText('Let me read src/greet.ts first.').waitFor({ timeout: 30000 });
		const card = chat.getByRole('group', { name: 'Tool call: read_file' });
		const approve = card.getByRole('button', { name: 'Approve' });
		await approve.waitFor({ timeout: 30000 });
		assert.match(await card.locator('.tool-summary').textContent(), /src\/greet\.ts/);
		assert.equal(await card.locator('.tool-state').textContent(), 'Awaiting approval');
		await screenshot('1-tool-awaiting-approval');
		// Nothing runs before the user says so: the model has been asked once.
		assert.equal(suite.model.chatRequests().length, 1);

		await approve.click();
		await until(async () => (await card.locator('.tool-state').textContent()) === 'Done', 'the card did not reach Done');
		assert.match(await card.locator('.section-result pre').textContent(), /export function greet/);
		await answer.getByText(/it defines greet/).waitFor({ timeout: 30000 });
		// The final answer quotes the file in a highlighted code block.
		assert.match(await answer.locator('pre code').first().textContent(), /return `Hello, \$\{name\}!`/);
		await until(async () => (await chat.getByRole('button', { name: 'Send' }).count()) === 1, 'the turn did not end (no Send button)');
		await screenshot('2-tool-done-final-answer');

		const results = lastToolResults(suite.model);
		assert.equal(results.length, 1);
		assert.match(results[0], /export function greet\(name: string\): string/);
		assert.equal(suite.model.chatRequests().length, 2);
	});

	it('sends the reason typed with Deny to the model, which acknowledges it', async () => {
		const { chat, screenshot } = suite.workbench;
		await newChat(chat);
		await send(chat, 'Please read notes.txt');
		const card = chat.getByRole('group', { name: 'Tool call: read_file' });
		await card.getByRole('button', { name: 'Deny' }).click({ timeout: 30000 });
		const reason = card.getByRole('textbox', { name: /Reason for denying/ });
		await reason.fill('Those notes are private');
		await screenshot('3-deny-with-reason');
		await card.getByRole('button', { name: 'Confirm deny' }).click();

		await until(async () => (await card.locator('.tool-state').textContent()) === 'Denied', 'the card did not reach Denied');
		await lastAnswer(chat).getByText('You said: "Those notes are private"', { exact: false }).waitFor({ timeout: 30000 });
		const results = lastToolResults(suite.model);
		assert.equal(results.length, 1);
		assert.match(results[0], /denied/i);
		assert.match(results[0], /Those notes are private/);
		await screenshot('4-denied-acknowledged');
	});

	it('shows two parallel calls with Approve all, runs both and answers with both results', async () => {
		const { chat, screenshot } = suite.workbench;
		await newChat(chat);
		await send(chat, 'Compare README.md and notes.txt');
		const cards = chat.getByRole('group', { name: 'Tool call: read_file' });
		const approveAll = chat.getByRole('button', { name: 'Approve all' });
		await approveAll.waitFor({ timeout: 30000 });
		await until(async () => (await cards.count()) === 2, 'two cards');
		await until(async () => (await cards.getByRole('button', { name: 'Approve' }).count()) === 2, 'both cards awaiting approval');
		await screenshot('5-parallel-awaiting');

		await approveAll.click();
		await until(async () => {
			const states = await cards.locator('.tool-state').allTextContents();
			return states.length === 2 && states.every((state) => state === 'Done');
		}, 'both cards did not reach Done');
		await lastAnswer(chat).getByText('I read 2 results. Here they are:').waitFor({ timeout: 30000 });
		const results = lastToolResults(suite.model);
		assert.equal(results.length, 2);
		assert.match(results.join('\n'), /# Sample workspace/);
		assert.match(results.join('\n'), /Meeting notes/);
		await screenshot('6-parallel-done');
	});

	it('stops a streaming answer: the partial text stays, marked interrupted, and the request is cancelled', async () => {
		const { chat, screenshot } = suite.workbench;
		await newChat(chat);
		await send(chat, 'slow story please');
		const answer = lastAnswer(chat);
		await answer.getByText(/one word at a time/).waitFor({ timeout: 30000 });
		await chat.getByRole('button', { name: 'Stop' }).click();
		await answer.getByText('Interrupted: partial answer').waitFor({ timeout: 15000 });
		assert.match(await answer.getAttribute('class'), /\binterrupted\b/);
		const partial = await answer.textContent();
		assert.match(partial, /streams slowly on purpose/);
		assert.doesNotMatch(partial, /ends normally now/);
		const request = suite.model.chatRequests().at(-1);
		await until(() => request.aborted, 'the scripted model never saw the request cancelled');
		// The panel is ready for the next prompt.
		await chat.getByRole('button', { name: 'Send' }).waitFor({ timeout: 10000 });
		await screenshot('7-stopped-interrupted');
	});
});

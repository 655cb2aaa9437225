// An edit as the user meets it in the real workbench: the scripted model proposes an edit_file call, the change
// opens in a diff editor before anything is written, Approve writes it, and "Undo this turn's changes" in the
// panel puts the file back. Screenshots go to test-results/ui/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import { lastAnswer, scriptedWorkbenchSuite, send, until } from './support.mjs';

describe('workbench: an edit shown as a diff, approved, then undone from the panel', function () {
	this.timeout(240000);
	const suite = scriptedWorkbenchSuite({ delayMs: 20 });

	it('opens the diff before approval, writes on Approve, and restores the file on Undo this turn\'s changes', async () => {
		const { chat, page, screenshot } = suite.workbench;
		const file = path.join(suite.workbench.workspace, 'src', 'greet.ts');
		const original = fs.readFileSync(file, 'utf8');
		await send(chat, 'Please replace `Hello` with `Welcome` in src/greet.ts');
		const card = chat.getByRole('group', { name: 'Tool call: edit_file' });
		const approve = card.getByRole('button', { name: 'Approve' });
		await approve.waitFor({ timeout: 30000 });
		const diffTab = page.getByRole('tab', { name: /Switchboard: proposed change to src\/greet\.ts/ });
		await diffTab.waitFor({ timeout: 30000 });
		// The proposed side of the diff shows the new line.
		await page.locator('.monaco-diff-editor .modified .view-lines', { hasText: 'Welcome, ' }).waitFor({ timeout: 30000 });
		await screenshot('edit-1-diff-awaiting-approval');
		assert.equal(fs.readFileSync(file, 'utf8'), original, 'nothing is written before Approve');

		await approve.click();
		await until(async () => (await card.locator('.tool-state').textContent()) === 'Done', 'the edit card did not reach Done');
		await until(() => fs.readFileSync(file, 'utf8').includes('`Welcome, ${name}!`'), 'the edit was not saved to disk');
		await until(async () => (await diffTab.count()) === 0, 'the diff editor stayed open after Approve');
		const row = lastAnswer(chat).locator('.turn-changes');
		await row.getByText('Changed: greet.ts').waitFor({ timeout: 30000 });
		await chat.getByRole('button', { name: 'Send' }).waitFor({ timeout: 30000 });
		await screenshot('edit-2-approved-changed-row');

		await row.getByRole('button', { name: 'Undo this turn\'s changes' }).click();
		await until(() => fs.readFileSync(file, 'utf8') === original, 'Undo did not restore the file on disk');
		await row.getByText('Changes undone').waitFor({ timeout: 30000 });
		await screenshot('edit-3-undone');
	});
});

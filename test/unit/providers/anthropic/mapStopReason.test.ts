import * as assert from 'node:assert/strict';
import { mapStopReason } from '../../../../src/providers/anthropic/mapStopReason';

describe('mapStopReason', () => {
	it('maps the documented stop reasons', () => {
		assert.deepEqual(mapStopReason('end_turn', false), { reason: 'stop' });
		assert.deepEqual(mapStopReason('stop_sequence', false), { reason: 'stop' });
		assert.deepEqual(mapStopReason('tool_use', true), { reason: 'tool_calls' });
		assert.deepEqual(mapStopReason('max_tokens', true), { reason: 'length' });
		assert.deepEqual(mapStopReason('model_context_window_exceeded', false), { reason: 'length' });
		assert.deepEqual(mapStopReason('refusal', false), { reason: 'refusal' });
		assert.deepEqual(mapStopReason('refusal', true), { reason: 'refusal' }, 'a refusal never runs the message\'s calls');
		assert.deepEqual(mapStopReason('pause_turn', false), { reason: 'pause_turn' });
		assert.deepEqual(mapStopReason('pause_turn', true), { reason: 'tool_calls' });
	});

	it('finishes unknown reasons as stop with a warning, or tool_calls when calls exist', () => {
		for (const raw of ['something_new', null]) {
			const plain = mapStopReason(raw, false);
			assert.equal(plain.reason, 'stop');
			assert.ok(plain.warning);
			assert.equal(mapStopReason(raw, true).reason, 'tool_calls');
		}
	});

	it('still runs calls when a gateway says end_turn after tool_use blocks', () => {
		assert.deepEqual(mapStopReason('end_turn', true), { reason: 'tool_calls' });
	});
});

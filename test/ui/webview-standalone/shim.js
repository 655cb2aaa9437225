// Stands in for VS Code's webview API: records what the panel posts and what it persists.
(function () {
	let acquired = false;
	window.__posted = [];
	// VS Code keeps setState() across reloads of the webview; sessionStorage does the same for one tab.
	window.__savedState = JSON.parse(sessionStorage.getItem('vscodeState') ?? 'null') ?? undefined;
	window.__violations = [];
	window.acquireVsCodeApi = function () {
		// VS Code allows one call per page; so does the shim.
		if (acquired) throw new Error('acquireVsCodeApi called twice');
		acquired = true;
		return {
			postMessage: (message) => { window.__posted.push(JSON.parse(JSON.stringify(message))); },
			getState: () => window.__savedState,
			setState: (state) => {
				window.__savedState = JSON.parse(JSON.stringify(state));
				sessionStorage.setItem('vscodeState', JSON.stringify(state));
			},
		};
	};
	document.addEventListener('securitypolicyviolation', (event) => {
		window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
	});
})();

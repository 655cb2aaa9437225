// Requests to a provider never follow redirects: fetch keeps custom headers (x-api-key, a gateway's api-key) on
// a redirect to another host, so following one could hand the key to whoever the Location names. The 3xx comes
// back as an error response instead, whose message says to check the base URL.

export function withoutRedirects(base: typeof fetch): typeof fetch {
	return (input, init) => base(input, { ...init, redirect: 'manual' });
}

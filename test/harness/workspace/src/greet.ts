// TODO: greet in more languages.
export function greet(name: string): string {
	return `Hello, ${name}!`;
}

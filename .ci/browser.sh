#!/usr/bin/env bash
# browser.sh: the browser tests (issue 19). Installs Chromium (the Debian
# package chromium) with apt-get when no chromium, chromium-browser or
# google-chrome is on PATH and CHROMIUM is not set, then runs the chromedp
# tests of cmd/smesim with SMESIM_BROWSER_TEST=1, which makes a missing
# browser a failure rather than a skip:
#
#   TestServePageInBrowser: smesim serve's page: a built-in run at two
#     shock depths (more failures at the deeper one, every figure loaded,
#     the time from Run to the first figure logged), a bad upload's
#     FILE:LINE message, no request beyond the page's server;
#   TestReportsInBrowser: report.html of china-2020 and policy-mix opened
#     from the file: every image loaded, no request but the file itself.
#
# SMESIM_SCREENSHOTS=DIR keeps the pages' screenshots there.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

have_chromium() {
	if [[ -n ${CHROMIUM:-} ]]; then
		command -v "$CHROMIUM" >/dev/null
		return
	fi
	local c
	for c in chromium chromium-browser google-chrome google-chrome-stable; do
		command -v "$c" >/dev/null && return 0
	done
	return 1
}

if ! have_chromium; then
	if [[ -n ${CHROMIUM:-} ]]; then
		echo "browser: CHROMIUM=$CHROMIUM: not found" >&2
		exit 1
	fi
	if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
		echo "browser: no Chromium, and apt-get cannot install it here (needs root and Debian): install chromium or set CHROMIUM" >&2
		exit 1
	fi
	echo "browser: installing chromium with apt-get…"
	start=$SECONDS
	export DEBIAN_FRONTEND=noninteractive
	log=$(mktemp)
	if ! apt-get install -y chromium >"$log" 2>&1; then
		if ! { apt-get update && apt-get install -y chromium; } >>"$log" 2>&1; then
			tail -n 20 "$log" >&2
			rm -f "$log"
			echo "browser: could not install chromium with apt-get" >&2
			exit 1
		fi
	fi
	rm -f "$log"
	echo "browser: installed chromium in $((SECONDS - start)) s"
fi

SMESIM_BROWSER_TEST=1 go test ./cmd/smesim -run 'InBrowser$' -count=1 -v 2>&1 |
	grep -Ev '^=== (RUN|PAUSE|CONT)'

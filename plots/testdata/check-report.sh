#!/usr/bin/env bash
# check-report.sh REPORT.html — opens a report written by plots.WriteReport
# (or WriteSweepReport) in headless Chromium and checks that it renders as
# one self-contained page:
#
#  1. screenshot: Chromium renders the page at 1280×4000 into a PNG, which
#     must exist, be a PNG of that size and weigh more than 20 kB (a blank
#     page of that size compresses to a few kB);
#  2. images: a copy of the report, in an empty temporary directory (so
#     that any relative reference breaks), gets a small script that on
#     "load" counts the <img> elements and those with naturalWidth > 0 and
#     writes "IMAGES-LOADED k/n" into the DOM; Chromium's --dump-dom of it
#     must show k = n > 0;
#  3. requests: the page may request nothing at all. Three guards:
#     a. static: every src= is a data: URI, every href= an anchor (#…),
#        and the page holds no http:, https: or protocol-relative //
#        attribute, url(), @import, <link>, <script src>, <iframe>,
#        <object>, <embed> or <base> (an http: in plain text, say a URL
#        in a scenario's description, is allowed: it loads nothing);
#     b. dynamic, in the same copy: a Content-Security-Policy <meta> put
#        first in <head> (default-src 'none'; images only from data:;
#        inline styles; only the inline check script) blocks every other
#        load, and a securitypolicyviolation listener registered before
#        the body is parsed writes each blocked URI into the DOM; the dump
#        must show "VIOLATIONS 0";
#     c. the copy's Resource Timing entries (every fetch that reached the
#        loader: files, http, fonts; data: URIs are not listed) must be
#        "RESOURCES 0".
#     (a) names the offending text, (b) and (c) catch what the browser
#     would actually try to load, whatever the spelling.
#
# Chromium: $CHROMIUM if set, else chromium, chromium-browser,
# google-chrome or google-chrome-stable from PATH; if none is found and we
# are root on a system with apt-get (Debian), `apt-get install -y chromium`
# (with `apt-get update` first only if that fails). Exits 0 with
# "check-report: ok …", or 1 with "check-report: FAIL: …" on stderr.
set -euo pipefail

fail() {
	echo "check-report: FAIL: $*" >&2
	exit 1
}

[[ $# -eq 1 ]] || { echo "usage: $0 REPORT.html" >&2; exit 2; }
report=$1
[[ -f $report ]] || fail "$report: no such file"
[[ -s $report ]] || fail "$report: empty file"
report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")

find_chromium() {
	if [[ -n ${CHROMIUM:-} ]]; then
		command -v "$CHROMIUM" && return 0
		return 1
	fi
	local c
	for c in chromium chromium-browser google-chrome google-chrome-stable; do
		command -v "$c" && return 0
	done
	return 1
}

if ! chromium=$(find_chromium); then
	if [[ -n ${CHROMIUM:-} ]]; then
		fail "CHROMIUM=$CHROMIUM: not found"
	fi
	if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
		fail "chromium not found, and cannot install it (needs root and apt-get): install chromium or set CHROMIUM=/path/to/chrome"
	fi
	echo "check-report: installing chromium with apt-get…"
	start=$SECONDS
	export DEBIAN_FRONTEND=noninteractive
	log=$(mktemp)
	if ! apt-get install -y chromium >"$log" 2>&1; then
		echo "check-report: apt-get install failed; running apt-get update first"
		if ! { apt-get update && apt-get install -y chromium; } >>"$log" 2>&1; then
			tail -n 20 "$log" >&2
			rm -f "$log"
			fail "could not install chromium with apt-get"
		fi
	fi
	rm -f "$log"
	chromium=$(find_chromium) || fail "apt-get installed chromium but no chromium is on PATH"
	echo "check-report: installed chromium in $((SECONDS - start)) s"
fi
echo "check-report: using $chromium ($("$chromium" --version 2>/dev/null | head -n 1))"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# chrome runs headless Chromium with a throw-away profile; as root it needs
# --no-sandbox, and small /dev/shm in containers needs --disable-dev-shm-usage.
chrome() {
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--no-first-run --no-default-browser-check --disable-extensions --disable-background-networking \
		--disable-component-update --disable-sync --metrics-recording-only --mute-audio \
		--user-data-dir="$work/profile" "$@"
}

# 3a. Static guard on the report's own text.
static_bad=()
check_absent() { # description, extended regex
	local hits
	# -o: print the match only (context patterns are slow on long base64 lines).
	if hits=$(grep -Eion -- "$2" "$report" | head -n 3 | cut -c1-200) && [[ -n $hits ]]; then
		static_bad+=("$1: $hits")
	fi
}
check_absent "http(s) or protocol-relative URL in an attribute" '(src|href|srcset|action|data|poster|background)[[:space:]]*=[[:space:]]*["'"'"']?(https?:|//)'
check_absent "src that is not a data: URI" 'src[[:space:]]*=[[:space:]]*["'"'"']?[^"'"'"'d]|src[[:space:]]*=[[:space:]]*["'"'"']?d[^a]'
check_absent "href to another file" 'href[[:space:]]*=[[:space:]]*["'"'"']?[^"'"'"'#]'
check_absent "CSS url()" 'url[[:space:]]*\('
check_absent "CSS @import" '@import'
check_absent "external element" '<(link|iframe|object|embed|base)[[:space:][:punct:]]|<script[^>]*src'
if ((${#static_bad[@]} > 0)); then
	printf '  %s\n' "${static_bad[@]}" >&2
	fail "$report references something outside itself (above)"
fi
echo "check-report: static check ok (no external references)"

# 1. Screenshot.
shot=$work/screenshot.png
chrome --screenshot="$shot" --window-size=1280,4000 --hide-scrollbars "file://$report" >"$work/shot.log" 2>&1 ||
	{ tail -n 20 "$work/shot.log" >&2; fail "chromium --screenshot failed"; }
[[ -s $shot ]] || { tail -n 20 "$work/shot.log" >&2; fail "no screenshot written"; }
sig=$(od -An -tx1 -N8 "$shot" | tr -d ' \n')
[[ $sig == 89504e470d0a1a0a ]] || fail "screenshot is not a PNG (signature $sig)"
width=$((16#$(od -An -tx1 -j16 -N4 "$shot" | tr -d ' \n')))
height=$((16#$(od -An -tx1 -j20 -N4 "$shot" | tr -d ' \n')))
bytes=$(wc -c <"$shot")
((width > 0 && height > 0)) || fail "screenshot has no pixels (${width}×${height})"
((bytes > 20000)) || fail "screenshot ${width}×${height} is only $bytes bytes: the page looks blank"
if [[ -n ${CHECK_REPORT_KEEP:-} ]]; then
	cp "$shot" "$CHECK_REPORT_KEEP"
	echo "check-report: screenshot kept at $CHECK_REPORT_KEEP"
fi
echo "check-report: screenshot ok (${width}×${height}, $bytes bytes)"

# 2 and 3b–c. Instrumented copy in an empty directory.
head_inject='<meta http-equiv="Content-Security-Policy" content="default-src '"'"'none'"'"'; img-src data:; style-src '"'"'unsafe-inline'"'"'; script-src '"'"'unsafe-inline'"'"'">
<script>
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) { window.__violations.push(e.blockedURI + " (" + e.violatedDirective + ")"); });
window.addEventListener("load", function () {
  setTimeout(function () {
    var imgs = document.images, ok = 0;
    for (var i = 0; i < imgs.length; i++) { if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++; }
    var res = performance.getEntriesByType("resource").map(function (r) { return r.name; });
    var out = document.createElement("pre");
    out.id = "check-report-result";
    // The markers are split so that this script, dumped with the DOM, does not match them.
    out.textContent = "IMAGES-" + "LOADED " + ok + "/" + imgs.length + "\nVIOL" + "ATIONS " + window.__violations.length +
      (window.__violations.length ? " " + window.__violations.join(" ") : "") +
      "\nRESOU" + "RCES " + res.length + (res.length ? " " + res.join(" ") : "") + "\nCHECK-" + "DONE";
    document.body.appendChild(out);
  }, 0);
});
</script>'
copy=$work/copy/report.html
mkdir -p "$work/copy"
# Put the CSP and the script right after <head …>, or first when there is
# no <head> (the HTML parser then opens one around them).
if grep -qiE '<head([[:space:]][^>]*)?>' "$report"; then
	INJECT=$head_inject awk '
		!done && match(tolower($0), /<head([ \t][^>]*)?>/) {
			print substr($0, 1, RSTART + RLENGTH - 1); print ENVIRON["INJECT"]; print substr($0, RSTART + RLENGTH); done = 1; next
		}
		{ print }' "$report" >"$copy"
else
	{ printf '%s\n' "$head_inject"; cat "$report"; } >"$copy"
fi
grep -q 'check-report-result' "$copy" || fail "could not instrument a copy of the report"

dump=$work/dump.html
chrome --virtual-time-budget=10000 --dump-dom "file://$copy" >"$dump" 2>"$work/dump.log" ||
	{ tail -n 20 "$work/dump.log" >&2; fail "chromium --dump-dom failed"; }
grep -q 'CHECK-DONE' "$dump" || { tail -n 20 "$work/dump.log" >&2; fail "the page's load event never ran (no result in the dumped DOM)"; }
line=$(grep -o 'IMAGES-LOADED [0-9]*/[0-9]*' "$dump" | head -n 1)
loaded=${line#IMAGES-LOADED }
k=${loaded%/*}
n=${loaded#*/}
((n > 0)) || fail "the report has no images"
((k == n)) || fail "only $k of $n images loaded"
viol=$(grep -o 'VIOLATIONS [0-9]*.*' "$dump" | head -n 1)
[[ $viol == "VIOLATIONS 0" ]] || fail "the page tried to load something outside itself: $viol"
res=$(grep -o 'RESOURCES [0-9]*.*' "$dump" | head -n 1)
[[ $res == "RESOURCES 0" ]] || fail "the page fetched resources: $res"
echo "check-report: images ok ($k/$n loaded), no requests (0 blocked, 0 fetched)"
echo "check-report: ok $report"

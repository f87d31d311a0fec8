#!/bin/sh
# The timeline page in headless Chromium: load it with "#click=N", let its
# script click step N, dump the DOM and check that exactly that step's block
# is highlighted and its states are shown. Skips (77) without chromium.
set -e
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
	echo "SKIP: $CHROMIUM not found (install the Debian package chromium)"
	exit 77
fi
srcdir=${srcdir:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sed -n '/^-- asm$/,/^-- /p' "$srcdir/tests/fixtures/if_else.t" | sed '1d;$d' > "$tmp/if_else.s"
./bpfdf cfg --trace-html "$tmp/page.html" -a regs "$tmp/if_else.s"

fail=0
for n in 2 4 6; do
	# the block the page says step n belongs to
	block=$(grep -o "<li id=\"step$n\" [^>]*" "$tmp/page.html" | sed 's/.*data-block="\([0-9]*\)".*/\1/')
	[ -n "$block" ] || { echo "FAIL: step $n has no block"; exit 1; }
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --disable-sync \
		--no-first-run --user-data-dir="$tmp/profile" \
		--dump-dom "file://$tmp/page.html#click=$n" > "$tmp/dom.html" 2> "$tmp/chromium.log" || {
		echo "FAIL: chromium failed:"; tail -5 "$tmp/chromium.log"; exit 1; }
	hl=$(grep -o '<g id="b[0-9]*" class="node hl">' "$tmp/dom.html" | sed 's/<g id="b\([0-9]*\)".*/\1/')
	if [ "$hl" != "$block" ]; then
		echo "FAIL: step $n: highlighted block '$hl', expected '$block'"
		fail=1
	fi
	grep -q "<li id=\"step$n\" [^>]*class=\"ev-[a-z]* cur\"" "$tmp/dom.html" || {
		echo "FAIL: step $n is not marked current"; fail=1; }
	grep -q "<div id=\"panel\"><b>step $n</b>" "$tmp/dom.html" || {
		echo "FAIL: step $n: its states are not shown"; fail=1; }
	[ $fail -eq 0 ] && echo "ok: step $n highlights block b$block"
done
exit $fail

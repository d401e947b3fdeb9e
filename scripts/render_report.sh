#!/usr/bin/env bash
# Renders the demo ledger's 调度通报 as HTML, then looks at it the way people will: a screenshot (PNG)
# and an A4 PDF from headless Chromium. Not part of the test suite (CI has no browser).
# Usage: scripts/render_report.sh [OUT_DIR] [AS_OF] [WIDTHxHEIGHT]
# Needs: chromium and a CJK font (Debian: apt-get install -y chromium fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/report}
as_of=${2:-2023-08-31}
size=${3:-820x5200}
ledger=${LEDGER:-.venv/bin/ledger}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome) ||
  { echo "找不到 chromium；Debian 上：apt-get install -y chromium fonts-noto-cjk" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
"$ledger" --root examples/demo report --as-of "$as_of" --format html -o "$out/report.html"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
       --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$profile")
"$browser" "${flags[@]}" --window-size="${size/x/,}" --screenshot="$out/report.png" "file://$out/report.html" 2>/dev/null
"$browser" "${flags[@]}" --window-size=820,1040 --screenshot="$out/report-top.png" "file://$out/report.html" 2>/dev/null
"$browser" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out/report.pdf" "file://$out/report.html" 2>/dev/null

echo "CJK font: $(fc-match 'Noto Sans CJK SC' 2>/dev/null || echo '?')"
echo "PDF pages: $(grep -ac '/Type /Page$' "$out/report.pdf" || true)"
ls -l "$out"/report.*

#!/usr/bin/env bash
# Looks at the demo ledger's 报送表 (县水利局) and Word bulletin the way offices will: LibreOffice (headless)
# prints each to PDF, pdftoppm turns the first page into a PNG (the README's docs/form.png and docs/report-docx.png).
# Not part of the test suite (tests/test_office_documents.py checks the same conversions).
# Usage: scripts/render_forms.sh [OUT_DIR] [AS_OF]
# Needs: LibreOffice, poppler-utils and a CJK font (Debian: apt-get install -y libreoffice-calc-nogui
# libreoffice-writer-nogui poppler-utils fonts-noto-cjk). scripts/fonts.conf maps 宋体、仿宋、黑体 to Noto CJK.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/forms}
as_of=${2:-2023-08-31}
ledger=${LEDGER:-.venv/bin/ledger}
command -v soffice >/dev/null && command -v pdftoppm >/dev/null ||
  { echo "找不到 soffice 或 pdftoppm；Debian 上：apt-get install -y libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils fonts-noto-cjk" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
"$ledger" --root examples/demo form --unit 县水利局 --as-of "$as_of" -o "$out/form.xlsx"
"$ledger" --root examples/demo report --as-of "$as_of" -o "$out/report.docx"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
export FONTCONFIG_FILE="$PWD/scripts/fonts.conf"
for file in form.xlsx report.docx; do
  soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$out" "$out/$file" >/dev/null
done
pdftoppm -png -r 110 -f 1 -l 1 -singlefile -x 70 -y 100 -W 1150 -H 375 "$out/form.pdf" "$out/form"  # the sheet, not the blank page
pdftoppm -png -r 100 -f 1 -l 1 -singlefile "$out/report.pdf" "$out/report-docx"
echo "PDF pages: form $(pdfinfo "$out/form.pdf" | awk '/^Pages:/ {print $2}'), report $(pdfinfo "$out/report.pdf" | awk '/^Pages:/ {print $2}')"
ls -l "$out"/*.png

#!/usr/bin/env bash
# Runs every test. Installs what the tests need and a fresh Debian machine lacks (Chromium for the
# browser tests, tesseract and pdftoppm for the OCR path, LibreOffice for Word 97-2003 and RTF files), then prints
# "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr tesseract-ocr-eng)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

results="$(mktemp -d)"
status=0
dotnet test Concordat.slnx --logger "trx" --results-directory "$results" "$@" || status=$?

# Sum the counters of every project's TRX file into the one line CI reads.
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
rm -rf "$results"
echo "$passed passed, $failed failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then echo "No test ran"; exit 1; fi
exit $status

#!/usr/bin/env bash
# Runs every test, on SQLite and then on PostgreSQL. Installs what the tests need and a fresh Debian machine lacks
# (Chromium for the browser tests, tesseract and pdftoppm for the OCR path, LibreOffice for Word 97-2003 and RTF files,
# PostgreSQL, and s3rver from npm for the object store), starts a throwaway PostgreSQL on loopback unless CONCORDAT_TEST_POSTGRES names a server, then prints
# "N passed, N failed" over both runs.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr tesseract-ocr-eng)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
if [ -z "${CONCORDAT_TEST_POSTGRES:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then missing+=(postgresql); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# s3rver, the S3-compatible server the object store's tests start on loopback.
[ -f tests/s3rver/node_modules/s3rver/bin/s3rver.js ] || npm ci --prefix tests/s3rver --no-audit --no-fund >/dev/null

# A throwaway PostgreSQL cluster on a free loopback port, removed when the tests end. The server refuses to run as root,
# so it runs as the postgres user when we are root.
if [ -z "${CONCORDAT_TEST_POSTGRES:-}" ]; then
  bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
  pgdir="$(mktemp -d)"
  as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else bash -c "$1"; fi; }
  trap 'as_pg "$bin/pg_ctl -D $pgdir/data -m fast -w stop" >/dev/null 2>&1; rm -rf "$pgdir"' EXIT
  port=55432; while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pgdir"
  chmod 700 "$pgdir"
  as_pg "$bin/initdb -D $pgdir/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
  as_pg "$bin/pg_ctl -D $pgdir/data -l $pgdir/log -w -o '-p $port -h 127.0.0.1 -k $pgdir -c fsync=off -c max_connections=300' start" >/dev/null
  export CONCORDAT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres"
fi

results="$(mktemp -d)"
status=0
echo "== The tests on SQLite"
CONCORDAT_TEST_DATABASE=sqlite dotnet test Concordat.slnx --logger "trx" --results-directory "$results/sqlite" "$@" || status=$?
echo "== The tests on PostgreSQL"
CONCORDAT_TEST_DATABASE=postgres dotnet test Concordat.slnx --no-build --logger "trx" --results-directory "$results/postgres" "$@" || status=$?

# Sum the counters of every project's TRX file into the one line CI reads.
passed=0; failed=0
for trx in "$results"/*/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1 || true) # a crashed test host may have written none
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
rm -rf "$results"
echo "$passed passed, $failed failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then echo "No test ran"; exit 1; fi
exit $status

#!/usr/bin/env bash
# Builds every function zip twice from a clean tree and fails if any byte differs.
set -euo pipefail
cd "$(dirname "$0")/.."
first=$(mktemp)
make -s package >/dev/null
sha256sum services/*/target/*-function*.zip > "$first"
make -s clean >/dev/null
make -s package >/dev/null
if sha256sum --check --quiet "$first"; then
  echo "reproducible: $(wc -l < "$first") function zip(s), identical bytes on rebuild"
else
  echo "NOT reproducible: the zips above changed between two clean builds" >&2
  exit 1
fi

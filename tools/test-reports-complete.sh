#!/usr/bin/env bash
# Fails when a compiled test class has no Surefire report. Surefire still ends in BUILD SUCCESS when
# it cannot write a report (a full disk: "ForkStarter IOException"), and the classes after it in
# that fork then go unreported, so `mvn verify` alone can pass without having run them.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=0
while IFS= read -r classes; do
  module=${classes%/target/test-classes}
  while IFS= read -r class; do
    if [ ! -f "$module/target/surefire-reports/TEST-$class.xml" ]; then
      echo "no test report for $class in $module (did Surefire fail to write it? check the disk)" >&2
      missing=$((missing + 1))
    fi
  done < <(cd "$classes" && find . -name '*Test.class' ! -name '*$*' | sed 's|^\./||; s|\.class$||; s|/|.|g' | sort)
done < <(find . -path ./node_modules -prune -o -type d -name test-classes -path '*/target/test-classes' -print | sort)
if [ "$missing" -gt 0 ]; then
  echo "$missing test class(es) without a report: the test run is incomplete" >&2
  exit 1
fi

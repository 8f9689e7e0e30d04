#!/usr/bin/env bash
# Prints the path of a JDK >= 21 to use as JAVA_HOME, or explains what to install.
# Order: $JAVA_HOME if it is new enough, then well-known install locations, then `java` on PATH.
set -euo pipefail
min=21

major_of() {
  local java="$1/bin/java"
  [ -x "$java" ] || return 1
  "$java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' \
    | sed 's/^1\.//'
}

ok() {
  local v
  v=$(major_of "$1" 2>/dev/null) || return 1
  [ -n "$v" ] && [ "$v" -ge "$min" ] && [ -x "$1/bin/javac" ]
}

candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
         /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64 \
         /usr/lib/jvm/*; do
  [ -d "$d" ] && candidates+=("$d")
done
if command -v java >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
fi
for d in /Library/Java/JavaVirtualMachines/*/Contents/Home; do
  [ -d "$d" ] && candidates+=("$d")
done

for c in "${candidates[@]}"; do
  if ok "$c"; then echo "$c"; exit 0; fi
done

cat >&2 <<MSG
error: no JDK ${min} or newer found (checked JAVA_HOME, /usr/lib/jvm/*, java on PATH).
Install one, for example:
  Debian/Ubuntu:  apt-get install openjdk-21-jdk   (or Temurin 21/25)
  macOS:          brew install --cask temurin@21
then re-run make, or point JAVA_HOME at it.
MSG
exit 1

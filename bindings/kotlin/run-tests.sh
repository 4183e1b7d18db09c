#!/usr/bin/env bash
# Kotlin/JVM tests of nhantin: compiles the generated bindings and the JUnit 5 tests with Maven
# and runs them against the already-built library and the emulator binary.
#
#   LIB_DIR      folder holding libnhantin.so   (default target/release)
#   NHANTIN_BIN  the nhantin CLI (runs the emulator) (default target/debug/nhantin)
#
# Relative paths are taken from the repository root, which is also where the project's test
# command (scripts/test-all) calls this from. The first run downloads the Maven plugins and
# dependencies from Maven Central into ~/.m2. Maven runs quietly (-q), which also hides
# Surefire's result lines, so the summary below is computed from target/surefire-reports and
# its last line is Surefire's: "Tests run: N, Failures: F, Errors: E, Skipped: S".
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

abs() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$root/$1" ;; esac; }
lib_dir=$(abs "${LIB_DIR:-target/release}")
bin=$(abs "${NHANTIN_BIN:-target/debug/nhantin}")

if [ ! -f "$lib_dir/libnhantin.so" ] && [ ! -f "$lib_dir/libnhantin.dylib" ]; then
  echo "kotlin: no libnhantin in $lib_dir; build it with 'cargo build --release -p nhantin' or set LIB_DIR" >&2
  exit 1
fi
if [ ! -x "$bin" ]; then
  echo "kotlin: $bin is not an executable; build it with 'cargo build -p nhantin-cli' or set NHANTIN_BIN" >&2
  exit 1
fi

# A fresh Debian/Ubuntu machine: JDK 17 and Maven from apt (Kotlin itself comes from Maven Central).
if ! command -v mvn >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    echo "kotlin: installing openjdk-17-jdk-headless and maven with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
  else
    echo "kotlin: needs a JDK (17+) and Maven 3.8+ on PATH" >&2
    exit 1
  fi
fi

# The emulator listens on 127.0.0.1; never send that traffic to a proxy from the environment.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"

reports="$here/target/surefire-reports"
rm -rf "$reports"

status=0
# Maven 3.8 prints stray ANSI resets even in batch mode; strip them from the log.
(cd "$here" && mvn -B -q -Dstyle.color=never test -Dnhantin.lib.dir="$lib_dir" -Dnhantin.bin="$bin") 2>&1 \
  | sed -u -e 's/\x1b\[[0-9;]*m//g' || status=$?

shopt -s nullglob
files=("$reports"/TEST-*.xml)
if [ ${#files[@]} -eq 0 ]; then
  echo "kotlin: Maven failed before any test ran (exit $status); see the errors above" >&2
  exit $(( status == 0 ? 1 : status ))
fi

attr() { grep -o " $1=\"[0-9]*\"" <<<"$2" | head -1 | grep -o '[0-9]*'; }
unescape() { sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'; }
total=0 failures=0 errors=0 skipped=0
echo
for f in "${files[@]}"; do
  suite=$(grep -m1 -o '<testsuite [^>]*>' "$f")
  name=$(grep -o ' name="[^"]*"' <<<"$suite" | head -1 | sed -E 's/ name="(.*)"/\1/')
  t=$(attr tests "$suite") fl=$(attr failures "$suite") e=$(attr errors "$suite") s=$(attr skipped "$suite")
  printf 'kotlin: %-28s %3d run, %d failed, %d errors, %d skipped\n' "${name#vn.nhantin.}" "$t" "$fl" "$e" "$s"
  total=$((total + t)) failures=$((failures + fl)) errors=$((errors + e)) skipped=$((skipped + s))
done
# Why each skipped test was skipped: the message attribute, or the first line of the CDATA.
for f in "${files[@]}"; do
  grep -h '<skipped' "$f" \
    | sed -E -e 's/.*<skipped message="([^"]*)".*/\1/' -e 's/.*<!\[CDATA\[([A-Za-z0-9_.]*Exception: )?//' -e 's/\]\]>.*//' \
    | unescape | sed 's/^/  skipped: /' || true
done
echo "Tests run: $total, Failures: $failures, Errors: $errors, Skipped: $skipped"

if [ "$status" -ne 0 ] || [ "$failures" -ne 0 ] || [ "$errors" -ne 0 ]; then
  exit $(( status == 0 ? 1 : status ))
fi

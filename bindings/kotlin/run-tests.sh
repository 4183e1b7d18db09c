#!/usr/bin/env bash
# Kotlin/JVM tests of nhantin: compiles the generated bindings, the hand-written support code and
# the JUnit 5 tests with Maven, bundles the native libraries into the jar, runs the tests against
# the emulator binary, installs the jar into ~/.m2 and builds and runs consumer-test/ (an
# application that depends on that jar alone) as one more test.
#
#   LIB_DIR           folder holding libnhantin.so for this machine (default target/release; required)
#   NHANTIN_BIN       the nhantin CLI (runs the emulator) (default target/debug/nhantin)
#   LIB_LINUX_AARCH64 bundled as linux-aarch64/libnhantin.so when it exists
#                     (default target/aarch64-unknown-linux-gnu/release/libnhantin.so)
#   LIB_WIN32_X86_64  bundled as win32-x86-64/nhantin.dll when it exists
#                     (default target/windows-stage/bin/nhantin.dll)
#
# A library for another platform is bundled only if the bindings generated from it equal the
# committed ones (a stale build would fail its checksums on that platform); it cannot be run here.
#
# Relative paths are taken from the repository root, which is also where the project's test
# command (scripts/test-all) calls this from. The first run downloads the Maven plugins and
# dependencies from Maven Central into ~/.m2. Maven runs quietly (-q), which also hides
# Surefire's result lines, so the summary below is computed from target/surefire-reports (plus
# the consumer's one result) and its last line is Surefire's: "Tests run: N, Failures: F, Errors: E, Skipped: S".
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

started=$SECONDS
timings=()
lap() { timings+=("$1 $((SECONDS - started)) s"); started=$SECONDS; }

# ---- the native libraries the jar carries, under JNA's resource paths ----
natives="$here/target/natives"
rm -rf "$natives"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) host_platform=linux-x86-64 ;;
  Linux-aarch64) host_platform=linux-aarch64 ;;
  *) echo "kotlin: the jar's natives are staged for Linux x86-64 and aarch64 hosts only, not $(uname -sm)" >&2; exit 1 ;;
esac
if [ ! -f "$lib_dir/libnhantin.so" ]; then
  echo "kotlin: no libnhantin.so in $lib_dir" >&2
  exit 1
fi
mkdir -p "$natives/$host_platform"
cp "$lib_dir/libnhantin.so" "$natives/$host_platform/libnhantin.so"
lib_sha256=$(sha256sum "$natives/$host_platform/libnhantin.so" | cut -d' ' -f1)
bundled=("$host_platform/libnhantin.so (LIB_DIR, tested here)")

# A foreign build goes in only if UniFFI reads the same interface out of it (library mode, as
# `cargo gen` does) as the committed Kotlin: same functions, same checksums.
same_interface() {
  local out
  out=$(mktemp -d)
  if ! cargo run --quiet --bin uniffi-bindgen -- generate --library "$1" --language kotlin \
      --config uniffi.toml --no-format --out-dir "$out" >"$out/log" 2>&1; then
    echo "kotlin: could not read the UniFFI interface of $1 (last lines):" >&2
    grep -v '^ *\(at \|[0-9]*: \)' "$out/log" | tail -5 >&2
    rm -rf "$out"
    return 2
  fi
  cmp -s "$out/vn/nhantin/nhantin.kt" "$here/src/main/kotlin/vn/nhantin/nhantin.kt"
  local same=$?
  rm -rf "$out"
  return $same
}
not_bundled=()
stage_foreign() { # platform file-name path
  local platform=$1 name=$2 path=$3 verdict=0
  [ "$platform" = "$host_platform" ] && return 0
  if [ ! -f "$path" ]; then
    not_bundled+=("$platform/$name (no build at ${path#"$root"/})")
    return 0
  fi
  same_interface "$path" || verdict=$?
  if [ "$verdict" -ne 0 ]; then
    local why="stale: its interface differs from the committed bindings"
    [ "$verdict" -eq 2 ] && why="its interface could not be read"
    echo "kotlin: NOT bundling ${path#"$root"/}: $why" >&2
    not_bundled+=("$platform/$name (${path#"$root"/}: $why)")
    return 0
  fi
  mkdir -p "$natives/$platform"
  cp "$path" "$natives/$platform/$name"
  bundled+=("$platform/$name (${path#"$root"/}, interface checked, not run here)")
}
stage_foreign linux-aarch64 libnhantin.so "$(abs "${LIB_LINUX_AARCH64:-target/aarch64-unknown-linux-gnu/release/libnhantin.so}")"
stage_foreign win32-x86-64 nhantin.dll "$(abs "${LIB_WIN32_X86_64:-target/windows-stage/bin/nhantin.dll}")"
lap "staging natives:"

reports="$here/target/surefire-reports"
rm -rf "$reports" "$here"/target/nhantin-*.jar

status=0
# install: compile, test, package (with the natives), install into ~/.m2 for consumer-test/.
# Test failures do not stop it (they are counted below), so the consumer still runs.
# Maven 3.8 prints stray ANSI resets even in batch mode; strip them from the log.
(cd "$here" && mvn -B -q -Dstyle.color=never install -Dmaven.test.failure.ignore=true \
    -Dnhantin.natives.dir="$natives" -Dnhantin.lib.dir="$lib_dir" -Dnhantin.lib.sha256="$lib_sha256" \
    -Dnhantin.bin="$bin") 2>&1 \
  | sed -u -e 's/\x1b\[[0-9;]*m//g' || status=$?
lap "mvn install (compile, tests, jar):"

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
  printf 'kotlin: %-32s %3d run, %d failed, %d errors, %d skipped\n' "${name#vn.nhantin.}" "$t" "$fl" "$e" "$s"
  total=$((total + t)) failures=$((failures + fl)) errors=$((errors + e)) skipped=$((skipped + s))
done
# Why each skipped test was skipped: the message attribute, or the first line of the CDATA.
for f in "${files[@]}"; do
  grep -h '<skipped' "$f" \
    | sed -E -e 's/.*<skipped message="([^"]*)".*/\1/' -e 's/.*<!\[CDATA\[([A-Za-z0-9_.]*Exception: )?//' -e 's/\]\]>.*//' \
    | unescape | sed 's/^/  skipped: /' || true
done

# ---- the jar: which natives it carries ----
jar="$here/target/nhantin-$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$here/pom.xml" | head -1).jar"
if [ -f "$jar" ]; then
  echo "kotlin: ${jar#"$root"/} carries:"
  unzip -l "$jar" | awk '$4 ~ /^(linux|win32|darwin)-[^/]*\/[^/]+$/ {printf "  %-32s %10d bytes\n", $4, $1}'
  for b in "${bundled[@]}"; do echo "  bundled: $b"; done
  for n in "${not_bundled[@]}"; do echo "  not bundled: $n"; done
fi

# ---- consumer-test/: an application with only the installed jar (one more test) ----
# It checks that the jar it runs with is this one (same SHA-256), not an older install.
total=$((total + 1))
if [ -f "$jar" ] && [ "$status" -eq 0 ]; then
  jar_sha256=$(sha256sum "$jar" | cut -d' ' -f1)
  (cd "$here/consumer-test" && mvn -B -q -Dstyle.color=never package exec:exec -Dnhantin.bin="$bin" \
      -Dnhantin.jar.sha256="$jar_sha256") 2>&1 \
    | sed -u -e 's/\x1b\[[0-9;]*m//g' | tee "$here/target/consumer.log" || true
else
  echo "consumer: FAIL the jar was not built and installed (Maven exit $status)" | tee "$here/target/consumer.log"
fi
if grep -q '^consumer: PASS' "$here/target/consumer.log"; then
  printf 'kotlin: %-32s %3d run, %d failed, %d errors, %d skipped\n' consumer-test 1 0 0 0
else
  failures=$((failures + 1))
  printf 'kotlin: %-32s %3d run, %d failed, %d errors, %d skipped\n' consumer-test 1 1 0 0
fi
lap "consumer-test:"
printf 'kotlin: time %s\n' "${timings[@]}"
echo "Tests run: $total, Failures: $failures, Errors: $errors, Skipped: $skipped"

if [ "$status" -ne 0 ] || [ "$failures" -ne 0 ] || [ "$errors" -ne 0 ]; then
  exit $(( status == 0 ? 1 : status ))
fi

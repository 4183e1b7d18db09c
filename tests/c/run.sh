#!/usr/bin/env bash
# nhantin's C and C++ tests: the single entry point (see tests/c/README.md).
#
#   tests/c/run.sh            from the repository root (or anywhere: it finds the root itself)
#
# Environment:
#   LIB_DIR       where cargo put the release library (default target/release)
#   NHANTIN_BIN   the nhantin CLI, for `nhantin emulator` (default target/debug/nhantin)
#
# Steps: install missing tools (Debian, as root), stage the library with scripts/install-c,
# compile every program with warnings as errors against the staged (= committed) header, run
# them (shared library, static library, ASan+UBSan), run the C and C++ suites again under
# valgrind, and print `c: N passed, M failed`. Exit status 0 only when nothing failed.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
ROOT=$PWD
LIB_DIR=${LIB_DIR:-target/release}
NHANTIN_BIN=${NHANTIN_BIN:-target/debug/nhantin}
case $LIB_DIR in /*) ;; *) LIB_DIR=$ROOT/$LIB_DIR ;; esac
case $NHANTIN_BIN in /*) ;; *) NHANTIN_BIN=$ROOT/$NHANTIN_BIN ;; esac

SRC=$ROOT/tests/c
STAGE=$ROOT/target/c-stage
BUILD=$ROOT/target/c-build
LOGS=$BUILD/logs

PASSED=0
FAILED=0
SUMMARY=()
T0=$(date +%s.%N)

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# One run-level check (a build, an ELF property, valgrind's verdict, the emulator's exit).
record() { # record OK|FAIL "name" ["detail"]
    if [[ $1 == OK ]]; then
        PASSED=$((PASSED + 1))
        printf '  ok   %s\n' "$2"
    else
        FAILED=$((FAILED + 1))
        printf '  FAIL %s%s\n' "$2" "${3:+: $3}"
        SUMMARY+=("FAIL $2${3:+: $3}")
    fi
}

echo "== nhantin C/C++ tests (LIB_DIR=${LIB_DIR#"$ROOT"/}, NHANTIN_BIN=${NHANTIN_BIN#"$ROOT"/})"

# ---- 1. tools -------------------------------------------------------------------------------
missing=()
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
command -v readelf >/dev/null 2>&1 || missing+=(binutils)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
if ! command -v pkg-config >/dev/null 2>&1; then
    missing+=(pkg-config libcjson-dev nlohmann-json3-dev libcurl4-openssl-dev)
else
    pkg-config --exists libcjson || missing+=(libcjson-dev)
    pkg-config --exists nlohmann_json || missing+=(nlohmann-json3-dev)
    pkg-config --exists libcurl || missing+=(libcurl4-openssl-dev)
fi
if ((${#missing[@]})); then
    echo "== installing: ${missing[*]}"
    if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        record FAIL "tools" "missing ${missing[*]} (needs root and apt-get to install)"
        echo "c: $PASSED passed, $FAILED failed"
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # Each package, or its older name where Debian renamed it.
    declare -A alternative=([nlohmann-json3-dev]=nlohmann-json-dev [libcjson-dev]=libcjson-dev)
    to_install=()
    for p in "${missing[@]}"; do
        candidate=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ { print $2 }')
        if [[ -z $candidate || $candidate == "(none)" ]] && [[ -n ${alternative[$p]:-} ]]; then
            echo "   $p has no candidate; trying ${alternative[$p]}"
            p=${alternative[$p]}
        fi
        to_install+=("$p")
    done
    mkdir -p "$ROOT/target"
    if apt-get install -y -qq --no-install-recommends "${to_install[@]}" >"$ROOT/target/c-apt.log" 2>&1; then
        record OK "install ${to_install[*]}"
    else
        record FAIL "install ${to_install[*]}" "see target/c-apt.log"
        tail -20 "$ROOT/target/c-apt.log"
        echo "c: $PASSED passed, $FAILED failed"
        exit 1
    fi
fi
echo "   $(gcc --version | head -1); $(g++ --version | head -1); $(valgrind --version); cJSON $(pkg-config --modversion libcjson); nlohmann_json $(pkg-config --modversion nlohmann_json); libcurl $(pkg-config --modversion libcurl)"

# ---- 2. stage and build ---------------------------------------------------------------------
rm -rf "$STAGE" "$BUILD"
mkdir -p "$BUILD" "$LOGS"
echo "== staging with scripts/install-c"
if ! scripts/install-c "$STAGE" "$LIB_DIR" >"$LOGS/install-c.log" 2>&1; then
    record FAIL "scripts/install-c target/c-stage" "$(tail -3 "$LOGS/install-c.log")"
    echo "c: $PASSED passed, $FAILED failed"
    exit 1
fi
record OK "scripts/install-c target/c-stage ($(tail -1 "$LOGS/install-c.log"))"
export PKG_CONFIG_PATH=$STAGE/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
if cmp -s "$STAGE/include/nhantin.h" include/nhantin.h; then
    record OK "staged nhantin.h is the committed include/nhantin.h"
else
    record FAIL "staged nhantin.h is the committed include/nhantin.h"
fi
# Every name the header defines is nhantin's (a `#define THREADS 16` once leaked from a Rust
# constant and broke user code that had its own THREADS).
foreign=$(grep -oE '^#define [A-Za-z_][A-Za-z0-9_]*|^ *(typedef |enum |struct )?[A-Za-z_][A-Za-z0-9_ *]*\b([A-Za-z_][A-Za-z0-9_]*)\(' include/nhantin.h \
    | grep -oE '[A-Za-z_][A-Za-z0-9_]*\(?$' | tr -d '(' \
    | grep -vE '^(nhantin_|NHANTIN_|NHANTIN_H$)' | sort -u | tr '\n' ' ')
[[ -z $foreign ]] && record OK "every macro and function in nhantin.h is prefixed nhantin_/NHANTIN_" \
    || record FAIL "every macro and function in nhantin.h is prefixed nhantin_/NHANTIN_" "$foreign"
soname=$(readelf -d "$STAGE/lib/libnhantin.so" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
major=$(sed -n 's/^#define NHANTIN_VERSION_MAJOR \([0-9]*\)$/\1/p' include/nhantin.h)
[[ $soname == "libnhantin.so.$major" ]] && record OK "SONAME is libnhantin.so.$major" || record FAIL "SONAME is libnhantin.so.$major" "got '$soname'"

CSTD=(-std=c11 -Wall -Wextra -Wpedantic -Werror)
CXXSTD=(-std=c++17 -Wall -Wextra -Wpedantic -Werror)
NH_CFLAGS=$(pkg-config --cflags nhantin)
NH_LIBS=$(pkg-config --libs nhantin)
NH_STATIC_LIBS=$(pkg-config --static --libs nhantin | sed 's/-lnhantin\b/-l:libnhantin.a/')
RPATH=-Wl,-rpath,$STAGE/lib
CJSON_CFLAGS=$(pkg-config --cflags libcjson)
CJSON_LIBS=$(pkg-config --libs libcjson)
JSONXX_CFLAGS=$(pkg-config --cflags nlohmann_json)
CURL_CFLAGS=$(pkg-config --cflags libcurl)
CURL_LIBS=$(pkg-config --libs libcurl)
SAN=(-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all)

echo "== compiling (C: gcc ${CSTD[*]}; C++: g++ ${CXXSTD[*]}; $NH_CFLAGS)"
declare -A BUILT=()
build() { # build NAME command...
    local name=$1
    shift
    local t
    t=$(now)
    if "$@" >"$LOGS/build-$name.log" 2>&1; then
        BUILT[$name]=1
        record OK "build $name ($(since "$t"))"
    else
        record FAIL "build $name" "see below"
        sed 's/^/      /' "$LOGS/build-$name.log" | head -40
    fi
}
# shellcheck disable=SC2086 # the pkg-config outputs are word lists
{
    build test_vectors gcc "${CSTD[@]}" -O2 -g $NH_CFLAGS $CJSON_CFLAGS "$SRC/test_vectors.c" -o "$BUILD/test_vectors" $NH_LIBS $CJSON_LIBS "$RPATH"
    build test_misuse gcc "${CSTD[@]}" -O2 -g $NH_CFLAGS "$SRC/test_misuse.c" -o "$BUILD/test_misuse" $NH_LIBS "$RPATH"
    build test_client g++ "${CXXSTD[@]}" -O2 -g $NH_CFLAGS $JSONXX_CFLAGS "$SRC/test_client.cpp" -o "$BUILD/test_client" -pthread $NH_LIBS "$RPATH"
    build test_static gcc "${CSTD[@]}" -O2 $NH_CFLAGS "$SRC/test_static.c" -o "$BUILD/test_static" $NH_STATIC_LIBS
    # The send machine with libcurl as the HTTP stack: the example as users build it, and the
    # suite that drives it (it includes the example's source).
    build curl_send gcc "${CSTD[@]}" -O2 -g $NH_CFLAGS $CURL_CFLAGS $CJSON_CFLAGS "$SRC/examples/curl_send.c" -o "$BUILD/curl_send" $NH_LIBS $CURL_LIBS $CJSON_LIBS "$RPATH"
    build test_machine gcc "${CSTD[@]}" -O2 -g $NH_CFLAGS $CURL_CFLAGS $CJSON_CFLAGS -I"$SRC" "$SRC/test_machine.c" -o "$BUILD/test_machine" $NH_LIBS $CURL_LIBS $CJSON_LIBS "$RPATH"
    # The leak canary: every send, input-error and fault path, no key, phone or text shown.
    build test_canary gcc "${CSTD[@]}" -O2 -g $NH_CFLAGS $CURL_CFLAGS $CJSON_CFLAGS -I"$SRC" "$SRC/test_canary.c" -o "$BUILD/test_canary" $NH_LIBS $CURL_LIBS $CJSON_LIBS "$RPATH"
    # The header alone, in older dialects than the suites use (C99, C++11).
    printf '#include <nhantin.h>\nint main(void) { return nhantin_version()[0] == 0; }\n' >"$BUILD/header.c"
    build header-as-c99 gcc -std=c99 -Wall -Wextra -Wpedantic -Werror -Wstrict-prototypes $NH_CFLAGS -fsyntax-only "$BUILD/header.c"
    build header-as-c++11 g++ -std=c++11 -Wall -Wextra -Wpedantic -Werror $NH_CFLAGS -fsyntax-only -x c++ "$BUILD/header.c"

    # ASan+UBSan with the (uninstrumented) Rust library: first a smoke test, so that a runtime
    # conflict is reported as a skip with its reason rather than as test failures.
    ASAN_SKIP=
    printf '#include <nhantin.h>\n#include <string.h>\nint main(void) { char *s = 0; int bad = nhantin_strip_diacritics("\xc4\x90\xc3\xa0", &s) != 0 || strcmp(s, "Da") != 0; nhantin_string_free(s); return bad; }\n' >"$BUILD/asan_smoke.c"
    if ! gcc "${CSTD[@]}" "${SAN[@]}" $NH_CFLAGS "$BUILD/asan_smoke.c" -o "$BUILD/asan_smoke" $NH_LIBS "$RPATH" >"$LOGS/asan-smoke.log" 2>&1; then
        ASAN_SKIP="linking with -fsanitize=address,undefined fails: $(head -3 "$LOGS/asan-smoke.log" | tr '\n' ' ')"
    elif ! "$BUILD/asan_smoke" >>"$LOGS/asan-smoke.log" 2>&1 &&
        grep -qE 'runtime does not come first|Shadow memory range interleaves|failed to intercept|incompatible' "$LOGS/asan-smoke.log"; then
        # Only a runtime conflict is a reason to skip; a finding fails in the real runs below.
        ASAN_SKIP="the ASan runtime conflicts with the Rust library: $(grep -m2 -E 'ERROR|Sanitizer|runtime' "$LOGS/asan-smoke.log" | tr '\n' ' ')"
    fi
    if [[ -z $ASAN_SKIP ]]; then
        build test_vectors.asan gcc "${CSTD[@]}" "${SAN[@]}" $NH_CFLAGS $CJSON_CFLAGS "$SRC/test_vectors.c" -o "$BUILD/test_vectors.asan" $NH_LIBS $CJSON_LIBS "$RPATH"
        build test_misuse.asan gcc "${CSTD[@]}" "${SAN[@]}" $NH_CFLAGS "$SRC/test_misuse.c" -o "$BUILD/test_misuse.asan" $NH_LIBS "$RPATH"
    else
        echo "  SKIP the ASan+UBSan build of the C suite: $ASAN_SKIP"
    fi
}
if [[ -n ${BUILT[test_vectors.asan]:-} ]]; then
    readelf -d "$BUILD/test_vectors.asan" | grep -q "NEEDED.*libasan" &&
        record OK "test_vectors.asan is instrumented (links libasan)" || record FAIL "test_vectors.asan is instrumented (links libasan)"
fi
if [[ -n ${BUILT[test_vectors]:-} ]]; then
    readelf -d "$BUILD/test_vectors" | grep -q "NEEDED.*\[libnhantin.so.$major\]" &&
        record OK "test_vectors needs libnhantin.so.$major (shared link)" || record FAIL "test_vectors needs libnhantin.so.$major (shared link)"
fi
if [[ -n ${BUILT[test_static]:-} ]]; then
    readelf -d "$BUILD/test_static" | grep -q "NEEDED.*libnhantin" &&
        record FAIL "test_static has no libnhantin.so dependency (static link)" || record OK "test_static has no libnhantin.so dependency (static link)"
fi

# ---- 3. the emulator: one process for every send test ---------------------------------------
EMU_DIR=
EMU_PID=
EMULATOR_LINE=
stop_emulator() {
    exec 9>&- # closing its stdin stops it
    if [[ -n $EMU_PID ]]; then
        local i
        for ((i = 0; i < 100; i++)); do
            kill -0 "$EMU_PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$EMU_PID" 2>/dev/null; then
            kill "$EMU_PID" 2>/dev/null
            sleep 0.5
            kill -9 "$EMU_PID" 2>/dev/null
            wait "$EMU_PID" 2>/dev/null
            EMU_PID=
            return 1
        fi
        wait "$EMU_PID" 2>/dev/null
        EMU_PID=
    fi
    return 0
}
cleanup() {
    local status=$?
    stop_emulator
    [[ -n $EMU_DIR ]] && rm -rf "$EMU_DIR"
    exit "$status"
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT
trap 'echo "terminated"; exit 143' TERM

echo "== starting the emulator: ${NHANTIN_BIN#"$ROOT"/} emulator --port 0 --stop-on-stdin-eof"
if [[ -x $NHANTIN_BIN ]]; then
    EMU_DIR=$(mktemp -d "${TMPDIR:-/tmp}/nhantin-c-emu.XXXXXX")
    mkfifo "$EMU_DIR/stdin"
    "$NHANTIN_BIN" emulator --port 0 --stop-on-stdin-eof <"$EMU_DIR/stdin" >"$EMU_DIR/stdout" 2>"$EMU_DIR/stderr" &
    EMU_PID=$!
    exec 9>"$EMU_DIR/stdin" # held open until stop_emulator; every child gets 9>&-
    for ((i = 0; i < 200; i++)); do
        EMULATOR_LINE=$(head -n 1 "$EMU_DIR/stdout" 2>/dev/null)
        [[ $EMULATOR_LINE == *'"base_url"'* ]] && break
        kill -0 "$EMU_PID" 2>/dev/null || break
        EMULATOR_LINE=
        sleep 0.05
    done
    if [[ -n $EMULATOR_LINE ]]; then
        export NHANTIN_EMULATOR=$EMULATOR_LINE
        record OK "emulator started (pid $EMU_PID): $EMULATOR_LINE"
    else
        record FAIL "emulator started" "no first line; stderr: $(head -c 300 "$EMU_DIR/stderr")"
    fi
else
    record FAIL "emulator started" "$NHANTIN_BIN is not an executable (build it with cargo build -p nhantin-cli)"
fi

# ---- 4. run ---------------------------------------------------------------------------------
VECTORS=$(find tests/vectors -mindepth 2 -maxdepth 2 -name '*.json' | wc -l)
CODES=$(grep -cE '^ +NHANTIN_RESULT_[A-Z0-9_]+ = [0-9]+,' include/nhantin.h)
VALGRIND=(valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect)
export RUST_BACKTRACE=0
# libcurl honours proxy variables; the emulator is on the loopback interface.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
declare -a RESULTS=()

# run_prog LABEL BINARY MODE(native|valgrind) ARGS... — runs, prints failures, adds the counts.
run_prog() {
    local label=$1 bin=$2 mode=$3
    shift 3
    local log=$LOGS/$label.log vglog=$LOGS/$label.valgrind.log t status
    if [[ -z ${BUILT[$bin]:-} ]]; then
        record FAIL "$label" "not built"
        RESULTS+=("$(printf '%-28s not built' "$label")")
        return
    fi
    t=$(now)
    if [[ $mode == valgrind ]]; then
        "${VALGRIND[@]}" --log-file="$vglog" "$BUILD/$bin" "$@" >"$log" 2>&1 9>&-
    else
        "$BUILD/$bin" "$@" >"$log" 2>&1 9>&-
    fi
    status=$?
    local took
    took=$(since "$t")
    local line p=0 f=0
    line=$(grep -E '^RESULT [^ ]+ passed=[0-9]+ failed=[0-9]+$' "$log" | tail -1)
    grep -vE '^RESULT ' "$log" | sed 's/^/  /' | grep -v '^  *$' | head -200
    if [[ -n $line ]]; then
        p=${line##*passed=}
        p=${p%% *}
        f=${line##*failed=}
        PASSED=$((PASSED + p))
        FAILED=$((FAILED + f))
        if ((f > 0)); then
            SUMMARY+=("FAIL $label: $f failed check(s) (see above)")
        fi
        if ((status != 0 && f == 0)) && [[ $mode != valgrind ]]; then
            record FAIL "$label exits 0" "exit status $status"
        fi
    else
        record FAIL "$label" "ended without its RESULT line (exit status $status; crash?)"
    fi
    local extra=""
    if [[ $mode == valgrind ]]; then
        local errors definite indirect possibly
        errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$vglog" | tail -1 | tr -d ,)
        definite=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$vglog" | tail -1 | tr -d ,)
        indirect=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes.*/\1/p' "$vglog" | tail -1 | tr -d ,)
        possibly=$(sed -n 's/.*possibly lost: \([0-9,]*\) bytes.*/\1/p' "$vglog" | tail -1 | tr -d ,)
        extra="valgrind: ${errors:-?} errors, definitely lost ${definite:-0} B, indirectly lost ${indirect:-0} B, possibly lost ${possibly:-0} B"
        if [[ ${errors:-x} == 0 && ${definite:-0} == 0 && ${indirect:-0} == 0 ]] && ! { ((status == 1)) && ((f == 0)); }; then
            record OK "$label: $extra"
        else
            record FAIL "$label: valgrind clean" "$extra (log: ${vglog#"$ROOT"/})"
            grep -E '==[0-9]+== +(at|by|Invalid|Conditional|Use of|[0-9,]+ bytes in)' "$vglog" | head -40 | sed 's/^/      /'
        fi
    fi
    RESULTS+=("$(printf '%-28s passed %5d, failed %3d   %8s   %s' "$label" "$p" "$f" "$took" "$extra")")
}

echo "== running"
echo "-- test_vectors ($VECTORS vector files)"
run_prog test_vectors test_vectors native tests/vectors "$VECTORS"
echo "-- test_misuse ($CODES result codes in the header)"
run_prog test_misuse test_misuse native "$CODES"
echo "-- test_static (libnhantin.a)"
run_prog test_static test_static native
echo "-- test_client (C++, through the emulator)"
if [[ -n $EMULATOR_LINE ]]; then
    run_prog test_client test_client native
else
    record FAIL "test_client" "no emulator"
fi
echo "-- test_machine (C, the send machine over libcurl, through the emulator)"
if [[ -n $EMULATOR_LINE ]]; then
    run_prog test_machine test_machine native
else
    record FAIL "test_machine" "no emulator"
fi
echo "-- test_canary (C, the leak canary: keys, phone and text on no surface, through the emulator)"
if [[ -n $EMULATOR_LINE ]]; then
    run_prog test_canary test_canary native
else
    record FAIL "test_canary" "no emulator"
fi
echo "-- examples/curl_send.c (the README's libcurl example, through the emulator)"
# run_example BINARY NAME FAULT_JSON|"" EXPECTED_OUTPUT...: runs the example once; it must exit 0
# and print every expected text. BINARY is relative to $BUILD and must be in BUILT.
run_example() {
    local bin=$1 name=$2 fault=$3
    shift 3
    local label=${bin//\//:} # curl_send, cmake-example:curl_send
    if [[ -z ${BUILT[$bin]:-} || -z $EMULATOR_LINE ]]; then
        record FAIL "$label: $name" "not built or no emulator"
        return
    fi
    local base esms log=$LOGS/$label-${name// /_}.log
    base=$(sed -E 's/.*"base_url":"([^"]*)".*/\1/' <<<"$EMULATOR_LINE")
    esms=$(sed -E 's/.*"esms":"([^"]*)".*/\1/' <<<"$EMULATOR_LINE")
    if [[ -n $fault ]]; then
        curl -sS --noproxy '*' -X POST -H 'Content-Type: application/json' -d "$fault" "$base/_emulator/faults" >"$log" 2>&1 9>&- ||
            { record FAIL "$label: $name" "could not queue the fault"; return; }
        echo >>"$log"
    fi
    local account="{\"provider\":\"esms\",\"api_key\":\"DEMO_ESMS_API_KEY\",\"secret_key\":\"DEMO_ESMS_SECRET_KEY\",\"base_url\":\"$esms\"}"
    local message='{"recipients":["0912345678"],"content":{"sms":{"purpose":"otp","text":"Ma OTP 123456","sender":"NHANTIN"}}}'
    "$BUILD/$bin" "$account" "$message" >>"$log" 2>&1 9>&-
    local status=$? missing=""
    for want in "$@"; do
        grep -qF -- "$want" "$log" || missing+=" '$want'"
    done
    if ((status == 0)) && [[ -z $missing ]]; then
        record OK "$label: $name"
    else
        record FAIL "$label: $name" "exit $status${missing:+, output lacks$missing} (log: ${log#"$ROOT"/})"
        sed 's/^/      /' "$log" | head -20
    fi
}
run_example curl_send "a plain send is accepted" "" "request id nt-" '"status":"accepted"'
run_example curl_send "four 503s, then the safe resend is accepted" '{"fault":"status","status":503,"times":4,"path":"SendMultipleMessage_V4_post_json"}' \
    "outcome unknown" "resending with request id nt-" '"status":"accepted"'

echo "-- examples/CMakeLists.txt (find_package(nhantin CONFIG REQUIRED) against target/c-stage, as CMake users build)"
# The staged lib/cmake/nhantin package: configure, build the shared and static example, check
# what they link, run them against the emulator, and check that a too-new version is refused.
CMAKE_BUILD=$BUILD/cmake-example
t=$(now)
if cmake -S "$SRC/examples" -B "$CMAKE_BUILD" -DCMAKE_PREFIX_PATH="$STAGE" -DCMAKE_BUILD_TYPE=Release >"$LOGS/cmake-configure.log" 2>&1 9>&- &&
    cmake --build "$CMAKE_BUILD" >"$LOGS/cmake-build.log" 2>&1 9>&-; then
    BUILT[cmake-example/curl_send]=1
    BUILT[cmake-example/curl_send_static]=1
    record OK "cmake: find_package(nhantin 0.1 CONFIG REQUIRED) with $(cmake --version | head -1), curl_send and curl_send_static built ($(since "$t"))"
else
    record FAIL "cmake: find_package(nhantin 0.1 CONFIG REQUIRED), build" "see below"
    cat "$LOGS/cmake-configure.log" "$LOGS/cmake-build.log" 2>/dev/null | tail -30 | sed 's/^/      /'
fi
if [[ -n ${BUILT[cmake-example/curl_send]:-} ]]; then
    readelf -d "$CMAKE_BUILD/curl_send" | grep -q "NEEDED.*\[libnhantin.so.$major\]" && readelf -d "$CMAKE_BUILD/curl_send" | grep -qF "$STAGE/lib" &&
        record OK "cmake: nhantin::nhantin links the staged libnhantin.so.$major" ||
        record FAIL "cmake: nhantin::nhantin links the staged libnhantin.so.$major" "$(readelf -d "$CMAKE_BUILD/curl_send" | grep -E 'NEEDED|PATH' | tr -s ' ' | tr '\n' ';')"
    readelf -d "$CMAKE_BUILD/curl_send_static" | grep -q "NEEDED.*libnhantin" &&
        record FAIL "cmake: nhantin::nhantin_static links libnhantin.a (no libnhantin.so dependency)" ||
        record OK "cmake: nhantin::nhantin_static links libnhantin.a (no libnhantin.so dependency)"
fi
run_example cmake-example/curl_send "a plain send is accepted" "" "request id nt-" '"status":"accepted"'
run_example cmake-example/curl_send_static "four 503s, then the safe resend is accepted" '{"fault":"status","status":503,"times":4,"path":"SendMultipleMessage_V4_post_json"}' \
    "outcome unknown" "resending with request id nt-" '"status":"accepted"'
if cmake -S "$SRC/examples" -B "$BUILD/cmake-too-new" -DCMAKE_PREFIX_PATH="$STAGE" -DNHANTIN_MIN_VERSION=1.0 >"$LOGS/cmake-too-new.log" 2>&1 9>&-; then
    record FAIL "cmake: find_package(nhantin 1.0) refuses the staged $(sed -n 's/^#define NHANTIN_VERSION "\(.*\)"$/\1/p' include/nhantin.h)" "it configured"
elif grep -qF "nhantinConfig.cmake, version: $(sed -n 's/^#define NHANTIN_VERSION "\(.*\)"$/\1/p' include/nhantin.h)" "$LOGS/cmake-too-new.log"; then
    record OK "cmake: find_package(nhantin 1.0) refuses the staged $(sed -n 's/^#define NHANTIN_VERSION "\(.*\)"$/\1/p' include/nhantin.h) (another major version)"
else
    record FAIL "cmake: find_package(nhantin 1.0) refuses the staged version" "failed for another reason: $(grep -m3 -iE 'error|could not' "$LOGS/cmake-too-new.log" | tr '\n' ' ')"
fi
if [[ -z $ASAN_SKIP ]]; then
    echo "-- test_vectors.asan (-fsanitize=address,undefined)"
    run_prog test_vectors.asan test_vectors.asan native tests/vectors "$VECTORS"
    echo "-- test_misuse.asan (-fsanitize=address,undefined)"
    run_prog test_misuse.asan test_misuse.asan native "$CODES"
else
    echo "-- SKIPPED ASan+UBSan runs: $ASAN_SKIP"
    RESULTS+=("$(printf '%-28s skipped: %s' "asan" "$ASAN_SKIP")")
fi
echo "-- valgrind test_vectors"
run_prog valgrind:test_vectors test_vectors valgrind tests/vectors "$VECTORS"
echo "-- valgrind test_misuse"
run_prog valgrind:test_misuse test_misuse valgrind "$CODES"
echo "-- valgrind test_client"
if [[ -n $EMULATOR_LINE ]]; then
    run_prog valgrind:test_client test_client valgrind
else
    record FAIL "valgrind:test_client" "no emulator"
fi
echo "-- valgrind test_machine"
if [[ -n $EMULATOR_LINE ]]; then
    run_prog valgrind:test_machine test_machine valgrind
else
    record FAIL "valgrind:test_machine" "no emulator"
fi
echo "-- valgrind test_canary"
if [[ -n $EMULATOR_LINE ]]; then
    run_prog valgrind:test_canary test_canary valgrind
else
    record FAIL "valgrind:test_canary" "no emulator"
fi

echo "== stopping the emulator"
if [[ -n $EMU_PID ]]; then
    pid=$EMU_PID
    if stop_emulator; then
        record OK "emulator (pid $pid) exited when its stdin closed"
    else
        record FAIL "emulator (pid $pid) exited when its stdin closed" "it had to be killed"
    fi
fi

# ---- 5. summary -----------------------------------------------------------------------------
echo "== results (logs in ${LOGS#"$ROOT"/})"
for r in "${RESULTS[@]}"; do
    echo "   $r"
done
for s in "${SUMMARY[@]}"; do
    echo "   $s"
done
echo "   total time $(since "$T0")"
echo "c: $PASSED passed, $FAILED failed"
((FAILED == 0))

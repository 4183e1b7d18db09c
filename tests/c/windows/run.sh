#!/usr/bin/env bash
# nhantin's C and C++ tests for Windows: cross-compiled with mingw-w64 against the staged
# nhantin.dll and run under Wine (see tests/c/windows/README.md). scripts/windows builds and
# stages the DLL, then runs this; it can also be run alone on an existing stage:
#
#   tests/c/windows/run.sh [STAGE]      STAGE defaults to target/windows-stage
#
# Environment:
#   NHANTIN_BIN           the Linux nhantin CLI, for `nhantin emulator` (default target/debug/nhantin)
#   NHANTIN_WINDOWS_DEPS  where the Windows builds of cJSON and libcurl are kept (default
#                         target/windows-deps; built once from Debian's source packages)
#
# Steps: install missing tools (Debian, as root); build cJSON and libcurl for Windows from
# Debian's sources (once); check the staged DLL (imports only DLLs Windows 10 ships, exports
# every function of nhantin.h); build every portable C/C++ test with warnings as errors, and the
# test-only bcryptprimitives.dll stand-in next to them; start the emulator on Linux loopback;
# run each program under Wine; build tests/c/examples with CMake (find_package(nhantin CONFIG))
# for Windows and run it. Last line: `c-windows: N passed, M failed`; exit 0 only if none failed.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../../.." || exit 2
ROOT=$PWD
STAGE=${1:-target/windows-stage}
NHANTIN_BIN=${NHANTIN_BIN:-target/debug/nhantin}
DEPS=${NHANTIN_WINDOWS_DEPS:-target/windows-deps}
case $STAGE in /*) ;; *) STAGE=$ROOT/$STAGE ;; esac
case $NHANTIN_BIN in /*) ;; *) NHANTIN_BIN=$ROOT/$NHANTIN_BIN ;; esac
case $DEPS in /*) ;; *) DEPS=$ROOT/$DEPS ;; esac

SRC=$ROOT/tests/c
BUILD=$ROOT/target/windows-build
BIN=$BUILD/bin # the test programs, nhantin.dll copied from the stage, and the test-only stub
LOGS=$BUILD/logs
export WINEPREFIX=$ROOT/target/windows-wine # a prefix of our own, not the user's ~/.wine
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=" # no Mono/Gecko installer on the first start
export RUST_BACKTRACE=0

CC=x86_64-w64-mingw32-gcc-posix  # posix threads: C++17 std::thread, std::mutex
CXX=x86_64-w64-mingw32-g++-posix
OBJDUMP=x86_64-w64-mingw32-objdump

PASSED=0
FAILED=0
SUMMARY=()
T0=${NHANTIN_WINDOWS_T0:-$(date +%s.%N)} # scripts/windows passes its own start
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

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
finish() {
    echo "   total time $(since "$T0")"
    echo "c-windows: $PASSED passed, $FAILED failed"
    ((FAILED == 0))
    exit
}

echo "== nhantin C/C++ tests for Windows under Wine (STAGE=${STAGE#"$ROOT"/}, NHANTIN_BIN=${NHANTIN_BIN#"$ROOT"/})"

# ---- 1. tools -------------------------------------------------------------------------------
missing=()
command -v "$CC" >/dev/null 2>&1 || missing+=(gcc-mingw-w64-x86-64-posix)
command -v "$CXX" >/dev/null 2>&1 || missing+=(g++-mingw-w64-x86-64-posix)
command -v "$OBJDUMP" >/dev/null 2>&1 || missing+=(binutils-mingw-w64-x86-64)
command -v wine >/dev/null 2>&1 || missing+=(wine wine64)
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v dpkg-source >/dev/null 2>&1 || missing+=(dpkg-dev)
command -v xz >/dev/null 2>&1 || missing+=(xz-utils)
[[ -f /usr/include/nlohmann/json.hpp ]] || missing+=(nlohmann-json3-dev)
if ((${#missing[@]})); then
    echo "== installing: ${missing[*]}"
    if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        record FAIL "tools" "missing ${missing[*]} (needs root and apt-get to install)"
        finish
    fi
    export DEBIAN_FRONTEND=noninteractive
    mkdir -p "$ROOT/target"
    apt-get update -qq >/dev/null
    if apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$ROOT/target/windows-apt.log" 2>&1; then
        record OK "install ${missing[*]}"
    else
        record FAIL "install ${missing[*]}" "see target/windows-apt.log"
        tail -20 "$ROOT/target/windows-apt.log"
        finish
    fi
fi
echo "   $($CC --version | head -1); $(wine --version); $(cmake --version | head -1)"

rm -rf "$BUILD"
mkdir -p "$BIN" "$LOGS" "$DEPS"

# ---- 2. cJSON and libcurl for Windows, from Debian's source packages (built once) -----------
# Debian ships neither for mingw. The sources come through apt (deb-src entries written from this
# machine's own Debian entries, in a private list directory: the system's apt state is not
# touched), with Debian's patches applied, so they are the versions the Linux suite links.
APT_DIR=$DEPS/apt
apt_src() { # apt_src ARGS...: apt-get with the private deb-src list
    apt-get -q -o Dir::Etc::SourceList="$APT_DIR/sources.list" -o Dir::Etc::SourceParts=/nonexistent \
        -o Dir::State::Lists="$APT_DIR/lists" -o APT::Sandbox::User=root "$@"
}
apt_src_ready=
apt_src_update() {
    [[ -n $apt_src_ready ]] && return 0
    mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/dl"
    : >"$APT_DIR/sources.list"
    local line
    # One-line entries (sources.list) and deb822 entries (*.sources) of Debian itself.
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f $f ]] || continue
        while read -r line; do
            [[ $line =~ ^deb[[:space:]] && $line == *debian* ]] && echo "deb-src ${line#deb }" >>"$APT_DIR/sources.list"
        done <"$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        # Paragraph by paragraph: Types/URIs/Suites/Components/Signed-By into one-line form.
        awk '
            function flush() { if (types ~ /(^| )deb( |$)/ && uris ~ /debian/ && enabled != "no") {
                n = split(uris, u, " "); m = split(suites, s, " ")
                for (i = 1; i <= n; i++) for (j = 1; j <= m; j++)
                    printf "deb-src %s%s %s %s\n", (signed != "" ? "[signed-by=" signed "] " : ""), u[i], s[j], comps } 
                types = uris = suites = comps = signed = enabled = "" }
            /^[[:space:]]*$/ { flush(); next }
            /^#/ { next }
            /^Types:/ { sub(/^Types:[[:space:]]*/, ""); types = $0 }
            /^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uris = $0 }
            /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
            /^Components:/ { sub(/^Components:[[:space:]]*/, ""); comps = $0 }
            /^Signed-By:/ { sub(/^Signed-By:[[:space:]]*/, ""); signed = $0 }
            /^Enabled:/ { sub(/^Enabled:[[:space:]]*/, ""); enabled = $0 }
            END { flush() }' "$f" >>"$APT_DIR/sources.list"
    done
    if [[ ! -s $APT_DIR/sources.list ]]; then
        echo "no Debian entries in /etc/apt to take deb-src entries from" >"$LOGS/apt-source.log"
        return 1
    fi
    apt_src update >"$LOGS/apt-source.log" 2>&1 && apt_src_ready=1
}
# debian_source PKG DIR: unpacks Debian's source of PKG, patched, into DIR; echoes the version.
debian_source() {
    local pkg=$1 dir=$2 dsc
    apt_src_update || return 1
    rm -rf "$APT_DIR/dl" && mkdir -p "$APT_DIR/dl"
    (cd "$APT_DIR/dl" && apt_src source --download-only "$pkg") >>"$LOGS/apt-source.log" 2>&1 || return 1
    dsc=$(ls "$APT_DIR/dl/${pkg}_"*.dsc 2>/dev/null | head -1)
    [[ -n $dsc ]] || return 1
    rm -rf "$dir"
    dpkg-source --no-check -x "$dsc" "$dir" >>"$LOGS/apt-source.log" 2>&1 || return 1
    rm -rf "$APT_DIR/dl"
    basename "$dsc" .dsc | sed "s/^${pkg}_//"
}

CJSON=$DEPS/cjson
if [[ ! -f $CJSON/lib/libcjson.a || ! -f $CJSON/VERSION ]]; then
    t=$(now)
    rm -rf "$CJSON"
    if v=$(debian_source cjson "$DEPS/cjson-src") &&
        mkdir -p "$CJSON/lib/pkgconfig" "$CJSON/include" &&
        $CC -std=c89 -O2 -c "$DEPS/cjson-src/cJSON.c" -o "$DEPS/cjson-src/cJSON.o" >"$LOGS/cjson-build.log" 2>&1 &&
        x86_64-w64-mingw32-ar rcs "$CJSON/lib/libcjson.a" "$DEPS/cjson-src/cJSON.o" &&
        cp "$DEPS/cjson-src/cJSON.h" "$CJSON/include/"; then
        cat >"$CJSON/lib/pkgconfig/libcjson.pc" <<PC
prefix=$CJSON
Name: libcjson
Description: cJSON $v (Debian source) for x86_64-w64-mingw32, static
Version: ${v%%-*}
Libs: -L\${prefix}/lib -lcjson
Cflags: -I\${prefix}/include
PC
        echo "$v" >"$CJSON/VERSION"
        rm -rf "$DEPS/cjson-src"
        record OK "cJSON $v for Windows, from Debian's source package ($(since "$t"))"
    else
        record FAIL "cJSON for Windows from Debian's source package" "see ${LOGS#"$ROOT"/}/apt-source.log, cjson-build.log"
        tail -5 "$LOGS/apt-source.log" "$LOGS/cjson-build.log" 2>/dev/null | sed 's/^/      /'
        rm -rf "$CJSON"
    fi
else
    echo "   cJSON $(cat "$CJSON/VERSION") for Windows: built earlier (${CJSON#"$ROOT"/})"
fi

CURLW=$DEPS/curl
if [[ ! -f $CURLW/lib/libcurl.a || ! -f $CURLW/VERSION ]]; then
    t=$(now)
    rm -rf "$CURLW"
    # HTTP only (the emulator is plain HTTP on loopback), no TLS library; upstream's mingw
    # makefile (lib/Makefile.mk, with config-win32.h: no configure step). Every source file
    # starts with curl_setup.h, which pulls in windows.h and winsock2.h: precompiled once with
    # Makefile.mk's own flags, it cuts the build's CPU time about eightfold.
    curl_cppflags=(-DHTTP_ONLY -DCURL_STATICLIB)
    if v=$(debian_source curl "$DEPS/curl-src") &&
        mkdir -p "$DEPS/curl-src/lib/x86_64-w64-mingw32" &&
        (cd "$DEPS/curl-src/lib" &&
            $CC -W -Wall -O2 "${curl_cppflags[@]}" -I. -I../include -DNDEBUG -DBUILDING_LIBCURL -x c-header curl_setup.h -o curl_setup.h.gch &&
            env CROSSPREFIX=x86_64-w64-mingw32- CC=gcc-posix AR=ar CPPFLAGS="${curl_cppflags[*]}" CFLAGS=-O2 \
                make -f Makefile.mk -j"$(nproc)" x86_64-w64-mingw32 libcurl.a) >"$LOGS/curl-build.log" 2>&1 &&
        mkdir -p "$CURLW/lib/pkgconfig" "$CURLW/include" &&
        cp "$DEPS/curl-src/lib/libcurl.a" "$CURLW/lib/" && cp -r "$DEPS/curl-src/include/curl" "$CURLW/include/"; then
        cat >"$CURLW/lib/pkgconfig/libcurl.pc" <<PC
prefix=$CURLW
Name: libcurl
Description: libcurl $v (Debian source) for x86_64-w64-mingw32, static, HTTP only, no TLS
Version: ${v%%-*}
Libs: -L\${prefix}/lib -lcurl -lws2_32 -lcrypt32 -lbcrypt
Cflags: -I\${prefix}/include -DCURL_STATICLIB
PC
        echo "$v" >"$CURLW/VERSION"
        rm -rf "$DEPS/curl-src"
        record OK "libcurl $v for Windows (HTTP only), from Debian's source package ($(since "$t"))"
    else
        record FAIL "libcurl for Windows from Debian's source package" "see ${LOGS#"$ROOT"/}/apt-source.log, curl-build.log"
        tail -5 "$LOGS/apt-source.log" "$LOGS/curl-build.log" 2>/dev/null | sed 's/^/      /'
        rm -rf "$CURLW"
    fi
else
    echo "   libcurl $(cat "$CURLW/VERSION") for Windows: built earlier (${CURLW#"$ROOT"/})"
fi

# ---- 3. the stage: the DLL's imports and exports ----------------------------------------------
DLL=$STAGE/bin/nhantin.dll
IMPLIB=$STAGE/lib/libnhantin.dll.a
if [[ ! -f $DLL || ! -f $IMPLIB || ! -f $STAGE/include/nhantin.h ]]; then
    record FAIL "the stage has bin/nhantin.dll, lib/libnhantin.dll.a, include/nhantin.h" "run scripts/windows first"
    finish
fi
cmp -s "$STAGE/include/nhantin.h" include/nhantin.h &&
    record OK "staged nhantin.h is the committed include/nhantin.h" || record FAIL "staged nhantin.h is the committed include/nhantin.h"
if [[ -z $(find "$STAGE" -iname 'bcryptprimitives*') ]]; then
    record OK "the stage holds no bcryptprimitives stand-in (it is test-only)"
else
    record FAIL "the stage holds no bcryptprimitives stand-in" "$(find "$STAGE" -iname 'bcryptprimitives*')"
fi

# DLLs every Windows 10 (x64) installation has in System32, and the API sets it resolves.
WINDOWS10_DLLS="advapi32 bcrypt bcryptprimitives crypt32 dnsapi iphlpapi kernel32 msvcrt ncrypt ntdll ole32 oleaut32 secur32 shell32 synchronization user32 userenv ws2_32"
is_windows10_dll() { # is_windows10_dll NAME.dll
    local n=${1,,}
    n=${n%.dll}
    [[ $n == api-ms-win-core-* ]] && return 0
    [[ " $WINDOWS10_DLLS " == *" $n "* ]]
}
dll_imports() { "$OBJDUMP" -p "$1" | sed -n 's/^[[:space:]]*DLL Name: //p' | awk '{ k = tolower($0) } !seen[k]++'; }
# check_imports FILE LABEL [ALSO_ALLOWED...]
check_imports() {
    local file=$1 label=$2 bad="" d
    shift 2
    local imports
    imports=$(dll_imports "$file")
    for d in $imports; do
        local ok=
        is_windows10_dll "$d" && ok=1
        for a in "$@"; do [[ ${d,,} == "${a,,}" ]] && ok=1; done
        [[ -n $ok ]] || bad+=" $d"
    done
    if [[ -z $imports ]]; then
        record FAIL "$label imports only DLLs Windows 10 ships" "objdump found no imports"
    elif [[ -z $bad ]]; then
        record OK "$label imports only DLLs Windows 10 ships: $(echo $imports | tr ' ' ',')"
    else
        record FAIL "$label imports only DLLs Windows 10 ships" "also needs:$bad"
    fi
}
echo "== the staged DLL: $(stat -c %s "$DLL") bytes; import library $(stat -c %s "$IMPLIB") bytes"
echo "   imports (x86_64-w64-mingw32-objdump -p):"
"$OBJDUMP" -p "$DLL" | awk '/^[[:space:]]*DLL Name:/ { dll = $3; n[dll] = 0; order[++k] = dll; next }
    dll != "" && /^[[:space:]]+[0-9a-f]+[[:space:]]+[0-9]+[[:space:]]+[A-Za-z_]/ { n[dll]++; if (length(names[dll]) < 70) names[dll] = names[dll] " " $3 }
    /^$/ { } END { for (i = 1; i <= k; i++) printf "     %-34s %3d functions:%s%s\n", order[i], n[order[i]], names[order[i]], (length(names[order[i]]) >= 70 ? " …" : "") }'
check_imports "$DLL" "nhantin.dll"
"$OBJDUMP" -p "$DLL" | sed -n '/DLL Name: bcryptprimitives.dll/,/^$/p' | grep -q ProcessPrng &&
    record OK "nhantin.dll takes ProcessPrng from bcryptprimitives.dll (Windows 8+; Rust's std)" ||
    record FAIL "nhantin.dll takes ProcessPrng from bcryptprimitives.dll" "the import list changed: revisit the Wine stand-in"

# Every function the header declares is exported, and every nhantin_ export is declared.
HEADER_FNS=$(grep -E '^[a-z].*[ *]nhantin_[a-z0-9_]+\(' include/nhantin.h | grep -oE 'nhantin_[a-z0-9_]+\(' | tr -d '(' | sort -u)
EXPORTS=$("$OBJDUMP" -p "$DLL" | sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' | awk '/^[[:space:]]*\[ *[0-9]+\]/ { print $NF }' | sort -u)
missing_exports=$(comm -23 <(echo "$HEADER_FNS") <(echo "$EXPORTS" | grep '^nhantin_'))
extra_exports=$(comm -13 <(echo "$HEADER_FNS") <(echo "$EXPORTS" | grep '^nhantin_'))
n_header=$(echo "$HEADER_FNS" | grep -c .)
if ((n_header < 40)); then
    record FAIL "nhantin.h declares its functions" "only $n_header found: the header's layout changed, fix this script"
elif [[ -z $missing_exports ]]; then
    record OK "nhantin.dll exports all $n_header functions of nhantin.h"
else
    record FAIL "nhantin.dll exports every function of nhantin.h" "missing: $(echo $missing_exports)"
fi
if [[ -z $extra_exports ]]; then
    record OK "every nhantin_ export of nhantin.dll is declared in nhantin.h ($(echo "$EXPORTS" | grep -c .) exports in all; the rest are UniFFI's)"
else
    record FAIL "every nhantin_ export is declared in nhantin.h" "undeclared: $(echo $extra_exports)"
fi
other=$(echo "$EXPORTS" | grep -vE '^(nhantin_|uniffi_|ffi_nhantin_|UNIFFI_META_)' | head -5)
[[ -z $other ]] && record OK "nhantin.dll exports nothing but nhantin_ and UniFFI's symbols" ||
    record FAIL "nhantin.dll exports nothing but nhantin_ and UniFFI's symbols" "also: $(echo $other)"

# ---- 4. build ----------------------------------------------------------------------------------
CSTD=(-std=c11 -Wall -Wextra -Wpedantic -Werror -D__USE_MINGW_ANSI_STDIO=1)
CXXSTD=(-std=c++17 -Wall -Wextra -Wpedantic -Werror -D__USE_MINGW_ANSI_STDIO=1)
NH_CFLAGS=(-I"$STAGE/include")
# -static: the mingw runtime (libgcc, libstdc++, winpthread) goes into each .exe, so only
# nhantin.dll (through its import library) and Windows' own DLLs are needed at run time.
NH_LIBS=(-static "$IMPLIB")
CJSON_CFLAGS=(-I"$CJSON/include")
CJSON_LIBS=("$CJSON/lib/libcjson.a")
CURL_CFLAGS=(-I"$CURLW/include" -DCURL_STATICLIB)
CURL_LIBS=("$CURLW/lib/libcurl.a" -lws2_32 -lcrypt32 -lbcrypt)
STATIC_LIBS=(-static "$STAGE/lib/libnhantin.a" -lws2_32 -lbcrypt -ladvapi32 -luserenv -lntdll -lsynchronization)

echo "== compiling (C: $CC ${CSTD[*]}; C++: $CXX ${CXXSTD[*]})"
declare -A BUILT=()
build() { # build NAME command...
    local name=$1 t
    shift
    t=$(now)
    if "$@" >"$LOGS/build-$name.log" 2>&1; then
        BUILT[$name]=1
        record OK "build $name ($(since "$t"))"
    else
        record FAIL "build $name" "see below"
        sed 's/^/      /' "$LOGS/build-$name.log" | head -40
    fi
}
# The C++ suite takes the longest (nlohmann-json): compiled in the background while the C
# programs are built on the other core. build_bg NAME command... / build_wait NAME
build_bg() {
    local name=$1
    shift
    date +%s.%N >"$LOGS/build-$name.start"
    ("$@" >"$LOGS/build-$name.log" 2>&1; echo $? >"$LOGS/build-$name.status") &
}
build_wait() {
    local name=$1 status
    wait
    status=$(cat "$LOGS/build-$name.status" 2>/dev/null || echo 1)
    if [[ $status == 0 ]]; then
        BUILT[$name]=1
        record OK "build $name ($(since "$(cat "$LOGS/build-$name.start")"), in the background)"
    else
        record FAIL "build $name" "see below"
        sed 's/^/      /' "$LOGS/build-$name.log" | head -40
    fi
}
have_cjson() { [[ -f $CJSON/lib/libcjson.a ]]; }
have_curl() { [[ -f $CURLW/lib/libcurl.a ]]; }

# nlohmann-json is header-only: Debian's copy, alone on the include path (not /usr/include).
mkdir -p "$BUILD/include" && ln -sfn /usr/include/nlohmann "$BUILD/include/nlohmann"
build_bg test_client "$CXX" "${CXXSTD[@]}" -O2 "${NH_CFLAGS[@]}" -I"$BUILD/include" "$SRC/test_client.cpp" -o "$BIN/test_client.exe" "${NH_LIBS[@]}" -lws2_32
# The test-only stand-in for bcryptprimitives.dll (Wine 8 has none), next to the programs only.
build bcryptprimitives-stub "$CC" -std=c11 -Wall -Wextra -Werror -O2 -shared "$SRC/windows/bcryptprimitives_stub.c" -o "$BIN/bcryptprimitives.dll" -ladvapi32
cp "$DLL" "$BIN/nhantin.dll"
if have_cjson; then
    build test_vectors "$CC" "${CSTD[@]}" -O2 "${NH_CFLAGS[@]}" "${CJSON_CFLAGS[@]}" "$SRC/test_vectors.c" -o "$BIN/test_vectors.exe" "${CJSON_LIBS[@]}" "${NH_LIBS[@]}"
else
    record FAIL "build test_vectors" "no cJSON for Windows"
fi
build test_misuse "$CC" "${CSTD[@]}" -O2 "${NH_CFLAGS[@]}" "$SRC/test_misuse.c" -o "$BIN/test_misuse.exe" "${NH_LIBS[@]}"
build test_static "$CC" "${CSTD[@]}" -O2 "${NH_CFLAGS[@]}" "$SRC/test_static.c" -o "$BIN/test_static.exe" "${STATIC_LIBS[@]}"
if have_cjson && have_curl; then
    build curl_send "$CC" "${CSTD[@]}" -O2 "${NH_CFLAGS[@]}" "${CURL_CFLAGS[@]}" "${CJSON_CFLAGS[@]}" "$SRC/examples/curl_send.c" -o "$BIN/curl_send.exe" "${CJSON_LIBS[@]}" "${CURL_LIBS[@]}" "${NH_LIBS[@]}"
    build test_machine "$CC" "${CSTD[@]}" -O2 "${NH_CFLAGS[@]}" "${CURL_CFLAGS[@]}" "${CJSON_CFLAGS[@]}" -I"$SRC" "$SRC/test_machine.c" -o "$BIN/test_machine.exe" "${CJSON_LIBS[@]}" "${CURL_LIBS[@]}" "${NH_LIBS[@]}"
    build test_canary "$CC" "${CSTD[@]}" -O2 "${NH_CFLAGS[@]}" "${CURL_CFLAGS[@]}" "${CJSON_CFLAGS[@]}" -I"$SRC" "$SRC/test_canary.c" -o "$BIN/test_canary.exe" "${CJSON_LIBS[@]}" "${CURL_LIBS[@]}" "${NH_LIBS[@]}"
else
    for n in curl_send test_machine test_canary; do record FAIL "build $n" "no cJSON or libcurl for Windows"; done
fi
printf '#include <nhantin.h>\nint main(void) { return nhantin_version()[0] == 0; }\n' >"$BUILD/header.c"
build header-as-c99 "$CC" -std=c99 -Wall -Wextra -Wpedantic -Werror -Wstrict-prototypes "${NH_CFLAGS[@]}" -fsyntax-only "$BUILD/header.c"
build header-as-c++11 "$CXX" -std=c++11 -Wall -Wextra -Wpedantic -Werror "${NH_CFLAGS[@]}" -fsyntax-only -x c++ "$BUILD/header.c"
build_wait test_client
for exe in test_vectors test_misuse test_client test_machine test_canary curl_send; do
    [[ -n ${BUILT[$exe]:-} ]] && check_imports "$BIN/$exe.exe" "$exe.exe" nhantin.dll
done
if [[ -n ${BUILT[test_static]:-} ]]; then
    dll_imports "$BIN/test_static.exe" | grep -qi '^nhantin.dll$' &&
        record FAIL "test_static.exe has no nhantin.dll dependency (static link)" ||
        record OK "test_static.exe has no nhantin.dll dependency (static link)"
fi

# ---- 5. Wine and the emulator --------------------------------------------------------------------
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
WINE_STARTED=
stop_wine() { # the wineserver of our own prefix only
    if [[ -n $WINE_STARTED ]]; then
        wineserver -k 2>/dev/null
        wineserver -w 2>/dev/null
        WINE_STARTED=
    fi
}
cleanup() {
    local status=$?
    stop_emulator
    stop_wine
    [[ -n $EMU_DIR ]] && rm -rf "$EMU_DIR"
    exit "$status"
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT
trap 'echo "terminated"; exit 143' TERM

echo "== starting Wine (prefix ${WINEPREFIX#"$ROOT"/})"
t=$(now)
WINE_STARTED=1
if timeout -k 5 300 wine cmd /c exit >"$LOGS/wine-start.log" 2>&1 9>&-; then
    record OK "$(wine --version) runs Windows programs ($(since "$t"))"
else
    record FAIL "wine starts" "$(tail -3 "$LOGS/wine-start.log" | tr '\n' ' ')"
fi

echo "== starting the emulator (Linux): ${NHANTIN_BIN#"$ROOT"/} emulator --port 0 --stop-on-stdin-eof"
if [[ -x $NHANTIN_BIN ]]; then
    EMU_DIR=$(mktemp -d "${TMPDIR:-/tmp}/nhantin-cwin-emu.XXXXXX")
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

# ---- 6. run under Wine ---------------------------------------------------------------------------
VECTORS=$(find tests/vectors -mindepth 2 -maxdepth 2 -name '*.json' | wc -l)
CODES=$(grep -cE '^ +NHANTIN_RESULT_[A-Z0-9_]+ = [0-9]+,' include/nhantin.h)
declare -a RESULTS=()
# run_prog LABEL EXE ARGS...: runs $BIN/EXE.exe under Wine, prints failures, adds the counts.
run_prog() {
    local label=$1 exe=$2
    shift 2
    local log=$LOGS/$label.log t status
    if [[ -z ${BUILT[$exe]:-} ]]; then
        record FAIL "$label" "not built"
        RESULTS+=("$(printf '%-22s not built' "$label")")
        return
    fi
    t=$(now)
    # Windows writes CRLF line ends; the closing line is read without them.
    timeout -k 5 600 wine "$BIN/$exe.exe" "$@" 2>&1 9>&- | tr -d '\r' >"$log"
    status=${PIPESTATUS[0]}
    local took line p=0 f=0
    took=$(since "$t")
    line=$(grep -E '^RESULT [^ ]+ passed=[0-9]+ failed=[0-9]+$' "$log" | tail -1)
    grep -vE '^RESULT ' "$log" | sed 's/^/  /' | grep -v '^  *$' | head -200
    if [[ -n $line ]]; then
        p=${line##*passed=}
        p=${p%% *}
        f=${line##*failed=}
        PASSED=$((PASSED + p))
        FAILED=$((FAILED + f))
        ((f > 0)) && SUMMARY+=("FAIL $label: $f failed check(s) (see above)")
        if ((status != 0 && f == 0)); then
            record FAIL "$label exits 0" "exit status $status"
        fi
    else
        record FAIL "$label" "ended without its RESULT line (exit status $status$( ((status == 124)) && echo ', timed out'); crash?)"
    fi
    RESULTS+=("$(printf '%-22s passed %5d, failed %3d   %8s' "$label" "$p" "$f" "$took")")
}

echo "== running under Wine"
echo "-- test_vectors ($VECTORS vector files)"
run_prog test_vectors test_vectors tests/vectors "$VECTORS"
echo "-- test_misuse ($CODES result codes in the header)"
run_prog test_misuse test_misuse "$CODES"
echo "-- test_static (libnhantin.a linked into the .exe)"
run_prog test_static test_static
for p in test_client test_machine test_canary; do
    echo "-- $p (through the emulator on Linux loopback)"
    if [[ -n $EMULATOR_LINE ]]; then
        run_prog "$p" "$p"
    else
        record FAIL "$p" "no emulator"
    fi
done

# run_example LABEL PATH NAME FAULT_JSON|"" EXPECTED...: the libcurl example once under Wine;
# it must exit 0 and print every expected text.
run_example() {
    local label=$1 exe=$2 name=$3 fault=$4
    shift 4
    local log=$LOGS/$label-${name// /_}.log
    if [[ ! -f $exe || -z $EMULATOR_LINE ]]; then
        record FAIL "$label: $name" "not built or no emulator"
        return
    fi
    local base esms
    base=$(sed -E 's/.*"base_url":"([^"]*)".*/\1/' <<<"$EMULATOR_LINE")
    esms=$(sed -E 's/.*"esms":"([^"]*)".*/\1/' <<<"$EMULATOR_LINE")
    : >"$log"
    if [[ -n $fault ]]; then
        # Queued from Linux: the emulator's control API is plain HTTP (bash's /dev/tcp).
        local hostport=${base#http://} reply
        reply=$(
            exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}" || exit 1
            printf 'POST /_emulator/faults HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
                "$hostport" "${#fault}" "$fault" >&3
            timeout 10 cat <&3
        )
        [[ $reply == *'"queued":true'* ]] || { record FAIL "$label: $name" "could not queue the fault: ${reply:0:200}"; return; }
    fi
    local account="{\"provider\":\"esms\",\"api_key\":\"DEMO_ESMS_API_KEY\",\"secret_key\":\"DEMO_ESMS_SECRET_KEY\",\"base_url\":\"$esms\"}"
    local message='{"recipients":["0912345678"],"content":{"sms":{"purpose":"otp","text":"Ma OTP 123456","sender":"NHANTIN"}}}'
    timeout -k 5 120 wine "$exe" "$account" "$message" 2>&1 9>&- | tr -d '\r' >>"$log"
    local status=${PIPESTATUS[0]} lacks=""
    for want in "$@"; do
        grep -qF -- "$want" "$log" || lacks+=" '$want'"
    done
    if ((status == 0)) && [[ -z $lacks ]]; then
        record OK "$label: $name"
    else
        record FAIL "$label: $name" "exit $status${lacks:+, output lacks$lacks} (log: ${log#"$ROOT"/})"
        sed 's/^/      /' "$log" | head -20
    fi
}
echo "-- examples/curl_send.c (the README's libcurl example, through the emulator)"
if [[ -n ${BUILT[curl_send]:-} ]]; then
    run_example curl_send.exe "$BIN/curl_send.exe" "a plain send is accepted" "" "request id nt-" '"status":"accepted"'
    run_example curl_send.exe "$BIN/curl_send.exe" "four 503s, then the safe resend is accepted" '{"fault":"status","status":503,"times":4,"path":"SendMultipleMessage_V4_post_json"}' \
        "outcome unknown" "resending with request id nt-" '"status":"accepted"'
else
    record FAIL "curl_send.exe" "not built"
fi

echo "-- examples/CMakeLists.txt for Windows (find_package(nhantin CONFIG REQUIRED) against the stage, mingw-w64 toolchain)"
CMAKE_BUILD=$BUILD/cmake-example
t=$(now)
if have_cjson && have_curl &&
    PKG_CONFIG_LIBDIR="$CJSON/lib/pkgconfig:$CURLW/lib/pkgconfig" PKG_CONFIG_PATH="" \
        cmake -S "$SRC/examples" -B "$CMAKE_BUILD" -DCMAKE_TOOLCHAIN_FILE="$SRC/windows/mingw-w64-x86_64.cmake" \
        -DCMAKE_PREFIX_PATH="$STAGE" -DCMAKE_FIND_ROOT_PATH="$STAGE;$CJSON;$CURLW" -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXE_LINKER_FLAGS=-static-libgcc >"$LOGS/cmake-configure.log" 2>&1 9>&- &&
    cmake --build "$CMAKE_BUILD" >"$LOGS/cmake-build.log" 2>&1 9>&-; then
    record OK "cmake (mingw-w64): find_package(nhantin 0.1 CONFIG REQUIRED), curl_send.exe and curl_send_static.exe built ($(since "$t"))"
    check_imports "$CMAKE_BUILD/curl_send.exe" "cmake's curl_send.exe (nhantin::nhantin)" nhantin.dll
    dll_imports "$CMAKE_BUILD/curl_send.exe" | grep -qi '^nhantin.dll$' &&
        record OK "cmake: nhantin::nhantin links nhantin.dll through its import library" ||
        record FAIL "cmake: nhantin::nhantin links nhantin.dll through its import library"
    dll_imports "$CMAKE_BUILD/curl_send_static.exe" | grep -qi '^nhantin.dll$' &&
        record FAIL "cmake: nhantin::nhantin_static links libnhantin.a (no nhantin.dll dependency)" ||
        record OK "cmake: nhantin::nhantin_static links libnhantin.a (no nhantin.dll dependency)"
    # Next to the test-only stand-in and nhantin.dll, as the other programs.
    cp "$CMAKE_BUILD/curl_send.exe" "$BIN/cmake_curl_send.exe"
    cp "$CMAKE_BUILD/curl_send_static.exe" "$BIN/cmake_curl_send_static.exe"
    run_example cmake_curl_send.exe "$BIN/cmake_curl_send.exe" "a plain send is accepted" "" "request id nt-" '"status":"accepted"'
    run_example cmake_curl_send_static.exe "$BIN/cmake_curl_send_static.exe" "four 503s, then the safe resend is accepted" \
        '{"fault":"status","status":503,"times":4,"path":"SendMultipleMessage_V4_post_json"}' "outcome unknown" "resending with request id nt-" '"status":"accepted"'
else
    record FAIL "cmake (mingw-w64): find_package(nhantin 0.1 CONFIG REQUIRED), build" "see below"
    cat "$LOGS/cmake-configure.log" "$LOGS/cmake-build.log" 2>/dev/null | tail -30 | sed 's/^/      /'
fi

echo "== stopping the emulator and Wine"
if [[ -n $EMU_PID ]]; then
    pid=$EMU_PID
    if stop_emulator; then
        record OK "emulator (pid $pid) exited when its stdin closed"
    else
        record FAIL "emulator (pid $pid) exited when its stdin closed" "it had to be killed"
    fi
fi
stop_wine

# ---- 7. summary --------------------------------------------------------------------------------
echo "== results (logs in ${LOGS#"$ROOT"/})"
for r in "${RESULTS[@]}"; do
    echo "   $r"
done
for s in "${SUMMARY[@]}"; do
    echo "   $s"
done
finish

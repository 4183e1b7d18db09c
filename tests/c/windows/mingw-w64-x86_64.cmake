# CMake toolchain file: cross-compile for 64-bit Windows with Debian's mingw-w64 (posix threads).
# Used by tests/c/windows/run.sh to build tests/c/examples with find_package(nhantin CONFIG)
# against the Windows stage:  cmake -DCMAKE_TOOLCHAIN_FILE=tests/c/windows/mingw-w64-x86_64.cmake …
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
# Libraries, headers and packages only from Windows roots, never from the Linux host: mingw's
# own, plus whatever the caller adds (-DCMAKE_FIND_ROOT_PATH="<nhantin stage>;…", the prefixes
# of other Windows libraries). Host programs (pkg-config, with PKG_CONFIG_LIBDIR pointing at
# Windows .pc files) run from the host.
list(APPEND CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# CMake package configuration for nhantin's C library, installed as
# <prefix>/lib/cmake/nhantin/nhantinConfig.cmake by scripts/install-c (Linux) and scripts/windows
# (Windows, mingw-w64). Relocatable: every path is found from this file's own location.
#
#   find_package(nhantin 0.1 CONFIG REQUIRED)      # CMAKE_PREFIX_PATH=<prefix> or nhantin_DIR=…
#   target_link_libraries(app PRIVATE nhantin::nhantin)          # the shared library
#   target_link_libraries(app PRIVATE nhantin::nhantin_static)   # libnhantin.a and its system libraries
#
# Both targets carry the include directory of nhantin.h. Sets nhantin_VERSION (from the header).
cmake_minimum_required(VERSION 3.14)

get_filename_component(_nhantin_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(_nhantin_header "${_nhantin_prefix}/include/nhantin.h")
if(NOT EXISTS "${_nhantin_header}")
  set(${CMAKE_FIND_PACKAGE_NAME}_FOUND FALSE)
  set(${CMAKE_FIND_PACKAGE_NAME}_NOT_FOUND_MESSAGE "nhantin.h is missing: ${_nhantin_header}")
  return()
endif()
file(STRINGS "${_nhantin_header}" _nhantin_version_line REGEX "^#define NHANTIN_VERSION \"[^\"]+\"$")
string(REGEX REPLACE "^#define NHANTIN_VERSION \"([^\"]+)\"$" "\\1" nhantin_VERSION "${_nhantin_version_line}")
string(REGEX REPLACE "^([0-9]+).*" "\\1" _nhantin_major "${nhantin_VERSION}")

if(WIN32)
  set(_nhantin_shared "${_nhantin_prefix}/bin/nhantin.dll")
  set(_nhantin_implib "${_nhantin_prefix}/lib/libnhantin.dll.a")
  # What Rust's std and nhantin's transport import (rustc --print native-static-libs); all ship
  # with Windows 10.
  set(_nhantin_static_deps ws2_32 bcrypt advapi32 userenv ntdll synchronization)
else()
  set(_nhantin_shared "${_nhantin_prefix}/lib/libnhantin.so.${nhantin_VERSION}")
  set(_nhantin_soname "libnhantin.so.${_nhantin_major}")
  include(CMakeFindDependencyMacro)
  find_dependency(Threads)
  set(_nhantin_static_deps Threads::Threads ${CMAKE_DL_LIBS} m)
endif()

if(NOT TARGET nhantin::nhantin)
  if(NOT EXISTS "${_nhantin_shared}")
    set(${CMAKE_FIND_PACKAGE_NAME}_FOUND FALSE)
    set(${CMAKE_FIND_PACKAGE_NAME}_NOT_FOUND_MESSAGE "the shared library is missing: ${_nhantin_shared}")
    return()
  endif()
  add_library(nhantin::nhantin SHARED IMPORTED)
  set_target_properties(nhantin::nhantin PROPERTIES
    IMPORTED_LOCATION "${_nhantin_shared}"
    INTERFACE_INCLUDE_DIRECTORIES "${_nhantin_prefix}/include")
  if(WIN32)
    set_target_properties(nhantin::nhantin PROPERTIES IMPORTED_IMPLIB "${_nhantin_implib}")
  else()
    set_target_properties(nhantin::nhantin PROPERTIES IMPORTED_SONAME "${_nhantin_soname}")
  endif()
endif()

if(NOT TARGET nhantin::nhantin_static AND EXISTS "${_nhantin_prefix}/lib/libnhantin.a")
  add_library(nhantin::nhantin_static STATIC IMPORTED)
  set_target_properties(nhantin::nhantin_static PROPERTIES
    IMPORTED_LOCATION "${_nhantin_prefix}/lib/libnhantin.a"
    IMPORTED_LINK_INTERFACE_LANGUAGES C
    INTERFACE_INCLUDE_DIRECTORIES "${_nhantin_prefix}/include"
    INTERFACE_LINK_LIBRARIES "${_nhantin_static_deps}")
endif()

unset(_nhantin_prefix)
unset(_nhantin_header)
unset(_nhantin_version_line)
unset(_nhantin_major)
unset(_nhantin_shared)
unset(_nhantin_implib)
unset(_nhantin_soname)
unset(_nhantin_static_deps)

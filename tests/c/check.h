/* Named assertions for the C test programs of nhantin (C11 and C++17).
 *
 * Every CHECK is one named assertion: it counts as passed or failed, failures are printed with
 * what was expected and what came back, and the program ends with one line
 * `RESULT <program> passed=N failed=M` that tests/c/run.sh reads. Set NHANTIN_TEST_VERBOSE=1 to
 * see the passing checks too. */
#ifndef NHANTIN_TEST_CHECK_H
#define NHANTIN_TEST_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__MINGW_PRINTF_FORMAT)
/* mingw-w64: gnu_printf when built with __USE_MINGW_ANSI_STDIO=1 (C99 %zu, %lld), else ms_printf. */
#define CHECK_PRINTF(f, a) __attribute__((format(__MINGW_PRINTF_FORMAT, f, a)))
#elif defined(__GNUC__)
#define CHECK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CHECK_PRINTF(f, a)
#endif

static int check_passed_count = 0;
static int check_failed_count = 0;

static inline bool check_verbose(void) {
    static int verbose = -1;
    if (verbose < 0) {
        const char *v = getenv("NHANTIN_TEST_VERBOSE");
        verbose = v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
    }
    return verbose != 0;
}

/* Records one assertion named by `fmt`; returns `ok` so callers can stop early. */
static inline bool CHECK_PRINTF(2, 3) check(bool ok, const char *fmt, ...) {
    if (ok) {
        check_passed_count++;
    } else {
        check_failed_count++;
    }
    if (!ok || check_verbose()) {
        va_list ap;
        va_start(ap, fmt);
        fputs(ok ? "  ok   " : "  FAIL ", stdout);
        vprintf(fmt, ap);
        fputc('\n', stdout);
        va_end(ap);
    }
    return ok;
}

/* Detail printed under the last failed check. */
static inline void CHECK_PRINTF(1, 2) check_note(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("         ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
}

static inline bool str_eq(const char *a, const char *b) {
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Checks that two C strings are equal (NULL equals only NULL) and prints both when not. */
static inline bool check_str(const char *actual, const char *expected, const char *name) {
    bool ok = (actual == NULL && expected == NULL) || str_eq(actual, expected);
    if (!check(ok, "%s", name)) {
        check_note("expected: %s%s%s", expected ? "\"" : "", expected ? expected : "NULL", expected ? "\"" : "");
        check_note("actual:   %s%s%s", actual ? "\"" : "", actual ? actual : "NULL", actual ? "\"" : "");
    }
    return ok;
}

/* Checks an unsigned number. */
static inline bool check_uint(unsigned long long actual, unsigned long long expected, const char *name) {
    bool ok = actual == expected;
    if (!check(ok, "%s", name)) {
        check_note("expected %llu, got %llu", expected, actual);
    }
    return ok;
}

/* Prints the closing line and returns the exit status. */
static inline int check_finish(const char *program) {
    printf("RESULT %s passed=%d failed=%d\n", program, check_passed_count, check_failed_count);
    fflush(stdout);
    return check_failed_count == 0 ? 0 : 1;
}

#endif /* NHANTIN_TEST_CHECK_H */

/* Every result code of include/nhantin.h with its name, for the C tests' messages and loops. */
#ifndef NHANTIN_TEST_NAMES_H
#define NHANTIN_TEST_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include <nhantin.h>

struct result_info {
    uint32_t code;
    const char *name;
};

/* In header order. A code added to the header must be added here (test_misuse checks the
 * count against the codes it knows how to classify). */
static const struct result_info all_results[] = {
    {NHANTIN_RESULT_OK, "OK"},
    {NHANTIN_RESULT_INVALID_INPUT, "INVALID_INPUT"},
    {NHANTIN_RESULT_INVALID_UTF8, "INVALID_UTF8"},
    {NHANTIN_RESULT_INVALID_JSON, "INVALID_JSON"},
    {NHANTIN_RESULT_CONFIG, "CONFIG"},
    {NHANTIN_RESULT_REJECTED, "REJECTED"},
    {NHANTIN_RESULT_UNAUTHORIZED, "UNAUTHORIZED"},
    {NHANTIN_RESULT_DUPLICATE_REQUEST_ID, "DUPLICATE_REQUEST_ID"},
    {NHANTIN_RESULT_RATE_LIMITED, "RATE_LIMITED"},
    {NHANTIN_RESULT_LOCKED_OUT, "LOCKED_OUT"},
    {NHANTIN_RESULT_TRANSPORT, "TRANSPORT"},
    {NHANTIN_RESULT_OUTCOME_UNKNOWN, "OUTCOME_UNKNOWN"},
    {NHANTIN_RESULT_PROVIDER_UNAVAILABLE, "PROVIDER_UNAVAILABLE"},
    {NHANTIN_RESULT_UNEXPECTED_RESPONSE, "UNEXPECTED_RESPONSE"},
    {NHANTIN_RESULT_ALREADY_SUBMITTED, "ALREADY_SUBMITTED"},
    {NHANTIN_RESULT_NULL_ARGUMENT, "NULL_ARGUMENT"},
    {NHANTIN_RESULT_BUFFER_TOO_SMALL, "BUFFER_TOO_SMALL"},
    {NHANTIN_RESULT_UNKNOWN_OPERATION, "UNKNOWN_OPERATION"},
    {NHANTIN_RESULT_WRONG_STATE, "WRONG_STATE"},
    {NHANTIN_RESULT_PANIC, "PANIC"},
};
#define ALL_RESULTS_COUNT (sizeof all_results / sizeof all_results[0])

static inline const char *result_name(uint32_t rc) {
    for (size_t i = 0; i < ALL_RESULTS_COUNT; i++) {
        if (all_results[i].code == rc) {
            return all_results[i].name;
        }
    }
    return "(unknown code)";
}

#endif /* NHANTIN_TEST_NAMES_H */

/* Misuse of nhantin's C ABI: NULL for every pointer argument of every entry point, strings that
 * are not UTF-8, malformed JSON, unknown operation and provider names, buffers that are too
 * small, NULL handles to every _free and getter, err_out NULL, the result-code messages and
 * classifiers for every code, and the version macros.
 *
 * usage: test_misuse [HEADER_RESULT_CODE_COUNT]
 *
 * Rules checked everywhere (README "C conventions"): a failed call writes nothing to its
 * outputs (each output is pre-filled with a sentinel and must still hold it), a successful
 * call leaves *err_out alone, and the error handed back carries the same code as the return
 * value. Nothing here touches the network: every call fails before a request is made. */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nhantin.h>

#include "check.h"
#include "names.h"

static char sentinel_bytes[] = "sentinel";
#define TEXT_SENTINEL (sentinel_bytes)
#define ERR_SENTINEL ((nhantin_error *)(void *)&sentinel_bytes[1])
#define CLIENT_SENTINEL ((nhantin_client *)(void *)&sentinel_bytes[2])
#define SIZE_SENTINEL ((size_t)0x5A5A5A5Au)
#define U32_SENTINEL ((uint32_t)0xA5A5A5A5u)

static const char *const NOT_UTF8 = "\xC3\x28 \xFF"; /* a broken 2-byte sequence and a 0xFF byte */

static const char *const ESMS_ACCOUNT = "{\"provider\":\"esms\",\"api_key\":\"K\",\"secret_key\":\"S\"}";
/* A port nothing listens on: a call that reached the network would fail with TRANSPORT, and
 * none is expected to. */
static const char *const ESMS_LOCAL_ACCOUNT =
    "{\"provider\":\"esms\",\"api_key\":\"K\",\"secret_key\":\"S\",\"base_url\":\"http://127.0.0.1:9/esms/\"}";
static const char *const CARESOFT_ACCOUNT = "{\"provider\":\"caresoft\",\"domain\":\"demo\",\"api_token\":\"T\",\"service_id\":12}";
static const char *const MESSAGE =
    "{\"recipients\":[\"0912345678\"],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"Ma OTP 123456\",\"sender\":\"NHANTIN\"}},\"request_id\":\"m-1\"}";
static const char *const ADVERTISING = "{\"recipients\":[\"0912345678\"],\"content\":{\"sms\":{\"purpose\":\"advertising\",\"text\":\"Sale\",\"sender\":\"NHANTIN\"}},\"request_id\":\"b-1\"}";
static const char *const NOW = "2026-11-24T02:00:00Z";
static const char *const SMS_ID = "d533459ee42b2b9525ba9eabf6a8156";
static const uint8_t SEND_OK_BODY[] = "{\"CodeResult\":\"100\",\"SMSID\":\"abc123\"}";

/* ---- helpers ----------------------------------------------------------------------------- */

static bool check_code(nhantin_result rc, nhantin_result want, const char *name) {
    bool ok = rc == want;
    if (!check(ok, "%s: returns %s", name, result_name(want))) {
        check_note("got %u %s", (unsigned)rc, result_name(rc));
    }
    return ok;
}

/* The error written on failure: present, carrying `want`; with `mentions`, its message names
 * the argument at fault. Frees it. */
static void check_err(nhantin_error *err, nhantin_result want, const char *mentions, const char *name) {
    if (!check(err != ERR_SENTINEL && err != NULL, "%s: err_out receives an error", name)) {
        return;
    }
    if (!check(nhantin_error_code(err) == want, "%s: nhantin_error_code is %s", name, result_name(want))) {
        check_note("got %s", result_name(nhantin_error_code(err)));
    }
    if (mentions != NULL) {
        const char *message = nhantin_error_message(err);
        if (!check(message != NULL && strstr(message, mentions) != NULL, "%s: message names %s", name, mentions)) {
            check_note("message: %s", message ? message : "NULL");
        }
    }
    nhantin_error_free(err);
}

/* A failed call that has one `char **` output. */
static void check_failed_text_call(nhantin_result rc, nhantin_result want, char *out, nhantin_error *err, const char *mentions,
                                   const char *name) {
    check_code(rc, want, name);
    check(out == TEXT_SENTINEL, "%s: output untouched", name);
    if (out != TEXT_SENTINEL) {
        nhantin_string_free(out);
    }
    check_err(err, want, mentions, name);
}

/* A successful call that has one `char **` output; returns the output (caller frees). */
static char *check_ok_text_call(nhantin_result rc, char *out, nhantin_error *err, const char *name) {
    if (!check_code(rc, NHANTIN_RESULT_OK, name) && err != ERR_SENTINEL && err != NULL) {
        check_note("error: %s", nhantin_error_json(err));
    }
    check(err == NULL, "%s: err_out cleared to NULL on success", name);
    if (err != ERR_SENTINEL) {
        nhantin_error_free(err);
    }
    check(out != TEXT_SENTINEL && out != NULL, "%s: output written", name);
    return out == TEXT_SENTINEL ? NULL : out;
}

/* ---- version, result codes, classifiers, free(NULL), getters(NULL) ----------------------- */

static void test_version(void) {
    const char *v = nhantin_version();
    check_str(v, NHANTIN_VERSION, "nhantin_version() equals NHANTIN_VERSION");
    unsigned major = 9999, minor = 9999, patch = 9999;
    char tail = '\0';
    int fields = v ? sscanf(v, "%u.%u.%u%c", &major, &minor, &patch, &tail) : 0;
    check(fields == 3, "nhantin_version() is MAJOR.MINOR.PATCH (\"%s\")", v ? v : "NULL");
    check_uint(major, NHANTIN_VERSION_MAJOR, "version major equals NHANTIN_VERSION_MAJOR");
    check_uint(minor, NHANTIN_VERSION_MINOR, "version minor equals NHANTIN_VERSION_MINOR");
    check_uint(patch, NHANTIN_VERSION_PATCH, "version patch equals NHANTIN_VERSION_PATCH");
    check(nhantin_version() == v, "nhantin_version() returns the same static string each time");
}

/* The description of every code (ffi/src/capi/result.rs). */
static const struct {
    uint32_t code;
    const char *text;
} descriptions[] = {
    {NHANTIN_RESULT_OK, "success"},
    {NHANTIN_RESULT_INVALID_INPUT, "invalid input; nothing was sent"},
    {NHANTIN_RESULT_INVALID_UTF8, "a string argument is not UTF-8"},
    {NHANTIN_RESULT_INVALID_JSON, "a JSON argument is malformed"},
    {NHANTIN_RESULT_CONFIG, "the client configuration is unusable"},
    {NHANTIN_RESULT_REJECTED, "the provider rejected the request"},
    {NHANTIN_RESULT_UNAUTHORIZED, "the provider refused the credentials"},
    {NHANTIN_RESULT_DUPLICATE_REQUEST_ID, "the request id was already used within 24 hours"},
    {NHANTIN_RESULT_RATE_LIMITED, "the provider is rate limiting; nothing was done"},
    {NHANTIN_RESULT_LOCKED_OUT, "the provider locked the account out; nothing was sent"},
    {NHANTIN_RESULT_TRANSPORT, "no connection could be made; nothing was sent"},
    {NHANTIN_RESULT_OUTCOME_UNKNOWN, "the message may have been sent; no answer came back"},
    {NHANTIN_RESULT_PROVIDER_UNAVAILABLE, "the provider answered with a server error"},
    {NHANTIN_RESULT_UNEXPECTED_RESPONSE, "the provider's answer has no documented shape"},
    {NHANTIN_RESULT_ALREADY_SUBMITTED,
     "not sent again: an earlier attempt with this request id reached the provider; acceptance unknown"},
    {NHANTIN_RESULT_NULL_ARGUMENT, "a required pointer argument is NULL"},
    {NHANTIN_RESULT_BUFFER_TOO_SMALL, "the buffer is too small"},
    {NHANTIN_RESULT_UNKNOWN_OPERATION, "unknown operation or provider name"},
    {NHANTIN_RESULT_WRONG_STATE, "the call does not fit the send machine's state"},
    {NHANTIN_RESULT_PANIC, "internal error (a bug in nhantin)"},
};

static const uint32_t unknown_codes[] = {1, 999, 1004, 1999, 2003, 3002, 4001, 5004, 6004, 6999, 7001, 8000, UINT32_MAX};

static void test_result_message_one(uint32_t code, const char *want) {
    char name[96];
    snprintf(name, sizeof name, "nhantin_result_message(%u)", (unsigned)code);
    char buf[128];
    size_t n = SIZE_SENTINEL;
    memset(buf, '#', sizeof buf);
    nhantin_result rc = nhantin_result_message(code, buf, sizeof buf, &n);
    if (check_code(rc, NHANTIN_RESULT_OK, name)) {
        check_str(buf, want, name);
        check_uint(n, strlen(want), "  … length without the NUL in *out_n");
    }
    /* Exactly one byte short (room for the text but not its NUL), then exactly enough. */
    size_t len = strlen(want);
    memset(buf, '#', sizeof buf);
    n = SIZE_SENTINEL;
    rc = nhantin_result_message(code, buf, len, &n);
    snprintf(name, sizeof name, "nhantin_result_message(%u) with len %zu", (unsigned)code, len);
    check_code(rc, NHANTIN_RESULT_BUFFER_TOO_SMALL, name);
    check_uint(n, len, "  … needed length in *out_n");
    check(buf[0] == '#' && buf[len > 0 ? len - 1 : 0] == '#', "%s: buffer untouched", name);
    memset(buf, '#', sizeof buf);
    rc = nhantin_result_message(code, buf, len + 1, &n);
    snprintf(name, sizeof name, "nhantin_result_message(%u) with len %zu (exact)", (unsigned)code, len + 1);
    if (check_code(rc, NHANTIN_RESULT_OK, name)) {
        check(buf[len] == '\0' && buf[len + 1] == '#', "%s: NUL-terminated, nothing written past len", name);
    }
}

static void test_result_messages(size_t header_codes) {
    check(ALL_RESULTS_COUNT == sizeof descriptions / sizeof descriptions[0], "every code has a description in this test");
    if (header_codes != 0) {
        if (!check(header_codes == ALL_RESULTS_COUNT, "the header's %zu result codes are all known to this test", header_codes)) {
            check_note("tests/c/names.h lists %zu; add the new ones", (size_t)ALL_RESULTS_COUNT);
        }
    }
    for (size_t i = 0; i < sizeof descriptions / sizeof descriptions[0]; i++) {
        test_result_message_one(descriptions[i].code, descriptions[i].text);
    }
    for (size_t i = 0; i < sizeof unknown_codes / sizeof unknown_codes[0]; i++) {
        test_result_message_one(unknown_codes[i], "unknown result code");
    }
    /* len 0 with a real buffer; NULL buffer; NULL out_n. */
    char buf[8] = "#######";
    size_t n = SIZE_SENTINEL;
    check_code(nhantin_result_message(NHANTIN_RESULT_OK, buf, 0, &n), NHANTIN_RESULT_BUFFER_TOO_SMALL, "nhantin_result_message len 0");
    check_uint(n, 7, "nhantin_result_message len 0: needed length 7 (\"success\")");
    check(buf[0] == '#', "nhantin_result_message len 0: buffer untouched");
    n = SIZE_SENTINEL;
    check_code(nhantin_result_message(NHANTIN_RESULT_OK, NULL, 64, &n), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_result_message buf NULL");
    check(n == SIZE_SENTINEL, "nhantin_result_message buf NULL: out_n untouched");
    /* The snprintf(NULL, 0) idiom: a size query. */
    n = SIZE_SENTINEL;
    check_code(nhantin_result_message(NHANTIN_RESULT_OK, NULL, 0, &n), NHANTIN_RESULT_BUFFER_TOO_SMALL, "nhantin_result_message NULL, 0: a size query");
    check_uint(n, 7, "nhantin_result_message NULL, 0: needed length 7");
    check_code(nhantin_result_message(NHANTIN_RESULT_OK, buf, sizeof buf, NULL), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_result_message out_n NULL");
    check(buf[0] == '#', "nhantin_result_message out_n NULL: buffer untouched");
}

static void test_classifiers(void) {
    /* Every header code and some unknown ones; the expected answers follow the header's
     * groups: 1000s input, 2000s provider, 3000s rate limited, 5000s outcome unknown; retry
     * safe for the codes that prove nothing was done (3000, 3001, 4000). */
    uint32_t codes[ALL_RESULTS_COUNT + sizeof unknown_codes / sizeof unknown_codes[0]];
    size_t n = 0;
    for (size_t i = 0; i < ALL_RESULTS_COUNT; i++) {
        codes[n++] = all_results[i].code;
    }
    for (size_t i = 0; i < sizeof unknown_codes / sizeof unknown_codes[0]; i++) {
        codes[n++] = unknown_codes[i];
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t c = codes[i];
        bool input = c >= 1000 && c < 2000, provider = c >= 2000 && c < 3000, rate = c >= 3000 && c < 4000,
             unknown = c >= 5000 && c < 6000, retry = c == 3000 || c == 3001 || c == 4000;
        check(nhantin_result_is_input_error(c) == input, "nhantin_result_is_input_error(%u) is %s", (unsigned)c, input ? "true" : "false");
        check(nhantin_result_is_provider_error(c) == provider, "nhantin_result_is_provider_error(%u) is %s", (unsigned)c,
              provider ? "true" : "false");
        check(nhantin_result_is_rate_limited(c) == rate, "nhantin_result_is_rate_limited(%u) is %s", (unsigned)c, rate ? "true" : "false");
        check(nhantin_result_is_outcome_unknown(c) == unknown, "nhantin_result_is_outcome_unknown(%u) is %s", (unsigned)c,
              unknown ? "true" : "false");
        check(nhantin_result_is_retry_safe(c) == retry, "nhantin_result_is_retry_safe(%u) is %s", (unsigned)c, retry ? "true" : "false");
    }
}

static void test_null_handles(void) {
    nhantin_string_free(NULL);
    check(true, "nhantin_string_free(NULL) is a no-op");
    nhantin_client_free(NULL);
    check(true, "nhantin_client_free(NULL) is a no-op");
    nhantin_error_free(NULL);
    check(true, "nhantin_error_free(NULL) is a no-op");
    check_uint(nhantin_error_code(NULL), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_error_code(NULL) is NULL_ARGUMENT");
    check(nhantin_error_message(NULL) == NULL, "nhantin_error_message(NULL) is NULL");
    check(nhantin_error_field(NULL) == NULL, "nhantin_error_field(NULL) is NULL");
    check(nhantin_error_provider(NULL) == NULL, "nhantin_error_provider(NULL) is NULL");
    check(nhantin_error_reason(NULL) == NULL, "nhantin_error_reason(NULL) is NULL");
    check(nhantin_error_provider_code(NULL) == NULL, "nhantin_error_provider_code(NULL) is NULL");
    check(nhantin_error_retry_after_secs(NULL) == -1, "nhantin_error_retry_after_secs(NULL) is -1");
    check(!nhantin_error_is_retry_safe(NULL), "nhantin_error_is_retry_safe(NULL) is false");
    check(nhantin_error_json(NULL) == NULL, "nhantin_error_json(NULL) is NULL");
}

/* ---- client ------------------------------------------------------------------------------ */

static void check_failed_client_new(const char *account, const char *options, nhantin_result want, const char *mentions,
                                    const char *name) {
    nhantin_client *c = CLIENT_SENTINEL;
    nhantin_error *err = ERR_SENTINEL;
    nhantin_result rc = nhantin_client_new(account, options, &c, &err);
    check_code(rc, want, name);
    check(c == CLIENT_SENTINEL, "%s: client_out untouched", name);
    if (c != CLIENT_SENTINEL) {
        nhantin_client_free(c);
    }
    check_err(err, want, mentions, name);
}

static nhantin_client *new_local_client(void) {
    nhantin_client *c = CLIENT_SENTINEL;
    nhantin_error *err = ERR_SENTINEL;
    nhantin_result rc = nhantin_client_new(ESMS_LOCAL_ACCOUNT, "{\"allow_insecure_http\":true,\"max_attempts\":1}", &c, &err);
    check_code(rc, NHANTIN_RESULT_OK, "nhantin_client_new (loopback eSMS, allow_insecure_http)");
    check(err == NULL, "nhantin_client_new success: err_out cleared to NULL");
    check(c != CLIENT_SENTINEL && c != NULL, "nhantin_client_new success: client written");
    if (err != ERR_SENTINEL) {
        nhantin_error_free(err);
    }
    return c == CLIENT_SENTINEL ? NULL : c;
}

static void test_client_new(void) {
    nhantin_client *c = CLIENT_SENTINEL;
    nhantin_error *err = ERR_SENTINEL;

    check_failed_client_new(NULL, NULL, NHANTIN_RESULT_NULL_ARGUMENT, "account_json", "nhantin_client_new account_json NULL");
    /* client_out NULL */
    nhantin_result rc = nhantin_client_new(ESMS_ACCOUNT, NULL, NULL, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_client_new client_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "client_out", "nhantin_client_new client_out NULL");
    /* err_out NULL is accepted on failure and on success */
    check_code(nhantin_client_new(NULL, NULL, &c, NULL), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_client_new err_out NULL (failing)");
    check(c == CLIENT_SENTINEL, "nhantin_client_new err_out NULL (failing): client_out untouched");
    rc = nhantin_client_new(ESMS_ACCOUNT, NULL, &c, NULL);
    check_code(rc, NHANTIN_RESULT_OK, "nhantin_client_new options NULL, err_out NULL (https default base URL)");
    check(c != CLIENT_SENTINEL && c != NULL, "nhantin_client_new options NULL: client written");
    if (c != CLIENT_SENTINEL) {
        nhantin_client_free(c);
    }

    check_failed_client_new(NOT_UTF8, NULL, NHANTIN_RESULT_INVALID_UTF8, "account_json", "nhantin_client_new account_json not UTF-8");
    check_failed_client_new(ESMS_ACCOUNT, NOT_UTF8, NHANTIN_RESULT_INVALID_UTF8, "options_json", "nhantin_client_new options_json not UTF-8");
    check_failed_client_new("{\"provider\":", NULL, NHANTIN_RESULT_INVALID_JSON, "invalid account", "nhantin_client_new account_json garbage");
    check_failed_client_new(ESMS_ACCOUNT, "[1,2", NHANTIN_RESULT_INVALID_JSON, "invalid options", "nhantin_client_new options_json garbage");
    /* Well-formed JSON of the wrong shape is invalid input on that field, like core's JSON forms. */
    check_failed_client_new(ESMS_ACCOUNT, "{\"allow_insecure\":true}", NHANTIN_RESULT_INVALID_INPUT, "invalid options",
                            "nhantin_client_new options_json unknown member");
    check_failed_client_new("{\"provider\":\"twilio\",\"api_key\":\"K\"}", NULL, NHANTIN_RESULT_INVALID_INPUT, "invalid account",
                            "nhantin_client_new unknown provider in account_json");
    check_failed_client_new(ESMS_LOCAL_ACCOUNT, NULL, NHANTIN_RESULT_CONFIG, "https", "nhantin_client_new plain http without allow_insecure_http");
    check_failed_client_new(ESMS_LOCAL_ACCOUNT, "{\"allow_insecure_http\":true,\"max_attempts\":0}", NHANTIN_RESULT_CONFIG, "max_attempts",
                            "nhantin_client_new max_attempts 0");

    /* A semantically invalid account: INVALID_INPUT with the field. */
    c = CLIENT_SENTINEL;
    err = ERR_SENTINEL;
    rc = nhantin_client_new("{\"provider\":\"caresoft\",\"domain\":\"evil/../x\",\"api_token\":\"T\",\"service_id\":12}", NULL, &c, &err);
    check_code(rc, NHANTIN_RESULT_INVALID_INPUT, "nhantin_client_new caresoft domain with a slash");
    check(c == CLIENT_SENTINEL, "nhantin_client_new caresoft domain with a slash: client_out untouched");
    if (err != ERR_SENTINEL) {
        check_str(nhantin_error_field(err), "domain", "nhantin_client_new caresoft domain with a slash: field");
        check(nhantin_result_is_input_error(nhantin_error_code(err)), "nhantin_client_new caresoft domain: an input error");
        nhantin_error_free(err);
    } else {
        check(false, "nhantin_client_new caresoft domain with a slash: error written");
    }
}

static void test_client_calls(void) {
    nhantin_client *c = new_local_client();
    if (c == NULL) {
        return;
    }
    char *out;
    nhantin_error *err;
    nhantin_result rc;

#define FAIL_TEXT(call, want, mentions, name)                                   \
    do {                                                                        \
        out = TEXT_SENTINEL;                                                    \
        err = ERR_SENTINEL;                                                     \
        rc = (call);                                                            \
        check_failed_text_call(rc, (want), out, err, (mentions), (name));       \
    } while (0)

    /* nhantin_client_send */
    FAIL_TEXT(nhantin_client_send(NULL, MESSAGE, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "client", "nhantin_client_send client NULL");
    FAIL_TEXT(nhantin_client_send(c, NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "message_json", "nhantin_client_send message_json NULL");
    err = ERR_SENTINEL;
    rc = nhantin_client_send(c, MESSAGE, NULL, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_client_send outcome_json_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "outcome_json_out", "nhantin_client_send outcome_json_out NULL");
    FAIL_TEXT(nhantin_client_send(c, NOT_UTF8, &out, &err), NHANTIN_RESULT_INVALID_UTF8, "message_json", "nhantin_client_send message not UTF-8");
    FAIL_TEXT(nhantin_client_send(c, "{\"recipients\":", &out, &err), NHANTIN_RESULT_INVALID_JSON, "invalid message", "nhantin_client_send message garbage");
    FAIL_TEXT(nhantin_client_send(c, "{\"recipients\":[\"0912345678\"],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"\",\"sender\":\"NHANTIN\"}}}", &out, &err),
              NHANTIN_RESULT_INVALID_INPUT, NULL, "nhantin_client_send empty text");
    out = TEXT_SENTINEL;
    check_code(nhantin_client_send(NULL, MESSAGE, &out, NULL), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_client_send err_out NULL");
    check(out == TEXT_SENTINEL, "nhantin_client_send err_out NULL: output untouched");

    /* nhantin_client_send_bulk */
    FAIL_TEXT(nhantin_client_send_bulk(NULL, ADVERTISING, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "client", "nhantin_client_send_bulk client NULL");
    FAIL_TEXT(nhantin_client_send_bulk(c, NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "message_json",
              "nhantin_client_send_bulk message_json NULL");
    err = ERR_SENTINEL;
    rc = nhantin_client_send_bulk(c, ADVERTISING, NULL, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_client_send_bulk batches_json_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "batches_json_out", "nhantin_client_send_bulk batches_json_out NULL");
    FAIL_TEXT(nhantin_client_send_bulk(c, NOT_UTF8, &out, &err), NHANTIN_RESULT_INVALID_UTF8, "message_json",
              "nhantin_client_send_bulk message not UTF-8");
    FAIL_TEXT(nhantin_client_send_bulk(c, "[]", &out, &err), NHANTIN_RESULT_INVALID_INPUT, "invalid message", "nhantin_client_send_bulk message of the wrong shape");

    /* nhantin_client_balance */
    FAIL_TEXT(nhantin_client_balance(NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "client", "nhantin_client_balance client NULL");
    err = ERR_SENTINEL;
    rc = nhantin_client_balance(c, NULL, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_client_balance json_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "json_out", "nhantin_client_balance json_out NULL");

    /* nhantin_client_send_status / nhantin_client_receiver_status */
    FAIL_TEXT(nhantin_client_send_status(NULL, SMS_ID, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "client", "nhantin_client_send_status client NULL");
    FAIL_TEXT(nhantin_client_send_status(c, NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "sms_id", "nhantin_client_send_status sms_id NULL");
    FAIL_TEXT(nhantin_client_send_status(c, NOT_UTF8, &out, &err), NHANTIN_RESULT_INVALID_UTF8, "sms_id", "nhantin_client_send_status sms_id not UTF-8");
    err = ERR_SENTINEL;
    rc = nhantin_client_send_status(c, SMS_ID, NULL, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_client_send_status json_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "json_out", "nhantin_client_send_status json_out NULL");
    FAIL_TEXT(nhantin_client_receiver_status(NULL, SMS_ID, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "client",
              "nhantin_client_receiver_status client NULL");
    FAIL_TEXT(nhantin_client_receiver_status(c, NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "sms_id", "nhantin_client_receiver_status sms_id NULL");
    FAIL_TEXT(nhantin_client_receiver_status(c, NOT_UTF8, &out, &err), NHANTIN_RESULT_INVALID_UTF8, "sms_id",
              "nhantin_client_receiver_status sms_id not UTF-8");
    err = ERR_SENTINEL;
    rc = nhantin_client_receiver_status(c, SMS_ID, NULL, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_client_receiver_status json_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "json_out", "nhantin_client_receiver_status json_out NULL");

    /* nhantin_client_resend: every argument, and an error that offers no safe resend */
    nhantin_error *no_resend = NULL;
    out = TEXT_SENTINEL;
    check_code(nhantin_client_send(c, "{\"recipients\":", &out, &no_resend), NHANTIN_RESULT_INVALID_JSON, "an error to resend from");
    FAIL_TEXT(nhantin_client_resend(NULL, MESSAGE, no_resend, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "client", "nhantin_client_resend client NULL");
    FAIL_TEXT(nhantin_client_resend(c, NULL, no_resend, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "message_json",
              "nhantin_client_resend message_json NULL");
    FAIL_TEXT(nhantin_client_resend(c, MESSAGE, NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "unknown", "nhantin_client_resend unknown NULL");
    FAIL_TEXT(nhantin_client_resend(c, NOT_UTF8, no_resend, &out, &err), NHANTIN_RESULT_INVALID_UTF8, "message_json",
              "nhantin_client_resend message not UTF-8");
    err = ERR_SENTINEL;
    rc = nhantin_client_resend(c, MESSAGE, no_resend, NULL, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_client_resend outcome_json_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "outcome_json_out", "nhantin_client_resend outcome_json_out NULL");
    FAIL_TEXT(nhantin_client_resend(c, MESSAGE, no_resend, &out, &err), NHANTIN_RESULT_INVALID_INPUT, "no safe resend",
              "nhantin_client_resend with an error that is not an unknown outcome (nothing sent)");

    /* nhantin_client_reconcile: every argument, and an error that is not an unknown outcome */
    FAIL_TEXT(nhantin_client_reconcile(NULL, MESSAGE, no_resend, NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "client",
              "nhantin_client_reconcile client NULL");
    FAIL_TEXT(nhantin_client_reconcile(c, NULL, no_resend, NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "message_json",
              "nhantin_client_reconcile message_json NULL");
    FAIL_TEXT(nhantin_client_reconcile(c, MESSAGE, NULL, NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "unknown",
              "nhantin_client_reconcile unknown NULL");
    FAIL_TEXT(nhantin_client_reconcile(c, MESSAGE, no_resend, "{\"margin\":1}", &out, &err), NHANTIN_RESULT_INVALID_INPUT, "options",
              "nhantin_client_reconcile unknown option");
    FAIL_TEXT(nhantin_client_reconcile(c, MESSAGE, no_resend, NULL, &out, &err), NHANTIN_RESULT_INVALID_INPUT, "unknown outcome",
              "nhantin_client_reconcile with an error that is not an unknown outcome");
    err = ERR_SENTINEL;
    rc = nhantin_client_reconcile(c, MESSAGE, no_resend, NULL, NULL, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_client_reconcile verdicts_json_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "verdicts_json_out", "nhantin_client_reconcile verdicts_json_out NULL");
    nhantin_error_free(no_resend);

    /* nhantin_encode_sent_data: NULLs and a window eSMS would refuse */
    FAIL_TEXT(nhantin_encode_sent_data(NULL, "{}", &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "account_json", "nhantin_encode_sent_data account NULL");
    FAIL_TEXT(nhantin_encode_sent_data(ESMS_ACCOUNT, NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "window_json",
              "nhantin_encode_sent_data window NULL");
    FAIL_TEXT(nhantin_encode_sent_data(ESMS_ACCOUNT, "{\"sms_type\":2,\"from\":\"2026-11-24T00:00:00Z\",\"to\":\"2026-11-24T01:00:00Z\",\"page\":0,\"page_size\":10}",
                                       &out, &err),
              NHANTIN_RESULT_INVALID_INPUT, "page", "nhantin_encode_sent_data page 0");
    FAIL_TEXT(nhantin_encode_sent_data(ESMS_ACCOUNT, "{\"sms_type\":", &out, &err), NHANTIN_RESULT_INVALID_JSON, "window",
              "nhantin_encode_sent_data window not JSON");

    nhantin_client_free(c);
    check(true, "nhantin_client_free(live client) returns");
}

/* ---- the send machine (sans-IO: nothing here touches the network) ------------------------- */

#define MACHINE_SENTINEL ((nhantin_send_machine *)(void *)&sentinel_bytes[3])
#define STATE_SENTINEL ((nhantin_account_state *)(void *)&sentinel_bytes[4])
static const char *const CONTEXT = "{\"now_ms\":1780000000000}";

static void check_failed_machine_new(nhantin_result rc, nhantin_result want, nhantin_send_machine *m, nhantin_error *err,
                                     const char *mentions, const char *name) {
    check_code(rc, want, name);
    check(m == MACHINE_SENTINEL, "%s: machine_out untouched", name);
    if (m != MACHINE_SENTINEL) {
        nhantin_send_machine_free(m);
    }
    check_err(err, want, mentions, name);
}

static void test_send_machine(void) {
    nhantin_send_machine *m;
    nhantin_error *err;
    nhantin_result rc;
    char *out;

    /* nhantin_account_state_new / _free, nhantin_request_id_generate */
    check_code(nhantin_account_state_new(NULL), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_account_state_new state_out NULL");
    nhantin_account_state *state = STATE_SENTINEL;
    check_code(nhantin_account_state_new(&state), NHANTIN_RESULT_OK, "nhantin_account_state_new");
    check(state != STATE_SENTINEL && state != NULL, "nhantin_account_state_new: state written");
    if (state == STATE_SENTINEL || state == NULL) {
        return;
    }
    nhantin_account_state_free(NULL);
    check(true, "nhantin_account_state_free(NULL) is a no-op");
    check_code(nhantin_request_id_generate(NULL), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_request_id_generate request_id_out NULL");
    out = TEXT_SENTINEL;
    if (check_code(nhantin_request_id_generate(&out), NHANTIN_RESULT_OK, "nhantin_request_id_generate")) {
        check(out != TEXT_SENTINEL && strlen(out) == 35 && strncmp(out, "nt-", 3) == 0, "nhantin_request_id_generate: nt- and 32 hex digits");
        char *second = NULL;
        nhantin_request_id_generate(&second);
        check(second != NULL && strcmp(out, second) != 0, "nhantin_request_id_generate: two calls, two ids");
        nhantin_string_free(second);
        nhantin_string_free(out);
    }

#define FAIL_NEW(call, want, mentions, name)                              \
    do {                                                                  \
        m = MACHINE_SENTINEL;                                             \
        err = ERR_SENTINEL;                                               \
        rc = (call);                                                      \
        check_failed_machine_new(rc, (want), m, err, (mentions), (name)); \
    } while (0)

    /* nhantin_send_machine_new */
    FAIL_NEW(nhantin_send_machine_new(NULL, MESSAGE, CONTEXT, NULL, &m, &err), NHANTIN_RESULT_NULL_ARGUMENT, "account_json",
             "nhantin_send_machine_new account_json NULL");
    FAIL_NEW(nhantin_send_machine_new(ESMS_ACCOUNT, NULL, CONTEXT, NULL, &m, &err), NHANTIN_RESULT_NULL_ARGUMENT, "message_json",
             "nhantin_send_machine_new message_json NULL");
    FAIL_NEW(nhantin_send_machine_new(ESMS_ACCOUNT, MESSAGE, NULL, NULL, &m, &err), NHANTIN_RESULT_NULL_ARGUMENT, "context_json",
             "nhantin_send_machine_new context_json NULL");
    err = ERR_SENTINEL;
    rc = nhantin_send_machine_new(ESMS_ACCOUNT, MESSAGE, CONTEXT, NULL, NULL, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_send_machine_new machine_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "machine_out", "nhantin_send_machine_new machine_out NULL");
    FAIL_NEW(nhantin_send_machine_new(NOT_UTF8, MESSAGE, CONTEXT, NULL, &m, &err), NHANTIN_RESULT_INVALID_UTF8, "account_json",
             "nhantin_send_machine_new account_json not UTF-8");
    FAIL_NEW(nhantin_send_machine_new(ESMS_ACCOUNT, MESSAGE, NOT_UTF8, NULL, &m, &err), NHANTIN_RESULT_INVALID_UTF8, "context_json",
             "nhantin_send_machine_new context_json not UTF-8");
    FAIL_NEW(nhantin_send_machine_new(ESMS_ACCOUNT, MESSAGE, CONTEXT, NOT_UTF8, &m, &err), NHANTIN_RESULT_INVALID_UTF8, "policy_json",
             "nhantin_send_machine_new policy_json not UTF-8");
    FAIL_NEW(nhantin_send_machine_new(ESMS_ACCOUNT, MESSAGE, "{\"now_ms\":", NULL, &m, &err), NHANTIN_RESULT_INVALID_JSON, "invalid context",
             "nhantin_send_machine_new context_json garbage");
    FAIL_NEW(nhantin_send_machine_new(ESMS_ACCOUNT, MESSAGE, "{}", NULL, &m, &err), NHANTIN_RESULT_INVALID_INPUT, "now_ms",
             "nhantin_send_machine_new context_json without now_ms");
    FAIL_NEW(nhantin_send_machine_new(ESMS_ACCOUNT, MESSAGE, "{\"now_ms\":1,\"clock\":2}", NULL, &m, &err), NHANTIN_RESULT_INVALID_INPUT,
             "invalid context", "nhantin_send_machine_new context_json unknown member");
    FAIL_NEW(nhantin_send_machine_new(ESMS_ACCOUNT, MESSAGE, CONTEXT, "{\"retries\":2}", &m, &err), NHANTIN_RESULT_INVALID_INPUT,
             "invalid policy", "nhantin_send_machine_new policy_json unknown member");
    FAIL_NEW(nhantin_send_machine_new(ESMS_ACCOUNT, MESSAGE, CONTEXT, "{\"max_attempts\":0}", &m, &err), NHANTIN_RESULT_INVALID_INPUT,
             "max_attempts", "nhantin_send_machine_new policy max_attempts 0");
    FAIL_NEW(nhantin_send_machine_new(ESMS_ACCOUNT, "{\"recipients\":[\"0912345678\"],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"\",\"sender\":\"NHANTIN\"}}}",
                                      CONTEXT, NULL, &m, &err),
             NHANTIN_RESULT_INVALID_INPUT, NULL, "nhantin_send_machine_new empty text (refused before any transmit)");
    check_code(nhantin_send_machine_new(NULL, MESSAGE, CONTEXT, NULL, &m, NULL), NHANTIN_RESULT_NULL_ARGUMENT,
               "nhantin_send_machine_new err_out NULL (failing)");

    /* nhantin_send_machine_resend */
    nhantin_error *no_resend = NULL;
    m = MACHINE_SENTINEL;
    nhantin_send_machine_new(ESMS_ACCOUNT, MESSAGE, "{}", NULL, &m, &no_resend);
    FAIL_NEW(nhantin_send_machine_resend(NULL, MESSAGE, no_resend, CONTEXT, NULL, &m, &err), NHANTIN_RESULT_NULL_ARGUMENT, "account_json",
             "nhantin_send_machine_resend account_json NULL");
    FAIL_NEW(nhantin_send_machine_resend(ESMS_ACCOUNT, NULL, no_resend, CONTEXT, NULL, &m, &err), NHANTIN_RESULT_NULL_ARGUMENT, "message_json",
             "nhantin_send_machine_resend message_json NULL");
    FAIL_NEW(nhantin_send_machine_resend(ESMS_ACCOUNT, MESSAGE, NULL, CONTEXT, NULL, &m, &err), NHANTIN_RESULT_NULL_ARGUMENT, "unknown",
             "nhantin_send_machine_resend unknown NULL");
    FAIL_NEW(nhantin_send_machine_resend(ESMS_ACCOUNT, MESSAGE, no_resend, NULL, NULL, &m, &err), NHANTIN_RESULT_INVALID_INPUT, "no safe resend",
             "nhantin_send_machine_resend from an error that is not an unknown outcome");
    err = ERR_SENTINEL;
    rc = nhantin_send_machine_resend(ESMS_ACCOUNT, MESSAGE, no_resend, CONTEXT, NULL, NULL, &err);
    check_code(rc, NHANTIN_RESULT_INVALID_INPUT, "nhantin_send_machine_resend machine_out NULL (the error is checked first)");
    check_err(err, NHANTIN_RESULT_INVALID_INPUT, NULL, "nhantin_send_machine_resend machine_out NULL");
    nhantin_error_free(no_resend);

    /* A machine: getters, the order of calls, every argument of poll and the reports. */
    m = MACHINE_SENTINEL;
    err = ERR_SENTINEL;
    rc = nhantin_send_machine_new(ESMS_ACCOUNT, MESSAGE, CONTEXT, NULL, &m, &err);
    if (!check_code(rc, NHANTIN_RESULT_OK, "nhantin_send_machine_new valid") || m == MACHINE_SENTINEL) {
        nhantin_account_state_free(state);
        return;
    }
    check(err == NULL, "nhantin_send_machine_new success: err_out cleared to NULL");
    check_str(nhantin_send_machine_request_id(m), "m-1", "nhantin_send_machine_request_id is the message's");
    check(nhantin_send_machine_request_id(NULL) == NULL, "nhantin_send_machine_request_id(NULL) is NULL");
    nhantin_send_machine_free(NULL);
    check(true, "nhantin_send_machine_free(NULL) is a no-op");

    FAIL_TEXT(nhantin_send_machine_result(m, &out, &err), NHANTIN_RESULT_WRONG_STATE, "not done", "nhantin_send_machine_result before done");
    FAIL_TEXT(nhantin_send_machine_result(NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "machine", "nhantin_send_machine_result machine NULL");
    err = ERR_SENTINEL;
    check_code(nhantin_send_machine_result(m, NULL, &err), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_send_machine_result outcome_json_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "outcome_json_out", "nhantin_send_machine_result outcome_json_out NULL");

    static const uint8_t body[] = "{\"CodeResult\":\"100\",\"SMSID\":\"abc\"}";
    err = ERR_SENTINEL;
    check_code(nhantin_send_machine_on_response(m, state, 1780000000000, 200, NULL, body, sizeof body - 1, &err), NHANTIN_RESULT_WRONG_STATE,
               "nhantin_send_machine_on_response before any transmit");
    check_err(err, NHANTIN_RESULT_WRONG_STATE, "no transmit", "nhantin_send_machine_on_response before any transmit");
    err = ERR_SENTINEL;
    check_code(nhantin_send_machine_on_failure(m, state, 1780000000000, true, "reset", &err), NHANTIN_RESULT_WRONG_STATE,
               "nhantin_send_machine_on_failure before any transmit");
    check_err(err, NHANTIN_RESULT_WRONG_STATE, "no transmit", "nhantin_send_machine_on_failure before any transmit");

    FAIL_TEXT(nhantin_send_machine_poll(NULL, state, 1780000000000, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "machine",
              "nhantin_send_machine_poll machine NULL");
    FAIL_TEXT(nhantin_send_machine_poll(m, NULL, 1780000000000, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "state",
              "nhantin_send_machine_poll state NULL");
    err = ERR_SENTINEL;
    check_code(nhantin_send_machine_poll(m, state, 1780000000000, NULL, &err), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_send_machine_poll step_json_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "step_json_out", "nhantin_send_machine_poll step_json_out NULL");

    out = TEXT_SENTINEL;
    err = ERR_SENTINEL;
    rc = nhantin_send_machine_poll(m, state, 1780000000000, &out, &err);
    char *step = check_ok_text_call(rc, out, err, "nhantin_send_machine_poll: the first transmit");
    check(step != NULL && strstr(step, "\"step\":\"transmit\"") != NULL, "nhantin_send_machine_poll: {\"step\":\"transmit\",...}");
    nhantin_string_free(step);
    FAIL_TEXT(nhantin_send_machine_poll(m, state, 1780000000001, &out, &err), NHANTIN_RESULT_WRONG_STATE, "not been reported",
              "nhantin_send_machine_poll again before the report");

#define FAIL_REPORT(call, want, mentions, name) \
    do {                                        \
        err = ERR_SENTINEL;                     \
        rc = (call);                            \
        check_code(rc, (want), (name));         \
        check_err(err, (want), (mentions), (name)); \
    } while (0)

    FAIL_REPORT(nhantin_send_machine_on_response(NULL, state, 1, 200, NULL, body, sizeof body - 1, &err), NHANTIN_RESULT_NULL_ARGUMENT, "machine",
                "nhantin_send_machine_on_response machine NULL");
    FAIL_REPORT(nhantin_send_machine_on_response(m, NULL, 1, 200, NULL, body, sizeof body - 1, &err), NHANTIN_RESULT_NULL_ARGUMENT, "state",
                "nhantin_send_machine_on_response state NULL");
    FAIL_REPORT(nhantin_send_machine_on_response(m, state, 1, 200, NULL, NULL, 5, &err), NHANTIN_RESULT_NULL_ARGUMENT, "body",
                "nhantin_send_machine_on_response body NULL with a length");
    FAIL_REPORT(nhantin_send_machine_on_response(m, state, 1, 200, NOT_UTF8, body, sizeof body - 1, &err), NHANTIN_RESULT_INVALID_UTF8,
                "headers_json", "nhantin_send_machine_on_response headers_json not UTF-8");
    FAIL_REPORT(nhantin_send_machine_on_response(m, state, 1, 200, "[[\"a\"", body, sizeof body - 1, &err), NHANTIN_RESULT_INVALID_JSON,
                "invalid headers", "nhantin_send_machine_on_response headers_json garbage");
    FAIL_REPORT(nhantin_send_machine_on_response(m, state, 1, 200, "{\"a\":1}", body, sizeof body - 1, &err), NHANTIN_RESULT_INVALID_INPUT,
                "invalid headers", "nhantin_send_machine_on_response headers_json of the wrong shape");
    FAIL_REPORT(nhantin_send_machine_on_failure(NULL, state, 1, true, "reset", &err), NHANTIN_RESULT_NULL_ARGUMENT, "machine",
                "nhantin_send_machine_on_failure machine NULL");
    FAIL_REPORT(nhantin_send_machine_on_failure(m, NULL, 1, true, "reset", &err), NHANTIN_RESULT_NULL_ARGUMENT, "state",
                "nhantin_send_machine_on_failure state NULL");
    FAIL_REPORT(nhantin_send_machine_on_failure(m, state, 1, true, NULL, &err), NHANTIN_RESULT_NULL_ARGUMENT, "cause",
                "nhantin_send_machine_on_failure cause NULL");
    FAIL_REPORT(nhantin_send_machine_on_failure(m, state, 1, true, NOT_UTF8, &err), NHANTIN_RESULT_INVALID_UTF8, "cause",
                "nhantin_send_machine_on_failure cause not UTF-8");
    /* None of those failed reports counted: the transmit is still waiting for its report. */
    err = ERR_SENTINEL;
    rc = nhantin_send_machine_on_response(m, state, 1780000000002, 200, "[[\"Content-Type\",\"application/json\"]]", body, sizeof body - 1, &err);
    check_code(rc, NHANTIN_RESULT_OK, "nhantin_send_machine_on_response after the failed reports");
    check(err == NULL, "nhantin_send_machine_on_response success: err_out cleared to NULL");
    out = TEXT_SENTINEL;
    err = ERR_SENTINEL;
    rc = nhantin_send_machine_poll(m, state, 1780000000003, &out, &err);
    step = check_ok_text_call(rc, out, err, "nhantin_send_machine_poll: done");
    check(step != NULL && strstr(step, "\"step\":\"done\"") != NULL && strstr(step, "\"result\":0") != NULL, "nhantin_send_machine_poll: done, result 0");
    nhantin_string_free(step);
    out = TEXT_SENTINEL;
    err = ERR_SENTINEL;
    rc = nhantin_send_machine_result(m, &out, &err);
    char *outcome = check_ok_text_call(rc, out, err, "nhantin_send_machine_result after done");
    check(outcome != NULL && strstr(outcome, "\"status\":\"accepted\"") != NULL, "nhantin_send_machine_result: accepted");
    nhantin_string_free(outcome);
    out = TEXT_SENTINEL;
    rc = nhantin_send_machine_poll(m, state, 1780000000004, &out, NULL);
    step = check_ok_text_call(rc, out, NULL, "nhantin_send_machine_poll after done (err_out NULL)");
    check(step != NULL && strstr(step, "\"step\":\"done\"") != NULL, "nhantin_send_machine_poll after done repeats done");
    nhantin_string_free(step);
    nhantin_send_machine_free(m);
    check(true, "nhantin_send_machine_free(live machine) returns");
    nhantin_account_state_free(state);
    check(true, "nhantin_account_state_free(live state) returns");
}

/* ---- sans-IO encode / decode / parse ----------------------------------------------------- */

static void test_encode(void) {
    char *out;
    nhantin_error *err;
    nhantin_result rc;

    /* nhantin_encode_send: success first, so the failures below differ only in the one argument */
    out = TEXT_SENTINEL;
    err = ERR_SENTINEL;
    rc = nhantin_encode_send(ESMS_ACCOUNT, MESSAGE, NOW, &out, &err);
    char *request = check_ok_text_call(rc, out, err, "nhantin_encode_send valid");
    check(request != NULL && strstr(request, "\"idempotency_key\":\"m-1\"") != NULL, "nhantin_encode_send: idempotency_key is the request id");
    nhantin_string_free(request);
    out = TEXT_SENTINEL;
    rc = nhantin_encode_send(ESMS_ACCOUNT, MESSAGE, NOW, &out, NULL);
    nhantin_string_free(check_ok_text_call(rc, out, NULL, "nhantin_encode_send err_out NULL (succeeding)"));

    FAIL_TEXT(nhantin_encode_send(NULL, MESSAGE, NOW, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "account_json", "nhantin_encode_send account_json NULL");
    FAIL_TEXT(nhantin_encode_send(ESMS_ACCOUNT, NULL, NOW, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "message_json",
              "nhantin_encode_send message_json NULL");
    FAIL_TEXT(nhantin_encode_send(ESMS_ACCOUNT, MESSAGE, NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "now_rfc3339",
              "nhantin_encode_send now_rfc3339 NULL");
    err = ERR_SENTINEL;
    rc = nhantin_encode_send(ESMS_ACCOUNT, MESSAGE, NOW, NULL, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_encode_send request_json_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "request_json_out", "nhantin_encode_send request_json_out NULL");
    FAIL_TEXT(nhantin_encode_send(NOT_UTF8, MESSAGE, NOW, &out, &err), NHANTIN_RESULT_INVALID_UTF8, "account_json",
              "nhantin_encode_send account_json not UTF-8");
    FAIL_TEXT(nhantin_encode_send(ESMS_ACCOUNT, NOT_UTF8, NOW, &out, &err), NHANTIN_RESULT_INVALID_UTF8, "message_json",
              "nhantin_encode_send message_json not UTF-8");
    FAIL_TEXT(nhantin_encode_send(ESMS_ACCOUNT, MESSAGE, NOT_UTF8, &out, &err), NHANTIN_RESULT_INVALID_UTF8, "now_rfc3339",
              "nhantin_encode_send now_rfc3339 not UTF-8");
    FAIL_TEXT(nhantin_encode_send("not json", MESSAGE, NOW, &out, &err), NHANTIN_RESULT_INVALID_JSON, "invalid account",
              "nhantin_encode_send account_json garbage");
    FAIL_TEXT(nhantin_encode_send(ESMS_ACCOUNT, "{\"recipients\":[],}", NOW, &out, &err), NHANTIN_RESULT_INVALID_JSON, "invalid message",
              "nhantin_encode_send message_json garbage");
    FAIL_TEXT(nhantin_encode_send(ESMS_ACCOUNT, "", NOW, &out, &err), NHANTIN_RESULT_INVALID_JSON, "invalid message",
              "nhantin_encode_send message_json empty");
    FAIL_TEXT(nhantin_encode_send(ESMS_ACCOUNT, MESSAGE, "yesterday", &out, &err), NHANTIN_RESULT_INVALID_INPUT, NULL,
              "nhantin_encode_send now not RFC 3339");
    check_code(nhantin_encode_send(ESMS_ACCOUNT, "{", NOW, &out, NULL), NHANTIN_RESULT_INVALID_JSON, "nhantin_encode_send err_out NULL (failing)");

    /* nhantin_encode_query */
    out = TEXT_SENTINEL;
    err = ERR_SENTINEL;
    rc = nhantin_encode_query(ESMS_ACCOUNT, "balance", NULL, &out, &err);
    nhantin_string_free(check_ok_text_call(rc, out, err, "nhantin_encode_query balance with sms_id NULL"));
    FAIL_TEXT(nhantin_encode_query(NULL, "balance", NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "account_json",
              "nhantin_encode_query account_json NULL");
    FAIL_TEXT(nhantin_encode_query(ESMS_ACCOUNT, NULL, NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "operation",
              "nhantin_encode_query operation NULL");
    FAIL_TEXT(nhantin_encode_query(ESMS_ACCOUNT, "send_status", NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "sms_id",
              "nhantin_encode_query send_status with sms_id NULL");
    FAIL_TEXT(nhantin_encode_query(ESMS_ACCOUNT, "receiver_status", NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "sms_id",
              "nhantin_encode_query receiver_status with sms_id NULL");
    err = ERR_SENTINEL;
    rc = nhantin_encode_query(ESMS_ACCOUNT, "balance", NULL, NULL, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_encode_query request_json_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "request_json_out", "nhantin_encode_query request_json_out NULL");
    FAIL_TEXT(nhantin_encode_query(ESMS_ACCOUNT, "balanse", NULL, &out, &err), NHANTIN_RESULT_UNKNOWN_OPERATION, "balanse",
              "nhantin_encode_query unknown operation");
    FAIL_TEXT(nhantin_encode_query(ESMS_ACCOUNT, "", NULL, &out, &err), NHANTIN_RESULT_UNKNOWN_OPERATION, NULL,
              "nhantin_encode_query empty operation");
    FAIL_TEXT(nhantin_encode_query(ESMS_ACCOUNT, NOT_UTF8, NULL, &out, &err), NHANTIN_RESULT_INVALID_UTF8, "operation",
              "nhantin_encode_query operation not UTF-8");
    FAIL_TEXT(nhantin_encode_query(ESMS_ACCOUNT, "send_status", NOT_UTF8, &out, &err), NHANTIN_RESULT_INVALID_UTF8, "sms_id",
              "nhantin_encode_query sms_id not UTF-8");
    FAIL_TEXT(nhantin_encode_query("{]", "balance", NULL, &out, &err), NHANTIN_RESULT_INVALID_JSON, "invalid account",
              "nhantin_encode_query account_json garbage");
    out = TEXT_SENTINEL;
    err = ERR_SENTINEL;
    rc = nhantin_encode_query(CARESOFT_ACCOUNT, "balance", NULL, &out, &err);
    check_code(rc, NHANTIN_RESULT_INVALID_INPUT, "nhantin_encode_query on a CareSoft account");
    check(out == TEXT_SENTINEL, "nhantin_encode_query on a CareSoft account: output untouched");
    if (check(err != ERR_SENTINEL, "nhantin_encode_query on a CareSoft account: error written")) {
        check_str(nhantin_error_field(err), "account", "nhantin_encode_query on a CareSoft account: field");
        nhantin_error_free(err);
    }
}

static void test_decode(void) {
    char *out;
    nhantin_error *err;
    nhantin_result rc;
    const size_t body_len = sizeof SEND_OK_BODY - 1;

    out = TEXT_SENTINEL;
    err = ERR_SENTINEL;
    rc = nhantin_decode("esms", "send", 200, NULL, SEND_OK_BODY, body_len, &out, &err);
    char *receipt = check_ok_text_call(rc, out, err, "nhantin_decode headers_json NULL");
    check_str(receipt, "{\"receipt\":{\"provider\":\"esms\",\"recipients\":[],\"reference\":\"abc123\",\"ticket\":null,\"token\":null}}",
              "nhantin_decode headers_json NULL: receipt");
    nhantin_string_free(receipt);

    FAIL_TEXT(nhantin_decode(NULL, "send", 200, NULL, SEND_OK_BODY, body_len, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "provider",
              "nhantin_decode provider NULL");
    FAIL_TEXT(nhantin_decode("esms", NULL, 200, NULL, SEND_OK_BODY, body_len, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "operation",
              "nhantin_decode operation NULL");
    FAIL_TEXT(nhantin_decode("esms", "send", 200, "[]", NULL, 5, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "body",
              "nhantin_decode body NULL with body_len 5");
    err = ERR_SENTINEL;
    rc = nhantin_decode("esms", "send", 200, "[]", SEND_OK_BODY, body_len, NULL, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_decode result_json_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "result_json_out", "nhantin_decode result_json_out NULL");
    /* body NULL with body_len 0 is allowed: an empty 200 answer is the provider's fault */
    FAIL_TEXT(nhantin_decode("esms", "send", 200, NULL, NULL, 0, &out, &err), NHANTIN_RESULT_UNEXPECTED_RESPONSE, NULL,
              "nhantin_decode body NULL with body_len 0 (empty answer)");
    FAIL_TEXT(nhantin_decode("twilio", "send", 200, NULL, SEND_OK_BODY, body_len, &out, &err), NHANTIN_RESULT_UNKNOWN_OPERATION, "twilio",
              "nhantin_decode unknown provider");
    FAIL_TEXT(nhantin_decode("esms", "refund", 200, NULL, SEND_OK_BODY, body_len, &out, &err), NHANTIN_RESULT_UNKNOWN_OPERATION, "refund",
              "nhantin_decode unknown operation");
    FAIL_TEXT(nhantin_decode("caresoft", "balance", 200, NULL, SEND_OK_BODY, body_len, &out, &err), NHANTIN_RESULT_UNKNOWN_OPERATION, "balance",
              "nhantin_decode eSMS-only operation for CareSoft");
    FAIL_TEXT(nhantin_decode("interits", "receiver_status", 200, NULL, SEND_OK_BODY, body_len, &out, &err), NHANTIN_RESULT_UNKNOWN_OPERATION,
              "receiver_status", "nhantin_decode eSMS-only operation for InterITS");
    FAIL_TEXT(nhantin_decode(NOT_UTF8, "send", 200, NULL, SEND_OK_BODY, body_len, &out, &err), NHANTIN_RESULT_INVALID_UTF8, "provider",
              "nhantin_decode provider not UTF-8");
    FAIL_TEXT(nhantin_decode("esms", NOT_UTF8, 200, NULL, SEND_OK_BODY, body_len, &out, &err), NHANTIN_RESULT_INVALID_UTF8, "operation",
              "nhantin_decode operation not UTF-8");
    FAIL_TEXT(nhantin_decode("esms", "send", 200, NOT_UTF8, SEND_OK_BODY, body_len, &out, &err), NHANTIN_RESULT_INVALID_UTF8, "headers_json",
              "nhantin_decode headers_json not UTF-8");
    FAIL_TEXT(nhantin_decode("esms", "send", 200, "[[\"Retry-After\"", SEND_OK_BODY, body_len, &out, &err), NHANTIN_RESULT_INVALID_JSON,
              "invalid headers", "nhantin_decode headers_json garbage");
    FAIL_TEXT(nhantin_decode("esms", "send", 200, "{\"Retry-After\":\"5\"}", SEND_OK_BODY, body_len, &out, &err), NHANTIN_RESULT_INVALID_INPUT,
              "invalid headers", "nhantin_decode headers_json an object instead of pairs");
    /* A body that is not UTF-8 is the provider's problem, not the caller's */
    static const uint8_t binary[] = {0xFF, 0xFE, 0x00, 0x81};
    FAIL_TEXT(nhantin_decode("esms", "send", 200, NULL, binary, sizeof binary, &out, &err), NHANTIN_RESULT_UNEXPECTED_RESPONSE, NULL,
              "nhantin_decode binary body");
    check_code(nhantin_decode("nope", "send", 200, NULL, NULL, 0, &out, NULL), NHANTIN_RESULT_UNKNOWN_OPERATION,
               "nhantin_decode err_out NULL (failing)");
}

static void test_callbacks(void) {
    char *out;
    nhantin_error *err;
    nhantin_result rc;

    out = TEXT_SENTINEL;
    err = ERR_SENTINEL;
    rc = nhantin_parse_delivery_report("", &out, &err);
    nhantin_string_free(check_ok_text_call(rc, out, err, "nhantin_parse_delivery_report empty query"));
    FAIL_TEXT(nhantin_parse_delivery_report(NULL, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "query", "nhantin_parse_delivery_report query NULL");
    err = ERR_SENTINEL;
    rc = nhantin_parse_delivery_report("SMSID=x", NULL, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_parse_delivery_report report_json_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "report_json_out", "nhantin_parse_delivery_report report_json_out NULL");
    FAIL_TEXT(nhantin_parse_delivery_report(NOT_UTF8, &out, &err), NHANTIN_RESULT_INVALID_UTF8, "query",
              "nhantin_parse_delivery_report query not UTF-8");
    check_code(nhantin_parse_delivery_report(NULL, &out, NULL), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_parse_delivery_report err_out NULL");

    static const uint8_t callback[] = "{\"msisdn\":\"84901234567\",\"requestId\":\"r\",\"status\":1}";
    out = TEXT_SENTINEL;
    err = ERR_SENTINEL;
    rc = nhantin_parse_interits_callback(callback, sizeof callback - 1, &out, &err);
    nhantin_string_free(check_ok_text_call(rc, out, err, "nhantin_parse_interits_callback valid"));
    FAIL_TEXT(nhantin_parse_interits_callback(NULL, 5, &out, &err), NHANTIN_RESULT_NULL_ARGUMENT, "body",
              "nhantin_parse_interits_callback body NULL");
    err = ERR_SENTINEL;
    rc = nhantin_parse_interits_callback(callback, sizeof callback - 1, NULL, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_parse_interits_callback callback_json_out NULL");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "callback_json_out", "nhantin_parse_interits_callback callback_json_out NULL");
    FAIL_TEXT(nhantin_parse_interits_callback((const uint8_t *)"{", 1, &out, &err), NHANTIN_RESULT_INVALID_INPUT, NULL,
              "nhantin_parse_interits_callback garbage body");
    check_code(nhantin_parse_interits_callback((const uint8_t *)"{", 1, &out, NULL), NHANTIN_RESULT_INVALID_INPUT,
               "nhantin_parse_interits_callback err_out NULL");
}

/* ---- phone and text ---------------------------------------------------------------------- */

static void check_phone_untouched(const char *buf, size_t n, uint32_t carrier, const char *name, bool n_too) {
    check(buf[0] == '#' && buf[15] == '#', "%s: buf untouched", name);
    if (n_too) {
        check(n == SIZE_SENTINEL, "%s: out_n untouched", name);
    }
    check(carrier == U32_SENTINEL, "%s: carrier_out untouched", name);
}

static void test_phone(void) {
    char buf[16];
    size_t n;
    uint32_t carrier;
    nhantin_error *err;
    nhantin_result rc;
    const char *input = "0912 345 678";

#define PHONE_RESET()                  \
    do {                               \
        memset(buf, '#', sizeof buf);  \
        n = SIZE_SENTINEL;             \
        carrier = U32_SENTINEL;        \
        err = ERR_SENTINEL;            \
    } while (0)

    PHONE_RESET();
    rc = nhantin_phone_normalize(NULL, NHANTIN_PHONE_FORMAT_NATIONAL, buf, sizeof buf, &n, &carrier, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_phone_normalize input NULL");
    check_phone_untouched(buf, n, carrier, "nhantin_phone_normalize input NULL", true);
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "input", "nhantin_phone_normalize input NULL");

    PHONE_RESET();
    rc = nhantin_phone_normalize(input, NHANTIN_PHONE_FORMAT_NATIONAL, NULL, sizeof buf, &n, &carrier, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_phone_normalize buf NULL");
    check(n == SIZE_SENTINEL && carrier == U32_SENTINEL, "nhantin_phone_normalize buf NULL: out_n and carrier_out untouched");
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "buf", "nhantin_phone_normalize buf NULL");

    PHONE_RESET();
    rc = nhantin_phone_normalize(input, NHANTIN_PHONE_FORMAT_NATIONAL, NULL, 0, &n, &carrier, &err);
    check_code(rc, NHANTIN_RESULT_BUFFER_TOO_SMALL, "nhantin_phone_normalize NULL, 0: a size query");
    check_uint(n, 10, "nhantin_phone_normalize NULL, 0: needed length 10");
    nhantin_error_free(err);

    PHONE_RESET();
    rc = nhantin_phone_normalize(input, NHANTIN_PHONE_FORMAT_NATIONAL, buf, sizeof buf, NULL, &carrier, &err);
    check_code(rc, NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_phone_normalize out_n NULL");
    check_phone_untouched(buf, n, carrier, "nhantin_phone_normalize out_n NULL", false);
    check_err(err, NHANTIN_RESULT_NULL_ARGUMENT, "out_n", "nhantin_phone_normalize out_n NULL");

    PHONE_RESET();
    rc = nhantin_phone_normalize(input, NHANTIN_PHONE_FORMAT_NATIONAL, buf, sizeof buf, &n, NULL, NULL);
    check_code(rc, NHANTIN_RESULT_OK, "nhantin_phone_normalize carrier_out NULL and err_out NULL");
    check_str(buf, "0912345678", "nhantin_phone_normalize carrier_out NULL: number written");

    PHONE_RESET();
    rc = nhantin_phone_normalize(input, 3, buf, sizeof buf, &n, &carrier, &err);
    check_code(rc, NHANTIN_RESULT_UNKNOWN_OPERATION, "nhantin_phone_normalize format 3");
    check_phone_untouched(buf, n, carrier, "nhantin_phone_normalize format 3", true);
    check_err(err, NHANTIN_RESULT_UNKNOWN_OPERATION, NULL, "nhantin_phone_normalize format 3");

    PHONE_RESET();
    rc = nhantin_phone_normalize(NOT_UTF8, NHANTIN_PHONE_FORMAT_NATIONAL, buf, sizeof buf, &n, &carrier, &err);
    check_code(rc, NHANTIN_RESULT_INVALID_UTF8, "nhantin_phone_normalize input not UTF-8");
    check_phone_untouched(buf, n, carrier, "nhantin_phone_normalize input not UTF-8", true);
    check_err(err, NHANTIN_RESULT_INVALID_UTF8, "input", "nhantin_phone_normalize input not UTF-8");

    PHONE_RESET();
    rc = nhantin_phone_normalize("01201234567", NHANTIN_PHONE_FORMAT_NATIONAL, buf, sizeof buf, &n, &carrier, &err);
    check_code(rc, NHANTIN_RESULT_INVALID_INPUT, "nhantin_phone_normalize legacy 11-digit number");
    check_phone_untouched(buf, n, carrier, "nhantin_phone_normalize legacy 11-digit number", true);
    if (err != ERR_SENTINEL) {
        const char *message = nhantin_error_message(err);
        check(message != NULL && strstr(message, "070****567") != NULL && strstr(message, "0701234567") == NULL, "nhantin_phone_normalize legacy number: message names the new number, masked");
        nhantin_error_free(err);
    }
    check_code(nhantin_phone_normalize("x", NHANTIN_PHONE_FORMAT_NATIONAL, buf, sizeof buf, &n, &carrier, NULL), NHANTIN_RESULT_INVALID_INPUT,
               "nhantin_phone_normalize err_out NULL (failing)");

    /* Too-small buffers, for each format: the needed length (without NUL) comes back in out_n,
     * nothing in buf or carrier_out; that length plus one then suffices. */
    static const struct {
        uint32_t format;
        const char *text;
    } formats[] = {{NHANTIN_PHONE_FORMAT_NATIONAL, "0912345678"}, {NHANTIN_PHONE_FORMAT_INTERNATIONAL, "84912345678"}, {NHANTIN_PHONE_FORMAT_E164, "+84912345678"}};
    for (size_t i = 0; i < 3; i++) {
        size_t want = strlen(formats[i].text);
        const size_t lens[] = {0, 1, want};
        for (size_t k = 0; k < 3; k++) {
            char name[96];
            snprintf(name, sizeof name, "nhantin_phone_normalize format %u len %zu", (unsigned)formats[i].format, lens[k]);
            PHONE_RESET();
            rc = nhantin_phone_normalize(input, formats[i].format, buf, lens[k], &n, &carrier, &err);
            check_code(rc, NHANTIN_RESULT_BUFFER_TOO_SMALL, name);
            if (!check(n == want, "%s: needed length %zu in out_n", name, want)) {
                check_note("out_n %zu", n);
            }
            check_phone_untouched(buf, n, carrier, name, false);
            check_err(err, NHANTIN_RESULT_BUFFER_TOO_SMALL, NULL, name);
        }
        char name[96];
        snprintf(name, sizeof name, "nhantin_phone_normalize format %u len %zu (exact)", (unsigned)formats[i].format, want + 1);
        PHONE_RESET();
        rc = nhantin_phone_normalize(input, formats[i].format, buf, want + 1, &n, &carrier, &err);
        if (check_code(rc, NHANTIN_RESULT_OK, name)) {
            check_str(buf, formats[i].text, name);
            check(buf[want + 1] == '#', "%s: nothing written past len", name);
            check_uint(n, want, "  … out_n");
            check_uint(carrier, NHANTIN_CARRIER_VINAPHONE, "  … carrier VINAPHONE");
            check(err == NULL, "%s: err_out cleared to NULL", name);
        }
    }
}

static void test_text(void) {
    uint32_t enc;
    size_t chars, units, segs;
    nhantin_result rc;

#define TEXT_RESET()                        \
    do {                                    \
        enc = U32_SENTINEL;                 \
        chars = units = segs = SIZE_SENTINEL; \
    } while (0)
#define TEXT_UNTOUCHED() (enc == U32_SENTINEL && chars == SIZE_SENTINEL && units == SIZE_SENTINEL && segs == SIZE_SENTINEL)

    TEXT_RESET();
    check_code(nhantin_text_analyze(NULL, &enc, &chars, &units, &segs), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_text_analyze text NULL");
    check(TEXT_UNTOUCHED(), "nhantin_text_analyze text NULL: outputs untouched");
    TEXT_RESET();
    check_code(nhantin_text_analyze("abc", NULL, &chars, &units, &segs), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_text_analyze encoding_out NULL");
    check(chars == SIZE_SENTINEL && units == SIZE_SENTINEL && segs == SIZE_SENTINEL, "nhantin_text_analyze encoding_out NULL: outputs untouched");
    TEXT_RESET();
    check_code(nhantin_text_analyze("abc", &enc, NULL, &units, &segs), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_text_analyze characters_out NULL");
    check(enc == U32_SENTINEL && units == SIZE_SENTINEL && segs == SIZE_SENTINEL, "nhantin_text_analyze characters_out NULL: outputs untouched");
    TEXT_RESET();
    check_code(nhantin_text_analyze("abc", &enc, &chars, NULL, &segs), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_text_analyze units_out NULL");
    check(enc == U32_SENTINEL && chars == SIZE_SENTINEL && segs == SIZE_SENTINEL, "nhantin_text_analyze units_out NULL: outputs untouched");
    TEXT_RESET();
    check_code(nhantin_text_analyze("abc", &enc, &chars, &units, NULL), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_text_analyze segments_out NULL");
    check(enc == U32_SENTINEL && chars == SIZE_SENTINEL && units == SIZE_SENTINEL, "nhantin_text_analyze segments_out NULL: outputs untouched");
    TEXT_RESET();
    check_code(nhantin_text_analyze(NOT_UTF8, &enc, &chars, &units, &segs), NHANTIN_RESULT_INVALID_UTF8, "nhantin_text_analyze text not UTF-8");
    check(TEXT_UNTOUCHED(), "nhantin_text_analyze text not UTF-8: outputs untouched");
    TEXT_RESET();
    rc = nhantin_text_analyze("abc", &enc, &chars, &units, &segs);
    check_code(rc, NHANTIN_RESULT_OK, "nhantin_text_analyze \"abc\"");
    check(enc == NHANTIN_ENCODING_GSM7 && chars == 3 && units == 3 && segs == 1, "nhantin_text_analyze \"abc\": GSM-7, 3, 3, 1");

    char *out = TEXT_SENTINEL;
    check_code(nhantin_strip_diacritics(NULL, &out), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_strip_diacritics text NULL");
    check(out == TEXT_SENTINEL, "nhantin_strip_diacritics text NULL: output untouched");
    check_code(nhantin_strip_diacritics("Mã", NULL), NHANTIN_RESULT_NULL_ARGUMENT, "nhantin_strip_diacritics text_out NULL");
    check_code(nhantin_strip_diacritics(NOT_UTF8, &out), NHANTIN_RESULT_INVALID_UTF8, "nhantin_strip_diacritics text not UTF-8");
    check(out == TEXT_SENTINEL, "nhantin_strip_diacritics text not UTF-8: output untouched");
    rc = nhantin_strip_diacritics("Đà Nẵng", &out);
    if (check_code(rc, NHANTIN_RESULT_OK, "nhantin_strip_diacritics \"Đà Nẵng\"")) {
        check_str(out, "Da Nang", "nhantin_strip_diacritics \"Đà Nẵng\" is \"Da Nang\"");
        nhantin_string_free(out);
    }
}

int main(int argc, char **argv) {
    size_t header_codes = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 0;
    test_version();
    test_result_messages(header_codes);
    test_classifiers();
    test_null_handles();
    test_client_new();
    test_client_calls();
    test_send_machine();
    test_encode();
    test_decode();
    test_callbacks();
    test_phone();
    test_text();
    return check_finish("test_misuse");
}

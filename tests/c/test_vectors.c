/* Replays every shared wire vector (tests/vectors/<folder>/<case>.json, format in
 * tests/vectors/README.md) through nhantin's C ABI.
 *
 * usage: test_vectors VECTORS_DIR [EXPECTED_FILE_COUNT]
 *
 * The account, message and header members are handed to the library as the file's own bytes,
 * and response and callback bodies are decoded with their exact length, so nothing is lost on
 * the way (cJSON alone would cut "OTP\u0000123" short). Results are parsed with cJSON and
 * compared structurally with the expectation; errors are compared key by key through
 * nhantin_error_json and cross-checked with the nhantin_error_* getters. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <nhantin.h>

#include "check.h"
#include "json_util.h"
#include "names.h"

/* Sentinels: an output still holding one after a call was not written by the library. */
static char sentinel_text[] = "untouched";
#define TEXT_SENTINEL (sentinel_text)
static nhantin_error *const ERR_SENTINEL = (nhantin_error *)(void *)&sentinel_text[1];

static const char *g_name; /* current vector, "esms/send_json_otp_digest_example" */

/* ----------------------------------------------------------------------------------------- */

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf != NULL) {
        buf[n] = '\0';
    }
    return buf;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every <dir>/<folder>/<case>.json, sorted; returns the count. */
static size_t list_vectors(const char *dir, char ***out) {
    size_t n = 0, cap = 256;
    char **paths = malloc(cap * sizeof *paths);
    DIR *top = opendir(dir);
    if (top == NULL || paths == NULL) {
        if (top != NULL) {
            closedir(top);
        }
        free(paths);
        *out = NULL;
        return 0;
    }
    struct dirent *folder;
    while ((folder = readdir(top)) != NULL) {
        if (folder->d_name[0] == '.') {
            continue;
        }
        size_t sub_len = strlen(dir) + strlen(folder->d_name) + 2;
        char *sub = malloc(sub_len);
        snprintf(sub, sub_len, "%s/%s", dir, folder->d_name);
        DIR *d = opendir(sub);
        if (d != NULL) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                size_t len = strlen(e->d_name);
                if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json") != 0) {
                    continue;
                }
                if (n == cap) {
                    cap *= 2;
                    paths = realloc(paths, cap * sizeof *paths);
                }
                size_t plen = sub_len + len + 1;
                paths[n] = malloc(plen);
                snprintf(paths[n], plen, "%s/%s", sub, e->d_name);
                n++;
            }
            closedir(d);
        }
        free(sub);
    }
    closedir(top);
    qsort(paths, n, sizeof *paths, cmp_str);
    *out = paths;
    return n;
}

/* "…/tests/vectors/esms/case.json" → "esms/case". */
static char *vector_name(const char *path) {
    const char *end = path + strlen(path) - 5;
    const char *slash = end;
    int seen = 0;
    while (slash > path) {
        slash--;
        if (*slash == '/' && ++seen == 2) {
            slash++;
            break;
        }
    }
    size_t n = (size_t)(end - slash);
    char *name = malloc(n + 1);
    memcpy(name, slash, n);
    name[n] = '\0';
    return name;
}

/* ---- comparison helpers ------------------------------------------------------------------ */

static bool check_json(const cJSON *actual, const cJSON *expected, const char *what) {
    bool ok = json_equal(actual, expected);
    if (!check(ok, "%s: %s", g_name, what)) {
        char *a = json_text(actual), *e = json_text(expected);
        check_note("expected: %s", e);
        check_note("actual:   %s", a);
        cJSON_free(a);
        cJSON_free(e);
    }
    return ok;
}

static bool check_named_str(const char *actual, const char *expected, const char *what) {
    char name[512];
    snprintf(name, sizeof name, "%s: %s", g_name, what);
    return check_str(actual, expected, name);
}

/* The library's answer to a call that may fail: the code, the output string and the error. */
struct outcome {
    nhantin_result rc;
    char *out;
    nhantin_error *err;
};

/* Checks the "written only on success" rule for one call. */
static void check_outputs_rule(const struct outcome *o) {
    if (o->rc == NHANTIN_RESULT_OK) {
        check(o->out != TEXT_SENTINEL && o->out != NULL, "%s: success writes the output", g_name);
        check(o->err == NULL, "%s: success clears err_out to NULL", g_name);
    } else {
        check(o->out == TEXT_SENTINEL, "%s: failure leaves the output untouched", g_name);
        check(o->err != ERR_SENTINEL && o->err != NULL, "%s: failure writes err_out", g_name);
    }
}

static void outcome_free(struct outcome *o) {
    if (o->out != TEXT_SENTINEL) {
        nhantin_string_free(o->out);
    }
    if (o->err != ERR_SENTINEL) {
        nhantin_error_free(o->err);
    }
}

/* Reports a call that should have succeeded; prints the error when it did not. */
static bool check_ok(const struct outcome *o) {
    bool ok = o->rc == NHANTIN_RESULT_OK;
    if (!check(ok, "%s: returns OK", g_name)) {
        check_note("got %u %s: %s", (unsigned)o->rc, result_name(o->rc),
                   o->err != ERR_SENTINEL ? nhantin_error_json(o->err) : "(no error object)");
    }
    return ok;
}

/* Whether `rc` is a code the README's error `kind` maps to. */
static bool kind_allows(const char *kind, nhantin_result rc) {
    if (strcmp(kind, "invalid_input") == 0) {
        /* Malformed JSON of the documented shape (an unknown member) is INVALID_JSON. */
        return rc == NHANTIN_RESULT_INVALID_INPUT || rc == NHANTIN_RESULT_INVALID_JSON;
    }
    if (strcmp(kind, "rejected") == 0) {
        return rc == NHANTIN_RESULT_REJECTED || rc == NHANTIN_RESULT_UNAUTHORIZED || rc == NHANTIN_RESULT_DUPLICATE_REQUEST_ID;
    }
    if (strcmp(kind, "rate_limited") == 0) {
        return rc == NHANTIN_RESULT_RATE_LIMITED || rc == NHANTIN_RESULT_LOCKED_OUT;
    }
    if (strcmp(kind, "provider_unavailable") == 0) {
        return rc == NHANTIN_RESULT_PROVIDER_UNAVAILABLE;
    }
    if (strcmp(kind, "unexpected_response") == 0) {
        return rc == NHANTIN_RESULT_UNEXPECTED_RESPONSE;
    }
    return false;
}

/* Compares a failed call with the vector's `error` object, key by key (README rules). */
static void check_error(const struct outcome *o, const cJSON *want) {
    if (!check(o->rc != NHANTIN_RESULT_OK, "%s: fails", g_name)) {
        char *w = json_text(want);
        check_note("expected error %s, got output %s", w, o->out);
        cJSON_free(w);
        return;
    }
    if (!check(o->err != ERR_SENTINEL && o->err != NULL, "%s: error object present", g_name)) {
        return;
    }
    const nhantin_error *err = o->err;
    if (!check(nhantin_error_code(err) == o->rc, "%s: nhantin_error_code equals the returned code", g_name)) {
        check_note("returned %u, nhantin_error_code %u", (unsigned)o->rc, (unsigned)nhantin_error_code(err));
    }
    const char *json_text_ = nhantin_error_json(err);
    cJSON *actual = json_text_ != NULL ? cJSON_Parse(json_text_) : NULL;
    if (!check(cJSON_IsObject(actual), "%s: nhantin_error_json is a JSON object", g_name)) {
        check_note("got %s", json_text_ ? json_text_ : "NULL");
        cJSON_Delete(actual);
        return;
    }
    const int failed_before = check_failed_count;
    for (const cJSON *k = want->child; k != NULL; k = k->next) {
        const char *key = k->string;
        const cJSON *got = cJSON_GetObjectItemCaseSensitive(actual, key);
        char what[128];
        if (strcmp(key, "kind") == 0) {
            bool ok = kind_allows(k->valuestring, o->rc);
            if (!check(ok, "%s: code %u maps to kind %s", g_name, (unsigned)o->rc, k->valuestring)) {
                check_note("got %s", result_name(o->rc));
            }
            check_json(got, k, "error_json.kind");
        } else if (strcmp(key, "field") == 0) {
            check_json(got, k, "error_json.field");
            check_named_str(nhantin_error_field(err), k->valuestring, "nhantin_error_field");
        } else if (strcmp(key, "reason_contains") == 0) {
            const cJSON *reason = cJSON_GetObjectItemCaseSensitive(actual, "reason");
            bool ok = cJSON_IsString(reason) && strstr(reason->valuestring, k->valuestring) != NULL;
            if (!check(ok, "%s: error_json.reason contains \"%s\"", g_name, k->valuestring)) {
                check_note("reason: %s", cJSON_IsString(reason) ? reason->valuestring : "(absent)");
            }
        } else if (strcmp(key, "retry_safe") == 0) {
            check_json(got, k, "error_json.retry_safe");
            bool getter = nhantin_error_is_retry_safe(err);
            if (!check(getter == cJSON_IsTrue(k), "%s: nhantin_error_is_retry_safe", g_name)) {
                check_note("expected %s, got %s", cJSON_IsTrue(k) ? "true" : "false", getter ? "true" : "false");
            }
        } else {
            snprintf(what, sizeof what, "error_json.%s", key);
            check_json(got, k, what);
            if (strcmp(key, "provider") == 0) {
                check_named_str(nhantin_error_provider(err), k->valuestring, "nhantin_error_provider");
            } else if (strcmp(key, "reason") == 0) {
                check_named_str(nhantin_error_reason(err), k->valuestring, "nhantin_error_reason");
                nhantin_result want_code = strcmp(k->valuestring, "unauthorized") == 0 ? NHANTIN_RESULT_UNAUTHORIZED
                    : strcmp(k->valuestring, "duplicate_request_id") == 0        ? NHANTIN_RESULT_DUPLICATE_REQUEST_ID
                                                                                  : NHANTIN_RESULT_REJECTED;
                if (!check(o->rc == want_code, "%s: reason %s gives %s", g_name, k->valuestring, result_name(want_code))) {
                    check_note("got %s", result_name(o->rc));
                }
            } else if (strcmp(key, "code") == 0 && cJSON_IsString(k)) {
                check_named_str(nhantin_error_provider_code(err), k->valuestring, "nhantin_error_provider_code");
            } else if (strcmp(key, "retry_after_secs") == 0) {
                long long secs = (long long)nhantin_error_retry_after_secs(err);
                long long want_secs = cJSON_IsNumber(k) ? (long long)k->valuedouble : -1;
                if (!check(secs == want_secs, "%s: nhantin_error_retry_after_secs", g_name)) {
                    check_note("expected %lld, got %lld", want_secs, secs);
                }
            } else if (strcmp(key, "lockout") == 0) {
                nhantin_result want_code = cJSON_IsTrue(k) ? NHANTIN_RESULT_LOCKED_OUT : NHANTIN_RESULT_RATE_LIMITED;
                if (!check(o->rc == want_code, "%s: lockout %s gives %s", g_name, cJSON_IsTrue(k) ? "true" : "false", result_name(want_code))) {
                    check_note("got %s", result_name(o->rc));
                }
            }
        }
    }
    if (check_failed_count != failed_before) {
        check_note("error_json: %s", json_text_);
        check_note("message:    %s", nhantin_error_message(err) ? nhantin_error_message(err) : "NULL");
    }
    cJSON_Delete(actual);
}

/* Compares an encoded request with `expect.request`: method, url, headers (in order), body. */
static void check_request(const struct outcome *o, const cJSON *want) {
    if (!check_ok(o)) {
        return;
    }
    cJSON *got = cJSON_Parse(o->out);
    if (check(cJSON_IsObject(got), "%s: request output is a JSON object", g_name)) {
        static const char *const parts[] = {"method", "url", "headers", "body"};
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
            char what[64];
            snprintf(what, sizeof what, "request.%s", parts[i]);
            check_json(cJSON_GetObjectItemCaseSensitive(got, parts[i]), cJSON_GetObjectItemCaseSensitive(want, parts[i]), what);
        }
    } else {
        check_note("got %s", o->out);
    }
    cJSON_Delete(got);
}

/* Compares `{"<key>": value}` output with the expectation's `key`. */
static void check_keyed_output(const struct outcome *o, const cJSON *want, const char *key) {
    if (!check_ok(o)) {
        return;
    }
    cJSON *got = cJSON_Parse(o->out);
    char what[64];
    snprintf(what, sizeof what, "output.%s", key);
    check_json(cJSON_GetObjectItemCaseSensitive(got, key), want, what);
    if (!check(cJSON_IsObject(got) && cJSON_GetArraySize(got) == 1, "%s: output has only the member %s", g_name, key)) {
        check_note("got %s", o->out);
    }
    cJSON_Delete(got);
}

/* ---- operations -------------------------------------------------------------------------- */

static const char *string_member(const cJSON *v, const char *key) {
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(v, key);
    return cJSON_IsString(m) ? m->valuestring : NULL;
}

static void replay_send(const char *text, const cJSON *v, const cJSON *expect) {
    char *account = json_raw_member(text, "account");
    char *message = json_raw_member(text, "message");
    const char *now = string_member(v, "now");
    if (check(account != NULL && message != NULL && now != NULL, "%s: vector has account, message and now", g_name)) {
        struct outcome o = {0, TEXT_SENTINEL, ERR_SENTINEL};
        o.rc = nhantin_encode_send(account, message, now, &o.out, &o.err);
        check_outputs_rule(&o);
        if (cJSON_GetObjectItemCaseSensitive(expect, "request") != NULL) {
            check_request(&o, cJSON_GetObjectItemCaseSensitive(expect, "request"));
        } else {
            check_error(&o, cJSON_GetObjectItemCaseSensitive(expect, "error"));
        }
        outcome_free(&o);
    }
    free(account);
    free(message);
}

static void replay_query(const char *text, const cJSON *v, const cJSON *expect, const char *operation) {
    char *account = json_raw_member(text, "account");
    const char *sms_id = string_member(v, "sms_id"); /* NULL for balance */
    struct outcome o = {0, TEXT_SENTINEL, ERR_SENTINEL};
    o.rc = nhantin_encode_query(account, operation, sms_id, &o.out, &o.err);
    check_outputs_rule(&o);
    check_request(&o, cJSON_GetObjectItemCaseSensitive(expect, "request"));
    outcome_free(&o);
    free(account);
}

static void replay_sent_data(const char *text, const cJSON *expect) {
    char *account = json_raw_member(text, "account");
    char *window = json_raw_member(text, "window");
    struct outcome o = {0, TEXT_SENTINEL, ERR_SENTINEL};
    o.rc = nhantin_encode_sent_data(account, window, &o.out, &o.err);
    check_outputs_rule(&o);
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(expect, "request");
    if (want != NULL) {
        check_request(&o, want);
    } else {
        check_error(&o, cJSON_GetObjectItemCaseSensitive(expect, "error"));
    }
    outcome_free(&o);
    free(window);
    free(account);
}

static void replay_decode(const char *text, const cJSON *v, const cJSON *expect, const char *operation) {
    static const struct {
        const char *operation, *key;
    } keys[] = {{"send", "receipt"},
                {"balance", "balance"},
                {"send_status", "send_status"},
                {"receiver_status", "receivers"},
                {"sent_data", "sent_data"},
                {"check_code", "check_code"},
                {"zns_message", "zns_message"}};
    const char *key = NULL;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(keys[i].operation, operation) == 0) {
            key = keys[i].key;
        }
    }
    const char *provider = string_member(v, "provider");
    char *response = json_raw_member(text, "response");
    char *headers = response ? json_raw_member(response, "headers") : NULL;
    char *raw_body = response ? json_raw_member(response, "body") : NULL;
    size_t body_len = 0;
    unsigned char *body = json_decode_string(raw_body, &body_len);
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(v, "response"), "status");
    if (check(key != NULL && provider != NULL && headers != NULL && body != NULL && cJSON_IsNumber(status),
              "%s: vector has provider, response.status, headers and body", g_name)) {
        struct outcome o = {0, TEXT_SENTINEL, ERR_SENTINEL};
        o.rc = nhantin_decode(provider, operation, (uint16_t)status->valueint, headers, body, body_len, &o.out, &o.err);
        check_outputs_rule(&o);
        const cJSON *want = cJSON_GetObjectItemCaseSensitive(expect, key);
        if (want != NULL) {
            check_keyed_output(&o, want, key);
        } else {
            check_error(&o, cJSON_GetObjectItemCaseSensitive(expect, "error"));
        }
        outcome_free(&o);
    }
    free(body);
    free(raw_body);
    free(headers);
    free(response);
}

/* The response member's parts: status, headers (raw JSON) and the body with its exact length. */
struct response {
    char *raw, *headers, *raw_body;
    unsigned char *body;
    size_t body_len;
    const cJSON *status;
};

static bool response_of(const char *text, const cJSON *v, struct response *r) {
    r->raw = json_raw_member(text, "response");
    r->headers = r->raw ? json_raw_member(r->raw, "headers") : NULL;
    r->raw_body = r->raw ? json_raw_member(r->raw, "body") : NULL;
    r->body_len = 0;
    r->body = json_decode_string(r->raw_body, &r->body_len);
    r->status = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(v, "response"), "status");
    return r->headers != NULL && r->body != NULL && cJSON_IsNumber(r->status);
}

static void response_free(struct response *r) {
    free(r->body);
    free(r->raw_body);
    free(r->headers);
    free(r->raw);
}

static void replay_lookup(const char *text, const cJSON *expect) {
    char *account = json_raw_member(text, "account");
    char *lookup = json_raw_member(text, "lookup");
    if (check(account != NULL && lookup != NULL, "%s: vector has account and lookup", g_name)) {
        struct outcome o = {0, TEXT_SENTINEL, ERR_SENTINEL};
        o.rc = nhantin_encode_lookup(account, lookup, &o.out, &o.err);
        check_outputs_rule(&o);
        const cJSON *want = cJSON_GetObjectItemCaseSensitive(expect, "request");
        if (want != NULL) {
            check_request(&o, want);
        } else {
            check_error(&o, cJSON_GetObjectItemCaseSensitive(expect, "error"));
        }
        outcome_free(&o);
    }
    free(lookup);
    free(account);
}

static void replay_check_code(const char *text, const cJSON *v, const cJSON *expect) {
    char *account = json_raw_member(text, "account");
    const char *phone = string_member(v, "phone");
    const char *code = string_member(v, "code");
    if (check(account != NULL && phone != NULL && code != NULL, "%s: vector has account, phone and code", g_name)) {
        struct outcome o = {0, TEXT_SENTINEL, ERR_SENTINEL};
        o.rc = nhantin_encode_check_code(account, phone, code, &o.out, &o.err);
        check_outputs_rule(&o);
        const cJSON *want = cJSON_GetObjectItemCaseSensitive(expect, "request");
        if (want != NULL) {
            check_request(&o, want);
        } else {
            check_error(&o, cJSON_GetObjectItemCaseSensitive(expect, "error"));
        }
        outcome_free(&o);
    }
    free(account);
}

static void replay_interits_zns_message(const char *text, const cJSON *v, const cJSON *expect) {
    char *account = json_raw_member(text, "account");
    const char *oa_id = string_member(v, "oa_id");
    const char *msg_id = string_member(v, "msg_id");
    if (check(account != NULL && oa_id != NULL && msg_id != NULL, "%s: vector has account, oa_id and msg_id", g_name)) {
        struct outcome o = {0, TEXT_SENTINEL, ERR_SENTINEL};
        o.rc = nhantin_encode_interits_zns_message(account, oa_id, msg_id, &o.out, &o.err);
        check_outputs_rule(&o);
        const cJSON *want = cJSON_GetObjectItemCaseSensitive(expect, "request");
        if (want != NULL) {
            check_request(&o, want);
        } else {
            check_error(&o, cJSON_GetObjectItemCaseSensitive(expect, "error"));
        }
        outcome_free(&o);
    }
    free(account);
}

static void replay_decode_lookup(const char *text, const cJSON *v, const cJSON *expect) {
    char *lookup = json_raw_member(text, "lookup");
    struct response r;
    if (check(response_of(text, v, &r) && lookup != NULL, "%s: vector has lookup, response.status, headers and body", g_name)) {
        struct outcome o = {0, TEXT_SENTINEL, ERR_SENTINEL};
        o.rc = nhantin_decode_lookup(lookup, (uint16_t)r.status->valueint, r.headers, r.body, r.body_len, &o.out, &o.err);
        check_outputs_rule(&o);
        const cJSON *want = cJSON_GetObjectItemCaseSensitive(expect, "answer");
        if (want != NULL) {
            /* The answer is one key, the lookup's, as the expectation is. */
            if (check_ok(&o)) {
                cJSON *got = cJSON_Parse(o.out);
                check_json(got, want, "answer");
                cJSON_Delete(got);
            }
        } else {
            check_error(&o, cJSON_GetObjectItemCaseSensitive(expect, "error"));
        }
        outcome_free(&o);
    }
    response_free(&r);
    free(lookup);
}

/* Milliseconds since the Unix epoch of "YYYY-MM-DDTHH:MM:SS[.fff]Z" (the vectors' `now`), or -1. */
static int64_t ms_of_rfc3339(const char *t) {
    int y, mo, d, h, mi, s;
    if (t == NULL || sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6) {
        return -1;
    }
    const char *rest = t + 19;
    int64_t ms = 0;
    if (*rest == '.') {
        int64_t scale = 100;
        for (rest++; *rest >= '0' && *rest <= '9'; rest++, scale /= 10) {
            ms += (*rest - '0') * scale;
        }
    }
    if (strcmp(rest, "Z") != 0) {
        return -1;
    }
    /* Days from civil (H. Hinnant). */
    y -= mo <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const int64_t days = era * 146097 + doe - 719468;
    return ((days * 24 + h) * 60 + mi) * 60000 + (int64_t)s * 1000 + ms;
}

/* The machine does not end a send on an answer it cannot read: the message may have gone out,
 * so (out of attempts) it ends as outcome_unknown, retry-safe under its request id, with the
 * decoder's error as its cause. The vector's unexpected_response is checked through that. */
static void check_unknown_as_unexpected(const struct outcome *o, const cJSON *want) {
    if (!check(o->rc == NHANTIN_RESULT_OUTCOME_UNKNOWN && o->err != ERR_SENTINEL && o->err != NULL,
               "%s: an unreadable answer ends the send as OUTCOME_UNKNOWN", g_name)) {
        check_note("got %s", result_name(o->rc));
        return;
    }
    cJSON *actual = cJSON_Parse(nhantin_error_json(o->err));
    const cJSON *provider = cJSON_GetObjectItemCaseSensitive(want, "provider");
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(want, "status");
    const cJSON *retry_safe = cJSON_GetObjectItemCaseSensitive(want, "retry_safe");
    for (const cJSON *k = want->child; k != NULL; k = k->next) {
        const char *key = k->string;
        check(strcmp(key, "kind") == 0 || strcmp(key, "provider") == 0 || strcmp(key, "status") == 0 || strcmp(key, "retry_safe") == 0,
              "%s: error key %s can be checked through outcome_unknown", g_name, key);
    }
    check_named_str(string_member(actual, "kind"), "outcome_unknown", "error_json.kind");
    if (provider != NULL) {
        check_json(cJSON_GetObjectItemCaseSensitive(actual, "provider"), provider, "error_json.provider");
    }
    if (retry_safe != NULL) {
        check_json(cJSON_GetObjectItemCaseSensitive(actual, "retry_safe"), retry_safe, "error_json.retry_safe");
        check(nhantin_error_is_retry_safe(o->err) == cJSON_IsTrue(retry_safe), "%s: nhantin_error_is_retry_safe", g_name);
    }
    char cause[128];
    snprintf(cause, sizeof cause, "unexpected answer from %s (HTTP %d)", cJSON_IsString(provider) ? provider->valuestring : "?",
             cJSON_IsNumber(status) ? status->valueint : -1);
    const char *got_cause = string_member(actual, "cause");
    if (!check(got_cause != NULL && strstr(got_cause, cause) != NULL, "%s: error_json.cause names \"%s\"", g_name, cause)) {
        check_note("error_json: %s", nhantin_error_json(o->err));
    }
    cJSON_Delete(actual);
}

/* A bulk ZNS answer decoded against its request: the only way the C ABI offers is the send
 * machine (one attempt), which encodes the message at `now`, is told the response and ends. */
static void replay_decode_zns_bulk(const char *text, const cJSON *v, const cJSON *expect) {
    char *account = json_raw_member(text, "account");
    char *message = json_raw_member(text, "message");
    const int64_t now = ms_of_rfc3339(string_member(v, "now"));
    struct response r;
    nhantin_account_state *state = NULL;
    nhantin_send_machine *m = NULL;
    if (!check(response_of(text, v, &r) && account != NULL && message != NULL && now >= 0,
               "%s: vector has account, message, now and response", g_name)) {
        goto done;
    }
    if (!check(nhantin_account_state_new(&state) == NHANTIN_RESULT_OK, "%s: nhantin_account_state_new", g_name)) {
        goto done;
    }
    char context[64];
    snprintf(context, sizeof context, "{\"now_ms\":%lld}", (long long)now);
    nhantin_error *err = NULL;
    nhantin_result rc = nhantin_send_machine_new(account, message, context, "{\"max_attempts\":1}", &m, &err);
    if (!check(rc == NHANTIN_RESULT_OK, "%s: nhantin_send_machine_new returns OK", g_name)) {
        check_note("got %s: %s", result_name(rc), err ? nhantin_error_json(err) : "(no error)");
        nhantin_error_free(err);
        goto done;
    }
    char *step = NULL;
    rc = nhantin_send_machine_poll(m, state, now, &step, &err);
    bool transmit = rc == NHANTIN_RESULT_OK && step != NULL && strstr(step, "\"step\":\"transmit\"") != NULL;
    if (!check(transmit, "%s: the first poll transmits", g_name)) {
        check_note("got %s: %s", result_name(rc), step ? step : "(no step)");
    }
    nhantin_string_free(step);
    step = NULL;
    nhantin_error_free(err);
    err = NULL;
    if (!transmit) {
        goto done;
    }
    rc = nhantin_send_machine_on_response(m, state, now, (uint16_t)r.status->valueint, r.headers, r.body, r.body_len, &err);
    if (!check(rc == NHANTIN_RESULT_OK, "%s: nhantin_send_machine_on_response returns OK", g_name)) {
        check_note("got %s: %s", result_name(rc), err ? nhantin_error_json(err) : "(no error)");
        nhantin_error_free(err);
        goto done;
    }
    rc = nhantin_send_machine_poll(m, state, now, &step, &err);
    bool finished = rc == NHANTIN_RESULT_OK && step != NULL && strstr(step, "\"step\":\"done\"") != NULL;
    if (!check(finished, "%s: the second poll is done", g_name)) {
        check_note("got %s: %s", result_name(rc), step ? step : "(no step)");
    }
    nhantin_string_free(step);
    nhantin_error_free(err);
    if (!finished) {
        goto done;
    }
    struct outcome o = {0, TEXT_SENTINEL, ERR_SENTINEL};
    o.rc = nhantin_send_machine_result(m, &o.out, &o.err);
    check_outputs_rule(&o);
    const char *want_kind = string_member(cJSON_GetObjectItemCaseSensitive(expect, "error"), "kind");
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(expect, "receipt");
    if (want != NULL) {
        if (check_ok(&o)) {
            cJSON *got = cJSON_Parse(o.out);
            check_json(cJSON_GetObjectItemCaseSensitive(got, "receipt"), want, "outcome.receipt");
            cJSON_Delete(got);
        }
    } else if (want_kind != NULL && strcmp(want_kind, "unexpected_response") == 0) {
        check_unknown_as_unexpected(&o, cJSON_GetObjectItemCaseSensitive(expect, "error"));
    } else {
        check_error(&o, cJSON_GetObjectItemCaseSensitive(expect, "error"));
    }
    outcome_free(&o);
done:
    nhantin_send_machine_free(m);
    nhantin_account_state_free(state);
    response_free(&r);
    free(message);
    free(account);
}

static void replay_delivery_report(const cJSON *v, const cJSON *expect) {
    const char *query = string_member(v, "query");
    struct outcome o = {0, TEXT_SENTINEL, ERR_SENTINEL};
    o.rc = nhantin_parse_delivery_report(query, &o.out, &o.err);
    check_outputs_rule(&o);
    if (check_ok(&o)) {
        cJSON *got = cJSON_Parse(o.out);
        check_json(got, cJSON_GetObjectItemCaseSensitive(expect, "report"), "report");
        cJSON_Delete(got);
    }
    outcome_free(&o);
}

static void replay_interits_callback(const char *text, const cJSON *expect) {
    char *raw = json_raw_member(text, "body");
    size_t len = 0;
    unsigned char *body = json_decode_string(raw, &len);
    if (check(body != NULL, "%s: vector has a body", g_name)) {
        struct outcome o = {0, TEXT_SENTINEL, ERR_SENTINEL};
        o.rc = nhantin_parse_interits_callback(body, len, &o.out, &o.err);
        check_outputs_rule(&o);
        const cJSON *want = cJSON_GetObjectItemCaseSensitive(expect, "callback");
        if (want != NULL) {
            if (check_ok(&o)) {
                cJSON *got = cJSON_Parse(o.out);
                check_json(got, want, "callback");
                cJSON_Delete(got);
            }
        } else {
            check_error(&o, cJSON_GetObjectItemCaseSensitive(expect, "error"));
        }
        outcome_free(&o);
    }
    free(body);
    free(raw);
}

static const struct {
    const char *name;
    uint32_t carrier;
} carriers[] = {
    {"unknown", NHANTIN_CARRIER_UNKNOWN},       {"viettel", NHANTIN_CARRIER_VIETTEL}, {"mobifone", NHANTIN_CARRIER_MOBIFONE},
    {"vinaphone", NHANTIN_CARRIER_VINAPHONE},   {"vietnamobile", NHANTIN_CARRIER_VIETNAMOBILE},
    {"gmobile", NHANTIN_CARRIER_GMOBILE},       {"itel", NHANTIN_CARRIER_ITEL},       {"reddi", NHANTIN_CARRIER_REDDI},
};

static void replay_phone(const cJSON *v, const cJSON *expect) {
    const char *input = string_member(v, "input");
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(expect, "error");
    if (error != NULL) {
        char buf[32];
        memset(buf, '#', sizeof buf);
        size_t n = 777;
        uint32_t carrier = 777;
        struct outcome o = {0, TEXT_SENTINEL, ERR_SENTINEL};
        o.rc = nhantin_phone_normalize(input, NHANTIN_PHONE_FORMAT_NATIONAL, buf, sizeof buf, &n, &carrier, &o.err);
        check(o.rc == NHANTIN_RESULT_OK || (buf[0] == '#' && n == 777 && carrier == 777), "%s: failure writes no output", g_name);
        check_error(&o, error);
        outcome_free(&o);
        return;
    }
    const char *want_carrier = string_member(expect, "carrier");
    uint32_t carrier_code = 999;
    for (size_t i = 0; i < sizeof carriers / sizeof carriers[0]; i++) {
        if (want_carrier != NULL && strcmp(carriers[i].name, want_carrier) == 0) {
            carrier_code = carriers[i].carrier;
        }
    }
    check(carrier_code != 999, "%s: carrier name \"%s\" is one of the header's", g_name, want_carrier ? want_carrier : "(absent)");
    static const struct {
        const char *key;
        uint32_t format;
    } formats[] = {{"national", NHANTIN_PHONE_FORMAT_NATIONAL}, {"international", NHANTIN_PHONE_FORMAT_INTERNATIONAL}, {"e164", NHANTIN_PHONE_FORMAT_E164}};
    for (size_t i = 0; i < 3; i++) {
        char buf[16];
        size_t n = 777;
        uint32_t carrier = 777;
        struct outcome o = {0, TEXT_SENTINEL, ERR_SENTINEL};
        o.rc = nhantin_phone_normalize(input, formats[i].format, buf, sizeof buf, &n, &carrier, &o.err);
        char what[64];
        snprintf(what, sizeof what, "phone.%s", formats[i].key);
        if (check_ok(&o)) {
            const char *want = string_member(expect, formats[i].key);
            check_named_str(buf, want, what);
            if (!check(want != NULL && n == strlen(want), "%s: %s length in out_n", g_name, what)) {
                check_note("out_n %zu", n);
            }
            if (!check(carrier == carrier_code, "%s: %s carrier is %s", g_name, what, want_carrier ? want_carrier : "?")) {
                check_note("expected %u, got %u", (unsigned)carrier_code, (unsigned)carrier);
            }
        }
        check(o.err == NULL || o.rc != NHANTIN_RESULT_OK, "%s: %s success clears err_out to NULL", g_name, what);
        outcome_free(&o);
    }
}

static void replay_text(const cJSON *v, const cJSON *expect) {
    const char *input = string_member(v, "input");
    uint32_t encoding = 77;
    size_t characters = 77, units = 77, segments = 77;
    nhantin_result rc = nhantin_text_analyze(input, &encoding, &characters, &units, &segments);
    if (!check(rc == NHANTIN_RESULT_OK, "%s: nhantin_text_analyze returns OK", g_name)) {
        check_note("got %s", result_name(rc));
        return;
    }
    const char *want_encoding = string_member(expect, "encoding");
    if (want_encoding != NULL) {
        uint32_t want = strcmp(want_encoding, "gsm7") == 0 ? NHANTIN_ENCODING_GSM7 : strcmp(want_encoding, "ucs2") == 0 ? NHANTIN_ENCODING_UCS2 : 99;
        if (!check(encoding == want, "%s: encoding %s", g_name, want_encoding)) {
            check_note("expected %u, got %u", (unsigned)want, (unsigned)encoding);
        }
    }
    static const char *const counts[] = {"characters", "units", "segments"};
    const size_t got[] = {characters, units, segments};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *want = cJSON_GetObjectItemCaseSensitive(expect, counts[i]);
        if (want != NULL) {
            if (!check(cJSON_IsNumber(want) && (double)got[i] == want->valuedouble, "%s: %s", g_name, counts[i])) {
                check_note("expected %g, got %zu", cJSON_IsNumber(want) ? want->valuedouble : -1.0, got[i]);
            }
        }
    }
    const char *stripped = string_member(expect, "stripped");
    if (stripped != NULL) {
        char *out = TEXT_SENTINEL;
        rc = nhantin_strip_diacritics(input, &out);
        if (check(rc == NHANTIN_RESULT_OK, "%s: nhantin_strip_diacritics returns OK", g_name)) {
            check_named_str(out, stripped, "stripped");
            nhantin_string_free(out);
        }
    }
}

/* ---- main -------------------------------------------------------------------------------- */

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s VECTORS_DIR [EXPECTED_FILE_COUNT]\n", argv[0]);
        return 2;
    }
    char **paths;
    size_t files = list_vectors(argv[1], &paths);
    size_t replayed = 0;
    size_t per_op[32] = {0};
    static const char *const ops[] = {"send", "balance", "send_status", "receiver_status", "decode_send", "decode_balance",
                                      "decode_send_status", "decode_receiver_status", "delivery_report", "interits_callback",
                                      "phone", "text", "sent_data", "decode_sent_data", "lookup", "decode_lookup",
                                      "decode_zns_bulk", "check_code", "decode_check_code",
                                      "interits_zns_message", "decode_zns_message"};
    const size_t n_ops = sizeof ops / sizeof ops[0];
    for (size_t i = 0; i < files; i++) {
        char *name = vector_name(paths[i]);
        g_name = name;
        char *text = read_file(paths[i]);
        cJSON *v = text ? cJSON_Parse(text) : NULL;
        const char *operation = string_member(v, "operation");
        const cJSON *expect = cJSON_GetObjectItemCaseSensitive(v, "expect");
        size_t op = n_ops;
        for (size_t k = 0; operation != NULL && k < n_ops; k++) {
            if (strcmp(operation, ops[k]) == 0) {
                op = k;
            }
        }
        if (check(cJSON_IsObject(expect) && op < n_ops, "%s: readable vector with a known operation", name)) {
            if (strcmp(operation, "send") == 0) {
                replay_send(text, v, expect);
            } else if (strcmp(operation, "balance") == 0 || strcmp(operation, "send_status") == 0 || strcmp(operation, "receiver_status") == 0) {
                replay_query(text, v, expect, operation);
            } else if (strcmp(operation, "sent_data") == 0) {
                replay_sent_data(text, expect);
            } else if (strcmp(operation, "lookup") == 0) {
                replay_lookup(text, expect);
            } else if (strcmp(operation, "check_code") == 0) {
                replay_check_code(text, v, expect);
            } else if (strcmp(operation, "interits_zns_message") == 0) {
                replay_interits_zns_message(text, v, expect);
            } else if (strcmp(operation, "decode_lookup") == 0) {
                replay_decode_lookup(text, v, expect);
            } else if (strcmp(operation, "decode_zns_bulk") == 0) {
                replay_decode_zns_bulk(text, v, expect);
            } else if (strncmp(operation, "decode_", 7) == 0) {
                replay_decode(text, v, expect, operation + 7);
            } else if (strcmp(operation, "delivery_report") == 0) {
                replay_delivery_report(v, expect);
            } else if (strcmp(operation, "interits_callback") == 0) {
                replay_interits_callback(text, expect);
            } else if (strcmp(operation, "phone") == 0) {
                replay_phone(v, expect);
            } else {
                replay_text(v, expect);
            }
            replayed++;
            per_op[op]++;
        }
        cJSON_Delete(v);
        free(text);
        free(name);
        free(paths[i]);
    }
    free(paths);
    g_name = "vectors";

    printf("replayed %zu of %zu vector files:", replayed, files);
    for (size_t k = 0; k < n_ops; k++) {
        printf(" %s %zu%s", ops[k], per_op[k], k + 1 < n_ops ? "," : "\n");
    }
    check(files >= 170, "vectors: at least 170 files found (found %zu)", files);
    check(replayed == files, "vectors: every file replayed (%zu of %zu)", replayed, files);
    if (argc > 2) {
        size_t expected = (size_t)strtoul(argv[2], NULL, 10);
        check(replayed == expected, "vectors: replayed count equals the %zu files on disk (replayed %zu)", expected, replayed);
    }
    return check_finish("test_vectors");
}

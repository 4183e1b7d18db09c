/* Sending through nhantin's send machine with libcurl as the HTTP stack.
 *
 * The machine (nhantin_send_machine_*) makes every decision nhantin_client_send makes: which
 * bytes to send, whether and when to resend, CareSoft's pacing, and how the send ended
 * (accepted, already submitted, refused, not sent, outcome unknown). This program only moves
 * bytes with libcurl, sleeps when told to, and reports what happened. It is a complete
 * program, built and run against the emulator by tests/c/run.sh:
 *
 *   cc curl_send.c $(pkg-config --cflags --libs nhantin libcurl libcjson) -o curl_send
 *   ./curl_send ACCOUNT_JSON MESSAGE_JSON
 *
 * or with CMake (find_package(nhantin CONFIG), see README.md), and for Windows with mingw-w64
 * against nhantin.dll (tests/c/windows/run.sh builds it so and runs it under Wine).
 *
 * It prints the outcome JSON and exits 0 when the provider accepted the message. When the
 * outcome is unknown and nhantin offers a safe resend, it makes that resend (the same request
 * id: the provider de-duplicates it) and prints what that gave. Otherwise it prints the error
 * JSON and exits 1.
 *
 * Build flags for a test that includes this file: define CURL_SEND_NO_MAIN. */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>
#include <curl/curl.h>
#include <nhantin.h>
#ifdef _WIN32
#include <windows.h> /* GetSystemTimeAsFileTime, Sleep; after curl.h, which brings winsock2.h */
#endif

/* What nhantin_client_send reads of an answer at most; a longer answer is a failure. */
#define CURL_SEND_MAX_BODY ((size_t)1024 * 1024)

/* The caller's wall clock, in milliseconds since the Unix epoch: the machine's only clock. */
static int64_t curl_send_now_ms(void) {
#ifdef _WIN32
    FILETIME ft; /* 100 ns units since 1601-01-01 */
    GetSystemTimeAsFileTime(&ft);
    int64_t t = (int64_t)(((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime);
    return t / 10000 - INT64_C(11644473600000);
#else
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
#endif
}

static void curl_send_sleep_until(int64_t until_ms) {
    for (;;) {
        int64_t left = until_ms - curl_send_now_ms();
        if (left <= 0) {
            return;
        }
#ifdef _WIN32
        Sleep(left > 86400000 ? 86400000u : (DWORD)left);
#else
        struct timespec ts = {(time_t)(left / 1000), (long)(left % 1000) * 1000000L};
        nanosleep(&ts, NULL);
#endif
    }
}

/* ---- one HTTP exchange with libcurl ------------------------------------------------------ */

struct curl_send_body {
    char *data;
    size_t len;
    bool too_large;
};

static size_t curl_send_on_body(char *ptr, size_t size, size_t n, void *userdata) {
    struct curl_send_body *b = userdata;
    size_t add = size * n;
    if (b->len + add > CURL_SEND_MAX_BODY) {
        b->too_large = true;
        return 0; /* libcurl stops with CURLE_WRITE_ERROR */
    }
    char *grown = realloc(b->data, b->len + add + 1);
    if (grown == NULL) {
        return 0;
    }
    b->data = grown;
    memcpy(b->data + b->len, ptr, add);
    b->len += add;
    b->data[b->len] = '\0';
    return add;
}

/* A NUL-terminated copy of n bytes (strndup is POSIX, not in Windows' C library). */
static char *curl_send_copy(const char *text, size_t n) {
    char *copy = malloc(n + 1);
    if (copy != NULL) {
        memcpy(copy, text, n);
        copy[n] = '\0';
    }
    return copy;
}

/* Collects "Name: value" response header lines as [["Name","value"],…] (Retry-After matters). */
static size_t curl_send_on_header(char *line, size_t size, size_t n, void *userdata) {
    cJSON *headers = userdata;
    size_t len = size * n;
    const char *colon = memchr(line, ':', len);
    if (colon != NULL) {
        size_t name_len = (size_t)(colon - line);
        const char *value = colon + 1;
        const char *end = line + len;
        while (value < end && (*value == ' ' || *value == '\t')) {
            value++;
        }
        while (end > value && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ')) {
            end--;
        }
        char *name_text = curl_send_copy(line, name_len);
        char *value_text = curl_send_copy(value, (size_t)(end - value));
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateString(name_text));
        cJSON_AddItemToArray(pair, cJSON_CreateString(value_text));
        cJSON_AddItemToArray(headers, pair);
        free(name_text);
        free(value_text);
    } else if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        /* A new status line (an interim 1xx answer came first): start the list again. */
        while (cJSON_GetArraySize(headers) > 0) {
            cJSON_DeleteItemFromArray(headers, 0);
        }
    }
    return len;
}

/* Whether a libcurl failure proves the request never left: only a connection that was never
 * made does. Anything later (a timeout after connecting, a reset, a broken answer) may have
 * reached the provider. */
static bool curl_send_maybe_sent(CURL *curl, CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
        return false;
    case CURLE_OPERATION_TIMEDOUT: {
        curl_off_t connected = 0;
        curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected);
        return connected != 0; /* a connect timeout: nothing left */
    }
    default:
        return true;
    }
}

/* Transmits the request of a "transmit" step and reports the result to the machine. Returns
 * the result of the report call (NHANTIN_RESULT_OK unless the loop is misused). */
static nhantin_result curl_send_transmit(CURL *curl, nhantin_send_machine *m, nhantin_account_state *state, const cJSON *request,
                                         nhantin_error **err_out) {
    const char *method = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(request, "method"));
    const char *url = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(request, "url"));
    const char *body = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(request, "body"));
    const cJSON *headers = cJSON_GetObjectItemCaseSensitive(request, "headers");

    struct curl_slist *list = curl_slist_append(NULL, "Expect:"); /* no 100-continue round trip */
    const cJSON *h;
    cJSON_ArrayForEach(h, headers) {
        const char *name = cJSON_GetStringValue(cJSON_GetArrayItem(h, 0));
        const char *value = cJSON_GetStringValue(cJSON_GetArrayItem(h, 1));
        size_t n = strlen(name) + strlen(value) + 3;
        char *line = malloc(n);
        snprintf(line, n, "%s: %s", name, value);
        list = curl_slist_append(list, line);
        free(line);
    }

    struct curl_send_body answer = {NULL, 0, false};
    cJSON *answer_headers = cJSON_CreateArray();
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    }
    /* Never twice: libcurl silently sends a request again when the reused connection it went
     * out on closes before any answer, and the first copy may have been processed (a reset
     * after acceptance would then deliver the message twice). Only a connection that is not
     * reused is not retried behind the machine's back: one fresh connection per attempt. */
    curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, curl_send_on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, curl_send_on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, answer_headers);

    CURLcode rc = curl_easy_perform(curl);
    nhantin_result reported;
    if (rc == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        char *headers_json = cJSON_PrintUnformatted(answer_headers);
        reported = nhantin_send_machine_on_response(m, state, curl_send_now_ms(), (uint16_t)status, headers_json, (const uint8_t *)answer.data,
                                                    answer.len, err_out);
        free(headers_json);
    } else {
        /* The cause in a few words, never the URL (it carries phone numbers and keys). */
        const char *cause = answer.too_large ? "the answer is larger than 1 MiB; not read" : curl_easy_strerror(rc);
        reported = nhantin_send_machine_on_failure(m, state, curl_send_now_ms(), curl_send_maybe_sent(curl, rc), cause, err_out);
    }
    cJSON_Delete(answer_headers);
    free(answer.data);
    curl_slist_free_all(list);
    return reported;
}

/* ---- the loop ------------------------------------------------------------------------------ */

/* Drives `m` to its end: transmit, report, wait, until done. Returns exactly what
 * nhantin_client_send would: NHANTIN_RESULT_OK with the outcome JSON in *outcome_json_out
 * (free it with nhantin_string_free), or the send's code with its error in *err_out (free it
 * with nhantin_error_free). `state` is the account's state, shared by all its sends; `attempts`
 * (may be NULL) receives the number of transmits. */
static nhantin_result curl_send_run(CURL *curl, nhantin_send_machine *m, nhantin_account_state *state, char **outcome_json_out,
                                    nhantin_error **err_out, unsigned *attempts) {
    unsigned transmits = 0;
    for (;;) {
        char *step_json = NULL;
        nhantin_result rc = nhantin_send_machine_poll(m, state, curl_send_now_ms(), &step_json, err_out);
        if (rc != NHANTIN_RESULT_OK) {
            return rc; /* misuse only: the loop below always reports a transmit */
        }
        cJSON *step = cJSON_Parse(step_json);
        nhantin_string_free(step_json);
        const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(step, "step"));
        if (strcmp(kind, "transmit") == 0) {
            transmits++;
            rc = curl_send_transmit(curl, m, state, cJSON_GetObjectItemCaseSensitive(step, "request"), err_out);
            cJSON_Delete(step);
            if (rc != NHANTIN_RESULT_OK) {
                return rc;
            }
        } else if (strcmp(kind, "wait") == 0) {
            int64_t until = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(step, "until_ms"));
            cJSON_Delete(step);
            curl_send_sleep_until(until);
        } else { /* "done": the same code and error nhantin_client_send would give */
            cJSON_Delete(step);
            if (attempts != NULL) {
                *attempts = transmits;
            }
            return nhantin_send_machine_result(m, outcome_json_out, err_out);
        }
    }
}

/* A context for a new machine: the clock now (and a fresh request id, generated by nhantin). */
static void curl_send_context(char *buf, size_t len) { snprintf(buf, len, "{\"now_ms\":%" PRId64 "}", curl_send_now_ms()); }

#ifndef CURL_SEND_NO_MAIN
int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s ACCOUNT_JSON MESSAGE_JSON\n", argv[0]);
        return 2;
    }
    const char *account = argv[1], *message = argv[2];
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *curl = curl_easy_init();
    nhantin_account_state *state = NULL; /* one per account, for as long as you send to it */
    nhantin_account_state_new(&state);

    char context[64];
    curl_send_context(context, sizeof context);
    nhantin_send_machine *m = NULL;
    nhantin_error *err = NULL;
    char *outcome = NULL;
    nhantin_result rc = nhantin_send_machine_new(account, message, context, NULL, &m, &err);
    if (rc == NHANTIN_RESULT_OK) {
        /* Store nhantin_send_machine_request_id(m) with the message now: an unknown outcome is
         * reconciled and resent by it. */
        printf("request id %s\n", nhantin_send_machine_request_id(m) ? nhantin_send_machine_request_id(m) : "(none: CareSoft)");
        rc = curl_send_run(curl, m, state, &outcome, &err, NULL);
        nhantin_send_machine_free(m);
    }
    if (nhantin_result_is_outcome_unknown(rc) && rc != NHANTIN_RESULT_ALREADY_SUBMITTED && nhantin_error_is_retry_safe(err)) {
        /* The message may have been sent. The one safe resend carries the same request id, so the
         * provider de-duplicates it; nhantin refuses it once the provider may have forgotten the
         * id. (A real program may do this much later, after a restart: keep the error JSON.) */
        printf("outcome unknown (%s); resending with request id %s\n", nhantin_error_message(err), nhantin_error_request_id(err));
        nhantin_error *unknown = err;
        err = NULL;
        curl_send_context(context, sizeof context);
        rc = nhantin_send_machine_resend(account, message, unknown, context, NULL, &m, &err);
        nhantin_error_free(unknown);
        if (rc == NHANTIN_RESULT_OK) {
            rc = curl_send_run(curl, m, state, &outcome, &err, NULL);
            nhantin_send_machine_free(m);
        }
    }
    int status = 0;
    if (rc == NHANTIN_RESULT_OK) {
        printf("%s\n", outcome); /* {"status":"accepted","receipt":{…},"request_id":"…","attempts":1} */
        nhantin_string_free(outcome);
    } else {
        /* ALREADY_SUBMITTED: not sent again, acceptance unknown: reconcile, never resend under a
         * new id. The 5000s: may have been sent. The others: nothing was sent. */
        fprintf(stderr, "failed (%u): %s\n", (unsigned)rc, nhantin_error_json(err));
        nhantin_error_free(err);
        status = 1;
    }
    nhantin_account_state_free(state);
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    return status;
}
#endif

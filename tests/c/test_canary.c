/* The leak canary for the C ABI, like the Rust ones (transport/tests/canary.rs,
 * cli/tests/canary.rs): recognisable keys (the emulator's demo keys), a phone number and a
 * message text go through every send, encode-error and fault path, and no error message
 * (nhantin_error_message and every other getter), error JSON (nhantin_error_json), outcome or
 * batch JSON, "done" step or transmit step's redacted_url may show them (phones only masked,
 * the text not at all). The "request" of a transmit step and nhantin_encode_send's output are
 * the exact request to send, keys included by design, and are not checked.
 *
 * usage: NHANTIN_EMULATOR='<first line of `nhantin emulator`>' test_canary */
#define CURL_SEND_NO_MAIN
#include "examples/curl_send.c"

#include "check.h"

#define KEY "DEMO_ESMS_API_KEY"
#define SECRET "DEMO_ESMS_SECRET_KEY"
#define PHONE "0912345678"
#define OTP "SECRET-OTP-778899"
#define PROXY_PASSWORD "Pr0xyPassLEAK"

static const char *const CANARIES[][2] = {
    {KEY, "API key"},
    {SECRET, "secret key"},
    {PROXY_PASSWORD, "proxy password"},
    {PHONE, "phone (national)"},
    {"84912345678", "phone (international)"},
    {"912345678", "phone digits"},
    {"778899", "message text (the OTP)"},
};

/* ---- the host logger: every record nhantin logs during the run, looked at like any surface -- */

#include <stdatomic.h>

#define MAX_RECORDS 20000
static struct {
    atomic_flag lock;
    size_t count, info, transport;
    char *text[MAX_RECORDS];
} g_log = {ATOMIC_FLAG_INIT, 0, 0, 0, {0}};

/* Records may come from any thread (reqwest's runtime too): a spin lock keeps the list whole. */
static void capture(void *user_data, nhantin_log_level level, const char *target, const char *message) {
    (void)user_data;
    size_t n = strlen(target) + strlen(message) + 4;
    char *text = malloc(n);
    if (text == NULL) {
        return;
    }
    snprintf(text, n, "%s: %s", target, message);
    while (atomic_flag_test_and_set(&g_log.lock)) {
    }
    if (g_log.count < MAX_RECORDS) {
        g_log.text[g_log.count++] = text;
        text = NULL;
        g_log.info += level == NHANTIN_LOG_INFO;
        g_log.transport += strncmp(target, "nhantin_transport", 17) == 0;
    }
    atomic_flag_clear(&g_log.lock);
    free(text);
}

static CURL *g_curl;
static char g_base[256];
static char g_esms[256];
static char g_account[512];
static unsigned g_surfaces;

/* ---- what is looked at -------------------------------------------------------------------- */

/* One check per text: fails naming the first canary it shows. NULL is clean. */
static void clean(const char *what, const char *text) {
    g_surfaces++;
    if (text == NULL) {
        return;
    }
    for (size_t i = 0; i < sizeof CANARIES / sizeof CANARIES[0]; i++) {
        if (strstr(text, CANARIES[i][0]) != NULL) {
            check(false, "%s shows the %s", what, CANARIES[i][1]);
            check_note("%s", text);
            return;
        }
    }
    check(true, "%s is clean", what);
}

/* Every surface of an error: the message, the JSON and each getter. */
static void error_surfaces(const char *what, const nhantin_error *err) {
    char name[300];
    if (!check(err != NULL, "%s: an error came back", what)) {
        return;
    }
    snprintf(name, sizeof name, "%s: nhantin_error_message", what);
    clean(name, nhantin_error_message(err));
    snprintf(name, sizeof name, "%s: nhantin_error_json", what);
    clean(name, nhantin_error_json(err));
    snprintf(name, sizeof name, "%s: field/provider/reason/provider_code/request_id", what);
    char getters[1024];
    snprintf(getters, sizeof getters, "%s|%s|%s|%s|%s", nhantin_error_field(err) ? nhantin_error_field(err) : "",
             nhantin_error_provider(err) ? nhantin_error_provider(err) : "", nhantin_error_reason(err) ? nhantin_error_reason(err) : "",
             nhantin_error_provider_code(err) ? nhantin_error_provider_code(err) : "",
             nhantin_error_request_id(err) ? nhantin_error_request_id(err) : "");
    clean(name, getters);
}

/* A call's result: its output JSON on success, its error otherwise; frees both. */
static void result_surfaces(const char *what, nhantin_result rc, char *out, nhantin_error *err) {
    char name[300];
    if (rc == NHANTIN_RESULT_OK) {
        snprintf(name, sizeof name, "%s: output JSON", what);
        clean(name, out);
    } else {
        error_surfaces(what, err);
    }
    nhantin_string_free(out);
    nhantin_error_free(err);
}

/* ---- the emulator's control API, with libcurl ----------------------------------------------- */

static bool control(const char *path, const char *body) {
    char url[512];
    snprintf(url, sizeof url, "%s/_emulator/%s", g_base, path);
    struct curl_send_body answer = {NULL, 0, false};
    struct curl_slist *list = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_reset(g_curl);
    curl_easy_setopt(g_curl, CURLOPT_URL, url);
    curl_easy_setopt(g_curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(g_curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(g_curl, CURLOPT_POSTFIELDS, body ? body : "");
    curl_easy_setopt(g_curl, CURLOPT_WRITEFUNCTION, curl_send_on_body);
    curl_easy_setopt(g_curl, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(g_curl, CURLOPT_TIMEOUT_MS, 10000L);
    CURLcode rc = curl_easy_perform(g_curl);
    long status = 0;
    curl_easy_getinfo(g_curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(list);
    bool ok = rc == CURLE_OK && status == 200;
    if (!check(ok, "control POST %s", path)) {
        check_note("curl: %s; HTTP %ld; body: %s", curl_easy_strerror(rc), status, answer.data ? answer.data : "(none)");
    }
    free(answer.data);
    return ok;
}

/* Resets the emulator, then queues `fault` (a JSON spec without "times", or NULL) `times` times. */
static void inject(const char *fault, int times) {
    control("reset", NULL);
    if (fault != NULL) {
        char spec[256];
        snprintf(spec, sizeof spec, "%.*s,\"times\":%d}", (int)strlen(fault) - 1, fault, times);
        control("faults", spec);
    }
}

static const char *const FAULTS[] = {
    NULL,
    "{\"fault\":\"reset_before_read\"}",
    "{\"fault\":\"reset_after_accept\"}",
    "{\"fault\":\"status\",\"status\":503}",
    "{\"fault\":\"html_page\"}",
    "{\"fault\":\"malformed_json\"}",
};
#define N_FAULTS (sizeof FAULTS / sizeof FAULTS[0])

static const char *const MESSAGES[][2] = {
    {"otp-json", "{\"recipients\":[\"" PHONE "\"],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"" OTP "\",\"sender\":\"NHANTIN\"}}}"},
    {"fixed-get", "{\"recipients\":[\"" PHONE "\"],\"content\":{\"sms\":{\"purpose\":\"fixed_number\",\"text\":\"" OTP "\"}},\"options\":{\"esms\":{\"format\":\"get\"}}}"},
    {"care-xml", "{\"recipients\":[\"" PHONE "\",\"0987654321\"],\"content\":{\"sms\":{\"purpose\":\"customer_care\",\"text\":\"" OTP
                 "\",\"sender\":\"NHANTIN\"}},\"options\":{\"esms\":{\"format\":\"xml\"}}}"},
};
#define N_MESSAGES (sizeof MESSAGES / sizeof MESSAGES[0])

/* ---- the client -------------------------------------------------------------------------------- */

static void test_client(void) {
    nhantin_client *client = NULL;
    nhantin_error *err = NULL;
    nhantin_result rc = nhantin_client_new(g_account, "{\"allow_insecure_http\":true,\"max_attempts\":1,\"request_timeout_ms\":2000}", &client, &err);
    if (!check(rc == NHANTIN_RESULT_OK, "client: nhantin_client_new")) {
        nhantin_error_free(err);
        return;
    }
    unsigned accepted = 0, unknown = 0, already = 0;
    for (size_t m = 0; m < N_MESSAGES; m++) {
        for (size_t f = 0; f < N_FAULTS; f++) {
            char what[300];
            snprintf(what, sizeof what, "client %s under %s", MESSAGES[m][0], FAULTS[f] ? FAULTS[f] : "no fault");
            inject(FAULTS[f], 1);
            char *out = NULL;
            err = NULL;
            rc = nhantin_client_send(client, MESSAGES[m][1], &out, &err);
            accepted += rc == NHANTIN_RESULT_OK;
            unknown += rc == NHANTIN_RESULT_OUTCOME_UNKNOWN;
            if (rc != NHANTIN_RESULT_OK && nhantin_error_is_retry_safe(err)) {
                /* The safe resend, which the emulator answers (already submitted or accepted). */
                char *again = NULL;
                nhantin_error *err2 = NULL;
                nhantin_result rc2 = nhantin_client_resend(client, MESSAGES[m][1], err, &again, &err2);
                already += rc2 == NHANTIN_RESULT_ALREADY_SUBMITTED;
                char resend_what[320];
                snprintf(resend_what, sizeof resend_what, "%s: resend", what);
                result_surfaces(resend_what, rc2, again, err2);
            }
            result_surfaces(what, rc, out, err);
        }
    }
    check(accepted > 0 && unknown > 0 && already > 0, "client: sends accepted (%u), unknown (%u), resent and already submitted (%u)", accepted,
          unknown, already);

    /* Bulk: 5002 recipients in two batches, one of which meets the fault. */
    size_t cap = 64 + 5002 * 14 + 128;
    char *bulk = malloc(cap);
    size_t n = (size_t)snprintf(bulk, cap, "{\"content\":{\"sms\":{\"purpose\":\"advertising\",\"sender\":\"NHANTIN\",\"text\":\"" OTP "\"}},\"request_id\":\"c-canary-bulk\",\"recipients\":[\"" PHONE "\"");
    for (unsigned i = 0; i < 5001; i++) {
        n += (size_t)snprintf(bulk + n, cap - n, ",\"09%08u\"", 10000000u + i);
    }
    snprintf(bulk + n, cap - n, "]}");
    const char *bulk_faults[] = {"{\"fault\":\"status\",\"status\":503}", "{\"fault\":\"html_page\"}"};
    for (size_t f = 0; f < 2; f++) {
        inject(bulk_faults[f], 1);
        char *out = NULL;
        err = NULL;
        rc = nhantin_client_send_bulk(client, bulk, &out, &err);
        char what[200];
        snprintf(what, sizeof what, "client bulk under %s", bulk_faults[f]);
        check(rc != NHANTIN_RESULT_OK || (out != NULL && strstr(out, "\"error\"") != NULL), "%s: one batch failed", what);
        result_surfaces(what, rc, out, err);
    }
    free(bulk);
    nhantin_client_free(client);
}

/* ---- refusals before anything is sent ---------------------------------------------------------- */

static void test_input_errors(void) {
    static const char *const bad_messages[] = {
        "{\"recipients\":[\"0912345678x\"],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"" OTP "\",\"sender\":\"NHANTIN\"}}}",
        "{\"recipients\":[\"01912345678\"],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"" OTP "\",\"sender\":\"NHANTIN\"}}}",
        "{\"recipients\":[\"+84 912 345 678\",\"0912.345.678\"],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"" OTP "\",\"sender\":\"NHANTIN\"}},\"request_id\":\"c-dup-1\"}",
        "{\"recipients\":[\"" PHONE "\",\"+84912345678\"],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"" OTP "\",\"sender\":\"NHANTIN\"}},\"request_id\":\"c-dup-2\"}",
        "{\"recipients\":[\"" PHONE "\"],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"" OTP "\",\"sender\":\"NHANTIN\"}},\"options\":{\"esms\":{\"format\":\"get\"}}}",
        "{\"recipients\":[\"" PHONE "\"],\"content\":{\"sms\":{\"purpose\":\"customer_care\",\"text\":\"" OTP " \xc4\x91\xe1\xbb\x93ng\",\"sender\":\"NHANTIN\"}},\"options\":{\"esms\":{\"format\":\"xml\"}},\"request_id\":\"c-xml\"}",
        /* Wrong JSON types: serde's own message would quote the value. */
        "{\"recipients\":[\"" PHONE "\"],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":778899,\"sender\":\"NHANTIN\"}}}",
        "{\"recipients\":\"" PHONE "\",\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"" OTP "\",\"sender\":\"NHANTIN\"}}}",
        "{\"recipients\":[912345678],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"" OTP "\",\"sender\":\"NHANTIN\"}}}",
        "{\"recipients\":[\"" PHONE "\"],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"" OTP "\",\"sender\":\"NHANTIN\"}},\"sandbox\":\"" OTP "\"}",
        "{\"recipients\":[\"" PHONE "\"],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"" OTP "\"",
    };
    nhantin_client *client = NULL;
    nhantin_error *err = NULL;
    nhantin_client_new(g_account, "{\"allow_insecure_http\":true,\"max_attempts\":1}", &client, &err);
    nhantin_error_free(err);
    inject(NULL, 0);
    unsigned refused = 0;
    for (size_t i = 0; i < sizeof bad_messages / sizeof bad_messages[0]; i++) {
        char what[200], *out = NULL;
        nhantin_result rc;

        snprintf(what, sizeof what, "nhantin_client_send of bad message %zu", i);
        err = NULL;
        rc = nhantin_client_send(client, bad_messages[i], &out, &err);
        refused += check(rc != NHANTIN_RESULT_OK, "%s is refused", what);
        result_surfaces(what, rc, out, err);

        snprintf(what, sizeof what, "nhantin_encode_send of bad message %zu", i);
        out = NULL;
        err = NULL;
        rc = nhantin_encode_send(g_account, bad_messages[i], "2026-11-24T02:00:00Z", &out, &err);
        refused += rc != NHANTIN_RESULT_OK;
        if (rc == NHANTIN_RESULT_OK) { /* the exact request: not a log surface */
            nhantin_string_free(out);
        } else {
            result_surfaces(what, rc, NULL, err);
        }

        snprintf(what, sizeof what, "nhantin_send_machine_new of bad message %zu", i);
        nhantin_send_machine *m = NULL;
        err = NULL;
        rc = nhantin_send_machine_new(g_account, bad_messages[i], "{\"now_ms\":1780000000000}", NULL, &m, &err);
        refused += rc != NHANTIN_RESULT_OK;
        if (rc == NHANTIN_RESULT_OK) {
            nhantin_send_machine_free(m);
        } else {
            result_surfaces(what, rc, NULL, err);
        }
    }
    nhantin_client_free(client);
    check(refused >= 3 * 10, "input errors: %u of the bad messages refused", refused);

    /* Accounts and options the library refuses. */
    static const char *const bad_accounts[] = {
        "{\"provider\":\"esms\",\"api_key\":\"" KEY "\",\"secret_key\":778899}",
        "{\"provider\":\"esms\",\"api_key\":\"" KEY "\\n\",\"secret_key\":\"" SECRET "\"}",
        "{\"provider\":\"esms\",\"api_key\":\"\",\"secret_key\":\"" SECRET " \"}",
        "{\"provider\":\"esms\",\"api_key\":[\"" KEY "\"],\"secret_key\":\"" SECRET "\"}",
        "{\"provider\":\"esms\",\"api_key\":\"" KEY "\",\"secret_key\":\"" SECRET "\",\"base_url\":\"ftp://esms.example.vn/\"}",
        "{\"provider\":\"esms\",\"api_key\":\"" KEY "\",\"secret_key\":\"" SECRET "\"",
    };
    for (size_t i = 0; i < sizeof bad_accounts / sizeof bad_accounts[0]; i++) {
        char what[200];
        snprintf(what, sizeof what, "nhantin_client_new of bad account %zu", i);
        client = NULL;
        err = NULL;
        nhantin_result rc = nhantin_client_new(bad_accounts[i], NULL, &client, &err);
        check(rc != NHANTIN_RESULT_OK, "%s is refused", what);
        nhantin_client_free(client);
        result_surfaces(what, rc, NULL, err);
    }
    static const char *const proxies[] = {
        "{\"proxy\":\"http://erp:" PROXY_PASSWORD "@[::1\"}",
        "{\"proxy\":\"ftp://erp:" PROXY_PASSWORD "@proxy.example.vn:3128\"}",
        "{\"proxy\":\"http://erp:" PROXY_PASSWORD "@proxy.example.vn:3128\",\"max_attempts\":\"" PROXY_PASSWORD "\"}",
    };
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++) {
        char what[200];
        snprintf(what, sizeof what, "nhantin_client_new with bad options %zu", i);
        client = NULL;
        err = NULL;
        nhantin_result rc = nhantin_client_new(g_account, proxies[i], &client, &err);
        nhantin_client_free(client);
        if (rc != NHANTIN_RESULT_OK) {
            result_surfaces(what, rc, NULL, err);
        }
    }

    static const char *const phones[] = {PHONE "x", "01912345678", "0912345", OTP};
    for (size_t i = 0; i < sizeof phones / sizeof phones[0]; i++) {
        char buf[32], what[200];
        size_t n = 0;
        uint32_t carrier = 0;
        err = NULL;
        nhantin_result rc = nhantin_phone_normalize(phones[i], NHANTIN_PHONE_FORMAT_NATIONAL, buf, sizeof buf, &n, &carrier, &err);
        snprintf(what, sizeof what, "nhantin_phone_normalize of bad phone %zu", i);
        check(rc != NHANTIN_RESULT_OK, "%s is refused", what);
        result_surfaces(what, rc, NULL, err);
    }
}

/* ---- the send machine, with libcurl ------------------------------------------------------------ */

/* Runs `m` to its end. `careless`: a caller who reports libcurl's failure with the URL in the
 * cause ("… for GET <url>"), instead of curl_send_transmit's few words. */
static void drive(nhantin_send_machine *m, nhantin_account_state *state, bool careless, const char *what) {
    char name[400];
    for (;;) {
        char *step_json = NULL;
        nhantin_error *err = NULL;
        nhantin_result rc = nhantin_send_machine_poll(m, state, curl_send_now_ms(), &step_json, &err);
        if (!check(rc == NHANTIN_RESULT_OK, "%s: poll", what)) {
            nhantin_error_free(err);
            return;
        }
        cJSON *step = cJSON_Parse(step_json);
        const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(step, "step"));
        if (kind != NULL && strcmp(kind, "transmit") == 0) {
            nhantin_string_free(step_json);
            snprintf(name, sizeof name, "%s: redacted_url", what);
            clean(name, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(step, "redacted_url")));
            const cJSON *request = cJSON_GetObjectItemCaseSensitive(step, "request");
            if (careless) {
                char cause[2048];
                snprintf(cause, sizeof cause, "Recv failure: Connection reset by peer for %s %s",
                         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(request, "method")),
                         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(request, "url")));
                rc = nhantin_send_machine_on_failure(m, state, curl_send_now_ms(), true, cause, &err);
            } else {
                rc = curl_send_transmit(g_curl, m, state, request, &err);
            }
            cJSON_Delete(step);
            if (!check(rc == NHANTIN_RESULT_OK, "%s: report", what)) {
                nhantin_error_free(err);
                return;
            }
        } else if (kind != NULL && strcmp(kind, "wait") == 0) {
            nhantin_string_free(step_json);
            int64_t until = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(step, "until_ms"));
            cJSON_Delete(step);
            curl_send_sleep_until(until);
        } else {
            snprintf(name, sizeof name, "%s: done step", what);
            clean(name, step_json);
            nhantin_string_free(step_json);
            cJSON_Delete(step);
            char *outcome = NULL;
            err = NULL;
            rc = nhantin_send_machine_result(m, &outcome, &err);
            snprintf(name, sizeof name, "%s: result", what);
            result_surfaces(name, rc, outcome, err);
            return;
        }
    }
}

static void test_machine(void) {
    nhantin_account_state *state = NULL;
    nhantin_account_state_new(&state);
    for (size_t i = 0; i < N_MESSAGES; i++) {
        for (size_t f = 0; f < N_FAULTS; f++) {
            for (int careless = 0; careless <= 1; careless++) {
                char what[300], context[64];
                snprintf(what, sizeof what, "machine %s (careless %d) under %s", MESSAGES[i][0], careless, FAULTS[f] ? FAULTS[f] : "no fault");
                inject(FAULTS[f], 1);
                curl_send_context(context, sizeof context);
                nhantin_send_machine *m = NULL;
                nhantin_error *err = NULL;
                if (!check(nhantin_send_machine_new(g_account, MESSAGES[i][1], context, "{\"max_attempts\":1}", &m, &err) == NHANTIN_RESULT_OK,
                           "%s: nhantin_send_machine_new", what)) {
                    nhantin_error_free(err);
                    continue;
                }
                drive(m, state, careless != 0, what);
                nhantin_send_machine_free(m);
            }
        }
    }

    /* A closed port: the example's own loop (libcurl's failure in a few words), and a careless
     * cause that names the whole GET URL. */
    char dead[512], context[64];
    snprintf(dead, sizeof dead, "{\"provider\":\"esms\",\"api_key\":\"" KEY "\",\"secret_key\":\"" SECRET "\",\"base_url\":\"http://127.0.0.1:9/esms/\"}");
    for (int careless = 0; careless <= 1; careless++) {
        curl_send_context(context, sizeof context);
        nhantin_send_machine *m = NULL;
        nhantin_error *err = NULL;
        if (nhantin_send_machine_new(dead, MESSAGES[1][1], context, "{\"max_attempts\":2,\"initial_backoff_ms\":10}", &m, &err) != NHANTIN_RESULT_OK) {
            nhantin_error_free(err);
            check(false, "machine to a closed port: nhantin_send_machine_new");
            continue;
        }
        if (careless) {
            drive(m, state, true, "machine to a closed port (careless)");
        } else {
            char *outcome = NULL;
            unsigned transmits = 0;
            nhantin_result rc = curl_send_run(g_curl, m, state, &outcome, &err, &transmits);
            check(rc == NHANTIN_RESULT_TRANSPORT && transmits == 2, "machine to a closed port: TRANSPORT after 2 attempts (got %u, %u)", (unsigned)rc,
                  transmits);
            result_surfaces("machine to a closed port", rc, outcome, err);
        }
        nhantin_send_machine_free(m);
    }

    /* A proxy's error page that echoes the whole request URL, keys, phone and text included. */
    nhantin_send_machine *m = NULL;
    nhantin_error *err = NULL;
    nhantin_send_machine_new(g_account, MESSAGES[1][1], "{\"now_ms\":1780000000000}", "{\"max_attempts\":1}", &m, &err);
    char *step_json = NULL;
    nhantin_send_machine_poll(m, state, 1780000000000, &step_json, &err);
    cJSON *step = cJSON_Parse(step_json);
    nhantin_string_free(step_json);
    const char *url = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(step, "request"), "url"));
    check(url != NULL && strstr(url, KEY) != NULL && strstr(url, PHONE) != NULL, "echo: the GET URL carries the key and the phone");
    char echo[2048];
    int len = snprintf(echo, sizeof echo, "<html>502 Bad Gateway for %s</html>", url ? url : "");
    cJSON_Delete(step);
    nhantin_send_machine_on_response(m, state, 1780000000001, 502, NULL, (const uint8_t *)echo, (size_t)len, &err);
    step_json = NULL;
    nhantin_send_machine_poll(m, state, 1780000000002, &step_json, &err);
    clean("echoed proxy page: done step", step_json);
    nhantin_string_free(step_json);
    char *outcome = NULL;
    nhantin_result rc = nhantin_send_machine_result(m, &outcome, &err);
    check(rc != NHANTIN_RESULT_OK, "echoed proxy page: the send failed");
    result_surfaces("echoed proxy page", rc, outcome, err);
    nhantin_send_machine_free(m);
    nhantin_account_state_free(state);
}

static bool copy_member(const cJSON *line, const char *key, char *out, size_t len) {
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(line, key));
    if (v == NULL) {
        return false;
    }
    snprintf(out, len, "%s", v);
    return true;
}

int main(void) {
    const char *line_text = getenv("NHANTIN_EMULATOR");
    if (line_text == NULL) {
        fprintf(stderr, "set NHANTIN_EMULATOR to the first line printed by `nhantin emulator`\n");
        return 2;
    }
    cJSON *line = cJSON_Parse(line_text);
    bool ok = copy_member(line, "base_url", g_base, sizeof g_base) && copy_member(line, "esms", g_esms, sizeof g_esms);
    cJSON_Delete(line);
    if (!check(ok, "NHANTIN_EMULATOR names the base URLs")) {
        return check_finish("test_canary");
    }
    snprintf(g_account, sizeof g_account, "{\"provider\":\"esms\",\"api_key\":\"" KEY "\",\"secret_key\":\"" SECRET "\",\"base_url\":\"%s\"}", g_esms);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_curl = curl_easy_init();

    nhantin_error *err = NULL;
    check(nhantin_set_logger(capture, NULL, 9, &err) == NHANTIN_RESULT_INVALID_INPUT, "logger: level 9 is refused");
    nhantin_error_free(err);
    err = NULL;
    check(nhantin_set_logger(capture, NULL, NHANTIN_LOG_TRACE, &err) == NHANTIN_RESULT_OK, "logger: set at trace");
    nhantin_error_free(err);

    test_client();
    test_input_errors();
    test_machine();

    /* Logging off: nothing more arrives. A NULL callback needs no level (0 was refused, and the
       old callback stayed installed: a caller that then freed its context got a use-after-free). */
    check(nhantin_set_logger(NULL, NULL, 0, NULL) == NHANTIN_RESULT_OK, "logger: off with level 0");
    size_t before = g_log.count;
    nhantin_client *quiet = NULL;
    if (nhantin_client_new(g_account, "{\"allow_insecure_http\":true}", &quiet, NULL) == NHANTIN_RESULT_OK) {
        char *out = NULL;
        nhantin_client_send(quiet, MESSAGES[0][1], &out, NULL);
        nhantin_string_free(out);
        nhantin_client_free(quiet);
    }
    check(g_log.count == before, "logger: off means no record (%zu after %zu)", g_log.count, before);
    check(g_log.count > 20 && g_log.info > 0 && g_log.transport > 0, "logger: %zu records, %zu at info, %zu from the transport", g_log.count,
          g_log.info, g_log.transport);
    for (size_t i = 0; i < g_log.count; i++) {
        clean("log record", g_log.text[i]);
        free(g_log.text[i]);
    }
    check(g_surfaces > 400, "canary: %u surfaces looked at", g_surfaces);

    control("reset", NULL);
    curl_easy_cleanup(g_curl);
    curl_global_cleanup();
    return check_finish("test_canary");
}

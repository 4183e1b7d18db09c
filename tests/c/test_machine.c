/* The send machine over the C ABI, driven by the libcurl example (examples/curl_send.c) against
 * the emulator: retries, Retry-After, pacing, and the never-twice classification are the same
 * as nhantin_client_send's, with the caller's own HTTP stack. The emulator's record of accepted
 * messages is the judge of "sent exactly once".
 *
 * usage: NHANTIN_EMULATOR='<first line of `nhantin emulator`>' test_machine */
#define CURL_SEND_NO_MAIN
#include "examples/curl_send.c"

#include "portable.h"

#include "check.h"
#include "names.h"

static CURL *g_curl;
static char g_base[256];
static char g_esms[256];
static char g_caresoft[256];
static char g_interits[256];
static char g_run[32];

/* ---- the emulator's control API, with libcurl ------------------------------------------- */

static cJSON *control(const char *method, const char *path, const char *body) {
    char url[512];
    snprintf(url, sizeof url, "%s/_emulator/%s", g_base, path);
    struct curl_send_body answer = {NULL, 0, false};
    struct curl_slist *list = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_reset(g_curl);
    curl_easy_setopt(g_curl, CURLOPT_URL, url);
    curl_easy_setopt(g_curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(g_curl, CURLOPT_NOPROXY, "*");
    if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(g_curl, CURLOPT_POSTFIELDS, body ? body : "");
    }
    curl_easy_setopt(g_curl, CURLOPT_WRITEFUNCTION, curl_send_on_body);
    curl_easy_setopt(g_curl, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(g_curl, CURLOPT_TIMEOUT_MS, 10000L);
    CURLcode rc = curl_easy_perform(g_curl);
    curl_slist_free_all(list);
    cJSON *value = rc == CURLE_OK && answer.data ? cJSON_Parse(answer.data) : NULL;
    if (!check(value != NULL, "control %s %s answers JSON", method, path)) {
        check_note("curl: %s; body: %s", curl_easy_strerror(rc), answer.data ? answer.data : "(none)");
    }
    free(answer.data);
    return value;
}

static void fault(const char *spec) {
    cJSON *r = control("POST", "faults", spec);
    check(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "queued")), "fault queued: %s", spec);
    cJSON_Delete(r);
}

/* How many accepted messages the emulator holds with this request id (all of them for NULL). */
static int recorded(const char *request_id) {
    cJSON *messages = control("GET", "messages", NULL);
    int n = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, messages) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "request_id"));
        if (request_id == NULL || (id != NULL && strcmp(id, request_id) == 0)) {
            n++;
        }
    }
    cJSON_Delete(messages);
    return n;
}

/* ---- one send through the machine ----------------------------------------------------------- */

struct sent {
    nhantin_result rc;
    cJSON *outcome;      /* on OK */
    nhantin_error *err;  /* otherwise */
    cJSON *error;        /* its JSON */
    unsigned transmits;
    int64_t took_ms;
    char request_id[64];
};

static void sent_free(struct sent *s) {
    cJSON_Delete(s->outcome);
    cJSON_Delete(s->error);
    nhantin_error_free(s->err);
    memset(s, 0, sizeof *s);
}

static void take_result(struct sent *s, nhantin_result rc, char *outcome, nhantin_error *err) {
    s->rc = rc;
    s->outcome = outcome ? cJSON_Parse(outcome) : NULL;
    nhantin_string_free(outcome);
    s->err = err;
    s->error = err ? cJSON_Parse(nhantin_error_json(err)) : NULL;
}

/* Sends `message` to `account` with a new machine (context now, optional policy). */
static struct sent send_with(nhantin_account_state *state, const char *account, const char *message, const char *policy) {
    struct sent s;
    memset(&s, 0, sizeof s);
    char context[64];
    curl_send_context(context, sizeof context);
    nhantin_send_machine *m = NULL;
    nhantin_error *err = NULL;
    char *outcome = NULL;
    int64_t t0 = curl_send_now_ms();
    nhantin_result rc = nhantin_send_machine_new(account, message, context, policy, &m, &err);
    if (rc == NHANTIN_RESULT_OK) {
        const char *id = nhantin_send_machine_request_id(m);
        snprintf(s.request_id, sizeof s.request_id, "%s", id ? id : "");
        rc = curl_send_run(g_curl, m, state, &outcome, &err, &s.transmits);
        nhantin_send_machine_free(m);
    }
    s.took_ms = curl_send_now_ms() - t0;
    take_result(&s, rc, outcome, err);
    return s;
}

/* The one safe resend of `unknown`, at `now_ms` (0: the clock now). */
static struct sent resend_with(nhantin_account_state *state, const char *account, const char *message, const nhantin_error *unknown,
                               int64_t now_ms) {
    struct sent s;
    memset(&s, 0, sizeof s);
    char context[64];
    if (now_ms == 0) {
        curl_send_context(context, sizeof context);
    } else {
        snprintf(context, sizeof context, "{\"now_ms\":%" PRId64 "}", now_ms);
    }
    nhantin_send_machine *m = NULL;
    nhantin_error *err = NULL;
    char *outcome = NULL;
    nhantin_result rc = nhantin_send_machine_resend(account, message, unknown, context, NULL, &m, &err);
    if (rc == NHANTIN_RESULT_OK) {
        const char *id = nhantin_send_machine_request_id(m);
        snprintf(s.request_id, sizeof s.request_id, "%s", id ? id : "");
        rc = curl_send_run(g_curl, m, state, &outcome, &err, &s.transmits);
        nhantin_send_machine_free(m);
    }
    take_result(&s, rc, outcome, err);
    return s;
}

static bool check_rc(const struct sent *s, nhantin_result want, const char *name) {
    bool ok = s->rc == want;
    if (!check(ok, "%s: %s", name, result_name(want))) {
        char *text = s->error ? cJSON_PrintUnformatted(s->error) : NULL;
        check_note("got %u %s; error %s", (unsigned)s->rc, result_name(s->rc), text ? text : "(none)");
        free(text);
    }
    return ok;
}

static const char *str_of(const cJSON *o, const char *key) { return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key)); }
static double num_of(const cJSON *o, const char *key) { return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, key)); }
static bool is_true(const cJSON *o, const char *key) { return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key)); }

/* ---- the scenarios --------------------------------------------------------------------------- */

static char esms_account[512], caresoft_account[512], interits_account[512];

static void otp(char *buf, size_t len, const char *to, const char *request_id) {
    if (request_id != NULL) {
        snprintf(buf, len, "{\"recipients\":[\"%s\"],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"Ma OTP 123456\",\"sender\":\"NHANTIN\"}},\"request_id\":\"%s-%s\"}", to,
                 g_run, request_id);
    } else {
        snprintf(buf, len, "{\"recipients\":[\"%s\"],\"content\":{\"sms\":{\"purpose\":\"otp\",\"text\":\"Ma OTP 123456\",\"sender\":\"NHANTIN\"}}}", to);
    }
}

static void test_accepted(nhantin_account_state *state) {
    char message[512];
    otp(message, sizeof message, "0912345678", NULL);
    struct sent s = send_with(state, esms_account, message, NULL);
    if (check_rc(&s, NHANTIN_RESULT_OK, "machine, eSMS, no request id: accepted")) {
        check_str(str_of(s.outcome, "status"), "accepted", "machine: status accepted");
        check_str(str_of(s.outcome, "request_id"), s.request_id, "machine: the outcome's request id is nhantin_send_machine_request_id");
        check(strncmp(s.request_id, "nt-", 3) == 0, "machine: a generated nt-… request id (%s)", s.request_id);
        check(num_of(s.outcome, "attempts") == 1 && s.transmits == 1, "machine: one attempt, one transmit");
        const cJSON *receipt = cJSON_GetObjectItemCaseSensitive(s.outcome, "receipt");
        check(str_of(receipt, "reference") != NULL && strlen(str_of(receipt, "reference")) == 32, "machine: the eSMS SMSID");
    }
    check(recorded(s.request_id) == 1, "machine accepted: the emulator recorded it once");
    sent_free(&s);
}

static void test_retries(nhantin_account_state *state) {
    char message[512];
    /* A 503 (may have been processed; eSMS de-duplicates by the id): resent, accepted. */
    fault("{\"fault\":\"status\",\"status\":503,\"times\":1,\"path\":\"SendMultipleMessage_V4_post_json\"}");
    otp(message, sizeof message, "0912345671", "m-503");
    struct sent s = send_with(state, esms_account, message, NULL);
    if (check_rc(&s, NHANTIN_RESULT_OK, "machine, one 503: accepted")) {
        check(s.transmits == 2 && num_of(s.outcome, "attempts") == 2, "machine, one 503: two attempts (%u)", s.transmits);
    }
    check(recorded(s.request_id) == 1, "machine, one 503: recorded once");
    sent_free(&s);

    /* A 429 with Retry-After: 1 is honoured (the header reached the machine through libcurl). */
    fault("{\"fault\":\"too_many_requests\",\"retry_after_secs\":1,\"times\":1,\"path\":\"SendMultipleMessage_V4_post_json\"}");
    otp(message, sizeof message, "0912345672", "m-429");
    s = send_with(state, esms_account, message, NULL);
    if (check_rc(&s, NHANTIN_RESULT_OK, "machine, 429 Retry-After 1: accepted")) {
        check(s.transmits == 2, "machine, 429: resent once (%u)", s.transmits);
        check(s.took_ms >= 990, "machine, 429: waited the second Retry-After asked for (%" PRId64 " ms)", s.took_ms);
    }
    check(recorded(s.request_id) == 1, "machine, 429: recorded once");
    sent_free(&s);

    /* Nothing listens: every attempt is a failed connection, nothing was sent. */
    char dead[512];
    snprintf(dead, sizeof dead, "{\"provider\":\"esms\",\"api_key\":\"K\",\"secret_key\":\"S\",\"base_url\":\"http://127.0.0.1:9/esms/\"}");
    otp(message, sizeof message, "0912345673", "m-dead");
    s = send_with(state, dead, message, "{\"max_attempts\":3,\"initial_backoff_ms\":10}");
    if (check_rc(&s, NHANTIN_RESULT_TRANSPORT, "machine, closed port")) {
        check(s.transmits == 3, "machine, closed port: all 3 attempts made (%u)", s.transmits);
        check_str(str_of(s.error, "kind"), "transport", "machine, closed port: kind transport");
        check_str(str_of(s.error, "class"), "not_sent", "machine, closed port: class not_sent");
        check(is_true(s.error, "retry_safe"), "machine, closed port: retry safe");
    }
    sent_free(&s);
}

static void test_already_submitted(nhantin_account_state *state) {
    /* Defect 6: processed, answer lost, the resend answered 124: its own code, no receipt. */
    char message[512];
    fault("{\"fault\":\"reset_after_accept\",\"times\":1,\"path\":\"SendMultipleMessage_V4_post_json\"}");
    otp(message, sizeof message, "0912345674", "m-already");
    struct sent s = send_with(state, esms_account, message, NULL);
    if (check_rc(&s, NHANTIN_RESULT_ALREADY_SUBMITTED, "machine, reset after accept then 124")) {
        check(s.outcome == NULL, "already submitted: no outcome (not a success)");
        check_str(str_of(s.error, "kind"), "already_submitted", "already submitted: kind");
        check_str(str_of(s.error, "class"), "already_submitted", "already submitted: class");
        check_str(str_of(s.error, "request_id"), s.request_id, "already submitted: the request id");
        check(!is_true(s.error, "retry_safe"), "already submitted: not retry safe");
        check(s.transmits == 2, "already submitted: two transmits (%u)", s.transmits);
    }
    check(recorded(s.request_id) == 1, "already submitted: the emulator holds exactly one message");
    sent_free(&s);
}

static void test_unknown_and_resend(nhantin_account_state *state) {
    /* Defect 4: with one attempt, a lost answer is an unknown outcome; the safe resend carries
     * the same id, and the emulator holds exactly one message. */
    char message[512];
    fault("{\"fault\":\"reset_after_accept\",\"times\":1,\"path\":\"SendMultipleMessage_V4_post_json\"}");
    otp(message, sizeof message, "0912345675", NULL);
    struct sent s = send_with(state, esms_account, message, "{\"max_attempts\":1}");
    if (!check_rc(&s, NHANTIN_RESULT_OUTCOME_UNKNOWN, "machine, max_attempts 1, reset after accept")) {
        sent_free(&s);
        return;
    }
    check(nhantin_error_is_retry_safe(s.err), "unknown outcome: retry safe");
    check_str(str_of(s.error, "request_id"), s.request_id, "unknown outcome: names the generated request id");
    check(str_of(s.error, "first_sent_at") != NULL && str_of(s.error, "resend_until") != NULL, "unknown outcome: first_sent_at, resend_until");
    check(recorded(s.request_id) == 1, "unknown outcome: it had arrived");

    struct sent r = resend_with(state, esms_account, message, s.err, 0);
    check_rc(&r, NHANTIN_RESULT_ALREADY_SUBMITTED, "nhantin_send_machine_resend: already submitted");
    check_str(r.request_id, s.request_id, "the resend carries the same request id");
    check(recorded(s.request_id) == 1, "after the resend: exactly one message");
    sent_free(&r);

    /* After the window: refused before anything, nothing sent. */
    int64_t until = (int64_t)num_of(s.error, "resend_until_ms");
    int before = recorded(NULL);
    r = resend_with(state, esms_account, message, s.err, until);
    if (check_rc(&r, NHANTIN_RESULT_INVALID_INPUT, "nhantin_send_machine_resend at resend_until_ms: refused")) {
        check_str(str_of(r.error, "field"), "request_id", "late resend: field request_id");
        check(r.transmits == 0, "late resend: nothing transmitted");
    }
    check(recorded(NULL) == before, "late resend: the emulator recorded nothing");
    sent_free(&r);
    sent_free(&s);

    /* A 503 that was not processed: the resend is accepted, once. */
    fault("{\"fault\":\"status\",\"status\":503,\"times\":1,\"path\":\"SendMultipleMessage_V4_post_json\"}");
    otp(message, sizeof message, "0912345676", "m-unknown-503");
    s = send_with(state, esms_account, message, "{\"max_attempts\":1}");
    if (check_rc(&s, NHANTIN_RESULT_OUTCOME_UNKNOWN, "machine, max_attempts 1, 503")) {
        check(recorded(s.request_id) == 0, "503: nothing recorded yet");
        r = resend_with(state, esms_account, message, s.err, 0);
        if (check_rc(&r, NHANTIN_RESULT_OK, "resend after a 503: accepted")) {
            check_str(str_of(r.outcome, "request_id"), s.request_id, "resend after a 503: the same request id");
        }
        check(recorded(s.request_id) == 1, "resend after a 503: exactly one message");
        sent_free(&r);
    }
    sent_free(&s);
}

static void test_no_key_no_resend(nhantin_account_state *caresoft_state, nhantin_account_state *interits_state) {
    /* CareSoft has no idempotency key, InterITS documents no de-duplication: a send that may have
     * arrived is not resent, and no resend is offered. */
    const char *care = "{\"recipients\":[\"0980000002\"],\"content\":{\"sms\":{\"purpose\":\"customer_care\",\"text\":\"Cam on quy khach\"}}}";
    int before = recorded(NULL);
    fault("{\"fault\":\"reset_after_accept\",\"times\":1,\"path\":\"caresoft\"}");
    struct sent s = send_with(caresoft_state, caresoft_account, care, NULL);
    if (check_rc(&s, NHANTIN_RESULT_OUTCOME_UNKNOWN, "machine, CareSoft reset after accept")) {
        check(s.transmits == 1, "CareSoft: not resent (%u)", s.transmits);
        check(!nhantin_error_is_retry_safe(s.err), "CareSoft: not retry safe");
        struct sent r = resend_with(caresoft_state, caresoft_account, care, s.err, 0);
        check_rc(&r, NHANTIN_RESULT_INVALID_INPUT, "CareSoft: nhantin_send_machine_resend refused");
        sent_free(&r);
    }
    check(recorded(NULL) == before + 1, "CareSoft: it arrived once, and only once");
    sent_free(&s);

    char message[512];
    fault("{\"fault\":\"reset_after_accept\",\"times\":1,\"path\":\"interits\"}");
    otp(message, sizeof message, "0901234567", "m-interits");
    s = send_with(interits_state, interits_account, message, NULL);
    if (check_rc(&s, NHANTIN_RESULT_OUTCOME_UNKNOWN, "machine, InterITS reset after accept")) {
        check(s.transmits == 1, "InterITS without dedup_confirmed: not resent (%u)", s.transmits);
        check(!is_true(s.error, "retry_safe"), "InterITS without dedup_confirmed: not retry safe");
    }
    check(recorded(s.request_id) == 1, "InterITS: accepted exactly once");
    sent_free(&s);
}

static void test_caresoft_pacing(nhantin_account_state *state) {
    /* Sixteen sends in a row to one account: the sixteenth waits for the one-second window. */
    const char *care = "{\"recipients\":[\"0980000003\"],\"content\":{\"sms\":{\"purpose\":\"customer_care\",\"text\":\"Xin chao\"}}}";
    int before = recorded(NULL);
    int64_t t0 = curl_send_now_ms();
    int accepted = 0;
    for (int i = 0; i < 16; i++) {
        struct sent s = send_with(state, caresoft_account, care, NULL);
        /* (The emulator counts a fixed window from its first arrival; network jitter may still
         * earn one 429 there, which the machine waits out and resends: accepted either way.) */
        accepted += s.rc == NHANTIN_RESULT_OK;
        sent_free(&s);
    }
    int64_t took = curl_send_now_ms() - t0;
    check(accepted == 16, "CareSoft pacing: 16 accepted (%d)", accepted);
    check(took >= 900, "CareSoft pacing: 16 sends took at least the window (%" PRId64 " ms)", took);
    check(recorded(NULL) == before + 16, "CareSoft pacing: 16 recorded");
}

static bool copy_member(const cJSON *line, const char *key, char *out, size_t len) {
    const char *v = str_of(line, key);
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
    bool ok = copy_member(line, "base_url", g_base, sizeof g_base) && copy_member(line, "esms", g_esms, sizeof g_esms) &&
              copy_member(line, "caresoft", g_caresoft, sizeof g_caresoft) && copy_member(line, "interits", g_interits, sizeof g_interits);
    cJSON_Delete(line);
    if (!check(ok, "NHANTIN_EMULATOR names every base URL")) {
        return check_finish("test_machine");
    }
    snprintf(g_run, sizeof g_run, "cm%ld", nt_getpid());
    snprintf(esms_account, sizeof esms_account,
             "{\"provider\":\"esms\",\"api_key\":\"DEMO_ESMS_API_KEY\",\"secret_key\":\"DEMO_ESMS_SECRET_KEY\",\"base_url\":\"%s\"}", g_esms);
    snprintf(caresoft_account, sizeof caresoft_account,
             "{\"provider\":\"caresoft\",\"domain\":\"demo\",\"api_token\":\"DEMO_CARESOFT_TOKEN\",\"service_id\":12,\"base_url\":\"%s\"}", g_caresoft);
    snprintf(interits_account, sizeof interits_account, "{\"provider\":\"interits\",\"api_key\":\"DEMO_INTERITS_KEY\",\"base_url\":\"%s\"}",
             g_interits);

    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_curl = curl_easy_init();
    cJSON *reset = control("POST", "reset", NULL);
    check(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reset, "reset")), "emulator reset");
    cJSON_Delete(reset);

    /* One state per account, shared by every send to it. */
    nhantin_account_state *esms = NULL, *caresoft = NULL, *interits = NULL;
    nhantin_account_state_new(&esms);
    nhantin_account_state_new(&caresoft);
    nhantin_account_state_new(&interits);

    test_accepted(esms);
    test_retries(esms);
    test_already_submitted(esms);
    test_unknown_and_resend(esms);
    test_no_key_no_resend(caresoft, interits);
    test_caresoft_pacing(caresoft);

    nhantin_account_state_free(esms);
    nhantin_account_state_free(caresoft);
    nhantin_account_state_free(interits);
    curl_easy_cleanup(g_curl);
    curl_global_cleanup();
    return check_finish("test_machine");
}

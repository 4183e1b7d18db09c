/* The C peers of scripts/bench.
 *
 *   peer nhantin CASES THREADS SECONDS [RSS_SENDS]   nhantin_client_send through one client
 *   peer curl    CASES THREADS SECONDS               libcurl easy handles (one per thread, keep-alive)
 *                                                     sending the exact request nhantin encodes
 *
 * Prints one JSON line: sends/s and p50/p99 latency over the measured window (after 0.5 s of
 * warm-up), or, with RSS_SENDS, the peak and current resident memory after a warm-up of 1000
 * sends and after RSS_SENDS more through the same client. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nhantin.h"

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (fread(s, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(2); }
    s[n] = 0;
    fclose(f);
    return s;
}

static void rss_kib(long *peak, long *now) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    *peak = *now = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "VmHWM:", 6)) *peak = atol(line + 6);
        if (!strncmp(line, "VmRSS:", 6)) *now = atol(line + 6);
    }
    if (f) fclose(f);
}

/* ---- the shared loop ---- */

typedef int (*send_fn)(void *ctx);

struct worker {
    pthread_t thread;
    send_fn send;
    void *ctx;
    double warmup, window;
    uint64_t *lat_ns; /* grows */
    size_t n, cap;
    uint64_t errors;
};

static void *run_worker(void *arg) {
    struct worker *w = arg;
    double start = now_s();
    while (now_s() - start < w->warmup) w->send(w->ctx);
    double end = now_s() + w->window;
    for (;;) {
        double t = now_s();
        if (t >= end) break;
        int ok = w->send(w->ctx);
        uint64_t ns = (uint64_t)((now_s() - t) * 1e9);
        if (w->n == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 65536;
            w->lat_ns = realloc(w->lat_ns, w->cap * sizeof *w->lat_ns);
        }
        w->lat_ns[w->n++] = ns;
        if (!ok) w->errors++;
    }
    return NULL;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *peer, struct worker *ws, int threads, double window) {
    size_t total = 0;
    uint64_t errors = 0;
    for (int i = 0; i < threads; i++) { total += ws[i].n; errors += ws[i].errors; }
    uint64_t *all = malloc((total ? total : 1) * sizeof *all);
    size_t k = 0;
    for (int i = 0; i < threads; i++) {
        memcpy(all + k, ws[i].lat_ns, ws[i].n * sizeof *all);
        k += ws[i].n;
    }
    qsort(all, total, sizeof *all, cmp_u64);
    double p50 = total ? (double)all[total / 2] / 1e3 : 0, p99 = total ? (double)all[(size_t)(total * 0.99)] / 1e3 : 0;
    printf("{\"peer\":\"%s\",\"threads\":%d,\"sends\":%zu,\"errors\":%llu,\"seconds\":%.3f,"
           "\"sends_per_s\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f}\n",
           peer, threads, total, (unsigned long long)errors, window, (double)total / window, p50, p99);
    free(all);
}

/* ---- nhantin ---- */

struct nh_ctx { nhantin_client *client; const char *message; };

static int nh_send(void *p) {
    struct nh_ctx *c = p;
    char *outcome = NULL;
    nhantin_error *err = NULL;
    nhantin_result r = nhantin_client_send(c->client, c->message, &outcome, &err);
    nhantin_string_free(outcome);
    nhantin_error_free(err);
    return r == NHANTIN_RESULT_OK;
}

/* ---- libcurl ---- */

struct curl_ctx { CURL *h; struct curl_slist *headers; const char *url, *body; };

static size_t sink(char *p, size_t size, size_t n, void *ud) { (void)p; (void)ud; return size * n; }

static int curl_send(void *p) {
    struct curl_ctx *c = p;
    long status = 0;
    if (curl_easy_perform(c->h) != CURLE_OK) return 0;
    curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
    return status == 200;
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: peer nhantin|curl CASES THREADS SECONDS [RSS_SENDS]\n"); return 2; }
    const char *mode = argv[1];
    int threads = atoi(argv[3]);
    double window = atof(argv[4]);
    long rss_sends = argc > 5 ? atol(argv[5]) : 0;
    cJSON *cases = cJSON_Parse(slurp(argv[2]));
    struct worker *ws = calloc((size_t)threads, sizeof *ws);

    if (!strcmp(mode, "nhantin")) {
        char *account = cJSON_PrintUnformatted(cJSON_GetObjectItem(cases, "account"));
        char *message = cJSON_PrintUnformatted(cJSON_GetObjectItem(cases, "message"));
        nhantin_client *client = NULL;
        nhantin_error *err = NULL;
        if (nhantin_client_new(account, "{\"allow_insecure_http\":true}", &client, &err) != NHANTIN_RESULT_OK) {
            fprintf(stderr, "nhantin_client_new: %s\n", nhantin_error_message(err));
            return 1;
        }
        struct nh_ctx ctx = {client, message};
        if (rss_sends) {
            long p0, r0, p1, r1;
            for (int i = 0; i < 1000; i++) nh_send(&ctx);
            rss_kib(&p0, &r0);
            long failed = 0;
            for (long i = 0; i < rss_sends; i++) failed += !nh_send(&ctx);
            rss_kib(&p1, &r1);
            printf("{\"peer\":\"c-nhantin\",\"sends\":%ld,\"failed\":%ld,\"peak_before_kib\":%ld,\"peak_after_kib\":%ld,"
                   "\"rss_before_kib\":%ld,\"rss_after_kib\":%ld}\n", rss_sends, failed, p0, p1, r0, r1);
            nhantin_client_free(client);
            return 0;
        }
        for (int i = 0; i < threads; i++) {
            ws[i] = (struct worker){.send = nh_send, .ctx = &ctx, .warmup = 0.5, .window = window};
            pthread_create(&ws[i].thread, NULL, run_worker, &ws[i]);
        }
        for (int i = 0; i < threads; i++) pthread_join(ws[i].thread, NULL);
        report("c-nhantin", ws, threads, window);
        nhantin_client_free(client);
    } else if (!strcmp(mode, "curl")) {
        cJSON *req = cJSON_GetObjectItem(cases, "request");
        curl_global_init(CURL_GLOBAL_DEFAULT);
        struct curl_ctx *ctxs = calloc((size_t)threads, sizeof *ctxs);
        for (int i = 0; i < threads; i++) {
            struct curl_ctx *c = &ctxs[i];
            c->url = cJSON_GetObjectItem(req, "url")->valuestring;
            c->body = cJSON_GetObjectItem(req, "body")->valuestring;
            cJSON *h;
            cJSON_ArrayForEach(h, cJSON_GetObjectItem(req, "headers")) {
                char line[512];
                snprintf(line, sizeof line, "%s: %s", cJSON_GetArrayItem(h, 0)->valuestring, cJSON_GetArrayItem(h, 1)->valuestring);
                c->headers = curl_slist_append(c->headers, line);
            }
            c->h = curl_easy_init();
            curl_easy_setopt(c->h, CURLOPT_URL, c->url);
            curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, c->body);
            curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->headers);
            curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, sink);
            curl_easy_setopt(c->h, CURLOPT_NOPROXY, "*");
            curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
            ws[i] = (struct worker){.send = curl_send, .ctx = c, .warmup = 0.5, .window = window};
            pthread_create(&ws[i].thread, NULL, run_worker, &ws[i]);
        }
        for (int i = 0; i < threads; i++) pthread_join(ws[i].thread, NULL);
        report("c-libcurl", ws, threads, window);
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    return 0;
}

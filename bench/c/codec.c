/* The C codec runner of scripts/bench: for each endpoint in cases.codec, the cost of
 * nhantin_encode_send (account, message and clock as JSON in, the request as JSON out) and of
 * nhantin_decode (the answer in, the receipt as JSON out), timed as every language's runner
 * does: batches of about 20 ms, seven of them, the median batch's time per call.
 * One JSON line per endpoint, in ns.   codec CASES */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nhantin.h"

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
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

static const char *account, *message, *now, *provider, *body;
static unsigned status;

static void encode(void) {
    char *out = NULL;
    nhantin_error *err = NULL;
    if (nhantin_encode_send(account, message, now, &out, &err) != NHANTIN_RESULT_OK) {
        fprintf(stderr, "encode: %s\n", nhantin_error_message(err));
        exit(1);
    }
    nhantin_string_free(out);
}

static void decode(void) {
    char *out = NULL;
    nhantin_error *err = NULL;
    if (nhantin_decode(provider, "send", (uint16_t)status, NULL, (const uint8_t *)body, strlen(body), &out, &err) != NHANTIN_RESULT_OK) {
        fprintf(stderr, "decode: %s\n", nhantin_error_message(err));
        exit(1);
    }
    nhantin_string_free(out);
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double per_call_ns(void (*f)(void)) {
    long k = 1;
    for (;;) {
        double t = now_ns();
        for (long i = 0; i < k; i++) f();
        if (now_ns() - t >= 20e6) break;
        k *= 2;
    }
    double batches[7];
    for (int b = 0; b < 7; b++) {
        double t = now_ns();
        for (long i = 0; i < k; i++) f();
        batches[b] = (now_ns() - t) / (double)k;
    }
    qsort(batches, 7, sizeof batches[0], cmp);
    return batches[3];
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: codec CASES\n"); return 2; }
    cJSON *cases = cJSON_Parse(slurp(argv[1])), *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(cases, "codec")) {
        account = cJSON_PrintUnformatted(cJSON_GetObjectItem(c, "account"));
        message = cJSON_PrintUnformatted(cJSON_GetObjectItem(c, "message"));
        now = cJSON_GetObjectItem(c, "now")->valuestring;
        provider = cJSON_GetObjectItem(c, "provider")->valuestring;
        cJSON *r = cJSON_GetObjectItem(c, "response");
        status = (unsigned)cJSON_GetObjectItem(r, "status")->valueint;
        body = cJSON_GetObjectItem(r, "body")->valuestring;
        double e = per_call_ns(encode), d = per_call_ns(decode);
        printf("{\"lang\":\"c\",\"endpoint\":\"%s\",\"encode_ns\":%.0f,\"decode_ns\":%.0f}\n",
               cJSON_GetObjectItem(c, "name")->valuestring, e, d);
    }
    return 0;
}

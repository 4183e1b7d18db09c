/* A small program over the C ABI, built twice by check.py: with musl-gcc against the musllinux
 * wheel's library and with gcc against the glibc one, so both can be compared byte for byte.
 *   probe version
 *   probe encode ACCOUNT_JSON MESSAGE_JSON NOW   the request, or the error's JSON
 *   probe send ACCOUNT_JSON MESSAGE_JSON         the outcome, or the error's JSON (options allow http) */
#include <stdio.h>
#include <string.h>

#include "nhantin.h"

static int show(nhantin_result r, char *out, nhantin_error *err) {
    if (r == NHANTIN_RESULT_OK) {
        printf("%s\n", out);
        nhantin_string_free(out);
        return 0;
    }
    printf("%s\n", nhantin_error_json(err));
    nhantin_error_free(err);
    return 0;
}

int main(int argc, char **argv) {
    char *out = NULL;
    nhantin_error *err = NULL;
    if (argc == 2 && strcmp(argv[1], "version") == 0) {
        printf("%s\n", nhantin_version());
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "encode") == 0) {
        nhantin_result r = nhantin_encode_send(argv[2], argv[3], argv[4], &out, &err);
        return show(r, out, err);
    }
    if (argc == 4 && strcmp(argv[1], "send") == 0) {
        nhantin_client *client = NULL;
        nhantin_result r = nhantin_client_new(argv[2], "{\"allow_insecure_http\":true}", &client, &err);
        if (r != NHANTIN_RESULT_OK) return show(r, NULL, err);
        r = nhantin_client_send(client, argv[3], &out, &err);
        show(r, out, err);
        nhantin_client_free(client);
        return 0;
    }
    fprintf(stderr, "usage: probe version | encode ACCOUNT MESSAGE NOW | send ACCOUNT MESSAGE\n");
    return 2;
}

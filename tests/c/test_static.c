/* Linked against libnhantin.a (pkg-config --static: Libs plus Libs.private) to show the static
 * library is usable on its own: no libnhantin.so is needed at run time (run.sh checks the
 * binary has no NEEDED entry for it). */
#include <stdio.h>
#include <string.h>

#include <nhantin.h>

#include "check.h"

int main(void) {
    check_str(nhantin_version(), NHANTIN_VERSION, "static: nhantin_version() equals NHANTIN_VERSION");

    char buf[16];
    size_t n = 0;
    uint32_t carrier = 99;
    nhantin_error *err = NULL;
    nhantin_result rc = nhantin_phone_normalize("+84 98 765 4321", NHANTIN_PHONE_FORMAT_E164, buf, sizeof buf, &n, &carrier, &err);
    if (check(rc == NHANTIN_RESULT_OK, "static: nhantin_phone_normalize returns OK (got %u)", (unsigned)rc)) {
        check_str(buf, "+84987654321", "static: E.164 form");
        check_uint(n, 12, "static: length 12");
        check_uint(carrier, NHANTIN_CARRIER_VIETTEL, "static: carrier VIETTEL");
    }
    nhantin_error_free(err);

    rc = nhantin_phone_normalize("0912345678", NHANTIN_PHONE_FORMAT_INTERNATIONAL, buf, 5, &n, NULL, &err);
    check(rc == NHANTIN_RESULT_BUFFER_TOO_SMALL && n == 11, "static: too small a buffer gives BUFFER_TOO_SMALL and 11");
    check(err != NULL && nhantin_error_code(err) == NHANTIN_RESULT_BUFFER_TOO_SMALL, "static: the error object carries the code");
    nhantin_error_free(err);
    return check_finish("test_static");
}

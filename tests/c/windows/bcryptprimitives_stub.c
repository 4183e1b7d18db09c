/* TEST-ONLY stand-in for bcryptprimitives.dll under Debian's Wine 8, which lacks the DLL.
 *
 * Rust's std (1.78+) imports ProcessPrng from bcryptprimitives.dll; every Windows 10 and later
 * ships the real one, so nhantin.dll imports it directly. Wine 8.0 does not have it, and a
 * program loading nhantin.dll then fails to start (status c0000135). tests/c/windows/run.sh
 * builds this file into bcryptprimitives.dll next to the test programs only. It is never staged
 * or shipped with nhantin.dll (scripts/windows checks that the stage does not contain it). */
#include <windows.h>

/* advapi32's RtlGenRandom, exported under this name. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000u ? 0x10000000u : (ULONG)len;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

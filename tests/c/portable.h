/* The few POSIX calls the C and C++ tests make, with their Windows (mingw-w64, Winsock)
 * equivalents, so one source builds on Linux (tests/c/run.sh) and for Windows
 * (tests/c/windows/run.sh, run under Wine). On POSIX every shim is the plain call it replaces.
 * C11 and C++17. */
#ifndef NHANTIN_TEST_PORTABLE_H
#define NHANTIN_TEST_PORTABLE_H

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <process.h> /* _getpid */
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#endif

#ifdef _WIN32
typedef SOCKET nt_socket;
#define NT_INVALID_SOCKET INVALID_SOCKET
/* Windows has no SIGPIPE: a send on a closed connection fails with an error, never a signal. */
#define NT_MSG_NOSIGNAL 0
#else
typedef int nt_socket;
#define NT_INVALID_SOCKET (-1)
#define NT_MSG_NOSIGNAL MSG_NOSIGNAL
#endif

/* Winsock must be started before the first socket call (once per process; a no-op on POSIX).
 * Returns 0 on success. */
static inline int nt_sockets_init(void) {
#ifdef _WIN32
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data);
#else
    return 0;
#endif
}

static inline void nt_close_socket(nt_socket s) {
#ifdef _WIN32
    closesocket(s);
#else
    close(s);
#endif
}

/* SO_RCVTIMEO: a struct timeval on POSIX, a DWORD of milliseconds on Windows. */
static inline void nt_set_recv_timeout(nt_socket s, int seconds) {
#ifdef _WIN32
    DWORD ms = (DWORD)seconds * 1000u;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, (int)sizeof ms);
#else
    struct timeval tv;
    tv.tv_sec = seconds;
    tv.tv_usec = 0;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
#endif
}

/* send()/recv() over a byte count; the return is the call's (-1 on failure). */
static inline long nt_send(nt_socket s, const char *data, size_t len) {
#ifdef _WIN32
    return send(s, data, (int)(len > 0x7fffffff ? 0x7fffffff : len), NT_MSG_NOSIGNAL);
#else
    return (long)send(s, data, len, NT_MSG_NOSIGNAL);
#endif
}

static inline long nt_recv(nt_socket s, char *buf, size_t len) {
#ifdef _WIN32
    return recv(s, buf, (int)(len > 0x7fffffff ? 0x7fffffff : len), 0);
#else
    return (long)recv(s, buf, len, 0);
#endif
}

static inline long nt_getpid(void) {
#ifdef _WIN32
    return (long)_getpid();
#else
    return (long)getpid();
#endif
}

#endif /* NHANTIN_TEST_PORTABLE_H */

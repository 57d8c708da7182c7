#ifndef COPENSSL_SHIM_TLS_H
#define COPENSSL_SHIM_TLS_H

#include <openssl/ssl.h>
#include <openssl/x509.h>

// The TLS server's event loops need epoll and eventfd. Glibc's Swift module does not export
// them, and this header is the only C entry point the HTTPServer target has.
#include <sys/epoll.h>
#include <sys/eventfd.h>

static inline int COpenSSL_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline long COpenSSL_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}

static inline long COpenSSL_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

// SSL_OP_* are built with a cast Swift cannot import.
static inline uint64_t COpenSSL_SSL_OP_NO_RENEGOTIATION(void) {
    return SSL_OP_NO_RENEGOTIATION;
}

static inline uint64_t COpenSSL_SSL_OP_CIPHER_SERVER_PREFERENCE(void) {
    return SSL_OP_CIPHER_SERVER_PREFERENCE;
}

static inline uint64_t COpenSSL_SSL_OP_NO_COMPRESSION(void) {
    return SSL_OP_NO_COMPRESSION;
}

static inline uint64_t COpenSSL_SSL_OP_NO_TICKET(void) {
    return SSL_OP_NO_TICKET;
}

static inline unsigned long COpenSSL_XN_FLAG_RFC2253(void) {
    return XN_FLAG_RFC2253;
}

#endif

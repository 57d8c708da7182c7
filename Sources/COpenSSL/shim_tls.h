#ifndef COPENSSL_SHIM_TLS_H
#define COPENSSL_SHIM_TLS_H

#include <openssl/ssl.h>

static inline int COpenSSL_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

#endif

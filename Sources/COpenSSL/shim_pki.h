#ifndef COPENSSL_SHIM_PKI_H
#define COPENSSL_SHIM_PKI_H

#include <openssl/bio.h>

static inline long COpenSSL_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

#endif

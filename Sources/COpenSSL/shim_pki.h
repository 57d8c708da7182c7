#ifndef COPENSSL_SHIM_PKI_H
#define COPENSSL_SHIM_PKI_H

#include <openssl/bio.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static inline long COpenSSL_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

// Typed stacks: the sk_TYPE_* names are macros that Swift cannot import.

static inline void COpenSSL_sk_X509_EXTENSION_pop_free(STACK_OF(X509_EXTENSION) *stack) {
    sk_X509_EXTENSION_pop_free(stack, X509_EXTENSION_free);
}

static inline STACK_OF(X509_EXTENSION) *COpenSSL_sk_X509_EXTENSION_new_null(void) {
    return sk_X509_EXTENSION_new_null();
}

static inline int COpenSSL_sk_X509_EXTENSION_push(STACK_OF(X509_EXTENSION) *stack, X509_EXTENSION *extension) {
    return sk_X509_EXTENSION_push(stack, extension);
}

static inline int COpenSSL_sk_X509_EXTENSION_num(const STACK_OF(X509_EXTENSION) *stack) {
    return sk_X509_EXTENSION_num(stack);
}

static inline X509_EXTENSION *COpenSSL_sk_X509_EXTENSION_value(const STACK_OF(X509_EXTENSION) *stack, int index) {
    return sk_X509_EXTENSION_value(stack, index);
}

static inline int COpenSSL_sk_GENERAL_NAME_num(const GENERAL_NAMES *names) {
    return sk_GENERAL_NAME_num(names);
}

static inline GENERAL_NAME *COpenSSL_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int index) {
    return sk_GENERAL_NAME_value(names, index);
}

static inline int COpenSSL_sk_GENERAL_NAME_push(GENERAL_NAMES *names, GENERAL_NAME *name) {
    return sk_GENERAL_NAME_push(names, name);
}

static inline int COpenSSL_sk_ASN1_OBJECT_num(const STACK_OF(ASN1_OBJECT) *objects) {
    return sk_ASN1_OBJECT_num(objects);
}

static inline ASN1_OBJECT *COpenSSL_sk_ASN1_OBJECT_value(const STACK_OF(ASN1_OBJECT) *objects, int index) {
    return sk_ASN1_OBJECT_value(objects, index);
}

static inline STACK_OF(X509) *COpenSSL_sk_X509_new_null(void) {
    return sk_X509_new_null();
}

static inline int COpenSSL_sk_X509_push(STACK_OF(X509) *stack, X509 *certificate) {
    return sk_X509_push(stack, certificate);
}

static inline int COpenSSL_sk_X509_num(const STACK_OF(X509) *stack) {
    return sk_X509_num(stack);
}

static inline X509 *COpenSSL_sk_X509_value(const STACK_OF(X509) *stack, int index) {
    return sk_X509_value(stack, index);
}

/// Frees the stack and releases one reference of every certificate in it.
static inline void COpenSSL_sk_X509_pop_free(STACK_OF(X509) *stack) {
    sk_X509_pop_free(stack, X509_free);
}

/// Frees the stack only; the certificates stay with their owners.
static inline void COpenSSL_sk_X509_free(STACK_OF(X509) *stack) {
    sk_X509_free(stack);
}

// ASN1_TYPE and PKCS7 keep their contents in unions, which read more safely in C.

/// Returns the string inside an ASN1_TYPE of any string type, or NULL for other types.
static inline const ASN1_STRING *COpenSSL_ASN1_TYPE_string(const ASN1_TYPE *value) {
    switch (value->type) {
    case V_ASN1_UTF8STRING:
    case V_ASN1_PRINTABLESTRING:
    case V_ASN1_IA5STRING:
    case V_ASN1_T61STRING:
    case V_ASN1_BMPSTRING:
    case V_ASN1_UNIVERSALSTRING:
    case V_ASN1_VISIBLESTRING:
        return value->value.asn1_string;
    default:
        return NULL;
    }
}

/// Returns the certificates of a SignedData, or NULL when `p7` is not SignedData.
static inline STACK_OF(X509) *COpenSSL_PKCS7_signed_certificates(const PKCS7 *p7) {
    if (OBJ_obj2nid(p7->type) != NID_pkcs7_signed || p7->d.sign == NULL) {
        return NULL;
    }
    return p7->d.sign->cert;
}

/// The number of SignerInfos of a SignedData, or -1 when `p7` is not SignedData.
static inline int COpenSSL_PKCS7_signer_count(const PKCS7 *p7) {
    if (OBJ_obj2nid(p7->type) != NID_pkcs7_signed || p7->d.sign == NULL) {
        return -1;
    }
    return sk_PKCS7_SIGNER_INFO_num(p7->d.sign->signer_info);
}

/// Copies the subject public key of `request` into `certificate`: its algorithm, parameters and
/// key bits. X509_set_pubkey would do the same through OpenSSL 3's key encoder and decoder,
/// which cost more than a P-256 signature (measured with perf). Returns 0 when a part cannot be copied.
static inline int COpenSSL_X509_copy_REQ_public_key(X509 *certificate, X509_REQ *request) {
    ASN1_OBJECT *algorithm = NULL;
    const unsigned char *bits = NULL;
    int length = 0;
    X509_ALGOR *source = NULL;
    X509_PUBKEY *target = X509_get_X509_PUBKEY(certificate);
    X509_PUBKEY *key = X509_REQ_get_X509_PUBKEY(request);
    if (target == NULL || key == NULL || !X509_PUBKEY_get0_param(&algorithm, &bits, &length, &source, key) || length <= 0) {
        return 0;
    }

    int parameterType = V_ASN1_UNDEF;
    const void *parameter = NULL;
    X509_ALGOR_get0(NULL, &parameterType, &parameter, source);
    void *parameterCopy = NULL;
    switch (parameterType) {
    case V_ASN1_UNDEF:
    case V_ASN1_NULL:
        break;
    case V_ASN1_OBJECT:
        parameterCopy = OBJ_dup(parameter);
        break;
    case V_ASN1_BOOLEAN:
        return 0;
    default:
        parameterCopy = ASN1_STRING_dup(parameter);
        break;
    }
    if (parameterCopy == NULL && parameterType != V_ASN1_UNDEF && parameterType != V_ASN1_NULL) {
        return 0;
    }

    ASN1_OBJECT *algorithmCopy = OBJ_dup(algorithm);
    unsigned char *bitsCopy = OPENSSL_memdup(bits, (size_t)length);
    if (algorithmCopy == NULL || bitsCopy == NULL
        || !X509_PUBKEY_set0_param(target, algorithmCopy, parameterType, parameterCopy, bitsCopy, length)) {
        ASN1_OBJECT_free(algorithmCopy);
        OPENSSL_free(bitsCopy);
        if (parameterType == V_ASN1_OBJECT) {
            ASN1_OBJECT_free(parameterCopy);
        } else {
            ASN1_STRING_free(parameterCopy);
        }
        return 0;
    }
    return 1;
}

#endif

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

/// Drops the encapsulated content of a SignedData so it is encoded without eContent.
static inline long COpenSSL_PKCS7_set_detached(PKCS7 *p7) {
    return PKCS7_set_detached(p7, 1);
}

#endif

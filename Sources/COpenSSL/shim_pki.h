#ifndef COPENSSL_SHIM_PKI_H
#define COPENSSL_SHIM_PKI_H

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
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

static inline ASN1_TYPE *COpenSSL_sk_ASN1_TYPE_value(const STACK_OF(ASN1_TYPE) *stack, int index) {
    return sk_ASN1_TYPE_value(stack, index);
}

static inline void COpenSSL_sk_ASN1_TYPE_pop_free(STACK_OF(ASN1_TYPE) *stack) {
    sk_ASN1_TYPE_pop_free(stack, ASN1_TYPE_free);
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

/// Returns the BIT STRING inside an ASN1_TYPE, or NULL for other types.
static inline const ASN1_BIT_STRING *COpenSSL_ASN1_TYPE_bit_string(const ASN1_TYPE *value) {
    return value->type == V_ASN1_BIT_STRING ? value->value.bit_string : NULL;
}

/// Parses a DER PKCS#7 message in `context`, whose providers then decode the certificates' keys.
static inline PKCS7 *COpenSSL_d2i_PKCS7_in_context(const unsigned char **in, long length, OSSL_LIB_CTX *context) {
    return (PKCS7 *)ASN1_item_d2i_ex(NULL, in, length, ASN1_ITEM_rptr(PKCS7), context, NULL);
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

/// Copies the parameter of an AlgorithmIdentifier for X509_PUBKEY_set0_param, or stores NULL
/// when it is absent or NULL. Returns 0 when the parameter cannot be copied.
static inline int COpenSSL_X509_ALGOR_copy_parameter(const X509_ALGOR *algorithm, int *type, void **copy) {
    const void *parameter = NULL;
    X509_ALGOR_get0(NULL, type, &parameter, algorithm);
    *copy = NULL;
    switch (*type) {
    case V_ASN1_UNDEF:
    case V_ASN1_NULL:
        return 1;
    case V_ASN1_OBJECT:
        *copy = OBJ_dup(parameter);
        break;
    case V_ASN1_BOOLEAN:
        return 0;
    default:
        *copy = ASN1_STRING_dup(parameter);
        break;
    }
    return *copy != NULL;
}

/// Sets the subject public key of `certificate` from a DER SubjectPublicKeyInfo: its algorithm,
/// parameters and key bits as d2i_X509_ALGOR and d2i_ASN1_BIT_STRING read them, without decoding
/// the key. X509_set_pubkey would run OpenSSL 3's key encoder and decoder, which cost more than a
/// P-256 signature (measured with perf). Returns 0 when `der` is not a SubjectPublicKeyInfo with
/// key bits, or a part cannot be copied.
static inline int COpenSSL_X509_set_subject_public_key_info(X509 *certificate, const unsigned char *der, long length) {
    const unsigned char *cursor = der;
    const unsigned char *end = der + length;
    long contentLength = 0;
    int tag = 0;
    int tagClass = 0;
    int header = ASN1_get_object(&cursor, &contentLength, &tag, &tagClass, length);
    if (header != V_ASN1_CONSTRUCTED || tag != V_ASN1_SEQUENCE || tagClass != V_ASN1_UNIVERSAL || contentLength != end - cursor) {
        return 0;
    }
    X509_ALGOR *algorithm = d2i_X509_ALGOR(NULL, &cursor, end - cursor);
    ASN1_BIT_STRING *bits = algorithm == NULL ? NULL : d2i_ASN1_BIT_STRING(NULL, &cursor, end - cursor);
    X509_PUBKEY *target = X509_get_X509_PUBKEY(certificate);
    int bitsLength = bits == NULL ? 0 : ASN1_STRING_length(bits);
    int parameterType = V_ASN1_UNDEF;
    void *parameterCopy = NULL;
    ASN1_OBJECT *algorithmCopy = NULL;
    unsigned char *bitsCopy = NULL;
    int copied = 0;
    if (target != NULL && cursor == end && bitsLength > 0
        && COpenSSL_X509_ALGOR_copy_parameter(algorithm, &parameterType, &parameterCopy)) {
        const ASN1_OBJECT *object = NULL;
        X509_ALGOR_get0(&object, NULL, NULL, algorithm);
        algorithmCopy = OBJ_dup(object);
        bitsCopy = OPENSSL_memdup(ASN1_STRING_get0_data(bits), (size_t)bitsLength);
        copied = algorithmCopy != NULL && bitsCopy != NULL
            && X509_PUBKEY_set0_param(target, algorithmCopy, parameterType, parameterCopy, bitsCopy, bitsLength);
    }
    if (!copied) {
        ASN1_OBJECT_free(algorithmCopy);
        OPENSSL_free(bitsCopy);
        if (parameterType == V_ASN1_OBJECT) {
            ASN1_OBJECT_free(parameterCopy);
        } else {
            ASN1_STRING_free(parameterCopy);
        }
    }
    X509_ALGOR_free(algorithm);
    ASN1_BIT_STRING_free(bits);
    return copied;
}

// Public keys built from their parts, which spares OSSL_DECODER (see SubjectPublicKeyInfoLayout+Key.swift).
// OSSL_PARAM arrays point into their arguments, so they are built and used within one C call.

/// Imports a public key of `type` ("EC", "RSA") from `params`. Returns NULL when OpenSSL rejects them.
static inline EVP_PKEY *COpenSSL_EVP_PKEY_from_public_params(const char *type, OSSL_PARAM *params) {
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (context == NULL || EVP_PKEY_fromdata_init(context) != 1
        || EVP_PKEY_fromdata(context, &key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        key = NULL;
    }
    EVP_PKEY_CTX_free(context);
    return key;
}

/// Builds a public EC key from an OpenSSL group name ("prime256v1") and an encoded point (SEC 1
/// section 2.3.3). The key keeps the point's form, so i2d_PUBKEY writes the bytes it came from,
/// as for a key that d2i_PUBKEY read. Returns NULL when the point is not on the curve.
static inline EVP_PKEY *COpenSSL_EVP_PKEY_new_EC_public_key(const char *groupName, const unsigned char *point, size_t length) {
    const char *form = NULL;
    switch (length == 0 ? 0 : point[0]) {
    case 0x02:
    case 0x03:
        form = OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_COMPRESSED;
        break;
    case 0x04:
        form = OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED;
        break;
    case 0x06:
    case 0x07:
        form = OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_HYBRID;
        break;
    default:
        return NULL;
    }
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)groupName, 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)point, length),
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, (char *)form, 0),
        OSSL_PARAM_construct_end(),
    };
    return COpenSSL_EVP_PKEY_from_public_params("EC", params);
}

/// Builds a public RSA key from the big-endian magnitudes of its modulus and public exponent.
static inline EVP_PKEY *COpenSSL_EVP_PKEY_new_RSA_public_key(
    const unsigned char *modulus, size_t modulusLength, const unsigned char *exponent, size_t exponentLength) {
    EVP_PKEY *key = NULL;
    BIGNUM *n = BN_bin2bn(modulus, (int)modulusLength, NULL);
    BIGNUM *e = BN_bin2bn(exponent, (int)exponentLength, NULL);
    OSSL_PARAM_BLD *builder = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    if (n != NULL && e != NULL && builder != NULL && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, n)
        && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, e) && (params = OSSL_PARAM_BLD_to_param(builder)) != NULL) {
        key = COpenSSL_EVP_PKEY_from_public_params("RSA", params);
    }
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(builder);
    BN_free(n);
    BN_free(e);
    return key;
}

#endif

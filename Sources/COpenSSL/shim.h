#ifndef ROTOR_COPENSSL_SHIM_H
#define ROTOR_COPENSSL_SHIM_H
/* SHA256_CTX and its functions (deprecated in 3.0, still built) let a pre-keyed HMAC copy two SHA-256 states
   per call instead of allocating contexts: see HMACSHA256Key.swift. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/opensslv.h>
/* RSA keys from and to PEM, RS256 signatures (GitHub App JWTs): see Signing/. */
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/rsa.h>
#endif

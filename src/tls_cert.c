/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Node's X509ToObject in C: a certificate's subject, issuer, names,
 * key, dates, fingerprints and serial as getPeerCertificate() gives
 * them, each string formatted as Node formats it. Everything lives in
 * one chain of blocks (an arena) freed at once with the socket. The peer
 * chooses what its certificate holds: the counts have limits
 * (tls_cert.h), and a name that could be misread when printed in a
 * list is quoted, as Node quotes it. */
#include "tls_cert.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/x509v3.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnet/errors.h"

typedef struct block {
  struct block *next;
  size_t used, size;
  max_align_t data[];
} block;

struct cnet__tls_certs {
  block *blocks;
  cnet_tls_certificate *first;
  bool failed;  /* out of memory */
  bool too_big; /* past a limit */
};

static void *alloc(cnet__tls_certs *a, size_t n) {
  n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
  block *b = a->blocks;
  if (!b || b->size - b->used < n) {
    size_t size = n > 8192 ? n : 8192;
    b = calloc(1, sizeof *b + size);
    if (!b) {
      a->failed = true;
      return NULL;
    }
    b->size = size;
    b->next = a->blocks;
    a->blocks = b;
  }
  void *p = (char *)b->data + b->used;
  b->used += n;
  return p;
}

static const char *dup_n(cnet__tls_certs *a, const char *s, size_t n) {
  char *p = alloc(a, n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

static const char *dup_s(cnet__tls_certs *a, const char *s) {
  return s ? dup_n(a, s, strlen(s)) : NULL;
}

/* What an OpenSSL memory BIO holds, copied; the BIO freed. */
static const char *from_bio(cnet__tls_certs *a, BIO *b) {
  char *p = NULL;
  long n = b ? BIO_get_mem_data(b, &p) : -1;
  const char *s = n >= 0 ? dup_n(a, p ? p : "", (size_t)n) : NULL;
  if (!b) a->failed = true;
  BIO_free(b);
  return s;
}

/* ---- names -------------------------------------------------------------- */

/* An ASN.1 string as UTF-8, each NUL as U+FFFD (a C string ends at NUL). */
static const char *utf8_value(cnet__tls_certs *a, const ASN1_STRING *v) {
  unsigned char *u = NULL;
  int n = ASN1_STRING_to_UTF8(&u, v);
  if (n < 0) return dup_s(a, "");
  size_t nuls = 0;
  for (int i = 0; i < n; i++) nuls += u[i] == 0;
  char *out = alloc(a, (size_t)n + 2 * nuls + 1);
  if (out) {
    size_t o = 0;
    for (int i = 0; i < n; i++) {
      if (u[i]) {
        out[o++] = (char)u[i];
      } else {
        memcpy(out + o, "\xEF\xBF\xBD", 3);
        o += 3;
      }
    }
    out[o] = '\0';
  }
  OPENSSL_free(u);
  return out;
}

static void read_name(cnet__tls_certs *a, const X509_NAME *name, cnet_tls_name *out) {
  int n = X509_NAME_entry_count(name);
  if (n > CNET__CERT_NAME_ENTRIES_MAX) {
    a->too_big = true;
    return;
  }
  cnet_tls_name_entry *e = n > 0 ? alloc(a, (size_t)n * sizeof *e) : NULL;
  if (n > 0 && !e) return;
  static const char *const usual[] = {"C", "ST", "L", "O", "OU", "CN"};
  const char **fields[] = {&out->c, &out->st, &out->l, &out->o, &out->ou, &out->cn};
  for (int i = 0; i < n; i++) {
    const X509_NAME_ENTRY *entry = X509_NAME_get_entry(name, i);
    const ASN1_OBJECT *type = X509_NAME_ENTRY_get_object(entry);
    int nid = OBJ_obj2nid(type);
    char oid[80];
    if (nid == NID_undef) OBJ_obj2txt(oid, sizeof oid, type, 1);
    e[i].name = dup_s(a, nid == NID_undef ? oid : OBJ_nid2sn(nid));
    e[i].value = utf8_value(a, X509_NAME_ENTRY_get_data(entry));
    for (size_t k = 0; k < 6 && e[i].name; k++)
      if (!*fields[k] && strcmp(e[i].name, usual[k]) == 0) *fields[k] = e[i].value;
  }
  out->entries = e;
  out->n_entries = (size_t)(n > 0 ? n : 0);
}

/* ---- subjectaltname, as Node's PrintGeneralName -------------------------- */

typedef struct text {
  char *p;
  size_t len, cap;
  bool failed;
} text;

static void put(text *t, const char *s, size_t n) {
  if (t->failed) return;
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 256;
    while (cap < t->len + n + 1) cap *= 2;
    char *p = realloc(t->p, cap);
    if (!p) {
      t->failed = true;
      return;
    }
    t->p = p;
    t->cap = cap;
  }
  memcpy(t->p + t->len, s, n);
  t->len += n;
  t->p[t->len] = '\0';
}

static void puts_(text *t, const char *s) { put(t, s, strlen(s)); }

/* Node's IsSafeAltName: what could pass for a list separator, a quote or
 * a control character (for a non-UTF-8 string, any byte not printable
 * ASCII) makes the name unsafe. */
static bool safe_name(const unsigned char *s, size_t n, bool utf8) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = s[i];
    if (c == '"' || c == '\\' || c == ',' || c == '\'') return false;
    if (utf8 ? (c < ' ' || c == 0x7f) : (c < ' ' || c > '~')) return false;
  }
  return true;
}

/* Node's PrintAltName: a safe name as it is, else JSON-quoted (the
 * prefix inside the quotes). */
static void alt_name(text *t, const unsigned char *s, size_t n, bool utf8, const char *prefix) {
  if (safe_name(s, n, utf8)) {
    if (prefix) puts_(t, prefix), puts_(t, ":");
    put(t, (const char *)s, n);
    return;
  }
  puts_(t, "\"");
  if (prefix) puts_(t, prefix), puts_(t, ":");
  for (size_t i = 0; i < n; i++) {
    unsigned char c = s[i];
    char u[8];
    if (c == '\\') puts_(t, "\\\\");
    else if (c == '"') puts_(t, "\\\"");
    else if ((c >= ' ' && c != ',' && c <= '~') || (utf8 && (c & 0x80))) put(t, (char *)&c, 1);
    else snprintf(u, sizeof u, "\\u00%02x", c), puts_(t, u);
  }
  puts_(t, "\"");
}

static void ia5(text *t, const ASN1_STRING *s, const char *prefix) {
  alt_name(t, ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s), false, prefix);
}

static void ip_name(text *t, const ASN1_OCTET_STRING *ip) {
  const unsigned char *b = ASN1_STRING_get0_data(ip);
  int len = ASN1_STRING_length(ip);
  char s[64];
  puts_(t, "IP Address:");
  if (len == 4) {
    snprintf(s, sizeof s, "%d.%d.%d.%d", b[0], b[1], b[2], b[3]);
    puts_(t, s);
  } else if (len == 16) {
    for (int j = 0; j < 8; j++) {
      snprintf(s, sizeof s, j ? ":%X" : "%X", (unsigned)(b[2 * j] << 8 | b[2 * j + 1]));
      puts_(t, s);
    }
  } else {
    snprintf(s, sizeof s, "<invalid length=%d>", len);
    puts_(t, s);
  }
}

static void other_name(text *t, const OTHERNAME *o) {
  const char *prefix = NULL;
  bool unicode = true;
  switch (OBJ_obj2nid(o->type_id)) {
    case NID_id_on_SmtpUTF8Mailbox: prefix = "SmtpUTF8Mailbox"; break;
    case NID_XmppAddr: prefix = "XmppAddr"; break;
    case NID_SRVName: prefix = "SRVName", unicode = false; break;
    case NID_ms_upn: prefix = "UPN"; break;
    case NID_NAIRealm: prefix = "NAIRealm"; break;
    default: break;
  }
  int type = o->value->type;
  if (!prefix || type != (unicode ? V_ASN1_UTF8STRING : V_ASN1_IA5STRING)) {
    puts_(t, "othername:<unsupported>");
    return;
  }
  puts_(t, "othername:");
  const ASN1_STRING *s = unicode ? o->value->value.utf8string : o->value->value.ia5string;
  alt_name(t, ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s), unicode, prefix);
}

static void dir_name(text *t, const X509_NAME *n) {
  BIO *b = BIO_new(BIO_s_mem());
  char *p = NULL;
  long len;
  puts_(t, "DirName:");
  /* Node's kX509NameFlagsRFC2253WithinUtf8JSON */
  unsigned long flags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB & ~ASN1_STRFLGS_ESC_CTRL;
  if (b && X509_NAME_print_ex(b, n, 0, flags) >= 0 && (len = BIO_get_mem_data(b, &p)) >= 0)
    alt_name(t, (const unsigned char *)(p ? p : ""), (size_t)len, true, NULL);
  else
    t->failed = true;
  BIO_free(b);
}

static void general_name(text *t, const GENERAL_NAME *g) {
  char oid[256];
  switch (g->type) {
    case GEN_DNS: puts_(t, "DNS:"), ia5(t, g->d.dNSName, NULL); break;
    case GEN_EMAIL: puts_(t, "email:"), ia5(t, g->d.rfc822Name, NULL); break;
    case GEN_URI: puts_(t, "URI:"), ia5(t, g->d.uniformResourceIdentifier, NULL); break;
    case GEN_DIRNAME: dir_name(t, g->d.directoryName); break;
    case GEN_IPADD: ip_name(t, g->d.iPAddress); break;
    case GEN_RID:
      OBJ_obj2txt(oid, sizeof oid, g->d.registeredID, 1);
      puts_(t, "Registered ID:"), puts_(t, oid);
      break;
    case GEN_OTHERNAME: other_name(t, g->d.otherName); break;
    case GEN_X400: puts_(t, "X400Name:<unsupported>"); break;
    default: puts_(t, "EdiPartyName:<unsupported>"); break;
  }
}

/* The names, or NULL with *too_many when there are more than the limit. */
static char *alt_names(X509 *cert, bool *too_many, bool *failed) {
  GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
  if (!names) return NULL;
  text t = {0};
  int n = sk_GENERAL_NAME_num(names);
  if (n > CNET__CERT_ALT_NAMES_MAX) {
    *too_many = true;
    n = 0;
  }
  for (int i = 0; i < n; i++) {
    if (i) puts_(&t, ", ");
    general_name(&t, sk_GENERAL_NAME_value(names, i));
  }
  GENERAL_NAMES_free(names);
  if (t.failed) {
    *failed = true;
    free(t.p);
    return NULL;
  }
  if (!t.p) put(&t, "", 0);
  if (*too_many) {
    free(t.p);
    return NULL;
  }
  return t.p;
}

char *cnet__tls_alt_names(X509 *cert) {
  bool too_many = false, failed = false;
  return alt_names(cert, &too_many, &failed);
}

/* ---- the other fields --------------------------------------------------- */

/* infoAccess: "OCSP - URI" and its location, as Node's parse of
 * OpenSSL's printout; a location that is not a URI as OpenSSL names its
 * kind. */
static void read_info_access(cnet__tls_certs *a, X509 *cert, cnet_tls_certificate *c) {
  AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(cert, NID_info_access, NULL, NULL);
  if (!aia) return;
  int n = sk_ACCESS_DESCRIPTION_num(aia);
  cnet_tls_name_entry *e = n > 0 && n <= CNET__CERT_LIST_MAX ? alloc(a, (size_t)n * sizeof *e)
                                                            : NULL;
  if (n > CNET__CERT_LIST_MAX) a->too_big = true;
  for (int i = 0; e && i < n; i++) {
    ACCESS_DESCRIPTION *d = sk_ACCESS_DESCRIPTION_value(aia, i);
    char method[80], name[96];
    i2t_ASN1_OBJECT(method, sizeof method, d->method);
    text t = {0};
    if (d->location->type == GEN_URI) {
      snprintf(name, sizeof name, "%s - URI", method);
      ia5(&t, d->location->d.uniformResourceIdentifier, NULL);
    } else {
      snprintf(name, sizeof name, "%s - other", method);
      general_name(&t, d->location);
    }
    e[i].name = dup_s(a, name);
    e[i].value = t.failed ? NULL : dup_s(a, t.p ? t.p : "");
    if (t.failed) a->failed = true;
    free(t.p);
  }
  if (e) c->info_access = e, c->n_info_access = (size_t)n;
  AUTHORITY_INFO_ACCESS_free(aia);
}

static void read_ext_key_usage(cnet__tls_certs *a, X509 *cert, cnet_tls_certificate *c) {
  EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL);
  if (!eku) return;
  int n = sk_ASN1_OBJECT_num(eku);
  const char **list = n > 0 && n <= CNET__CERT_LIST_MAX ? alloc(a, (size_t)n * sizeof *list)
                                                       : NULL;
  if (n > CNET__CERT_LIST_MAX) a->too_big = true;
  for (int i = 0; list && i < n; i++) {
    char oid[256];
    OBJ_obj2txt(oid, sizeof oid, sk_ASN1_OBJECT_value(eku, i), 1);
    list[i] = dup_s(a, oid);
  }
  if (list) c->ext_key_usage = list, c->n_ext_key_usage = (size_t)n;
  sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
}

static const char *bn_text(cnet__tls_certs *a, const BIGNUM *bn, bool print) {
  if (print) { /* BN_print: upper-case hex without leading zeros */
    BIO *b = BIO_new(BIO_s_mem());
    if (b && BN_print(b, bn) != 1) a->failed = true;
    return from_bio(a, b);
  }
  char *hex = BN_bn2hex(bn);
  const char *s = hex ? dup_s(a, hex) : NULL;
  if (!hex) a->failed = true;
  OPENSSL_free(hex);
  return s;
}

static void read_rsa(cnet__tls_certs *a, EVP_PKEY *k, cnet_tls_certificate *c) {
  BIGNUM *n = NULL, *e = NULL;
  if (EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
      EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e) == 1) {
    c->modulus = bn_text(a, n, true);
    c->bits = BN_num_bits(n);
    /* Node prints the exponent as a 64-bit word in hex */
    unsigned long long w = BN_get_word(e);
    char s[40];
    snprintf(s, sizeof s, "0x%llx", w);
    c->exponent = dup_s(a, s);
  }
  BN_free(n);
  BN_free(e);
  unsigned char *der = NULL;
  int len = i2d_PUBKEY(k, &der);
  if (len > 0) {
    unsigned char *p = alloc(a, (size_t)len);
    if (p) memcpy(p, der, (size_t)len), c->pubkey = p, c->pubkey_len = (size_t)len;
  }
  OPENSSL_free(der);
}

static void read_ec(cnet__tls_certs *a, EVP_PKEY *k, cnet_tls_certificate *c) {
  c->bits = EVP_PKEY_get_bits(k);
  unsigned char point[256];
  size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
                                      sizeof point, &len) == 1) {
    unsigned char *p = alloc(a, len);
    if (p) memcpy(p, point, len), c->pubkey = p, c->pubkey_len = len;
  }
  char group[80];
  if (EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                     NULL) == 1) {
    int nid = OBJ_txt2nid(group);
    c->asn1_curve = nid != NID_undef ? dup_s(a, OBJ_nid2sn(nid)) : NULL;
    c->nist_curve = nid != NID_undef ? dup_s(a, EC_curve_nid2nist(nid)) : NULL;
  }
}

static void read_key(cnet__tls_certs *a, X509 *cert, cnet_tls_certificate *c) {
  EVP_PKEY *k = X509_get0_pubkey(cert);
  if (!k) return;
  if (EVP_PKEY_is_a(k, "RSA")) read_rsa(a, k, c);
  else if (EVP_PKEY_is_a(k, "EC")) read_ec(a, k, c);
}

static const char *asn1_time(cnet__tls_certs *a, const ASN1_TIME *t) {
  BIO *b = BIO_new(BIO_s_mem());
  if (b && ASN1_TIME_print(b, t) != 1) a->failed = true;
  return from_bio(a, b);
}

static const char *fingerprint(cnet__tls_certs *a, X509 *cert, const EVP_MD *md) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  if (X509_digest(cert, md, d, &n) != 1) return NULL;
  char s[EVP_MAX_MD_SIZE * 3 + 1] = "";
  for (unsigned i = 0, off = 0; i < n; i++)
    off += (unsigned)snprintf(s + off, sizeof s - off, "%s%02X", i ? ":" : "", d[i]);
  return dup_s(a, s);
}

static void read_serial(cnet__tls_certs *a, X509 *cert, cnet_tls_certificate *c) {
  BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
  if (bn) c->serial_number = bn_text(a, bn, false);
  BN_free(bn);
}

static cnet_tls_certificate *read_cert(cnet__tls_certs *a, X509 *cert) {
  cnet_tls_certificate *c = alloc(a, sizeof *c);
  if (!c) return NULL;
  memset(c, 0, sizeof *c);
  read_name(a, X509_get_subject_name(cert), &c->subject);
  read_name(a, X509_get_issuer_name(cert), &c->issuer);
  bool too_many = false;
  char *san = alt_names(cert, &too_many, &a->failed);
  if (too_many) a->too_big = true;
  c->subjectaltname = san ? dup_s(a, san) : NULL;
  free(san);
  read_info_access(a, cert, c);
  c->ca = X509_check_ca(cert) == 1;
  read_key(a, cert, c);
  c->valid_from = asn1_time(a, X509_get0_notBefore(cert));
  c->valid_to = asn1_time(a, X509_get0_notAfter(cert));
  c->fingerprint = fingerprint(a, cert, EVP_sha1());
  c->fingerprint256 = fingerprint(a, cert, EVP_sha256());
  c->fingerprint512 = fingerprint(a, cert, EVP_sha512());
  read_ext_key_usage(a, cert, c);
  read_serial(a, cert, c);
  int len = i2d_X509(cert, NULL);
  unsigned char *raw = len > 0 ? alloc(a, (size_t)len) : NULL;
  if (raw) {
    unsigned char *p = raw;
    i2d_X509(cert, &p);
    c->raw = raw;
    c->raw_len = (size_t)len;
  }
  return c;
}

/* ---- the chain (detailed), as Node's GetPeerCert ------------------------ */

/* The issuer of cert in the trusted store, or NULL (a reference). */
static X509 *store_issuer(X509_STORE *store, X509 *cert) {
  X509_STORE_CTX *sc = store ? X509_STORE_CTX_new() : NULL;
  X509 *issuer = NULL;
  if (sc && X509_STORE_CTX_init(sc, store, NULL, NULL) == 1)
    X509_STORE_CTX_get1_issuer(&issuer, sc, cert);
  X509_STORE_CTX_free(sc);
  return issuer;
}

static bool self_issued(X509 *cert) { return X509_check_issued(cert, cert) == X509_V_OK; }

/* Links each certificate to its issuer: first among what the peer sent
 * (each used once), then in the store; a self-issued last one is its
 * own issuer. */
static void link_issuers(cnet__tls_certs *a, cnet_tls_certificate *c, X509 *cert,
                         STACK_OF(X509) *chain, X509_STORE *store) {
  int n = chain ? sk_X509_num(chain) : 0;
  bool used[CNET__CERT_CHAIN_MAX * 2] = {false};
  X509 *held = NULL; /* a reference from the store */
  for (int depth = 0; depth < CNET__CERT_CHAIN_MAX && !a->failed; depth++) {
    X509 *issuer = NULL;
    for (int i = 0; i < n && i < (int)(sizeof used / sizeof used[0]) && !issuer; i++) {
      X509 *ca = sk_X509_value(chain, i);
      if (!used[i] && ca != cert && X509_cmp(ca, cert) != 0 &&
          X509_check_issued(ca, cert) == X509_V_OK) {
        used[i] = true;
        issuer = ca;
      }
    }
    X509 *found = NULL;
    if (!issuer && !self_issued(cert)) issuer = found = store_issuer(store, cert);
    if (!issuer || X509_cmp(issuer, cert) == 0) {
      X509_free(found);
      break;
    }
    cnet_tls_certificate *next = read_cert(a, issuer);
    X509_free(held);
    held = found;
    if (!next) break;
    c->issuer_certificate = next;
    c = next;
    cert = issuer;
  }
  if (self_issued(cert)) c->issuer_certificate = c;
  X509_free(held);
}

int cnet__tls_certs_make(X509 *cert, STACK_OF(X509) *chain, X509_STORE *store,
                         bool detailed, cnet__tls_certs **out) {
  cnet__tls_certs *a = calloc(1, sizeof *a);
  if (!a) return CNET_ENOMEM;
  a->first = read_cert(a, cert);
  if (detailed && a->first) link_issuers(a, a->first, cert, chain, store);
  int rc = a->failed || !a->first ? CNET_ENOMEM : a->too_big ? CNET_E2BIG : 0;
  if (rc) {
    cnet__tls_certs_free(a);
    return rc;
  }
  *out = a;
  return 0;
}

const cnet_tls_certificate *cnet__tls_certs_first(const cnet__tls_certs *a) {
  return a ? a->first : NULL;
}

void cnet__tls_certs_free(cnet__tls_certs *a) {
  if (!a) return;
  for (block *b = a->blocks, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  free(a);
}

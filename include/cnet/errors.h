/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet errors: one table for every error cnet reports.
 *
 * An error code is a negative int. System errors are -errno, named as Node
 * names them (CNET_ECONNREFUSED == -ECONNREFUSED, its name "ECONNREFUSED" is
 * Node's err.code and its number Node's err.errno). Node's own codes
 * (ERR_SOCKET_BAD_PORT, ...) live above errno's range. A call that fails
 * returns such a code (what Node throws) and starts nothing; its callback
 * runs only where Node's listener would stay registered after the throw
 * (a connect() given a bad port keeps its 'connect' callback, a second
 * close() its 'close' one). cnet_last_error() then gives the whole error,
 * with Node's message.
 *
 * When an object reports an error through its 'error' event, the event
 * carries a cnet_error: the code plus the context Node attaches (syscall,
 * address, port) and the message formatted as Node formats it, e.g.
 * "connect ECONNREFUSED 127.0.0.1:9". */
#ifndef CNET_ERRORS_H
#define CNET_ERRORS_H

#include <errno.h>
#include <netdb.h>

#ifdef __cplusplus
extern "C" {
#endif

/* System errors: XX(name, libuv's message, which Node prints). */
#define CNET_ERRNO_MAP(XX)                                                   \
  XX(E2BIG, "argument list too long")                                        \
  XX(EACCES, "permission denied")                                            \
  XX(EADDRINUSE, "address already in use")                                   \
  XX(EADDRNOTAVAIL, "address not available")                                 \
  XX(EAFNOSUPPORT, "address family not supported")                           \
  XX(EAGAIN, "resource temporarily unavailable")                             \
  XX(EALREADY, "connection already in progress")                             \
  XX(EBADF, "bad file descriptor")                                           \
  XX(EBUSY, "resource busy or locked")                                       \
  XX(ECANCELED, "operation canceled")                                        \
  XX(ECONNABORTED, "software caused connection abort")                       \
  XX(ECONNREFUSED, "connection refused")                                     \
  XX(ECONNRESET, "connection reset by peer")                                 \
  XX(EDESTADDRREQ, "destination address required")                          \
  XX(EEXIST, "file already exists")                                          \
  XX(EFAULT, "bad address in system call argument")                          \
  XX(EFBIG, "file too large")                                                \
  XX(EHOSTDOWN, "host is down")                                              \
  XX(EHOSTUNREACH, "host is unreachable")                                    \
  XX(EINTR, "interrupted system call")                                       \
  XX(EINVAL, "invalid argument")                                             \
  XX(EIO, "i/o error")                                                       \
  XX(EISCONN, "socket is already connected")                                 \
  XX(EISDIR, "illegal operation on a directory")                             \
  XX(ELOOP, "too many symbolic links encountered")                           \
  XX(EMFILE, "too many open files")                                          \
  XX(EMLINK, "too many links")                                               \
  XX(EMSGSIZE, "message too long")                                           \
  XX(ENAMETOOLONG, "name too long")                                          \
  XX(ENETDOWN, "network is down")                                            \
  XX(ENETUNREACH, "network is unreachable")                                  \
  XX(ENFILE, "file table overflow")                                          \
  XX(ENOBUFS, "no buffer space available")                                   \
  XX(ENODEV, "no such device")                                               \
  XX(ENOENT, "no such file or directory")                                    \
  XX(ENOMEM, "not enough memory")                                            \
  XX(ENONET, "machine is not on the network")                                \
  XX(ENOPROTOOPT, "protocol not available")                                  \
  XX(ENOSPC, "no space left on device")                                      \
  XX(ENOSYS, "function not implemented")                                     \
  XX(ENOTCONN, "socket is not connected")                                    \
  XX(ENOTDIR, "not a directory")                                             \
  XX(ENOTEMPTY, "directory not empty")                                       \
  XX(ENOTSOCK, "socket operation on non-socket")                             \
  XX(ENOTSUP, "operation not supported on socket")                           \
  XX(ENOTTY, "inappropriate ioctl for device")                               \
  XX(ENXIO, "no such device or address")                                     \
  XX(EOVERFLOW, "value too large for defined data type")                     \
  XX(EPERM, "operation not permitted")                                       \
  XX(EPIPE, "broken pipe")                                                   \
  XX(EPROTO, "protocol error")                                               \
  XX(EPROTONOSUPPORT, "protocol not supported")                              \
  XX(EPROTOTYPE, "protocol wrong type for socket")                           \
  XX(ERANGE, "result too large")                                             \
  XX(EROFS, "read-only file system")                                         \
  XX(ESHUTDOWN, "cannot send after transport endpoint shutdown")             \
  XX(ESPIPE, "invalid seek")                                                 \
  XX(ESRCH, "no such process")                                               \
  XX(ETIMEDOUT, "connection timed out")                                      \
  XX(ETXTBSY, "text file is busy")                                           \
  XX(EXDEV, "cross-device link not permitted")

/* Name-resolution and stream errors that have no errno:
 * XX(name, number, message). ENOTFOUND is Node's dns code for a name that
 * does not resolve (getaddrinfo's EAI_NONAME and EAI_NODATA); EOF ends a
 * read. Numbers are libuv's, as Node reports them in err.errno. */
#define CNET_EXTRA_MAP(XX)                                                   \
  XX(EOF, -4095, "end of file")                                              \
  XX(ENOTFOUND, -3008, "unknown node or service")                            \
  XX(EAI_ADDRFAMILY, -3000, "address family not supported")                  \
  XX(EAI_AGAIN, -3001, "temporary failure")                                  \
  XX(EAI_BADFLAGS, -3002, "bad ai_flags value")                              \
  XX(EAI_CANCELED, -3003, "request canceled")                                \
  XX(EAI_FAIL, -3004, "permanent failure")                                   \
  XX(EAI_FAMILY, -3005, "ai_family not supported")                           \
  XX(EAI_MEMORY, -3006, "out of memory")                                     \
  XX(EAI_NODATA, -3007, "no address")                                        \
  XX(EAI_OVERFLOW, -3009, "argument buffer overflow")                        \
  XX(EAI_SERVICE, -3010, "service not available for socket type")            \
  XX(EAI_SOCKTYPE, -3011, "socket type not supported")

/* Node's own error codes: XX(name, number, Node's message where it is
 * fixed; the call that raises one may format a more specific message).
 * The numbers are cnet's, from -4999 up, and never change: a program
 * compiled against one release compares with them. A new code goes at
 * the end with the next number (-4812 next), and none is removed or
 * reused (tests/abi/error_codes.txt, docs/abi.md). */
#define CNET_NODE_ERR_MAP(XX)                                                \
  XX(ERR_BUFFER_OUT_OF_BOUNDS, -4999,                                        \
     "Attempt to access memory outside buffer bounds")                       \
  XX(ERR_INVALID_ADDRESS, -4998, "Invalid socket address")                   \
  XX(ERR_INVALID_ARG_TYPE, -4997, "Invalid argument type")                   \
  XX(ERR_INVALID_ARG_VALUE, -4996, "Invalid argument value")                 \
  XX(ERR_INVALID_FD_TYPE, -4995, "Unsupported fd type")                      \
  XX(ERR_INVALID_IP_ADDRESS, -4994, "Invalid IP address")                    \
  XX(ERR_MISSING_ARGS, -4993, "Missing arguments")                           \
  XX(ERR_MULTIPLE_CALLBACK, -4992, "Callback called multiple times")         \
  XX(ERR_OUT_OF_RANGE, -4991, "Value is out of range")                       \
  XX(ERR_SERVER_ALREADY_LISTEN, -4990,                                       \
     "Listen method has been called more than once without closing.")        \
  XX(ERR_SERVER_NOT_RUNNING, -4989, "Server is not running.")                \
  XX(ERR_SOCKET_ALREADY_BOUND, -4988, "Socket is already bound")             \
  XX(ERR_SOCKET_BAD_BUFFER_SIZE, -4987,                                      \
     "Buffer size must be a positive integer")                               \
  XX(ERR_SOCKET_BAD_PORT, -4986, "Port should be >= 0 and < 65536")          \
  XX(ERR_SOCKET_BAD_TYPE, -4985,                                             \
     "Bad socket type specified. Valid types are: udp4, udp6")               \
  XX(ERR_SOCKET_BUFFER_SIZE, -4984, "Could not get or set buffer size")      \
  XX(ERR_SOCKET_CLOSED, -4983, "Socket is closed")                           \
  XX(ERR_SOCKET_CLOSED_BEFORE_CONNECTION, -4982,                             \
     "Socket closed before the connection was established")                  \
  XX(ERR_SOCKET_CONNECTION_TIMEOUT, -4981, "Socket connection timeout")      \
  XX(ERR_SOCKET_DGRAM_IS_CONNECTED, -4980, "Already connected")              \
  XX(ERR_SOCKET_DGRAM_NOT_CONNECTED, -4979, "Not connected")                 \
  XX(ERR_SOCKET_DGRAM_NOT_RUNNING, -4978, "Not running")                     \
  XX(ERR_STREAM_ALREADY_FINISHED, -4977,                                     \
     "Cannot call end after a stream was finished")                          \
  XX(ERR_STREAM_CANNOT_PIPE, -4976, "Cannot pipe, not readable")             \
  XX(ERR_STREAM_DESTROYED, -4975,                                            \
     "Cannot call write after a stream was destroyed")                       \
  XX(ERR_STREAM_PREMATURE_CLOSE, -4974, "Premature close")                   \
  XX(ERR_STREAM_PUSH_AFTER_EOF, -4973, "stream.push() after EOF")            \
  XX(ERR_STREAM_WRITE_AFTER_END, -4972, "write after end")                   \
  XX(ERR_UNHANDLED_ERROR, -4971, "Unhandled error.")                         \
  XX(ERR_UNKNOWN_ENCODING, -4970, "Unknown encoding")                        \
  XX(ERR_UNKNOWN_SIGNAL, -4969, "Unknown signal")                            \
  XX(ERR_USE_AFTER_CLOSE, -4968, "readline was closed")                     \
  XX(ERR_TLS_CERT_ALTNAME_INVALID, -4967,                                    \
     "Hostname/IP does not match certificate's altnames")                    \
  XX(DEPTH_ZERO_SELF_SIGNED_CERT, -4966, "self-signed certificate")          \
  XX(UNABLE_TO_VERIFY_LEAF_SIGNATURE, -4965,                                 \
     "unable to verify the first certificate")                               \
  XX(SELF_SIGNED_CERT_IN_CHAIN, -4964,                                       \
     "self-signed certificate in certificate chain")                         \
  XX(CERT_HAS_EXPIRED, -4963, "certificate has expired")                     \
  XX(CERT_NOT_YET_VALID, -4962, "certificate is not yet valid")              \
  XX(UNABLE_TO_GET_ISSUER_CERT_LOCALLY, -4961,                               \
     "unable to get local issuer certificate")                               \
  XX(ERR_SSL_WRONG_VERSION_NUMBER, -4960, "wrong version number")          \
  XX(ERR_SSL_NO_APPLICATION_PROTOCOL, -4959, "no application protocol")    \
  XX(ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL, -4958,                     \
     "tlsv1 alert no application protocol")                                  \
  XX(ERR_TLS_REQUIRED_SERVER_NAME, -4957,                                    \
     "\"servername\" is required parameter for Server.addContext")           \
  XX(UNABLE_TO_GET_ISSUER_CERT, -4956, "unable to get issuer certificate")   \
  XX(ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE, -4955,                       \
     "peer did not return a certificate")                                    \
  XX(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED, -4954,                       \
     "tlsv13 alert certificate required")                                    \
  XX(ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE, -4953,                           \
     "sslv3 alert handshake failure")                                        \
  XX(ERR_TLS_HANDSHAKE_TIMEOUT, -4952, "TLS handshake timeout")              \
  XX(ERR_TLS_SESSION_ATTACK, -4951,                                          \
     "TLS session renegotiation attack detected")                            \
  XX(ERR_SSL_WRONG_SSL_VERSION, -4950, "wrong ssl version")                  \
  /* OpenSSL's errors, as Node codes them: ERR_SSL_<reason> for its TLS   */ \
  /* library's, ERR_OSSL_[<library>_]<reason> for the others'. Those a    */ \
  /* peer or an option can cause; the rest are EPROTO (EINVAL for an      */ \
  /* option), with OpenSSL's line as the message.                         */ \
  XX(ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE, -4949,                             \
     "sslv3 alert bad certificate")                                          \
  XX(ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC, -4948,                              \
     "sslv3 alert bad record mac")                                           \
  XX(ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED, -4947,                         \
     "sslv3 alert certificate expired")                                      \
  XX(ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED, -4946,                         \
     "sslv3 alert certificate revoked")                                      \
  XX(ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN, -4945,                         \
     "sslv3 alert certificate unknown")                                      \
  XX(ERR_SSL_SSLV3_ALERT_DECOMPRESSION_FAILURE, -4944,                       \
     "sslv3 alert decompression failure")                                    \
  XX(ERR_SSL_SSLV3_ALERT_ILLEGAL_PARAMETER, -4943,                           \
     "sslv3 alert illegal parameter")                                        \
  XX(ERR_SSL_SSLV3_ALERT_NO_CERTIFICATE, -4942,                              \
     "sslv3 alert no certificate")                                           \
  XX(ERR_SSL_SSLV3_ALERT_UNEXPECTED_MESSAGE, -4941,                          \
     "sslv3 alert unexpected message")                                       \
  XX(ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE, -4940,                     \
     "sslv3 alert unsupported certificate")                                  \
  XX(ERR_SSL_TLSV13_ALERT_MISSING_EXTENSION, -4939,                          \
     "tlsv13 alert missing extension")                                       \
  XX(ERR_SSL_TLSV1_ALERT_ACCESS_DENIED, -4938, "tlsv1 alert access denied")  \
  XX(ERR_SSL_TLSV1_ALERT_DECODE_ERROR, -4937, "tlsv1 alert decode error")    \
  XX(ERR_SSL_TLSV1_ALERT_DECRYPTION_FAILED, -4936,                           \
     "tlsv1 alert decryption failed")                                        \
  XX(ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR, -4935, "tlsv1 alert decrypt error")  \
  XX(ERR_SSL_TLSV1_ALERT_EXPORT_RESTRICTION, -4934,                          \
     "tlsv1 alert export restriction")                                       \
  XX(ERR_SSL_TLSV1_ALERT_INAPPROPRIATE_FALLBACK, -4933,                      \
     "tlsv1 alert inappropriate fallback")                                   \
  XX(ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY, -4932,                       \
     "tlsv1 alert insufficient security")                                    \
  XX(ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR, -4931,                              \
     "tlsv1 alert internal error")                                           \
  XX(ERR_SSL_TLSV1_ALERT_NO_RENEGOTIATION, -4930,                            \
     "tlsv1 alert no renegotiation")                                         \
  XX(ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION, -4929,                            \
     "tlsv1 alert protocol version")                                         \
  XX(ERR_SSL_TLSV1_ALERT_RECORD_OVERFLOW, -4928,                             \
     "tlsv1 alert record overflow")                                          \
  XX(ERR_SSL_TLSV1_ALERT_UNKNOWN_CA, -4927, "tlsv1 alert unknown ca")        \
  XX(ERR_SSL_TLSV1_ALERT_UNKNOWN_PSK_IDENTITY, -4926,                        \
     "tlsv1 alert unknown psk identity")                                     \
  XX(ERR_SSL_TLSV1_ALERT_USER_CANCELLED, -4925,                              \
     "tlsv1 alert user cancelled")                                           \
  XX(ERR_SSL_TLSV1_BAD_CERTIFICATE_HASH_VALUE, -4924,                        \
     "tlsv1 bad certificate hash value")                                     \
  XX(ERR_SSL_TLSV1_BAD_CERTIFICATE_STATUS_RESPONSE, -4923,                   \
     "tlsv1 bad certificate status response")                                \
  XX(ERR_SSL_TLSV1_CERTIFICATE_UNOBTAINABLE, -4922,                          \
     "tlsv1 certificate unobtainable")                                       \
  XX(ERR_SSL_TLSV1_UNRECOGNIZED_NAME, -4921, "tlsv1 unrecognized name")      \
  XX(ERR_SSL_TLSV1_UNSUPPORTED_EXTENSION, -4920,                             \
     "tlsv1 unsupported extension")                                          \
  XX(ERR_SSL_HTTP_REQUEST, -4919, "http request")                            \
  XX(ERR_SSL_HTTPS_PROXY_REQUEST, -4918, "https proxy request")              \
  XX(ERR_SSL_UNSUPPORTED_PROTOCOL, -4917, "unsupported protocol")            \
  XX(ERR_SSL_UNKNOWN_PROTOCOL, -4916, "unknown protocol")                    \
  XX(ERR_SSL_VERSION_TOO_LOW, -4915, "version too low")                      \
  XX(ERR_SSL_VERSION_TOO_HIGH, -4914, "version too high")                    \
  XX(ERR_SSL_BAD_LEGACY_VERSION, -4913, "bad legacy version")                \
  XX(ERR_SSL_BAD_PROTOCOL_VERSION_NUMBER, -4912,                             \
     "bad protocol version number")                                          \
  XX(ERR_SSL_INAPPROPRIATE_FALLBACK, -4911, "inappropriate fallback")        \
  XX(ERR_SSL_NO_SHARED_CIPHER, -4910, "no shared cipher")                    \
  XX(ERR_SSL_NO_CIPHERS_AVAILABLE, -4909, "no ciphers available")            \
  XX(ERR_SSL_NO_SHARED_GROUPS, -4908, "no shared groups")                    \
  XX(ERR_SSL_NO_SUITABLE_KEY_SHARE, -4907, "no suitable key share")          \
  XX(ERR_SSL_NO_SHARED_SIGNATURE_ALGORITHMS, -4906,                          \
     "no shared signature algorithms")                                       \
  XX(ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM, -4905,                         \
     "no suitable signature algorithm")                                      \
  XX(ERR_SSL_MISSING_SIGALGS_EXTENSION, -4904, "missing sigalgs extension")  \
  XX(ERR_SSL_MISSING_SUPPORTED_GROUPS_EXTENSION, -4903,                      \
     "missing supported groups extension")                                   \
  XX(ERR_SSL_WRONG_CURVE, -4902, "wrong curve")                              \
  XX(ERR_SSL_WRONG_SIGNATURE_TYPE, -4901, "wrong signature type")            \
  XX(ERR_SSL_BAD_SIGNATURE, -4900, "bad signature")                          \
  XX(ERR_SSL_BAD_KEY_SHARE, -4899, "bad key share")                          \
  XX(ERR_SSL_BAD_ECPOINT, -4898, "bad ecpoint")                              \
  XX(ERR_SSL_BAD_EXTENSION, -4897, "bad extension")                          \
  XX(ERR_SSL_UNSOLICITED_EXTENSION, -4896, "unsolicited extension")          \
  XX(ERR_SSL_PARSE_TLSEXT, -4895, "parse tlsext")                            \
  XX(ERR_SSL_CLIENTHELLO_TLSEXT, -4894, "clienthello tlsext")                \
  XX(ERR_SSL_SSL3_EXT_INVALID_SERVERNAME, -4893,                             \
     "ssl3 ext invalid servername")                                          \
  XX(ERR_SSL_CALLBACK_FAILED, -4892, "callback failed")                      \
  XX(ERR_SSL_PACKET_LENGTH_TOO_LONG, -4891, "packet length too long")        \
  XX(ERR_SSL_ENCRYPTED_LENGTH_TOO_LONG, -4890, "encrypted length too long")  \
  XX(ERR_SSL_DATA_LENGTH_TOO_LONG, -4889, "data length too long")            \
  XX(ERR_SSL_RECORD_LENGTH_MISMATCH, -4888, "record length mismatch")        \
  XX(ERR_SSL_LENGTH_MISMATCH, -4887, "length mismatch")                      \
  XX(ERR_SSL_LENGTH_TOO_SHORT, -4886, "length too short")                    \
  XX(ERR_SSL_BAD_LENGTH, -4885, "bad length")                                \
  XX(ERR_SSL_BAD_PACKET_LENGTH, -4884, "bad packet length")                  \
  XX(ERR_SSL_BAD_PACKET, -4883, "bad packet")                                \
  XX(ERR_SSL_BAD_HANDSHAKE_LENGTH, -4882, "bad handshake length")            \
  XX(ERR_SSL_EXCESSIVE_MESSAGE_SIZE, -4881, "excessive message size")        \
  XX(ERR_SSL_EXTRA_DATA_IN_MESSAGE, -4880, "extra data in message")          \
  XX(ERR_SSL_BAD_RECORD_TYPE, -4879, "bad record type")                      \
  XX(ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC, -4878,                     \
     "decryption failed or bad record mac")                                  \
  XX(ERR_SSL_BLOCK_CIPHER_PAD_IS_WRONG, -4877, "block cipher pad is wrong")  \
  XX(ERR_SSL_UNEXPECTED_MESSAGE, -4876, "unexpected message")                \
  XX(ERR_SSL_UNEXPECTED_RECORD, -4875, "unexpected record")                  \
  XX(ERR_SSL_UNEXPECTED_CCS_MESSAGE, -4874, "unexpected ccs message")        \
  XX(ERR_SSL_CCS_RECEIVED_EARLY, -4873, "ccs received early")                \
  XX(ERR_SSL_BAD_CHANGE_CIPHER_SPEC, -4872, "bad change cipher spec")        \
  XX(ERR_SSL_NOT_ON_RECORD_BOUNDARY, -4871, "not on record boundary")        \
  XX(ERR_SSL_MIXED_HANDSHAKE_AND_NON_HANDSHAKE_DATA, -4870,                  \
     "mixed handshake and non handshake data")                               \
  XX(ERR_SSL_UNKNOWN_ALERT_TYPE, -4869, "unknown alert type")                \
  XX(ERR_SSL_INVALID_ALERT, -4868, "invalid alert")                          \
  XX(ERR_SSL_TOO_MANY_WARN_ALERTS, -4867, "too many warn alerts")            \
  XX(ERR_SSL_BAD_KEY_UPDATE, -4866, "bad key update")                        \
  XX(ERR_SSL_TOO_MANY_KEY_UPDATES, -4865, "too many key updates")            \
  XX(ERR_SSL_BAD_HRR_VERSION, -4864, "bad hrr version")                      \
  XX(ERR_SSL_NO_CHANGE_FOLLOWING_HRR, -4863, "no change following hrr")      \
  XX(ERR_SSL_UNSAFE_LEGACY_RENEGOTIATION_DISABLED, -4862,                    \
     "unsafe legacy renegotiation disabled")                                 \
  XX(ERR_SSL_NO_RENEGOTIATION, -4861, "no renegotiation")                    \
  XX(ERR_SSL_UNEXPECTED_EOF_WHILE_READING, -4860,                            \
     "unexpected eof while reading")                                         \
  XX(ERR_SSL_APPLICATION_DATA_AFTER_CLOSE_NOTIFY, -4859,                     \
     "application data after close notify")                                  \
  XX(ERR_SSL_CERTIFICATE_VERIFY_FAILED, -4858, "certificate verify failed")  \
  XX(ERR_SSL_NO_CERTIFICATES_RETURNED, -4857, "no certificates returned")    \
  XX(ERR_SSL_CERT_LENGTH_MISMATCH, -4856, "cert length mismatch")            \
  XX(ERR_SSL_UNKNOWN_CIPHER_RETURNED, -4855, "unknown cipher returned")      \
  XX(ERR_SSL_WRONG_CIPHER_RETURNED, -4854, "wrong cipher returned")          \
  XX(ERR_SSL_SSL_HANDSHAKE_FAILURE, -4853, "ssl handshake failure")          \
  XX(ERR_SSL_INSUFFICIENT_SECURITY, -4852, "insufficient security")          \
  XX(ERR_SSL_EE_KEY_TOO_SMALL, -4851, "ee key too small")                    \
  XX(ERR_SSL_CA_KEY_TOO_SMALL, -4850, "ca key too small")                    \
  XX(ERR_SSL_CA_MD_TOO_WEAK, -4849, "ca md too weak")                        \
  XX(ERR_SSL_DH_KEY_TOO_SMALL, -4848, "dh key too small")                    \
  XX(ERR_SSL_BAD_DH_VALUE, -4847, "bad dh value")                            \
  XX(ERR_SSL_NO_CIPHER_MATCH, -4846, "no cipher match")                      \
  XX(ERR_OSSL_PEM_NO_START_LINE, -4845, "no start line")                     \
  XX(ERR_OSSL_PEM_BAD_END_LINE, -4844, "bad end line")                       \
  XX(ERR_OSSL_PEM_BAD_BASE64_DECODE, -4843, "bad base64 decode")             \
  XX(ERR_OSSL_X509_KEY_VALUES_MISMATCH, -4842, "key values mismatch")        \
  XX(ERR_OSSL_UNSUPPORTED, -4841, "unsupported")                             \
  XX(ERR_TLS_INVALID_PROTOCOL_VERSION, -4840,                                \
     "Invalid TLS protocol version")                                         \
  XX(ERR_OSSL_BAD_DECRYPT, -4839, "bad decrypt")                             \
  XX(ERR_TLS_RENEGOTIATION_DISABLED, -4838,                                  \
     "TLS session renegotiation disabled for this socket")                   \
  XX(ERR_TLS_INVALID_STATE, -4837,                                           \
     "TLS socket connection must be securely established")                   \
  XX(ERR_SSL_TLS_ILLEGAL_EXPORTER_LABEL, -4836,                              \
     "tls illegal exporter label")                                           \
  /* The rest of OpenSSL's verify results that Node names; any other is */   \
  /* UNSPECIFIED, as Node's. */                                              \
  XX(UNABLE_TO_GET_CRL, -4835, "unable to get certificate CRL")              \
  XX(UNABLE_TO_DECRYPT_CERT_SIGNATURE, -4834,                                \
     "unable to decrypt certificate's signature")                            \
  XX(UNABLE_TO_DECRYPT_CRL_SIGNATURE, -4833,                                 \
     "unable to decrypt CRL's signature")                                    \
  XX(UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY, -4832,                              \
     "unable to decode issuer public key")                                   \
  XX(CERT_SIGNATURE_FAILURE, -4831, "certificate signature failure")         \
  XX(CRL_SIGNATURE_FAILURE, -4830, "CRL signature failure")                  \
  XX(CRL_NOT_YET_VALID, -4829, "CRL is not yet valid")                       \
  XX(CRL_HAS_EXPIRED, -4828, "CRL has expired")                              \
  XX(ERROR_IN_CERT_NOT_BEFORE_FIELD, -4827,                                  \
     "format error in certificate's notBefore field")                        \
  XX(ERROR_IN_CERT_NOT_AFTER_FIELD, -4826,                                   \
     "format error in certificate's notAfter field")                         \
  XX(ERROR_IN_CRL_LAST_UPDATE_FIELD, -4825,                                  \
     "format error in CRL's lastUpdate field")                               \
  XX(ERROR_IN_CRL_NEXT_UPDATE_FIELD, -4824,                                  \
     "format error in CRL's nextUpdate field")                               \
  XX(OUT_OF_MEM, -4823, "out of memory")                                     \
  XX(CERT_CHAIN_TOO_LONG, -4822, "certificate chain too long")               \
  XX(CERT_REVOKED, -4821, "certificate revoked")                             \
  XX(INVALID_CA, -4820, "invalid CA certificate")                            \
  XX(PATH_LENGTH_EXCEEDED, -4819, "path length constraint exceeded")         \
  XX(INVALID_PURPOSE, -4818, "unsuitable certificate purpose")               \
  XX(CERT_UNTRUSTED, -4817, "certificate not trusted")                       \
  XX(CERT_REJECTED, -4816, "certificate rejected")                           \
  XX(HOSTNAME_MISMATCH, -4815, "hostname mismatch")                          \
  XX(UNSPECIFIED, -4814, "unspecified certificate verification error")       \
  XX(ERR_CRYPTO_OPERATION_FAILED, -4813, "Operation failed")

enum {
#define CNET__ERRNO_ENUM(name, msg) CNET_##name = -name,
  CNET_ERRNO_MAP(CNET__ERRNO_ENUM)
#undef CNET__ERRNO_ENUM
#define CNET__NUMBERED_ENUM(name, num, msg) CNET_##name = num,
  CNET_EXTRA_MAP(CNET__NUMBERED_ENUM)
  CNET_NODE_ERR_MAP(CNET__NUMBERED_ENUM)
#undef CNET__NUMBERED_ENUM
};

/* The code's name as Node prints err.code: "ECONNREFUSED",
 * "ERR_SOCKET_BAD_PORT"; "UNKNOWN" for a code cnet does not know. */
const char *cnet_err_name(int code);
/* The code's default message: libuv's text for system errors ("connection
 * refused"), Node's fixed text for ERR_* codes. */
const char *cnet_strerror(int code);
/* -errno for a positive errno value; getaddrinfo's EAI_* values map to
 * CNET_ENOTFOUND, CNET_EAI_AGAIN, ... with cnet_eai_error. */
int cnet_errno(int errnum);
int cnet_eai_error(int eai);
/* Whether the code is one of Node's ERR_* codes (no errno behind it). */
int cnet_is_node_error(int code);

#define CNET_ERROR_ADDRESS_MAX 112 /* a Unix socket path fits */
#define CNET_ERROR_MESSAGE_MAX 320

/* An error as an 'error' event or a callback carries it: Node's err.code,
 * err.syscall, err.address, err.port and err.message. */
typedef struct cnet_error {
  int code;                               /* CNET_E... or CNET_ERR_...  */
  int port;          /* 0 when the error has none; Node's -1 for paths */
  const char *syscall;                    /* "connect", ... or NULL     */
  char address[CNET_ERROR_ADDRESS_MAX];   /* "" when the error has none */
  char message[CNET_ERROR_MESSAGE_MAX];
} cnet_error;

/* Node's errnoException / exceptionWithHostPort: "<syscall> <CODE>" then
 * " <address>:<port>", " <address>" or nothing, as address and port are
 * given (address NULL or "", port <= 0 for none in the message; err->port
 * keeps what was given, as Node's err.port does):
 *   "connect ECONNREFUSED 127.0.0.1:9", "read ECONNRESET". */
void cnet_error_syscall(cnet_error *err, int code, const char *syscall,
                        const char *address, int port);
/* Node's uvExceptionWithHostPort, which adds libuv's text:
 *   "listen EADDRINUSE: address already in use 127.0.0.1:8000". */
void cnet_error_uv(cnet_error *err, int code, const char *syscall,
                   const char *address, int port);
/* An error with a message of the caller's (printf format); no syscall. */
void cnet_error_set(cnet_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The error of the last cnet call that failed on this thread (Node's
 * thrown error): its code, message ("Port should be >= 0 and < 65536.
 * Received type number (70000)."), and syscall and address when it has
 * them. A call that succeeds leaves it alone; code 0 until a call fails. */
const cnet_error *cnet_last_error(void);

/* Node's class of the error, err.name: "RangeError" (ERR_SOCKET_BAD_PORT,
 * ERR_OUT_OF_RANGE, ...), "TypeError" (ERR_INVALID_ARG_TYPE,
 * ERR_UNKNOWN_ENCODING, ...), "SystemError" (ERR_SOCKET_BUFFER_SIZE) or
 * "Error" (system errors such as ECONNREFUSED, and the other codes). */
const char *cnet_error_class(int code);

#ifdef __cplusplus
}
#endif
#endif

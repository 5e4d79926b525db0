/*
 * hash.h - SHA-256 of files and bytes as 64 lower-case hex digits (OpenSSL): the import's
 * file, every document and report kyso writes, recorded so that a file can be checked
 * against its record.
 */
#ifndef KYSO_HASH_H
#define KYSO_HASH_H

#include <stddef.h>

#include "kyso/err.h"

/* The SHA-256 of the file at path.  KYSO_EIO with the reason when it cannot be read. */
int sha256_file(const char *path, char out[65], struct kyso_err *err);

/* The SHA-256 of len bytes.  0, or -1 when OpenSSL fails. */
int sha256_bytes(const void *bytes, size_t len, char out[65]);

#endif

/*
 * hash.c - SHA-256 through OpenSSL's EVP interface (hash.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "kyso/hash.h"
#include "kyso/i18n.h"

static void hex(const unsigned char *bin, unsigned int n, char out[65])
{
	unsigned int i;

	for (i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", bin[i]);
	out[64] = '\0';
}

int sha256_bytes(const void *bytes, size_t len, char out[65])
{
	unsigned char bin[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_Digest(bytes, len, bin, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return -1;
	hex(bin, n, out);
	return 0;
}

int sha256_file(const char *path, char out[65], struct kyso_err *err)
{
	unsigned char chunk[65536], bin[EVP_MAX_MD_SIZE];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int n = 0;
	int ok, rc = 0;
	size_t got;
	FILE *f;

	if (!md)
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	if (!(f = fopen(path, "rb"))) {
		rc = kyso_fail(err, KYSO_EIO, _("%s: cannot read (%s)"), path, kyso_strerror(errno));
		goto out;
	}
	ok = EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
	while (ok && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
		ok = EVP_DigestUpdate(md, chunk, got) == 1;
	if (ferror(f))
		rc = kyso_fail(err, KYSO_EIO, _("%s: cannot read (%s)"), path, kyso_strerror(errno));
	else if (!ok || EVP_DigestFinal_ex(md, bin, &n) != 1 || n != 32)
		rc = kyso_fail(err, KYSO_EIO, "%s", _("computing a SHA-256 failed"));
	else
		hex(bin, n, out);
	fclose(f);
out:
	EVP_MD_CTX_free(md);
	return rc;
}

/*
 * sha1.h -- SHA-1 (FIPS 180-4), for the trailer of the index files ae
 * writes (gitindex.c), the checksums of the packs it writes
 * (store_pack.c) and hashing a work tree file as git names it: libgit2
 * offers no raw SHA-1.  No collision detection: ae hashes what it wrote
 * or read itself.  Not for anything secret.
 */
#ifndef AE_SHA1_H
#define AE_SHA1_H

#include <stddef.h>
#include <stdint.h>

struct sha1 {
	uint32_t h[5];
	uint64_t len;		/* bytes hashed */
	unsigned char buf[64];
	size_t nbuf;
};

void sha1_init(struct sha1 *c);
void sha1_update(struct sha1 *c, const void *data, size_t n);
void sha1_final(struct sha1 *c, unsigned char out[20]);

#endif

/*
 * sha1.h -- SHA-1 (FIPS 180-4) of a byte stream, for the checksums of
 * the packs ae writes (store_pack.c): the pack's trailer and its index's.
 * Object ids are libgit2's to compute; this is the plain digest, with no
 * collision detection (ae hashes only what it wrote itself).
 */
#ifndef AE_SHA1_H
#define AE_SHA1_H

#include <stddef.h>
#include <stdint.h>

struct sha1_ctx {
	uint32_t h[5];
	uint64_t len;		/* bytes hashed so far */
	unsigned char buf[64];	/* a block not yet full */
};

void sha1_init(struct sha1_ctx *c);
void sha1_update(struct sha1_ctx *c, const void *data, size_t n);
/* The digest of everything given so far; c must be initialised again. */
void sha1_final(struct sha1_ctx *c, unsigned char out[20]);

#endif

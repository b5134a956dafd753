/* sha1.c -- SHA-1 as FIPS 180-4 gives it; see sha1.h. */
#include "sha1.h"

#include <string.h>

static uint32_t rol(uint32_t x, int n)
{
	return x << n | x >> (32 - n);
}

/*
 * One 64-byte block, the rounds written out with the five words renamed
 * rather than moved and the schedule kept in 16 words, as git's
 * block-sha1 does: a 9 MB index is hashed on every ae commit.
 */
#define W(t) w[(t) & 15]
#define LOAD(t) (W(t) = (uint32_t)p[4 * (t)] << 24 | (uint32_t)p[4 * (t) + 1] << 16 | \
			 (uint32_t)p[4 * (t) + 2] << 8 | p[4 * (t) + 3])
#define MIX(t) (W(t) = rol(W((t) + 13) ^ W((t) + 8) ^ W((t) + 2) ^ W(t), 1))
#define ROUND(t, in, f, k, a, b, c, d, e) do { \
		e += rol(a, 5) + (f) + (k) + (in); \
		b = rol(b, 30); \
	} while (0)
#define F1(b, c, d) (((c ^ d) & b) ^ d)
#define F2(b, c, d) (b ^ c ^ d)
#define F3(b, c, d) ((b & c) + (d & (b ^ c)))
#define R1(t, a, b, c, d, e) ROUND(t, LOAD(t), F1(b, c, d), 0x5a827999, a, b, c, d, e)
#define R1M(t, a, b, c, d, e) ROUND(t, MIX(t), F1(b, c, d), 0x5a827999, a, b, c, d, e)
#define R2(t, a, b, c, d, e) ROUND(t, MIX(t), F2(b, c, d), 0x6ed9eba1, a, b, c, d, e)
#define R3(t, a, b, c, d, e) ROUND(t, MIX(t), F3(b, c, d), 0x8f1bbcdc, a, b, c, d, e)
#define R4(t, a, b, c, d, e) ROUND(t, MIX(t), F2(b, c, d), 0xca62c1d6, a, b, c, d, e)
#define FIVE(R, t) do { \
		R((t), a, b, c, d, e); R((t) + 1, e, a, b, c, d); R((t) + 2, d, e, a, b, c); \
		R((t) + 3, c, d, e, a, b); R((t) + 4, b, c, d, e, a); \
	} while (0)

static void block(struct sha1 *ctx, const unsigned char *p)
{
	uint32_t w[16], a = ctx->h[0], b = ctx->h[1], c = ctx->h[2], d = ctx->h[3], e = ctx->h[4];

	FIVE(R1, 0); FIVE(R1, 5); FIVE(R1, 10);
	R1(15, a, b, c, d, e); R1M(16, e, a, b, c, d); R1M(17, d, e, a, b, c);
	R1M(18, c, d, e, a, b); R1M(19, b, c, d, e, a);
	FIVE(R2, 20); FIVE(R2, 25); FIVE(R2, 30); FIVE(R2, 35);
	FIVE(R3, 40); FIVE(R3, 45); FIVE(R3, 50); FIVE(R3, 55);
	FIVE(R4, 60); FIVE(R4, 65); FIVE(R4, 70); FIVE(R4, 75);
	ctx->h[0] += a;
	ctx->h[1] += b;
	ctx->h[2] += c;
	ctx->h[3] += d;
	ctx->h[4] += e;
}

void sha1_init(struct sha1 *c)
{
	static const uint32_t h0[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };

	memcpy(c->h, h0, sizeof(h0));
	c->len = 0;
	c->nbuf = 0;
}

void sha1_update(struct sha1 *c, const void *data, size_t n)
{
	const unsigned char *p = data;

	c->len += n;
	if (c->nbuf) {
		size_t take = 64 - c->nbuf < n ? 64 - c->nbuf : n;
		memcpy(c->buf + c->nbuf, p, take);
		c->nbuf += take;
		p += take;
		n -= take;
		if (c->nbuf < 64)
			return;
		block(c, c->buf);
		c->nbuf = 0;
	}
	for (; n >= 64; p += 64, n -= 64)
		block(c, p);
	memcpy(c->buf, p, n);
	c->nbuf = n;
}

void sha1_final(struct sha1 *c, unsigned char out[20])
{
	uint64_t bits = c->len * 8;
	unsigned char pad[72] = { 0x80 };
	size_t npad = (c->nbuf < 56 ? 56 : 120) - c->nbuf;

	for (int i = 0; i < 8; i++)
		pad[npad + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_update(c, pad, npad + 8);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
}

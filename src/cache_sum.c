/* cache_sum.c -- the parse cache's hashes (cache.h): a 64-bit hash of a
 * few bytes, a file's checksum, and an entry's */
#include "cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* -- hashing: 64 bits, eight bytes at a time (not cryptographic: it
 * tells a changed or damaged file, not a forged one; the cache is only
 * ever a copy of what the book itself says) */
uint64_t cache_hash_bytes(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	const uint64_t k = 0x9E3779B97F4A7C15ULL;

	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	{
		uint64_t w = 0;
		memcpy(&w, p, n);
		h = (h ^ w ^ ((uint64_t)n << 56)) * k;
		h ^= h >> 29;
	}
	return h;
}

/*
 * A buffer's checksum (the listing file's, an image month's, each
 * entry's): the same eight bytes at a time would cost 110 M
 * instructions for a 100,000-record book's 68 MB cache, so it runs four
 * lanes of a multiply-accumulate (XXH3's), four at once with AVX2, two
 * with SSE2, where the CPU has them (the same sums without): each 64-bit
 * word w is added to its lane along with the product of the halves of
 * w ^ key, the key different for each word of a 512-byte block, and
 * every block ends by stirring each lane (a shift, a key, a multiply),
 * so that where a word stands counts as well as what it is.  The rest,
 * under 512 bytes, and the length go through cache_hash_bytes().
 */
#define SUM_LANES 4
#define SUM_STRIPES 16		/* 32-byte stripes in a block */
#define SUM_BLOCK (SUM_STRIPES * SUM_LANES * 8)
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define SUM_AVX2 1
#endif
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static uint64_t sum_key(uint64_t *x)
{
	/* splitmix64 */
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void sum_stir(uint64_t *acc, const uint64_t *stir)
{
	for (int i = 0; i < SUM_LANES; i++)
		acc[i] = ((acc[i] ^ (acc[i] >> 47)) ^ stir[i]) * 0x9E3779B1u;
}

#ifdef SUM_AVX2
__attribute__((target("avx2")))
static void sum_blocks_avx2(uint64_t *acc, const unsigned char *p, size_t whole,
			    const uint64_t *key, const uint64_t *stir)
{
	for (size_t off = 0; off < whole; off += SUM_BLOCK) {
		__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)acc);
		for (int s = 0; s < SUM_STRIPES; s++) {
			__m256i w = _mm256_loadu_si256((const __m256i *)(const void *)(p + off + 32 * (size_t)s)),
				k = _mm256_loadu_si256((const __m256i *)(const void *)(key + 4 * s)),
				x = _mm256_xor_si256(w, k);
			a = _mm256_add_epi64(a, _mm256_add_epi64(w, _mm256_mul_epu32(x, _mm256_srli_epi64(x, 32))));
		}
		_mm256_storeu_si256((__m256i *)(void *)acc, a);
		sum_stir(acc, stir);
	}
}

/* whole 32-byte stripes, as a block's first ones (sum_with()) */
__attribute__((target("avx2")))
static void sum_stripes_avx2(uint64_t *acc, const unsigned char *p, size_t stripes,
			     const uint64_t *key)
{
	__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)acc);

	for (size_t s = 0; s < stripes; s++) {
		__m256i w = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * s)),
			k = _mm256_loadu_si256((const __m256i *)(const void *)(key + 4 * s)),
			x = _mm256_xor_si256(w, k);
		a = _mm256_add_epi64(a, _mm256_add_epi64(w, _mm256_mul_epu32(x, _mm256_srli_epi64(x, 32))));
	}
	_mm256_storeu_si256((__m256i *)(void *)acc, a);
}
#endif

static void sum_blocks(uint64_t *acc, const unsigned char *p, size_t whole,
		       const uint64_t *key, const uint64_t *stir)
{
	for (size_t off = 0; off < whole; off += SUM_BLOCK) {
#if defined(__SSE2__)
		__m128i a0 = _mm_loadu_si128((const __m128i *)(const void *)acc),
			a1 = _mm_loadu_si128((const __m128i *)(const void *)(acc + 2));
		for (int s = 0; s < SUM_STRIPES; s++) {
			const unsigned char *q = p + off + 32 * (size_t)s;
			__m128i w0 = _mm_loadu_si128((const __m128i *)(const void *)q),
				w1 = _mm_loadu_si128((const __m128i *)(const void *)(q + 16)),
				k0 = _mm_loadu_si128((const __m128i *)(const void *)(key + 4 * s)),
				k1 = _mm_loadu_si128((const __m128i *)(const void *)(key + 4 * s + 2)),
				x0 = _mm_xor_si128(w0, k0), x1 = _mm_xor_si128(w1, k1);
			a0 = _mm_add_epi64(a0, _mm_add_epi64(w0, _mm_mul_epu32(x0, _mm_srli_epi64(x0, 32))));
			a1 = _mm_add_epi64(a1, _mm_add_epi64(w1, _mm_mul_epu32(x1, _mm_srli_epi64(x1, 32))));
		}
		_mm_storeu_si128((__m128i *)(void *)acc, a0);
		_mm_storeu_si128((__m128i *)(void *)(acc + 2), a1);
#else
		for (int s = 0; s < SUM_STRIPES; s++)
			for (int i = 0; i < SUM_LANES; i++) {
				uint64_t w, k;
				memcpy(&w, p + off + 32 * (size_t)s + 8 * (size_t)i, 8);
				k = w ^ key[4 * s + i];
				acc[i] += w + (k & 0xFFFFFFFFu) * (k >> 32);
			}
#endif
		sum_stir(acc, stir);
	}
}

/* The keys of a checksum: a word's for each word of a block, a lane's
 * for the stir at its end; from a seed by splitmix64. */
struct sum_keys {
	uint64_t key[SUM_STRIPES * SUM_LANES], stir[SUM_LANES];
};

static void sum_keys(uint64_t x, struct sum_keys *k)
{
	for (size_t i = 0; i < SUM_STRIPES * SUM_LANES; i++)
		k->key[i] = sum_key(&x);
	for (int i = 0; i < SUM_LANES; i++)
		k->stir[i] = sum_key(&x);
}

/* The whole blocks of p[0..n) into the lanes, then, if `stripes`, the
 * whole 32-byte stripes after them as a block's first ones are (no stir
 * after them); the lanes and the rest through cache_hash_bytes(). */
static uint64_t sum_with(const struct sum_keys *k, uint64_t seed, const unsigned char *p, size_t n,
			 int stripes)
{
	uint64_t acc[SUM_LANES] = { 0x9E3779B185EBCA87ULL, 0xC2B2AE3D27D4EB4FULL,
				    0x165667B19E3779F9ULL, 0x85EBCA77C2B2AE63ULL };
	size_t whole = n / SUM_BLOCK * SUM_BLOCK;
	uint64_t h;

	if (whole) {
#ifdef SUM_AVX2
		if (__builtin_cpu_supports("avx2"))
			sum_blocks_avx2(acc, p, whole, k->key, k->stir);
		else
#endif
			sum_blocks(acc, p, whole, k->key, k->stir);
	}
#ifdef SUM_AVX2
	if (stripes && n - whole >= 32 && __builtin_cpu_supports("avx2")) {
		sum_stripes_avx2(acc, p + whole, (n - whole) / 32, k->key);
		whole += (n - whole) / 32 * 32;
	}
#endif
	for (size_t s = 0; stripes && n - whole >= 32; s++, whole += 32)
		for (int i = 0; i < SUM_LANES; i++) {
			uint64_t w, x;
			memcpy(&w, p + whole + 8 * (size_t)i, 8);
			x = w ^ k->key[4 * s + (size_t)i];
			acc[i] += w + (x & 0xFFFFFFFFu) * (x >> 32);
		}
	h = cache_hash_bytes(seed ^ n, acc, sizeof(acc));
	return cache_hash_bytes(h, p + whole, n - whole);
}

uint64_t cache_checksum(uint64_t seed, const void *data, size_t n)
{
	struct sum_keys k;

	sum_keys(seed, &k);
	return sum_with(&k, seed, data, n, 0);
}

/*
 * An entry's checksum (cache.c): the same sum with keys made once, from
 * a seed of its own, not from each call's (68 keys cost more than the
 * 700 bytes of a record's entry), the seed going into the lanes' hash;
 * and what is left after the whole blocks summed in stripes too, not
 * eight bytes a multiply (most of a record's entry is left over).
 */
#define ENTRY_KEY_SEED 0x61652D656E747279ULL	/* "ae-entry" */

static struct sum_keys entry_keys;
static pthread_once_t entry_once = PTHREAD_ONCE_INIT;

static void make_entry_keys(void)
{
	sum_keys(ENTRY_KEY_SEED, &entry_keys);
}

uint64_t cache_entry_sum(uint64_t seed, const void *data, size_t n)
{
	pthread_once(&entry_once, make_entry_keys);
	return sum_with(&entry_keys, seed, data, n, 1);
}

/*
 * Unit tests of sha1.c: the FIPS 180 test vectors ("abc", the two-block
 * message, a million 'a's fed in uneven pieces), the empty message, and
 * git's blob id of a file, which git hash-object must agree with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/sha1.h"

static int failures;

static void check(const char *what, const unsigned char *data, size_t n, size_t piece, const char *hex)
{
	struct sha1 c;
	unsigned char out[20];
	char got[41];

	sha1_init(&c);
	for (size_t i = 0; i < n; i += piece)
		sha1_update(&c, data + i, n - i < piece ? n - i : piece);
	sha1_final(&c, out);
	for (int i = 0; i < 20; i++)
		snprintf(got + 2 * i, 3, "%02x", out[i]);
	if (strcmp(got, hex)) {
		fprintf(stderr, "%s: %s, not %s\n", what, got, hex);
		failures++;
	}
}

int main(void)
{
	static unsigned char million[1000000];
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	const char *blob = "blob 6\0hello\n";

	check("empty", (const unsigned char *)"", 0, 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	check("abc", (const unsigned char *)"abc", 3, 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	check("two blocks", (const unsigned char *)two, strlen(two), 7,
	      "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	memset(million, 'a', sizeof(million));
	check("a million a", million, sizeof(million), 997, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	check("a million a, whole", million, sizeof(million), sizeof(million),
	      "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	/* printf 'hello\n' | git hash-object --stdin */
	check("git blob", (const unsigned char *)blob, 13, 5, "ce013625030ba8dba906f756967f9e9ca394464a");
	return failures != 0;
}

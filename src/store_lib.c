/* store_lib.c -- see store_lib.h */
#define AE_GIT_TABLE_ITSELF
#include "store_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

#ifndef AE_LIBGIT2_SONAME
#error "AE_LIBGIT2_SONAME: the Makefile gives the SONAME of the libgit2 ae is built against"
#endif

static struct ae_git table;
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void __attribute__((noreturn)) cannot_load(const char *what)
{
	fprintf(stderr,
		"ae: cannot load libgit2 (%s): %s\n"
		"ae: it is needed for git; install it (on Debian: apt-get install libgit2-1.5)\n",
		AE_LIBGIT2_SONAME, what ? what : "unknown error");
	exit(EXIT_SYSTEM);
}

static void load(void)
{
	void *h = dlopen(AE_LIBGIT2_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!h)
		cannot_load(dlerror());
	/* a function pointer from dlsym()'s void *, as POSIX says it is done */
#define AE_GIT_LOAD(f)                                               \
	do {                                                         \
		void *p_ = dlsym(h, #f);                             \
		if (!p_)                                             \
			cannot_load("it has no " #f);                \
		memcpy(&table.f, &p_, sizeof(p_));                   \
	} while (0);
	AE_GIT_FUNCS(AE_GIT_LOAD)
#undef AE_GIT_LOAD
}

const struct ae_git *ae_git(void)
{
	pthread_once(&loaded, load);
	return &table;
}

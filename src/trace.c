/* trace.c -- see trace.h */
#include "trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void trace_perf(const char *what)
{
	static int on = -1;
	static double start, last;
	double t;

	if (on < 0) {
		const char *s = getenv("AE_TRACE_PERF");
		on = s && *s && strcmp(s, "0");
		start = last = now_ms(CLOCK_MONOTONIC);
	}
	if (!on)
		return;
	t = now_ms(CLOCK_MONOTONIC);
	fprintf(stderr, "ae-perf: %-20s %+8.1f ms  = %7.1f ms  cpu %7.1f ms", what, t - last,
		t - start, now_ms(CLOCK_PROCESS_CPUTIME_ID));
	{
		/* memory: anonymous and file-backed resident MB (statm's
		 * resident less shared, and shared), and minor faults */
		long size, res, shared, pg = sysconf(_SC_PAGESIZE);
		struct rusage ru;
		FILE *f = fopen("/proc/self/statm", "r");

		if (f && fscanf(f, "%ld %ld %ld", &size, &res, &shared) == 3 &&
		    !getrusage(RUSAGE_SELF, &ru))
			fprintf(stderr, "  anon %5.1f MB  file %5.1f MB  faults %6ld",
				(double)(res - shared) * (double)pg / 1048576.0,
				(double)shared * (double)pg / 1048576.0, ru.ru_minflt);
		if (f)
			fclose(f);
	}
	fputc('\n', stderr);
	last = t;
}

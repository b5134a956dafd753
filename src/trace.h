/*
 * trace.h -- where a run's wall time goes, for the one who measures it.
 *
 * With AE_TRACE_PERF set (to anything but "" or "0"), trace_perf(WHAT)
 * writes to standard error the wall time since the previous mark and
 * since the start of the run, and the process's CPU time so far:
 *
 *	ae-perf: records           +41.2 ms  =  63.0 ms  cpu  98.1 ms
 *
 * (git's GIT_TRACE_PERFORMANCE in spirit).  Without it, a mark costs a
 * test of a flag.  docs/PERFORMANCE.md uses it to split a warm run.
 */
#ifndef AE_TRACE_H
#define AE_TRACE_H

void trace_perf(const char *what);

#endif

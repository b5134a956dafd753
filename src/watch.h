/*
 * watch.h -- `ae watch`, the book's file-system monitor (issue 15, goal 2),
 * and the little protocol by which a command asks it what changed.
 *
 * A warm `ae due` of a ten-year book spent more than half its time
 * learning that nothing changed: a stat(2) of each of its 100,000 files.
 * The monitor (watch.c) is a process that watches every folder of the
 * book with inotify(7) and counts the changes it sees: each change of a
 * file is numbered (its sequence number, one counter a monitor), and the
 * monitor keeps, for every path changed since it started, the number of
 * its last change.  A command's listing of a folder (source_fs.c through
 * fsmonitor.h) asks for the paths changed since the number it last had;
 * every other file is as the listing it kept (.git/ae/listing-cache)
 * says, with no stat at all.  This is git's fsmonitor protocol, with a
 * token of two numbers:
 *
 * - instance: a random number chosen whenever the monitor starts or
 *   forgets (its event queue overflowed, a folder was made, removed or
 *   moved, it knows too many changed paths).  A token of another
 *   instance gets the answer "all": list everything yourself.
 * - seq: the number of the last change the monitor had read when it
 *   answered.  Before answering it reads every event the kernel queued,
 *   and the kernel queues an event before the system call that caused
 *   it returns: so every change made before the question is in the
 *   answer, and every change after it has a higher number, which the
 *   next question will see.  A listing is kept with the token of the
 *   question asked before it was made, so nothing slips between.
 *
 * The socket is .git/ae/watch.sock (a Unix socket, mode 0600, within
 * .git/ae, which only its owner writes); each side checks that the other
 * is the same user (SO_PEERCRED).  A monitor that does not answer within
 * a second, or answers nonsense, is not used: the command lists the book
 * itself, as it does with no monitor.  $AE_WATCH=0 turns the asking off.
 *
 * Messages are NUL-separated fields (a path may hold any byte but NUL):
 *   question  "ae-watch/1" "changes" ROOT INSTANCE SEQ FOLDER
 *             "ae-watch/1" "status" | "stop"
 *   answers   "ok" INSTANCE SEQ PATH...  (the paths below FOLDER changed
 *                                          after SEQ; INSTANCE and SEQ are
 *                                          the new token)
 *             "all" INSTANCE SEQ         (list everything)
 *             "status" KEY VALUE ...     "stopping"   "error" TEXT
 * INSTANCE is 16 hexadecimal digits, SEQ decimal; the answer ends when
 * the monitor closes the connection.
 */
#ifndef AE_WATCH_H
#define AE_WATCH_H

#include <stdint.h>

#include "util.h"

#define WATCH_PROTO "ae-watch/1"
#define WATCH_SOCKET "watch.sock"
#define WATCH_LOCK "watch.lock"
#define WATCH_LOG "watch.log"

/* -- the monitor (watch.c) */

/*
 * Watch the book at root (absolute) whose ae folder (.git/ae) is aedir,
 * answering on its socket until told to stop, signalled, or the book is
 * gone.  ready, when not -1, is a descriptor written to ("ok\n", or a
 * line saying why not) and closed once the socket answers or the monitor
 * failed to start.  0 on a clean stop, else 1 (reported on stderr).
 */
int watch_run(const char *root, const char *aedir, int ready);

/* -- asking it (watch_client.c) */

struct watch_answer {
	char kind[16];		/* "ok", "all", "status", "stopping", "error" */
	uint64_t instance, seq;	/* "ok" and "all" */
	struct strbuf body;	/* the fields after those: NUL-separated */
};

/*
 * Ask the monitor of aedir: fields (n of them, after WATCH_PROTO) sent,
 * the answer read into *a (a->body to be released).  0, or -1 when no
 * monitor answered as it should (none running, another user's, too slow,
 * a malformed answer): then the caller does without.
 */
int watch_ask(const char *aedir, const char *const *fields, int n,
	      struct watch_answer *a);

/* The monitor's token written as its fields (hexadecimal, decimal). */
void watch_token_fmt(uint64_t instance, uint64_t seq, char inst[17], char seqs[21]);

/* Whether $AE_WATCH allows asking a monitor (not "0"). */
int watch_enabled(void);

/* The socket's address for bind() or connect(): through the descriptor
 * of aedir (/proc/self/fd/N/watch.sock), so that a long path to the book
 * still fits sun_path.  -1 if it cannot be made. */
struct sockaddr_un;
int watch_address(int aedirfd, struct sockaddr_un *sa);

#endif

/* watch_client.c -- asking `ae watch` a question; see watch.h. */
#include "watch.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* How long a command waits for the monitor before doing without it. */
#define WATCH_WAIT_MS 1000
/* An answer longer than this is not one a monitor gives (it forgets
 * before it knows that many paths: watch.c) */
#define WATCH_ANSWER_MAX (64u << 20)

int watch_enabled(void)
{
	const char *v = getenv("AE_WATCH");

	return !v || strcmp(v, "0");
}

int watch_address(int aedirfd, struct sockaddr_un *sa)
{
	int n;

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	n = snprintf(sa->sun_path, sizeof(sa->sun_path), "/proc/self/fd/%d/%s",
		     aedirfd, WATCH_SOCKET);
	return n > 0 && (size_t)n < sizeof(sa->sun_path) ? 0 : -1;
}

void watch_token_fmt(uint64_t instance, uint64_t seq, char inst[17], char seqs[21])
{
	snprintf(inst, 17, "%016" PRIx64, instance);
	snprintf(seqs, 21, "%" PRIu64, seq);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Wait for fd to be ready for events, within the question's time. */
static int wait_for(int fd, short events, const struct timespec *t0)
{
	struct pollfd p = { fd, events, 0 };
	long left = WATCH_WAIT_MS - ms_since(t0);

	if (left <= 0)
		return -1;
	for (;;) {
		int r = poll(&p, 1, (int)left);
		if (r > 0)
			return 0;
		if (r < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

static int connect_to(const char *aedir, const struct timespec *t0)
{
	struct sockaddr_un sa;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int dfd, fd, r;

	dfd = open(aedir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || watch_address(dfd, &sa) < 0) {
		close(dfd);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(dfd);
	if (r < 0 && errno == EAGAIN) {
		/* the monitor's backlog is full: it is busy; do without it */
		close(fd);
		return -1;
	}
	if (r < 0 && errno == EINPROGRESS && wait_for(fd, POLLOUT, t0) == 0)
		r = 0;
	/* only a monitor of our own is believed */
	if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
	    cred.uid != getuid()) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t n, const struct timespec *t0)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			if (wait_for(fd, POLLOUT, t0) < 0)
				return -1;
			continue;
		}
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The next NUL-terminated field of the answer at *p (advanced), or NULL. */
static const char *field(const struct strbuf *sb, size_t *p)
{
	const char *s;
	size_t n;

	if (*p >= sb->len)
		return NULL;
	s = sb->buf + *p;
	n = strnlen(s, sb->len - *p);
	if (*p + n >= sb->len)
		return NULL;	/* not terminated */
	*p += n + 1;
	return s;
}

static int parse_u64(const char *s, int base, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || (base == 16 && strlen(s) != 16))
		return -1;
	for (const char *c = s; *c; c++)
		if (!(base == 16 ? (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f') :
				   (*c >= '0' && *c <= '9')))
			return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int watch_ask(const char *aedir, const char *const *fields, int n,
	      struct watch_answer *a)
{
	struct strbuf q = STRBUF_INIT, in = STRBUF_INIT;
	struct timespec t0;
	const char *kind;
	size_t at = 0;
	int fd, ok = -1;

	memset(a, 0, sizeof(*a));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((fd = connect_to(aedir, &t0)) < 0)
		return -1;
	sb_add(&q, WATCH_PROTO, strlen(WATCH_PROTO) + 1);
	for (int i = 0; i < n; i++)
		sb_add(&q, fields[i], strlen(fields[i]) + 1);
	if (send_all(fd, q.buf, q.len, &t0) < 0)
		goto out;
	shutdown(fd, SHUT_WR);
	for (;;) {
		ssize_t r;
		sb_grow(&in, 65536);
		r = recv(fd, in.buf + in.len, 65536, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN) {
			if (wait_for(fd, POLLIN, &t0) < 0)
				goto out;
			continue;
		}
		if (r < 0)
			goto out;
		if (r == 0)
			break;
		in.len += (size_t)r;
		in.buf[in.len] = '\0';
		if (in.len > WATCH_ANSWER_MAX)
			goto out;
	}
	if (!(kind = field(&in, &at)) || strlen(kind) >= sizeof(a->kind))
		goto out;
	strcpy(a->kind, kind);
	if (!strcmp(kind, "ok") || !strcmp(kind, "all")) {
		if (parse_u64(field(&in, &at), 16, &a->instance) < 0 ||
		    parse_u64(field(&in, &at), 10, &a->seq) < 0)
			goto out;
		if (!strcmp(kind, "all") && at != in.len)
			goto out;
	} else if (strcmp(kind, "status") && strcmp(kind, "stopping") &&
		   strcmp(kind, "error")) {
		goto out;
	}
	/* the rest: whole NUL-terminated fields */
	if (at < in.len && in.buf[in.len - 1] != '\0')
		goto out;
	sb_add(&a->body, in.buf + at, in.len - at);
	ok = 0;
out:
	close(fd);
	sb_release(&q);
	sb_release(&in);
	if (ok < 0) {
		sb_release(&a->body);
		memset(a, 0, sizeof(*a));
	}
	return ok;
}

/* pdf.c -- see pdf.h */
#include "pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "fileio.h"
#include "util.h"

/* Longest a browser may take to print, in seconds. */
#define PRINT_TIMEOUT 120

static int executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

char *pdf_browser(void)
{
	static const char *const names[] = {
		"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"
	};
	const char *env = getenv("AE_CHROMIUM"), *path = getenv("PATH");

	if (env && *env)
		return executable(env) ? xstrdup(env) : NULL;
	if (!path || !*path)
		path = "/usr/bin:/bin";
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		for (const char *p = path; *p;) {
			size_t n = strcspn(p, ":");
			char *full = xasprintf("%.*s/%s", (int)n, n ? p : ".", names[i]);
			if (executable(full))
				return full;
			free(full);
			p += n + (p[n] == ':');
		}
	}
	return NULL;
}

static int no_browser(void)
{
	return error("--pdf prints through headless chromium, and none is installed; install it "
		     "('apt-get install chromium fonts-noto-cjk'), name another with AE_CHROMIUM, "
		     "or print the HTML ('--format html') from a browser");
}

int pdf_check(void)
{
	char *browser = pdf_browser();

	free(browser);
	return browser ? 0 : no_browser();
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* Run argv with stdout and stderr into log; its exit status, or -1 when
 * it could not start or ran too long (then it and its helpers are
 * killed: it leads its own process group, which exists while it runs). */
static int run(char *const *argv, const char *log)
{
	pid_t pid = fork(), done;
	int st = 0;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY), out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		setpgid(0, 0);
		if (in >= 0)
			dup2(in, 0);
		if (out >= 0) {
			dup2(out, 1);
			dup2(out, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	for (int waited = 0;; waited++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		done = waitpid(pid, &st, WNOHANG);
		if (done == pid)
			break;
		if (done < 0 && errno != EINTR)
			return -1;
		if (waited >= PRINT_TIMEOUT * 20) {
			kill(-pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int pdf_print(const char *html, size_t len, const char *path)
{
	const char *tmpdir = getenv("TMPDIR");
	char *browser = pdf_browser(), *dir = NULL, *page = NULL, *pdf = NULL, *log = NULL;
	char *profile = NULL, *out_arg = NULL, *prof_arg = NULL, *url = NULL;
	struct strbuf data = STRBUF_INIT;
	FILE *f;
	int ret = -1, status;

	if (!browser) {
		no_browser();
		goto out;
	}
	dir = xasprintf("%s/ae-pdf.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		error("unable to make a temporary folder '%s': %s", dir, strerror(errno));
		free(dir);
		dir = NULL;
		goto out;
	}
	page = xasprintf("%s/report.html", dir);
	pdf = xasprintf("%s/report.pdf", dir);
	log = xasprintf("%s/browser.log", dir);
	profile = xasprintf("%s/profile", dir);
	if (!(f = fopen(page, "wb")) || fwrite(html, 1, len, f) != len || fclose(f) != 0) {
		error("unable to write '%s'", page);
		goto out;
	}
	out_arg = xasprintf("--print-to-pdf=%s", pdf);
	prof_arg = xasprintf("--user-data-dir=%s", profile);
	url = xasprintf("file://%s", page);
	{
		/* root cannot keep chromium's sandbox; anyone else keeps it */
		char *argv[] = {
			browser, "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update",
			"--disable-sync", "--no-pdf-header-footer", prof_arg, out_arg, url,
			geteuid() == 0 ? "--no-sandbox" : NULL, NULL
		};
		status = run(argv, log);
	}
	f = fopen(pdf, "rb");
	if (f) {
		char buf[65536];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			sb_add(&data, buf, n);
		fclose(f);
	}
	if (status != 0 || data.len < 5 || memcmp(data.buf, "%PDF-", 5)) {
		char last[256] = "";
		if ((f = fopen(log, "r"))) {
			char line[256];
			while (fgets(line, sizeof(line), f))
				if (line[0] != '\n')
					snprintf(last, sizeof(last), "%s", line);
			fclose(f);
		}
		last[strcspn(last, "\n")] = '\0';
		if (status < 0)
			error("'%s' did not print the report to PDF within %d seconds%s%s", browser,
			      PRINT_TIMEOUT, *last ? ": " : "", last);
		else
			error("'%s' could not print the report to PDF (exit status %d)%s%s", browser,
			      status, *last ? ": " : "", last);
		goto out;
	}
	ret = write_atomic(path, data.buf, data.len, 0644);
out:
	if (dir)
		nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	sb_release(&data);
	free(url);
	free(prof_arg);
	free(out_arg);
	free(profile);
	free(log);
	free(pdf);
	free(page);
	free(dir);
	free(browser);
	return ret;
}

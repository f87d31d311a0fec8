// SPDX-License-Identifier: BSD-2-Clause
#include "bench_util.h"
#include "dirlist.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int bench_silent(enum df_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int bench_fork(void (*child)(const struct df_prog *prog, int fd), const struct df_prog *prog,
	       void *sample, size_t size)
{
	int fds[2], st;
	pid_t pid;
	ssize_t n;

	if (pipe(fds))
		return -errno;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (!pid) {
		close(fds[0]);
		child(prog, fds[1]);
		_exit(3);
	}
	close(fds[1]);
	n = read(fds[0], sample, size);
	close(fds[0]);
	waitpid(pid, &st, 0);
	return n == (ssize_t)size ? 0 : -ECHILD;
}

static void walk(const char *path, bool top, void (*file)(const char *, void *), void *cookie)
{
	struct stat st;
	char **v;
	size_t n, i;

	if (stat(path, &st))
		return;
	if (!S_ISDIR(st.st_mode)) {
		size_t len = strlen(path);

		if (top || (len > 2 && !strcmp(path + len - 2, ".o")))
			file(path, cookie);
		return;
	}
	if (dirlist(path, &v, &n) == -ENOMEM)
		exit(2);
	for (i = 0; i < n; i++) {
		const char *name = strrchr(v[i], '/') + 1;

		/* invalid/ holds malformed objects, not benchmark input. */
		if (name[0] != '.' && strcmp(name, "invalid"))
			walk(v[i], false, file, cookie);
	}
	dirlist_free(v, n);
}

void bench_walk(const char *path, void (*file)(const char *path, void *cookie), void *cookie)
{
	walk(path, true, file, cookie);
}

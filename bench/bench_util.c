// SPDX-License-Identifier: BSD-2-Clause
#include "bench_util.h"

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

bool bench_paths_exist(const char *name, char **paths, int n)
{
	struct stat st;

	for (int i = 0; i < n; i++) {
		if (stat(paths[i], &st)) {
			fprintf(stderr, "%s: %s: %s\n", name, paths[i], strerror(errno));
			return false;
		}
	}
	return true;
}

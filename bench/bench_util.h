/* SPDX-License-Identifier: BSD-2-Clause */
/* What the benchmarks share: a quiet library, a clock, forked samples. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include "dataflow.h"

int bench_silent(enum df_print_level level, const char *fmt, va_list ap);
double bench_now(void);
/*
 * Run child(prog, fd) in a forked process, which writes exactly size bytes
 * of its sample to fd and exits; 0 when the sample arrived, else -errno or
 * -ECHILD (the child crashed or wrote nothing).
 */
int bench_fork(void (*child)(const struct df_prog *prog, int fd), const struct df_prog *prog,
	       void *sample, size_t size);
/* Do paths[0..n) all exist? If not, "NAME: PATH: reason" on stderr for the first that does not. */
bool bench_paths_exist(const char *name, char **paths, int n);

#endif

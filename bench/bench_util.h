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
/*
 * Call file(path, cookie) for path itself when it is a file, else for every
 * `.o` under it in name order, leaving out directories named invalid/.
 */

#endif

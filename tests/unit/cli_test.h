/* SPDX-License-Identifier: BSD-2-Clause */
/* Tests that run the built bpfdf: capture its output, validate JSON. */
#ifndef CLI_TEST_H
#define CLI_TEST_H

#include <stdbool.h>

struct cli_run {
	int status;
	char *out;
	char *err;
};

/* The whole file, NUL-terminated; fails the test when it cannot be read. */
char *cli_slurp(const char *path);
/* Run "bpfdf ARGS" (printf-style) through the shell; it must exit, not die by a signal. */
struct cli_run cli_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_run_free(struct cli_run *r);
/* A strict JSON validator (RFC 8259 grammar, no extensions). */
bool json_valid(const char *s);

#endif

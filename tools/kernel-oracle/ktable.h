/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel oracle's table (docs/kernel-agreement.md): one tab-separated
 * row per program with the running kernel's verdict and statistics, under a
 * '#' header naming the columns and the kernel release. Written by
 * tools/kernel-oracle, read by the agreement test and the verifier benchmark
 * where bpf() is refused.
 */
#ifndef KTABLE_H
#define KTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KTABLE_COLUMNS "object\tprogram\tsection\ttype\tverdict\tprocessed\ttotal_states" \
	"\tpeak_states\tusec\terror"
#define KTABLE_MAGIC "# kernel-oracle: Linux "

enum ktable_verdict {
	KT_ACCEPT,
	KT_REJECT,
	KT_SKIP,	/* not loaded: a map the kernel refuses, a kfunc, ... */
	KT_ERROR,	/* the object could not be opened */
};

/* Absent figures are -1 ("-" in the file). */
struct ktable_row {
	char *object;		/* relative to the base the table was made from */
	char *program;		/* "-" in an error row */
	char *section;
	char *type;		/* program type it was loaded as */
	enum ktable_verdict verdict;
	int64_t processed, total_states, peak_states, usec;
	char *msg;		/* the kernel's error line, or why skipped or an error */
	unsigned line;		/* line in the file */
};

struct ktable {
	struct ktable_row *rows;
	size_t cnt;
	char *release;		/* kernel release from the header */
};

/*
 * Parse a table; name is what errors call it. Returns 0, or -1 with
 * "NAME:LINE: what is wrong" in err.
 */
/* "NAME:LINE: what" into err; returns -1. The parsers' error form. */
int ktable_fail(char *err, size_t err_len, const char *name, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

int ktable_parse(const char *text, size_t len, const char *name, struct ktable *t,
		 char *err, size_t err_len);
int ktable_load(const char *path, struct ktable *t, char *err, size_t err_len);
void ktable_free(struct ktable *t);
/* The row of object:program, or NULL. */
const struct ktable_row *ktable_find(const struct ktable *t, const char *object,
				     const char *program);

const char *ktable_verdict_name(enum ktable_verdict v);
int ktable_verdict_parse(const char *s, enum ktable_verdict *v);
/* The header line, and one row (tabs and newlines in fields become spaces). */
void ktable_write_header(FILE *f, const char *release);
void ktable_write_row(FILE *f, const struct ktable_row *r);
/* Order of rows: object, program, section. */
int ktable_row_cmp(const void *a, const void *b);

#endif

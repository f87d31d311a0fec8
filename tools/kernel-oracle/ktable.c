/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading and writing the kernel oracle's table. The parser is strict: a
 * table that does not parse means the file was damaged or edited by hand,
 * and every error names the file and line.
 */
#include "ktable.h"
#include "readall.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define NCOLS 10

static const char *const verdicts[] = {
	[KT_ACCEPT] = "accept",
	[KT_REJECT] = "reject",
	[KT_SKIP] = "skip",
	[KT_ERROR] = "error",
};

const char *ktable_verdict_name(enum ktable_verdict v)
{
	return (unsigned)v < sizeof(verdicts) / sizeof(verdicts[0]) ? verdicts[v] : "?";
}

int ktable_verdict_parse(const char *s, enum ktable_verdict *v)
{
	unsigned i;

	for (i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		if (!strcmp(s, verdicts[i])) {
			*v = (enum ktable_verdict)i;
			return 0;
		}
	}
	return -1;
}

int ktable_fail(char *err, size_t err_len, const char *name, unsigned line, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(err, err_len, "%s:%u: %s", name, line, what);
	return -1;
}

static void row_free(struct ktable_row *r)
{
	free(r->object);
	free(r->program);
	free(r->section);
	free(r->type);
	free(r->msg);
}

void ktable_free(struct ktable *t)
{
	size_t i;

	for (i = 0; i < t->cnt; i++)
		row_free(&t->rows[i]);
	free(t->rows);
	free(t->release);
	memset(t, 0, sizeof(*t));
}

/* "-" or a decimal count. */
static int parse_count(const char *s, int64_t *out)
{
	unsigned long long v;
	char *end;

	if (!strcmp(s, "-")) {
		*out = -1;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > INT64_MAX)
		return -1;
	*out = (int64_t)v;
	return 0;
}

/* Split line (modified in place) at tabs; returns the number of fields. */
static int split(char *line, char **f)
{
	int n = 0;

	for (;;) {
		char *tab = strchr(line, '\t');

		if (n < NCOLS)
			f[n] = line;
		n++;
		if (!tab)
			return n;
		*tab = 0;
		line = tab + 1;
	}
}

static int parse_header(const char *line, struct ktable *t)
{
	size_t m = strlen(KTABLE_MAGIC);
	const char *semi;

	if (strncmp(line, KTABLE_MAGIC, m))
		return -1;
	semi = strchr(line + m, ';');
	if (!semi || semi == line + m || strcmp(semi + 1, " " KTABLE_COLUMNS))
		return -1;
	t->release = strndup(line + m, (size_t)(semi - line - m));
	return t->release ? 0 : -1;
}

static int parse_row(char *line, struct ktable_row *r, const char *name, unsigned ln,
		     char *err, size_t err_len)
{
	static const char *const cols[] = {
		"processed", "total_states", "peak_states", "usec",
	};
	int64_t *nums[] = { &r->processed, &r->total_states, &r->peak_states, &r->usec };
	char *f[NCOLS];
	int n = split(line, f), i;

	if (n != NCOLS)
		return ktable_fail(err, err_len, name, ln,
				   "%d tab-separated columns, expected %d", n, NCOLS);
	for (i = 0; i < 4; i++)
		if (!*f[i])
			return ktable_fail(err, err_len, name, ln, "empty %s column",
				    i == 0 ? "object" : i == 1 ? "program" : i == 2 ?
				    "section" : "type");
	if (ktable_verdict_parse(f[4], &r->verdict))
		return ktable_fail(err, err_len, name, ln, "unknown verdict '%s'", f[4]);
	for (i = 0; i < 4; i++)
		if (parse_count(f[5 + i], nums[i]))
			return ktable_fail(err, err_len, name, ln, "%s is '%s', not a count or '-'",
				    cols[i], f[5 + i]);
	if (r->verdict != KT_ACCEPT && !*f[9])
		return ktable_fail(err, err_len, name, ln, "a %s row without its reason", f[4]);
	r->line = ln;
	r->object = strdup(f[0]);
	r->program = strdup(f[1]);
	r->section = strdup(f[2]);
	r->type = strdup(f[3]);
	r->msg = strdup(f[9]);
	if (!r->object || !r->program || !r->section || !r->type || !r->msg)
		return ktable_fail(err, err_len, name, ln, "out of memory");
	return 0;
}

int ktable_parse(const char *text, size_t len, const char *name, struct ktable *t,
		 char *err, size_t err_len)
{
	const char *p = text, *end = text + len;
	unsigned ln = 0;
	size_t cap = 0, i;

	memset(t, 0, sizeof(*t));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line;
		int rc = 0;

		ln++;
		if (memchr(p, 0, n)) {
			ktable_free(t);
			return ktable_fail(err, err_len, name, ln, "NUL byte in the line");
		}
		line = strndup(p, n);
		p += n + (nl ? 1 : 0);
		if (!line) {
			ktable_free(t);
			return ktable_fail(err, err_len, name, ln, "out of memory");
		}
		if (ln == 1) {
			if (parse_header(line, t))
				rc = ktable_fail(err, err_len, name, ln,
						 "not a kernel-oracle table (expected the "
						 "header '%s<release>; <columns>')", KTABLE_MAGIC);
		} else if (line[0] != '#' && line[0]) {
			if (t->cnt == cap) {
				struct ktable_row *nr;

				cap = cap ? cap * 2 : 256;
				nr = realloc(t->rows, cap * sizeof(*nr));
				if (!nr)
					rc = ktable_fail(err, err_len, name, ln, "out of memory");
				else
					t->rows = nr;
			}
			if (!rc) {
				memset(&t->rows[t->cnt], 0, sizeof(t->rows[0]));
				rc = parse_row(line, &t->rows[t->cnt], name, ln, err, err_len);
				t->cnt++;
			}
		}
		free(line);
		if (rc) {
			ktable_free(t);
			return -1;
		}
	}
	if (!ln) {
		ktable_free(t);
		return ktable_fail(err, err_len, name, 1, "empty file");
	}
	for (i = 1; i < t->cnt; i++) {
		const struct ktable_row *a = &t->rows[i - 1], *b = &t->rows[i];
		int c = ktable_row_cmp(a, b);

		if (c >= 0) {
			unsigned bad = b->line;

			ktable_free(t);
			return ktable_fail(err, err_len, name, bad, c ? "rows out of order" :
				    "duplicate row");
		}
	}
	return 0;
}

int ktable_load(const char *path, struct ktable *t, char *err, size_t err_len)
{
	size_t len;
	char *buf = readall(path, &len, err, err_len);
	int rc;

	memset(t, 0, sizeof(*t));
	if (!buf)
		return -1;
	rc = ktable_parse(buf, len, path, t, err, err_len);
	free(buf);
	return rc;
}

const struct ktable_row *ktable_find(const struct ktable *t, const char *object,
				     const char *program)
{
	size_t i;

	for (i = 0; i < t->cnt; i++)
		if (!strcmp(t->rows[i].object, object) && !strcmp(t->rows[i].program, program))
			return &t->rows[i];
	return NULL;
}

int ktable_row_cmp(const void *a, const void *b)
{
	const struct ktable_row *x = a, *y = b;
	int c = strcmp(x->object, y->object);

	if (!c)
		c = strcmp(x->program, y->program);
	if (!c)
		c = strcmp(x->section, y->section);
	return c;
}

static void put_field(FILE *f, const char *s)
{
	if (!s)
		return;
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void put_count(FILE *f, int64_t v)
{
	if (v < 0)
		fputs("\t-", f);
	else
		fprintf(f, "\t%lld", (long long)v);
}

void ktable_write_header(FILE *f, const char *release)
{
	fputs(KTABLE_MAGIC, f);
	put_field(f, release);
	fputs("; " KTABLE_COLUMNS "\n", f);
}

void ktable_write_row(FILE *f, const struct ktable_row *r)
{
	put_field(f, r->object);
	fputc('\t', f);
	put_field(f, r->program);
	fputc('\t', f);
	put_field(f, r->section);
	fputc('\t', f);
	put_field(f, r->type);
	fprintf(f, "\t%s", ktable_verdict_name(r->verdict));
	put_count(f, r->processed);
	put_count(f, r->total_states);
	put_count(f, r->peak_states);
	put_count(f, r->usec);
	fputc('\t', f);
	put_field(f, r->msg);
	fputc('\n', f);
}

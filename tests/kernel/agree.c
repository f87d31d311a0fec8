/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The rules of the agreement test. The pattern table is deliberately small
 * and one-sided: only reasons known not to be about safety are listed as
 * such, so a new kernel message is treated as a safety rejection until
 * someone reads it and decides otherwise.
 */
#include "agree.h"
#include "readall.h"
#include "ktable.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const not_safety[] = {
	"cannot use helper",		/* helper not allowed for the program type */
	"unknown func",			/* helper this kernel does not have */
	"invalid func unknown#",
	"GPL-restricted",		/* licence */
	"unknown opcode",		/* encoding this kernel lacks */
	"not allowed for this program type",
	"instructions not allowed for",
	"calling kernel functions are not allowed",
	"kernel btf_id",		/* kfunc the kernel does not export */
	"unreachable insn",		/* dead code, refused as a matter of form */
	"BPF program is too large",	/* complexity limits */
	"is too complex",
	"might sleep in a non-sleepable",
	"requires CAP_",
};

static const char *const safety[] = {
	"invalid mem access", "invalid access to", "outside of the", "out of bounds",
	"!read_ok", "invalid read from stack", "invalid indirect read", "uninit",
	"leaks addr", "pointer arithmetic", "prohibited", "Unreleased reference",
	"invalid bpf_context access", "modified ctx ptr", "type=", "expected",
	"invalid write to stack", "misaligned", "min value is", "max value is",
	"unbounded memory access", "invalid zero-sized read", "infinite loop",
	"back-edge", "invalid size", "R0 is", "null",
};

bool agree_is_safety(const char *line, const char **pattern)
{
	size_t i;

	if (pattern)
		*pattern = NULL;
	for (i = 0; i < sizeof(not_safety) / sizeof(not_safety[0]); i++) {
		if (strstr(line, not_safety[i])) {
			if (pattern)
				*pattern = not_safety[i];
			return false;
		}
	}
	for (i = 0; i < sizeof(safety) / sizeof(safety[0]); i++) {
		if (strstr(line, safety[i])) {
			if (pattern)
				*pattern = safety[i];
			break;
		}
	}
	return true;
}

static const char *const headings[AGREE_NLISTS] = {
	[AGREE_BPFDF_ACCEPTS] = "Accepted by bpfdf, rejected by the kernel",
	[AGREE_BPFDF_REJECTS] = "Rejected by bpfdf, accepted by the kernel",
};

void agree_doc_free(struct agree_doc *d)
{
	size_t i;

	for (i = 0; i < d->cnt; i++) {
		free(d->e[i].object);
		free(d->e[i].program);
		free(d->e[i].reason);
	}
	free(d->e);
	memset(d, 0, sizeof(*d));
}

struct agree_entry *agree_doc_find(struct agree_doc *d, enum agree_list list,
				   const char *object, const char *program)
{
	size_t i;

	for (i = 0; i < d->cnt; i++) {
		struct agree_entry *e = &d->e[i];

		if (e->list == list && !strcmp(e->object, object) &&
		    !strcmp(e->program, program))
			return e;
	}
	return NULL;
}

/* "- `object:program` — reason" or without the backquotes; "--" for the dash. */
static int parse_entry(const char *s, struct agree_entry *e, const char *name, unsigned ln,
		       char *err, size_t err_len)
{
	const char *key = s + 2, *key_end, *colon, *reason;
	bool quoted = *key == '`';

	if (quoted) {
		key++;
		key_end = strchr(key, '`');
		if (!key_end)
			return ktable_fail(err, err_len, name, ln, "unterminated `object:program`");
		reason = key_end + 1;
	} else {
		key_end = strchr(key, ' ');
		if (!key_end)
			return ktable_fail(err, err_len, name, ln,
					   "expected '- object:program — reason'");
		reason = key_end;
	}
	if (!strncmp(reason, " \xe2\x80\x94 ", 5))
		reason += 5;
	else if (!strncmp(reason, " -- ", 4))
		reason += 4;
	else
		return ktable_fail(err, err_len, name, ln,
				   "expected ' — ' and the reason after the program");
	while (*reason == ' ')
		reason++;
	if (!*reason)
		return ktable_fail(err, err_len, name, ln, "no reason given");
	colon = memchr(key, ':', (size_t)(key_end - key));
	if (!colon || colon == key || colon + 1 == key_end)
		return ktable_fail(err, err_len, name, ln, "expected object:program, got '%.*s'",
			    (int)(key_end - key), key);
	e->object = strndup(key, (size_t)(colon - key));
	e->program = strndup(colon + 1, (size_t)(key_end - colon - 1));
	e->reason = strdup(reason);
	e->line = ln;
	if (!e->object || !e->program || !e->reason)
		return ktable_fail(err, err_len, name, ln, "out of memory");
	return 0;
}

static int heading_list(const char *line)
{
	int i;

	for (i = 0; i < AGREE_NLISTS; i++)
		if (strstr(line, headings[i]))
			return i;
	return -1;
}

int agree_doc_parse(const char *text, size_t len, const char *name, struct agree_doc *d,
		    char *err, size_t err_len)
{
	const char *p = text, *end = text + len;
	bool found[AGREE_NLISTS] = { false };
	int list = -1, i;
	unsigned ln = 0;
	size_t cap = 0;

	memset(d, 0, sizeof(*d));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = strndup(p, n);
		int rc = 0;

		ln++;
		p += n + (nl ? 1 : 0);
		if (!line) {
			agree_doc_free(d);
			return ktable_fail(err, err_len, name, ln, "out of memory");
		}
		if (line[0] == '#') {
			list = heading_list(line);
			if (list >= 0 && found[list])
				rc = ktable_fail(err, err_len, name, ln, "a second '%s' list",
					  headings[list]);
			else if (list >= 0)
				found[list] = true;
		} else if (list >= 0 && !strncmp(line, "- ", 2)) {
			struct agree_entry e = { .list = (enum agree_list)list };

			rc = parse_entry(line, &e, name, ln, err, err_len);
			if (!rc && agree_doc_find(d, e.list, e.object, e.program))
				rc = ktable_fail(err, err_len, name, ln, "%s:%s is listed twice",
					  e.object, e.program);
			if (!rc && d->cnt == cap) {
				struct agree_entry *ne;

				cap = cap ? cap * 2 : 64;
				ne = realloc(d->e, cap * sizeof(*ne));
				if (!ne)
					rc = ktable_fail(err, err_len, name, ln, "out of memory");
				else
					d->e = ne;
			}
			if (rc) {
				free(e.object);
				free(e.program);
				free(e.reason);
			} else {
				d->e[d->cnt++] = e;
			}
		}
		free(line);
		if (rc) {
			agree_doc_free(d);
			return -1;
		}
	}
	for (i = 0; i < AGREE_NLISTS; i++) {
		if (!found[i]) {
			agree_doc_free(d);
			return ktable_fail(err, err_len, name, ln, "no heading '%s'", headings[i]);
		}
	}
	return 0;
}

int agree_doc_load(const char *path, struct agree_doc *d, char *err, size_t err_len)
{
	size_t len;
	char *buf = readall(path, &len, err, err_len);
	int rc;

	memset(d, 0, sizeof(*d));
	if (!buf)
		return -1;
	rc = agree_doc_parse(buf, len, path, d, err, err_len);
	free(buf);
	return rc;
}

enum agree_outcome agree_judge(bool kernel_accepts, const char *kernel_line,
			       enum df_verdict bpfdf, const struct agree_entry *accepts,
			       const struct agree_entry *rejects)
{
	bool ours = bpfdf == DF_VERDICT_ACCEPT;

	if (ours == kernel_accepts)
		return accepts || rejects ? AGREE_STALE : AGREE_SAME;
	if (ours) {
		/* Listed or not, a safety rejection must never be accepted. */
		if (agree_is_safety(kernel_line, NULL) || !accepts || rejects)
			return AGREE_UNSAFE;
		return AGREE_LISTED;
	}
	return rejects && !accepts ? AGREE_LISTED : AGREE_UNLISTED;
}

const char *agree_outcome_name(enum agree_outcome o)
{
	switch (o) {
	case AGREE_SAME:
		return "agreed";
	case AGREE_LISTED:
		return "listed";
	case AGREE_UNSAFE:
		return "UNSAFE";
	case AGREE_UNLISTED:
		return "UNLISTED";
	case AGREE_STALE:
		return "STALE";
	}
	return "?";
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fixture files (docs/fixtures.md): a program in assembly and the expected
 * results of the pipeline on it, in sections introduced by "-- NAME ARGS".
 */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <stddef.h>

struct fx_section {
	const struct fx_kind *kind;
	char *args;		/* header text after the section name, trimmed */
	char *body;		/* the lines up to the next header */
	unsigned line;		/* line number of the header */
};

struct fixture {
	char *path;
	struct fx_section *secs;
	unsigned sec_cnt;
	char *asm_text;		/* fixture_asm()'s result */
};

/*
 * Parse a fixture from memory; name is used in messages and as the
 * assembler's file name. On error returns -1 and writes "NAME:LINE: why".
 */
int fixture_parse(const char *text, size_t len, const char *name,
		  struct fixture *fx, char *err, size_t err_len);
int fixture_load(const char *path, struct fixture *fx, char *err, size_t err_len);
void fixture_free(struct fixture *fx);

/*
 * The '-- asm' section's text with the lines before it blanked, so that
 * line numbers match the file; owned by fx. NULL when out of memory.
 */
const char *fixture_asm(struct fixture *fx);

/*
 * Run every expectation. Returns the number of failed sections (0: pass);
 * *report (malloc'd, may be NULL) explains each failure.
 */
int fixture_run(const struct fixture *fx, char **report);

#endif /* FIXTURE_H */

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Agreement of bpfdf verify with the kernel oracle's table
 * (docs/kernel-agreement.md): the classification of the kernel's error
 * lines into safety and other reasons, the two lists of known
 * disagreements in the document, and the judgement of one program.
 */
#ifndef AGREE_H
#define AGREE_H

#include "verify.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Why the kernel rejected a program, from its error line: a broken safety
 * rule (memory access, uninitialised data, pointer misuse, leaked
 * references...), or something else (a helper the program type may not
 * call, an encoding or feature this kernel lacks, complexity). A line no
 * pattern knows counts as safety. pattern, when not NULL, gets the pattern
 * that matched, or NULL.
 */
bool agree_is_safety(const char *line, const char **pattern);

enum agree_list {
	AGREE_BPFDF_ACCEPTS,	/* "Accepted by bpfdf, rejected by the kernel" */
	AGREE_BPFDF_REJECTS,	/* "Rejected by bpfdf, accepted by the kernel" */
	AGREE_NLISTS
};

struct agree_entry {
	char *object, *program, *reason;
	enum agree_list list;
	unsigned line;
	bool seen;		/* a table row matched it */
};

struct agree_doc {
	struct agree_entry *e;
	size_t cnt;
};

/*
 * Parse the lists of the document: under a heading naming a list, one line
 * per program, "- object:program — reason" (the name may be in
 * backquotes). Returns 0, or -1 with "NAME:LINE: what is wrong" in err.
 */
int agree_doc_parse(const char *text, size_t len, const char *name, struct agree_doc *d,
		    char *err, size_t err_len);
int agree_doc_load(const char *path, struct agree_doc *d, char *err, size_t err_len);
void agree_doc_free(struct agree_doc *d);
struct agree_entry *agree_doc_find(struct agree_doc *d, enum agree_list list,
				   const char *object, const char *program);

enum agree_outcome {
	AGREE_SAME,		/* both accept, or both do not */
	AGREE_LISTED,		/* a listed disagreement that is allowed */
	AGREE_UNSAFE,		/* bpfdf accepts what the kernel rejects for safety */
	AGREE_UNLISTED,		/* a disagreement the document does not list */
	AGREE_STALE,		/* listed, but the verdicts now agree */
};

/*
 * Judge one program: the kernel's verdict and error line, bpfdf's verdict,
 * and its entries in the two lists (NULL when absent).
 */
enum agree_outcome agree_judge(bool kernel_accepts, const char *kernel_line,
			       enum df_verdict bpfdf, const struct agree_entry *accepts,
			       const struct agree_entry *rejects);
const char *agree_outcome_name(enum agree_outcome o);

#endif

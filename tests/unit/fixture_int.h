/* SPDX-License-Identifier: BSD-2-Clause */
/* Internals of the fixture runner shared by its expectation kinds. */
#ifndef FIXTURE_INT_H
#define FIXTURE_INT_H

#include "fixture.h"

#include "dataflow.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

/* What the pipeline produced for one program. */
struct fx_ctx {
	const struct fixture *fx;
	const struct fx_section *asm_sec;
	struct df_object *obj;
	struct df_prog *prog;
	struct df_cfg *cfg;
	struct df_pipeline *pl;	/* analyses, made on first use */
	const char *failed;	/* stage that failed: asm, load, check, cfg; NULL */
	char *diag;		/* diagnostics printed by the library */
	size_t diag_len;
	FILE *diag_f;
};

typedef int (*fx_check_fn)(struct fx_ctx *ctx, const struct fx_section *sec,
			   FILE *report);

struct fx_kind {
	const char *name;
	fx_check_fn check;	/* NULL for input sections */
};

/* Meaningful lines: trailing blanks cut, blank and '#' lines dropped. */
struct fx_lines {
	char **v;
	size_t n;
};

int fx_split_lines(const char *s, struct fx_lines *out);
void fx_free_lines(struct fx_lines *l);
bool fx_blank_or_comment(const char *s, size_t n);
void fx_print_block(FILE *report, const char *title, const char *text);
/* Report and return 1 when the pipeline failed before the section's check. */
int fx_need_success(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report);

/* Library diagnostics go to fx_capture_f while fx_capture is installed. */
extern FILE *fx_capture_f;
int fx_capture(enum df_print_level level, const char *fmt, va_list ap);

/* fixture_analysis.c: the analysis expectations (docs/fixtures.md). */
int fx_check_regs(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report);
int fx_check_stack(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report);
int fx_check_argtrack(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report);
int fx_check_analyze_error(struct fx_ctx *ctx, const struct fx_section *sec,
			   FILE *report);

/* fixture_verify.c: the verdict of df_verify() (docs/fixtures.md). */
int fx_check_verdict(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report);

#endif

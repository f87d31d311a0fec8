/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Analysis expectations of the fixture runner: register liveness, the
 * kernel's stack use/def listing and live-before sets, arg-tracking values
 * before an instruction, and analysis failures (docs/fixtures.md).
 */
#include "fixture_int.h"

#include "annotate.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Run one analysis (and what it requires) with diagnostics captured. */
static int run_analysis(struct fx_ctx *ctx, const char *name)
{
	df_print_fn old;
	int err = 0;

	fx_capture_f = ctx->diag_f;
	old = df_set_print(fx_capture);
	if (!ctx->pl)
		err = df_pipeline_new(ctx->prog, NULL, &ctx->pl);
	if (!err)
		err = df_pipeline_run(ctx->pl, name);
	fflush(ctx->diag_f);
	df_set_print(old);
	fx_capture_f = NULL;
	return err;
}

static const struct df_solver *solver(struct fx_ctx *ctx, const struct fx_section *sec,
				      const char *name, FILE *report)
{
	const struct df_solver *s;
	int err;

	if (fx_need_success(ctx, sec, report))
		return NULL;
	err = run_analysis(ctx, name);
	s = err ? NULL : df_pipeline_solver(ctx->pl, name);
	if (!s) {
		fprintf(report, "%s:%u: '-- %s': analysis %s failed: %s\n", ctx->fx->path,
			sec->line, sec->kind->name, name, strerror(err ? -err : ENOENT));
		fx_print_block(report, "diagnostics", ctx->diag ? ctx->diag : "");
	}
	return s;
}

/* "PC: REST" -> pc and a pointer to REST; false if the line has no such prefix. */
static bool pc_prefix(const char *line, uint32_t *pc, const char **rest)
{
	char *end;
	unsigned long v;

	while (*line == ' ' || *line == '\t')
		line++;
	if (!isdigit((unsigned char)*line))
		return false;
	v = strtoul(line, &end, 10);
	if (*end != ':' || v > UINT32_MAX)
		return false;
	*pc = (uint32_t)v;
	end++;
	while (*end == ' ' || *end == '\t')
		end++;
	*rest = end;
	return true;
}

/* pc starts an instruction (not the second slot of ld_imm64). */
static bool pc_valid(const struct fx_ctx *ctx, uint32_t pc)
{
	uint32_t i = 0;

	while (i < pc && i < ctx->prog->insn_cnt)
		i += df_insn_slots(&ctx->prog->insns[i]);
	return i == pc && pc < ctx->prog->insn_cnt;
}

static int bad_line(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report,
		    const char *line, const char *why)
{
	fprintf(report, "%s:%u: '-- %s': %s: '%s'\n", ctx->fx->path, sec->line,
		sec->kind->name, why, line);
	return 1;
}

/* ------------------------------------------------------------------ */
/* -- expect regs: "PC: .1....6..." (or "PC: -" for unreached)         */
/* ------------------------------------------------------------------ */

int fx_check_regs(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report)
{
	const struct df_solver *s = solver(ctx, sec, "regs", report);
	struct fx_lines want;
	size_t i;
	int bad = 0;

	if (!s)
		return 1;
	if (fx_split_lines(sec->body, &want))
		return 1;
	if (!want.n)
		bad = bad_line(ctx, sec, report, "", "no 'PC: LIVE' line");
	for (i = 0; i < want.n && !bad; i++) {
		char got[16];
		const char *rest;
		uint16_t mask;
		uint32_t pc;

		if (!pc_prefix(want.v[i], &pc, &rest) || !pc_valid(ctx, pc)) {
			bad = bad_line(ctx, sec, report, want.v[i], "expected 'PC: LIVE'");
			break;
		}
		if (df_regs_live_before(s, pc, &mask))
			strcpy(got, "-");
		else
			an_regs_str(got, mask);
		if (strcmp(rest, got)) {
			fprintf(report, "%s:%u: '-- expect regs': pc %u: expected %s, actual %s\n",
				ctx->fx->path, sec->line, pc, rest, got);
			bad = 1;
		}
	}
	if (bad) {
		char *dump = NULL;
		size_t n = 0;
		FILE *f = open_memstream(&dump, &n);

		if (f) {
			df_regs_dump(f, s);
			fclose(f);
			fx_print_block(report, "actual", dump ? dump : "");
			free(dump);
		}
	}
	fx_free_lines(&want);
	return bad;
}

/* ------------------------------------------------------------------ */
/* -- expect stack                                                      */
/* ------------------------------------------------------------------ */

/* Collapse runs of blanks into one space, in place. */
static void squeeze(char *s)
{
	char *d = s;
	bool blank = false;

	while (*s == ' ' || *s == '\t')
		s++;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t') {
			blank = true;
			continue;
		}
		if (blank && d != s)
			*d++ = ' ';
		blank = false;
		*d++ = *s;
	}
	*d = 0;
}

/* The listing of the instance whose header equals hdr (squeezed); NULL if none. */
static char *instance_text(struct fx_ctx *ctx, const struct df_solver *s, const char *hdr,
			   int32_t *inst)
{
	uint32_t i, n = df_stack_instance_cnt(s);

	for (i = 0; i < n; i++) {
		char *text = NULL, *nl;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		if (!f)
			return NULL;
		an_stack_instance(f, ctx->prog, ctx->cfg, s, i);
		fclose(f);
		nl = text ? strchr(text, '\n') : NULL;
		if (nl) {
			*nl = 0;
			squeeze(text);
			if (!strcmp(text, hdr)) {
				*nl = '\n';
				*inst = (int32_t)i;
				return text;
			}
		}
		free(text);
	}
	return NULL;
}

/* The squeezed listing line of pc in text, or NULL. */
static char *listing_line(const char *text, uint32_t pc)
{
	const char *p = strchr(text, '\n');

	while (p && *++p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *rest;
		uint32_t lpc;

		if (pc_prefix(p, &lpc, &rest) && lpc == pc) {
			char *l = strndup(p, n);

			if (l)
				squeeze(l);
			return l;
		}
		p = nl;
	}
	return NULL;
}

static int check_live(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report,
		      const struct df_solver *s, int32_t inst, const char *line)
{
	struct df_halves use, def, live[DF_MAX_CALL_FRAMES];
	struct df_stack_instance in;
	char got[1024];
	const char *rest;
	uint32_t pc, fr;

	if (!pc_prefix(line + 4, &pc, &rest) || !pc_valid(ctx, pc))
		return bad_line(ctx, sec, report, line, "expected 'live PC: HALVES'");
	if (df_stack_instance(s, (uint32_t)inst, &in))
		return bad_line(ctx, sec, report, line, "no such instance");
	for (fr = 0; fr <= in.depth && fr < DF_MAX_CALL_FRAMES; fr++) {
		memset(&live[fr], 0, sizeof(live[fr]));
		if (df_stack_masks(s, (uint32_t)inst, pc, fr, &use, &def, &live[fr]) == -ENOENT &&
		    fr == 0) {
			fprintf(report, "%s:%u: '-- expect stack': pc %u not reached in (d%u,cs%u)\n",
				ctx->fx->path, sec->line, pc, in.depth, in.callsite);
			return 1;
		}
	}
	an_halves_frames(got, sizeof(got), live, in.depth + 1);
	if (!got[0])
		strcpy(got, "-");
	if (strcmp(got, rest)) {
		fprintf(report, "%s:%u: '-- expect stack': live before %u in (d%u,cs%u): "
			"expected %s, actual %s\n", ctx->fx->path, sec->line, pc, in.depth,
			in.callsite, rest, got);
		return 1;
	}
	return 0;
}

int fx_check_stack(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report)
{
	const struct df_solver *s = solver(ctx, sec, "stack", report);
	struct fx_lines want;
	char *text = NULL;
	int32_t inst = -1;
	size_t i;
	int bad = 0;

	if (!s)
		return 1;
	if (fx_split_lines(sec->body, &want))
		return 1;
	for (i = 0; i < want.n && !bad; i++) {
		char *w = want.v[i], *got;
		const char *rest;
		uint32_t pc;

		squeeze(w);
		if (!strncmp(w, "stack use/def ", 14)) {
			free(text);
			text = instance_text(ctx, s, w, &inst);
			if (!text) {
				fprintf(report, "%s:%u: '-- expect stack': no instance '%s'\n",
					ctx->fx->path, sec->line, w);
				bad = 1;
			}
			continue;
		}
		if (!text) {
			bad = bad_line(ctx, sec, report, w, "a line before any 'stack use/def' header");
			break;
		}
		if (!strncmp(w, "live ", 5)) {
			bad = check_live(ctx, sec, report, s, inst, w);
			continue;
		}
		if (!pc_prefix(w, &pc, &rest) || !pc_valid(ctx, pc)) {
			bad = bad_line(ctx, sec, report, w, "expected 'PC: (op) insn ; use: ... def: ...'");
			break;
		}
		got = listing_line(text, pc);
		if (!strcmp(rest, "-") ? got != NULL : !got || strcmp(got, w)) {
			fprintf(report, "%s:%u: '-- expect stack': pc %u differs\n"
				"  expected: %s\n  actual:   %s\n", ctx->fx->path, sec->line,
				pc, w, got ? got : "(no line)");
			bad = 1;
		}
		free(got);
	}
	if (bad && s) {
		char *all = NULL;
		size_t n = 0;
		FILE *f = open_memstream(&all, &n);

		if (f) {
			an_stack_listing(f, ctx->prog, ctx->cfg, s);
			fclose(f);
			fx_print_block(report, "actual listing", all ? all : "");
			free(all);
		}
	}
	free(text);
	fx_free_lines(&want);
	return bad;
}

/* ------------------------------------------------------------------ */
/* -- expect argtrack: "[(dD,csC)] PC: r1=fp0-8 fp-8=fp0-24 sa0=_"      */
/* ------------------------------------------------------------------ */

/* Location name at p ("r1=", "sa0=", "fp-8="): its index and length, or -1. */
static int loc_at(const char *p, size_t *len)
{
	unsigned l;

	for (l = 0; l < DF_ARG_NLOCS; l++) {
		char name[16];
		size_t n;

		df_arg_loc_snprint(name, sizeof(name), l);
		n = strlen(name);
		if (!strncmp(p, name, n) && p[n] == '=') {
			*len = n + 1;
			return (int)l;
		}
	}
	return -1;
}

static int check_args_line(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report,
			   const struct df_solver *s, const char *line)
{
	struct df_argtrack_state *st = malloc(sizeof(*st));
	unsigned depth = 0, callsite = 0;
	bool want_ctx = false;
	const char *p = line, *rest;
	uint32_t pc;
	int n = 0, bad = 0;

	if (!st)
		return 1;
	if (sscanf(p, " (d%u,cs%u)%n", &depth, &callsite, &n) == 2 && n) {
		want_ctx = true;
		p += n;
	}
	if (!pc_prefix(p, &pc, &rest) || !pc_valid(ctx, pc) || !*rest) {
		free(st);
		return bad_line(ctx, sec, report, line, "expected '[(dD,csC)] PC: LOC=VALUE ...'");
	}
	if (an_args_at(s, pc, false, want_ctx, callsite, depth, st)) {
		fprintf(report, "%s:%u: '-- expect argtrack': pc %u not reached%s\n",
			ctx->fx->path, sec->line, pc, want_ctx ? " in that context" : "");
		free(st);
		return 1;
	}
	p = rest;
	while (*p && !bad) {
		size_t len, vlen;
		const char *v, *next;
		char got[64];
		int l = loc_at(p, &len);

		if (l < 0) {
			bad = bad_line(ctx, sec, report, line, "expected a location (r1=, sa0=, fp-8=)");
			break;
		}
		v = p + len;
		/* The value runs to the next " LOC=" (values may hold blanks: "fp0 ?"). */
		for (next = v; *next; next++) {
			size_t dummy;

			if (*next == ' ' && loc_at(next + 1, &dummy) >= 0)
				break;
		}
		vlen = (size_t)(next - v);
		df_arg_snprint(got, sizeof(got), &st->loc[l]);
		if (strlen(got) != vlen || strncmp(got, v, vlen)) {
			fprintf(report, "%s:%u: '-- expect argtrack': pc %u: %.*s expected %.*s, "
				"actual %s\n", ctx->fx->path, sec->line, pc, (int)len - 1, p,
				(int)vlen, v, got);
			bad = 1;
		}
		p = *next ? next + 1 : next;
	}
	free(st);
	return bad;
}

int fx_check_argtrack(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report)
{
	const struct df_solver *s = solver(ctx, sec, "argtrack", report);
	struct fx_lines want;
	size_t i;
	int bad = 0;

	if (!s)
		return 1;
	if (fx_split_lines(sec->body, &want))
		return 1;
	if (!want.n)
		bad = bad_line(ctx, sec, report, "", "no 'PC: LOC=VALUE' line");
	for (i = 0; i < want.n && !bad; i++)
		bad = check_args_line(ctx, sec, report, s, want.v[i]);
	fx_free_lines(&want);
	return bad;
}

/* ------------------------------------------------------------------ */
/* -- expect analyze-error: regs, argtrack and stack fail; messages      */
/* ------------------------------------------------------------------ */

int fx_check_analyze_error(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report)
{
	static const char *const names[] = { "regs", "argtrack", "stack" };
	const char *pos;
	struct fx_lines want;
	size_t i;
	int err = 0, bad = 0;

	if (fx_need_success(ctx, sec, report))
		return 1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && !err; i++)
		err = run_analysis(ctx, names[i]);
	if (!err) {
		fprintf(report, "%s:%u: '-- expect analyze-error': the analyses succeeded\n",
			ctx->fx->path, sec->line);
		return 1;
	}
	if (fx_split_lines(sec->body, &want))
		return 1;
	if (!want.n)
		bad = bad_line(ctx, sec, report, "", "no message named");
	pos = ctx->diag ? ctx->diag : "";
	for (i = 0; i < want.n && !bad; i++) {
		const char *hit = strstr(pos, want.v[i]);

		if (hit) {
			pos = hit + strlen(want.v[i]);
			continue;
		}
		fprintf(report, "%s:%u: '-- expect analyze-error': '%s' not found (%s)\n",
			ctx->fx->path, sec->line, want.v[i], strerror(-err));
		fx_print_block(report, "diagnostics", ctx->diag ? ctx->diag : "");
		bad = 1;
	}
	fx_free_lines(&want);
	return bad;
}

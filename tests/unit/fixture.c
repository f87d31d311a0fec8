/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fixture runner: parse "-- NAME ARGS" sections, assemble the program,
 * run the pipeline and compare each expectation. New expectations are one
 * entry in the kinds[] table and one check function.
 */
#include "fixture.h"
#include "readall.h"
#include "fixture_int.h"

#include "dataflow.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_cfg(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report);
static int check_error(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report);

static const struct fx_kind kinds[] = {
	{ "asm", NULL },
	{ "expect cfg", check_cfg },
	{ "expect error", check_error },
	{ "expect regs", fx_check_regs },
	{ "expect stack", fx_check_stack },
	{ "expect argtrack", fx_check_argtrack },
	{ "expect analyze-error", fx_check_analyze_error },
	{ "expect verdict", fx_check_verdict },
};

/* ------------------------------------------------------------------ */
/* Parsing                                                            */
/* ------------------------------------------------------------------ */

static char *dup_range(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

static char *trim(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return dup_range(s, n);
}

static const struct fx_kind *find_kind(const char *h, size_t n, size_t *used)
{
	const struct fx_kind *best = NULL;
	size_t i, k;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		k = strlen(kinds[i].name);
		if (k <= n && !strncmp(h, kinds[i].name, k) &&
		    (k == n || h[k] == ' ' || h[k] == '\t') &&
		    (!best || k > *used)) {
			best = &kinds[i];
			*used = k;
		}
	}
	return best;
}

static void fail_at(char *err, size_t len, const char *name, unsigned line,
		    const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, len, "%s:%u: %s", name, line, msg);
}

bool fx_blank_or_comment(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\r')) {
		s++;
		n--;
	}
	return !n || *s == '#';
}

static int close_section(struct fixture *fx, const char *body, size_t n)
{
	struct fx_section *s = &fx->secs[fx->sec_cnt - 1];

	s->body = dup_range(body, n);
	return s->body ? 0 : -1;
}

int fixture_parse(const char *text, size_t len, const char *name,
		  struct fixture *fx, char *err, size_t err_len)
{
	const char *p = text, *end = text + len, *body = NULL;
	unsigned line = 0, asm_cnt = 0, expect_cnt = 0, i;

	memset(fx, 0, sizeof(*fx));
	fx->path = dup_range(name, strlen(name));
	if (!fx->path)
		goto nomem;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *next = nl ? nl + 1 : end;
		const struct fx_kind *kind;
		struct fx_section *s;
		size_t used = 0;

		line++;
		if (n < 3 || strncmp(p, "-- ", 3)) {
			if (!body && !fx_blank_or_comment(p, n)) {
				fail_at(err, err_len, name, line,
					"text before the first section (start one with '-- asm')");
				goto fail;
			}
			p = next;
			continue;
		}
		if (body && close_section(fx, body, (size_t)(p - body)))
			goto nomem;
		kind = find_kind(p + 3, n - 3, &used);
		if (!kind) {
			char *h = trim(p + 3, n - 3);

			fail_at(err, err_len, name, line, "unknown section '%s'", h ? h : "");
			free(h);
			goto fail;
		}
		s = realloc(fx->secs, (fx->sec_cnt + 1) * sizeof(*s));
		if (!s)
			goto nomem;
		fx->secs = s;
		s = &fx->secs[fx->sec_cnt++];
		memset(s, 0, sizeof(*s));
		s->kind = kind;
		s->line = line;
		s->args = trim(p + 3 + used, n - 3 - used);
		if (!s->args)
			goto nomem;
		if (kind->check)
			expect_cnt++;
		else
			asm_cnt++;
		body = p = next;
	}
	if (body && close_section(fx, body, (size_t)(end - body)))
		goto nomem;
	if (asm_cnt != 1) {
		fail_at(err, err_len, name, line, "%s '-- asm' section",
			asm_cnt ? "more than one" : "no");
		goto fail;
	}
	if (!expect_cnt) {
		fail_at(err, err_len, name, line, "no '-- expect' section");
		goto fail;
	}
	for (i = 0; i < fx->sec_cnt; i++)
		if (!fx->secs[i].kind->check && fx->secs[i].args[0]) {
			fail_at(err, err_len, name, fx->secs[i].line,
				"'-- asm' takes no arguments");
			goto fail;
		}
	return 0;
nomem:
	snprintf(err, err_len, "%s: out of memory", name);
fail:
	fixture_free(fx);
	return -1;
}

int fixture_load(const char *path, struct fixture *fx, char *err, size_t err_len)
{
	size_t len;
	char *buf = readall(path, &len, err, err_len);
	int ret;

	if (!buf) {
		memset(fx, 0, sizeof(*fx));
		return -1;
	}
	ret = fixture_parse(buf, len, path, fx, err, err_len);
	free(buf);
	return ret;
}

void fixture_free(struct fixture *fx)
{
	unsigned i;

	for (i = 0; i < fx->sec_cnt; i++) {
		free(fx->secs[i].args);
		free(fx->secs[i].body);
	}
	free(fx->secs);
	free(fx->path);
	free(fx->asm_text);
	memset(fx, 0, sizeof(*fx));
}

/* ------------------------------------------------------------------ */
/* Pipeline                                                           */
/* ------------------------------------------------------------------ */

FILE *fx_capture_f;

int fx_capture(enum df_print_level level, const char *fmt, va_list ap)
{
	if (level != DF_WARN || !fx_capture_f)
		return 0;
	return vfprintf(fx_capture_f, fmt, ap);
}

static char *padded_asm(const struct fx_section *s)
{
	size_t pad = s->line, n = strlen(s->body);
	char *text = malloc(pad + n + 1);

	if (text) {
		memset(text, '\n', pad);
		memcpy(text + pad, s->body, n + 1);
	}
	return text;
}

const char *fixture_asm(struct fixture *fx)
{
	unsigned i;

	for (i = 0; i < fx->sec_cnt && !fx->asm_text; i++)
		if (!fx->secs[i].kind->check)
			fx->asm_text = padded_asm(&fx->secs[i]);
	return fx->asm_text;
}

/* Assemble with the header lines blanked out so line numbers match the file. */
static int assemble(struct fx_ctx *ctx)
{
	char *text = padded_asm(ctx->asm_sec);
	int err;

	if (!text)
		return -ENOMEM;
	err = df_asm(text, strlen(text), ctx->fx->path, &ctx->obj);
	free(text);
	return err;
}

/* Run asm, program check and CFG build on the program named by sec's args. */
static void run_pipeline(struct fx_ctx *ctx, const struct fx_section *sec)
{
	df_print_fn old;

	fx_capture_f = ctx->diag_f;
	old = df_set_print(fx_capture);
	if (assemble(ctx)) {
		ctx->failed = "asm";
		goto out;
	}
	if (sec->args[0]) {
		ctx->prog = df_object_find_prog(ctx->obj, sec->args);
		if (!ctx->prog) {
			fprintf(ctx->diag_f, "%s: no program '%s'\n", ctx->fx->path, sec->args);
			ctx->failed = "select";
			goto out;
		}
	} else if (ctx->obj->prog_cnt) {
		ctx->prog = &ctx->obj->progs[0];
	} else {
		fprintf(ctx->diag_f, "%s: no program\n", ctx->fx->path);
		ctx->failed = "select";
		goto out;
	}
	if (ctx->prog->err) {
		ctx->failed = "load";
		goto out;
	}
	if (df_prog_check(ctx->prog)) {
		ctx->failed = "check";
		goto out;
	}
	if (df_cfg_build(ctx->prog, &ctx->cfg))
		ctx->failed = "cfg";
out:
	fflush(ctx->diag_f);
	df_set_print(old);
	fx_capture_f = NULL;
}

static void ctx_reset(struct fx_ctx *ctx)
{
	df_pipeline_free(ctx->pl);
	ctx->pl = NULL;
	df_cfg_free(ctx->cfg);
	df_object_free(ctx->obj);
	ctx->cfg = NULL;
	ctx->obj = NULL;
	ctx->prog = NULL;
	ctx->failed = NULL;
	if (ctx->diag_f)
		fclose(ctx->diag_f);
	free(ctx->diag);
	ctx->diag = NULL;
	ctx->diag_len = 0;
	ctx->diag_f = open_memstream(&ctx->diag, &ctx->diag_len);
}

/* ------------------------------------------------------------------ */
/* Expectations                                                       */
/* ------------------------------------------------------------------ */

int fx_split_lines(const char *s, struct fx_lines *out)
{
	const char *p = s;

	out->v = NULL;
	out->n = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char **v;

		if (!fx_blank_or_comment(p, n)) {
			while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
				n--;
			v = realloc(out->v, (out->n + 1) * sizeof(*v));
			if (!v)
				return -1;
			out->v = v;
			out->v[out->n] = dup_range(p, n);
			if (!out->v[out->n])
				return -1;
			out->n++;
		}
		p = nl ? nl + 1 : p + n;
	}
	return 0;
}

void fx_free_lines(struct fx_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

void fx_print_block(FILE *report, const char *title, const char *text)
{
	fprintf(report, "  %s:\n", title);
	while (*text) {
		const char *nl = strchr(text, '\n');
		int n = nl ? (int)(nl - text) : (int)strlen(text);

		fprintf(report, "    | %.*s\n", n, text);
		text += n + (nl ? 1 : 0);
	}
}

int fx_need_success(struct fx_ctx *ctx, const struct fx_section *sec,
			FILE *report)
{
	if (!ctx->failed)
		return 0;
	fprintf(report, "%s:%u: '-- %s': the pipeline failed at %s\n", ctx->fx->path,
		sec->line, sec->kind->name, ctx->failed);
	fx_print_block(report, "diagnostics", ctx->diag ? ctx->diag : "");
	return 1;
}

static int check_cfg(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report)
{
	struct fx_lines want, got;
	char *dump = NULL;
	size_t dump_len = 0, i;
	FILE *f;
	int bad = 0;

	if (fx_need_success(ctx, sec, report))
		return 1;
	f = open_memstream(&dump, &dump_len);
	if (!f)
		return 1;
	df_cfg_dump(f, ctx->cfg);
	fclose(f);
	if (fx_split_lines(sec->body, &want) || fx_split_lines(dump, &got)) {
		fprintf(report, "%s: out of memory\n", ctx->fx->path);
		bad = 1;
		goto out;
	}
	for (i = 0; i < want.n || i < got.n; i++) {
		const char *w = i < want.n ? want.v[i] : "(end)";
		const char *g = i < got.n ? got.v[i] : "(end)";

		if (!strcmp(w, g))
			continue;
		fprintf(report, "%s:%u: '-- expect cfg': line %zu differs\n"
			"  expected: %s\n  actual:   %s\n", ctx->fx->path, sec->line,
			i + 1, w, g);
		fx_print_block(report, "actual dump", dump);
		bad = 1;
		break;
	}
out:
	fx_free_lines(&want);
	fx_free_lines(&got);
	free(dump);
	return bad;
}

/* Each expected line must occur in the diagnostics, in order. */
static int check_error(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report)
{
	struct fx_lines want;
	const char *pos = ctx->diag ? ctx->diag : "";
	size_t i;
	int bad = 0;

	if (!ctx->failed) {
		fprintf(report, "%s:%u: '-- expect error': the program was accepted\n",
			ctx->fx->path, sec->line);
		return 1;
	}
	if (fx_split_lines(sec->body, &want))
		return 1;
	if (!want.n) {
		fprintf(report, "%s:%u: '-- expect error' names no message\n",
			ctx->fx->path, sec->line);
		bad = 1;
	}
	for (i = 0; i < want.n && !bad; i++) {
		const char *hit = strstr(pos, want.v[i]);

		if (hit) {
			pos = hit + strlen(want.v[i]);
			continue;
		}
		fprintf(report, "%s:%u: '-- expect error': '%s' not found (failed at %s)\n",
			ctx->fx->path, sec->line, want.v[i], ctx->failed);
		fx_print_block(report, "diagnostics", ctx->diag ? ctx->diag : "");
		bad = 1;
	}
	fx_free_lines(&want);
	return bad;
}

int fixture_run(const struct fixture *fx, char **report)
{
	struct fx_ctx ctx = { .fx = fx };
	size_t report_len = 0;
	FILE *rf;
	unsigned i, failed = 0;

	*report = NULL;
	rf = open_memstream(report, &report_len);
	if (!rf)
		return 1;
	for (i = 0; i < fx->sec_cnt; i++)
		if (!fx->secs[i].kind->check)
			ctx.asm_sec = &fx->secs[i];
	for (i = 0; i < fx->sec_cnt; i++) {
		const struct fx_section *sec = &fx->secs[i];

		if (!sec->kind->check)
			continue;
		ctx_reset(&ctx);
		if (!ctx.diag_f) {
			failed++;
			continue;
		}
		run_pipeline(&ctx, sec);
		failed += sec->kind->check(&ctx, sec, rf) != 0;
	}
	ctx_reset(&ctx);
	if (ctx.diag_f)
		fclose(ctx.diag_f);
	free(ctx.diag);
	fclose(rf);
	return (int)failed;
}

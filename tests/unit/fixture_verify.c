/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The verdict expectation of the fixture runner (docs/fixtures.md): run
 * df_verify() in one or every built-in pruning mode and compare the
 * verdict, the rejection line "pc N: MESSAGE", the verifier log, the
 * warning count and the per-subprogram results.
 */
#include "fixture_int.h"

#include "verify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MODES 8
#define LOG_TAIL 40

struct vx {
	const struct df_prune_mode *modes[MAX_MODES];
	uint32_t mode_cnt;
	struct df_verify_opts opts;
	enum df_verdict verdict;
	struct fx_lines lines;	/* the body; the arrays below point into it */
	const char **msg, **log, **nolog, **sub;
	size_t msg_n, log_n, nolog_n, sub_n;
	long warnings;		/* -1: not checked */
};

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* "WORD" or "WORD ARG": the argument, or NULL when line is not WORD. */
static const char *word_arg(const char *line, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(line, word, n))
		return NULL;
	if (!line[n])
		return line + n;
	if (line[n] != ' ' && line[n] != '\t')
		return NULL;
	return skip_blanks(line + n);
}

static int push(const char ***v, size_t *n, const char *s)
{
	const char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return -1;
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

static void vx_free(struct vx *x)
{
	free(x->msg);
	free(x->log);
	free(x->nolog);
	free(x->sub);
	fx_free_lines(&x->lines);
}

static bool parse_verdict(const char *s, enum df_verdict *v)
{
	static const char *const names[] = {
		[DF_VERDICT_ACCEPT] = "accept", [DF_VERDICT_REJECT] = "reject",
		[DF_VERDICT_UNSUPPORTED] = "unsupported", [DF_VERDICT_LIMIT] = "limit",
	};
	unsigned i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*v = (enum df_verdict)i;
			return true;
		}
	return false;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int parse_modes(struct vx *x, const char *arg)
{
	char name[64];

	while (*arg) {
		size_t n = strcspn(arg, " \t");

		if (!n || n >= sizeof(name) || x->mode_cnt == MAX_MODES)
			return -1;
		memcpy(name, arg, n);
		name[n] = 0;
		x->modes[x->mode_cnt] = df_prune_mode_find(name);
		if (!x->modes[x->mode_cnt])
			return -1;
		x->mode_cnt++;
		arg = skip_blanks(arg + n);
	}
	return x->mode_cnt ? 0 : -1;
}

/* Options, the verdict, then expectations; on error *why says what is wrong with *bad_line. */
static int vx_parse(struct vx *x, const struct fx_section *sec, const char **why,
		    const char **bad_line)
{
	bool have_verdict = false;
	const char *a;
	size_t i;

	memset(x, 0, sizeof(*x));
	x->opts.sz = sizeof(x->opts);
	x->warnings = -1;
	*bad_line = "";
	if (fx_split_lines(sec->body, &x->lines)) {
		*why = "out of memory";
		return -1;
	}
	for (i = 0; i < x->lines.n; i++) {
		const char *l = skip_blanks(x->lines.v[i]);
		int err = 0;

		*bad_line = l;
		if (!have_verdict) {
			if (parse_verdict(l, &x->verdict)) {
				have_verdict = true;
			} else if ((a = word_arg(l, "mode"))) {
				err = parse_modes(x, a);
			} else if ((a = word_arg(l, "input-size"))) {
				err = parse_u32(a, &x->opts.input_size) && x->opts.input_size ? 0 : -1;
			} else if ((a = word_arg(l, "insn-limit"))) {
				err = parse_u32(a, &x->opts.insn_limit) && x->opts.insn_limit ? 0 : -1;
			} else if (!strcmp(l, "interpreted")) {
				x->opts.interpreted = true;
			} else if (!strcmp(l, "div-by-zero")) {
				x->opts.div_by_zero = true;
			} else if (!strcmp(l, "state-freq")) {
				x->opts.state_freq = true;
			} else {
				*why = "expected an option (mode, input-size, insn-limit, interpreted, "
				       "div-by-zero, state-freq) or the verdict (accept, reject, "
				       "unsupported, limit)";
				return -1;
			}
			if (err) {
				*why = "bad option value (mode takes built-in or loaded mode names)";
				return -1;
			}
			continue;
		}
		if ((a = word_arg(l, "log")) && *a) {
			err = push(&x->log, &x->log_n, a);
		} else if ((a = word_arg(l, "nolog")) && *a) {
			err = push(&x->nolog, &x->nolog_n, a);
		} else if ((a = word_arg(l, "subprog")) && *a) {
			err = push(&x->sub, &x->sub_n, a);
		} else if ((a = word_arg(l, "warnings"))) {
			uint32_t w;

			if (!parse_u32(a, &w)) {
				*why = "'warnings' wants a count";
				return -1;
			}
			x->warnings = w;
		} else {
			err = push(&x->msg, &x->msg_n, l);
		}
		if (err) {
			*why = "out of memory";
			return -1;
		}
	}
	if (!have_verdict) {
		*bad_line = "";
		*why = "no verdict line (accept, reject, unsupported or limit)";
		return -1;
	}
	if (x->verdict == DF_VERDICT_ACCEPT && x->msg_n) {
		*bad_line = x->msg[0];
		*why = "an accepted program has no rejection message to match";
		return -1;
	}
	if (!x->mode_cnt) {
		x->modes[x->mode_cnt++] = &df_prune_exact;
		x->modes[x->mode_cnt++] = &df_prune_regs;
		x->modes[x->mode_cnt++] = &df_prune_full;
	}
	return 0;
}

/* The last lines of text, for a failure report. */
static const char *tail(const char *text, unsigned lines)
{
	const char *p = text + strlen(text);
	unsigned n = 0;

	while (p > text) {
		p--;
		if (*p == '\n' && p[1] && ++n > lines)
			return p + 1;
	}
	return text;
}

/* "KEY=VALUE ..." after the subprogram index, against the result. */
static int check_subprog(const char *spec, const struct df_verify_result *res,
			 char *why, size_t len)
{
	const char *p = spec;
	uint32_t idx, want;
	char *end;

	idx = (uint32_t)strtoul(p, &end, 10);
	if (end == p) {
		snprintf(why, len, "'subprog %s': expected 'subprog N KEY=VALUE...'", spec);
		return 1;
	}
	if (idx >= res->subprog_cnt) {
		snprintf(why, len, "'subprog %s': the result has %u subprograms", spec,
			 res->subprog_cnt);
		return 1;
	}
	p = skip_blanks(end);
	while (*p) {
		const struct df_verify_subprog *sp = &res->subprogs[idx];
		static const char *const keys[] = {
			"start", "stack_depth", "arg_cnt", "in_cnt", "stack_arg_cnt", "max_out",
		};
		uint32_t got[] = {
			sp->start, sp->stack_depth, sp->arg_cnt, sp->in_cnt, sp->stack_arg_cnt,
			sp->max_out,
		};
		size_t k, n = strcspn(p, "=");
		unsigned long v;

		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strlen(keys[k]) == n && !strncmp(p, keys[k], n))
				break;
		if (k == sizeof(keys) / sizeof(keys[0]) || p[n] != '=') {
			snprintf(why, len, "'subprog %s': unknown key at '%s'", spec, p);
			return 1;
		}
		v = strtoul(p + n + 1, &end, 10);
		if (end == p + n + 1 || (*end && *end != ' ' && *end != '\t')) {
			snprintf(why, len, "'subprog %s': bad number at '%s'", spec, p);
			return 1;
		}
		want = (uint32_t)v;
		if (got[k] != want) {
			snprintf(why, len, "subprog %u: %s is %u, expected %u", idx, keys[k],
				 got[k], want);
			return 1;
		}
		p = skip_blanks(end);
	}
	return 0;
}

/* Every line of want occurs in text, in order; the first missing one or NULL. */
static const char *in_order(const char *text, const char **want, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *hit = strstr(text, want[i]);

		if (!hit)
			return want[i];
		text = hit + strlen(want[i]);
	}
	return NULL;
}

static int run_mode(struct fx_ctx *ctx, const struct fx_section *sec, const struct vx *x,
		    const struct df_prune_mode *mode, FILE *report)
{
	struct df_verify_opts opts = x->opts;
	struct df_verify_result *res = NULL;
	char *log = NULL, line[400], why[900];
	size_t log_len = 0, i;
	const char *miss;
	df_print_fn old;
	FILE *lf;
	int err, bad = 0;

	lf = open_memstream(&log, &log_len);
	if (!lf)
		return 1;
	opts.mode = mode;
	opts.log = lf;
	opts.log_level = x->log_n || x->nolog_n ? 2 : 1;
	fx_capture_f = ctx->diag_f;
	old = df_set_print(fx_capture);
	err = df_verify(ctx->prog, &opts, &res);
	df_set_print(old);
	fx_capture_f = NULL;
	fflush(ctx->diag_f);
	fclose(lf);
	why[0] = 0;
	if (err || !res) {
		snprintf(why, sizeof(why), "df_verify failed: %s", strerror(err ? -err : EINVAL));
		goto out;
	}
	if (res->err_pc >= 0)
		snprintf(line, sizeof(line), "pc %lld: %s", (long long)res->err_pc, res->msg);
	else
		snprintf(line, sizeof(line), "%s", res->msg);
	if (res->verdict != x->verdict) {
		snprintf(why, sizeof(why), "expected %s, got %s%s%s", df_verdict_name(x->verdict),
			 df_verdict_name(res->verdict), res->verdict ? ": " : "",
			 res->verdict ? line : "");
		goto out;
	}
	if ((miss = in_order(line, x->msg, x->msg_n))) {
		snprintf(why, sizeof(why), "'%s' not in the rejection '%s'", miss, line);
		goto out;
	}
	if ((miss = in_order(log ? log : "", x->log, x->log_n))) {
		snprintf(why, sizeof(why), "log line '%s' not found (in order)", miss);
		goto out;
	}
	for (i = 0; i < x->nolog_n; i++)
		if (log && strstr(log, x->nolog[i])) {
			snprintf(why, sizeof(why), "the log contains '%s'", x->nolog[i]);
			goto out;
		}
	if (x->warnings >= 0 && res->warn_cnt != (uint32_t)x->warnings) {
		snprintf(why, sizeof(why), "%u warnings, expected %ld", res->warn_cnt,
			 x->warnings);
		goto out;
	}
	for (i = 0; i < x->sub_n; i++)
		if (check_subprog(x->sub[i], res, why, sizeof(why)))
			goto out;
out:
	if (why[0]) {
		fprintf(report, "%s:%u: '-- %s' (mode %s): %s\n", ctx->fx->path, sec->line,
			sec->kind->name, mode->name, why);
		if (ctx->diag && ctx->diag[0])
			fx_print_block(report, "diagnostics", ctx->diag);
		fx_print_block(report, "log (last lines)", tail(log ? log : "", LOG_TAIL));
		bad = 1;
	}
	df_verify_result_free(res);
	free(log);
	return bad;
}

int fx_check_verdict(struct fx_ctx *ctx, const struct fx_section *sec, FILE *report)
{
	const char *why = NULL, *bad_line = NULL;
	struct vx x;
	uint32_t m;
	int bad = 0;

	/* Encoding and CFG errors are the verifier's to report. */
	if (ctx->failed && strcmp(ctx->failed, "check") && strcmp(ctx->failed, "cfg"))
		return fx_need_success(ctx, sec, report);
	if (vx_parse(&x, sec, &why, &bad_line)) {
		fprintf(report, "%s:%u: '-- %s': %s%s%s%s\n", ctx->fx->path, sec->line,
			sec->kind->name, why, bad_line[0] ? ": '" : "", bad_line,
			bad_line[0] ? "'" : "");
		vx_free(&x);
		return 1;
	}
	for (m = 0; m < x.mode_cnt; m++)
		bad |= run_mode(ctx, sec, &x, x.modes[m], report);
	vx_free(&x);
	return bad;
}

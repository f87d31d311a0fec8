/* SPDX-License-Identifier: BSD-2-Clause */
/* Text of the built-in analyses' per-instruction facts (docs/analyze.md). */
#include "annotate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void an_regs_str(char buf[11], uint16_t mask)
{
	int r;

	for (r = 0; r < 10; r++)
		buf[r] = mask & (1u << r) ? (char)('0' + r) : '.';
	buf[10] = 0;
}

void an_insn_str(char *buf, size_t len, const struct df_prog *prog, uint32_t pc)
{
	int n = snprintf(buf, len, "(%02x) ", prog->insns[pc].code);

	if (n > 0 && (size_t)n < len)
		df_insn_snprint(buf + n, len - (size_t)n, prog, prog->insns,
				prog->insn_cnt, pc);
}

static bool halves_empty(const struct df_halves *h)
{
	return !h->w[0] && !h->w[1];
}

void an_halves_frames(char *buf, size_t len, const struct df_halves *h, uint32_t nframes)
{
	size_t used = 0;
	uint32_t f;

	buf[0] = 0;
	for (f = nframes; f-- > 0;) {
		if (halves_empty(&h[f]) || used + 1 >= len)
			continue;
		if (used)
			buf[used++] = ' ';
		buf[used] = 0;
		df_halves_snprint(buf + used, len - used, f, &h[f]);
		used += strlen(buf + used);
	}
}

/* The kernel's log alignment: pad so that ';' lands on a multiple of 8, column >= 40. */
static int log_pad(size_t pos)
{
	size_t want = pos + 4 > 40 ? pos + 4 : 40;

	want = (want + 7) / 8 * 8;
	return (int)(want - pos - 1);
}

int an_stack_instance(FILE *f, const struct df_prog *prog, const struct df_cfg *cfg,
		      const struct df_solver *stack, uint32_t inst)
{
	struct df_halves use[DF_MAX_CALL_FRAMES], def[DF_MAX_CALL_FRAMES], live;
	struct df_stack_instance in;
	const struct df_subprog *sp;
	char line[256], ubuf[1024], dbuf[1024];
	uint32_t pc, fr;
	int err = df_stack_instance(stack, inst, &in);

	if (err)
		return err;
	if (in.subprog >= cfg->subprog_cnt || in.depth >= DF_MAX_CALL_FRAMES)
		return -EINVAL;
	sp = &cfg->subprogs[in.subprog];
	fprintf(f, "stack use/def subprog#%u%s%s (d%u,cs%u):\n", in.subprog,
		sp->name ? " " : "", sp->name ? sp->name : "", in.depth, in.callsite);
	for (pc = sp->start; pc < sp->end; pc += df_insn_slots(&prog->insns[pc])) {
		bool reached = false;
		size_t n;

		for (fr = 0; fr <= in.depth; fr++) {
			memset(&use[fr], 0, sizeof(use[fr]));
			memset(&def[fr], 0, sizeof(def[fr]));
			if (!df_stack_masks(stack, inst, pc, fr, &use[fr], &def[fr], &live))
				reached = true;
		}
		if (!reached)
			continue;
		an_halves_frames(ubuf, sizeof(ubuf), use, in.depth + 1);
		an_halves_frames(dbuf, sizeof(dbuf), def, in.depth + 1);
		if (!ubuf[0] && !dbuf[0])
			continue;
		snprintf(line, sizeof(line), "%3u: ", pc);
		n = strlen(line);
		an_insn_str(line + n, sizeof(line) - n, prog, pc);
		n = strlen(line);
		fprintf(f, "%s%*c;", line, log_pad(n), ' ');
		if (ubuf[0])
			fprintf(f, " use: %s", ubuf);
		if (dbuf[0])
			fprintf(f, " def: %s", dbuf);
		fputc('\n', f);
	}
	return 0;
}

int an_stack_listing(FILE *f, const struct df_prog *prog, const struct df_cfg *cfg,
		     const struct df_solver *stack)
{
	uint32_t i, n = df_stack_instance_cnt(stack);
	int err;

	for (i = 0; i < n; i++) {
		err = an_stack_instance(f, prog, cfg, stack, i);
		if (err)
			return err;
	}
	return 0;
}

static void halves_or(struct df_halves *a, const struct df_halves *b)
{
	a->w[0] |= b->w[0];
	a->w[1] |= b->w[1];
}

uint32_t an_stack_at(const struct df_solver *stack, const struct df_cfg *cfg, uint32_t pc,
		     struct df_halves *use, struct df_halves *def, struct df_halves *live)
{
	uint32_t i, fr, n = df_stack_instance_cnt(stack), hits = 0;

	memset(use, 0, DF_MAX_CALL_FRAMES * sizeof(*use));
	memset(def, 0, DF_MAX_CALL_FRAMES * sizeof(*def));
	memset(live, 0, DF_MAX_CALL_FRAMES * sizeof(*live));
	for (i = 0; i < n; i++) {
		struct df_stack_instance in;
		const struct df_subprog *sp;
		bool reached = false;

		if (df_stack_instance(stack, i, &in) || in.subprog >= cfg->subprog_cnt)
			continue;
		sp = &cfg->subprogs[in.subprog];
		if (pc < sp->start || pc >= sp->end)
			continue;
		for (fr = 0; fr <= in.depth && fr < DF_MAX_CALL_FRAMES; fr++) {
			struct df_halves u = { { 0 } }, d = { { 0 } }, l = { { 0 } };

			if (df_stack_masks(stack, i, pc, fr, &u, &d, &l))
				continue;
			reached = true;
			halves_or(&use[fr], &u);
			halves_or(&def[fr], &d);
			halves_or(&live[fr], &l);
		}
		hits += reached;
	}
	return hits;
}

int an_args_at(const struct df_solver *args, uint32_t pc, bool after, bool want_ctx,
	       uint32_t callsite, uint32_t depth, struct df_argtrack_state *out)
{
	uint32_t c, n = df_solver_context_cnt(args), l;
	struct df_argtrack_state *st = malloc(sizeof(*st));
	bool any = false;

	if (!st)
		return -ENOMEM;
	for (l = 0; l < DF_ARG_NLOCS; l++) {
		memset(&out->loc[l], 0, sizeof(out->loc[l]));
		out->loc[l].frame = DF_ARG_UNVISITED;
	}
	for (c = 0; c < n; c++) {
		struct df_context_info ci;

		if (want_ctx && (df_solver_context(args, c, &ci) ||
				 ci.callsite != callsite || ci.depth != depth))
			continue;
		if ((after ? df_state_after : df_state_before)(args, c, pc, st))
			continue;
		for (l = 0; l < DF_ARG_NLOCS; l++)
			df_arg_join(&out->loc[l], &st->loc[l]);
		any = true;
	}
	free(st);
	return any ? 0 : -ENOENT;
}

void an_args_changes(char *buf, size_t len, const struct df_argtrack_state *a,
		     const struct df_argtrack_state *b)
{
	size_t used = 0;
	unsigned l;

	buf[0] = 0;
	for (l = 0; l < DF_ARG_NLOCS && used + 1 < len; l++) {
		char name[16], val[64];

		if (df_arg_equal(&a->loc[l], &b->loc[l]))
			continue;
		df_arg_loc_snprint(name, sizeof(name), l);
		df_arg_snprint(val, sizeof(val), &b->loc[l]);
		used += (size_t)snprintf(buf + used, len - used, "%s%s=%s",
					 used ? " " : "", name, val);
	}
	if (used >= len && len)
		buf[len - 1] = 0;
}

char *an_state_str(const struct df_ctx *c, const void *state)
{
	const struct df_analysis *a = df_solver_analysis(c->solver);
	char *s = NULL;
	size_t n = 0;
	FILE *f;

	if (!a->print)
		return calloc(1, 1);
	f = open_memstream(&s, &n);
	if (!f)
		return NULL;
	a->print(c, state, f);
	fclose(f);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = 0;
	return s;
}

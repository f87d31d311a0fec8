/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What a picture shows: the CFG, the analyses run through a pipeline, the
 * instances that become clusters, and the message of a rejected program.
 */
#include "viz_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct sbuf capture;
static df_print_fn capture_prev;

static int capture_print(enum df_print_level level, const char *fmt, va_list ap)
{
	char msg[1024];
	va_list cp;

	va_copy(cp, ap);
	if (level == DF_WARN && vsnprintf(msg, sizeof(msg), fmt, cp) > 0)
		sb_puts(&capture, msg);
	va_end(cp);
	return capture_prev ? capture_prev(level, fmt, ap) : 0;
}

void viz_capture_begin(void)
{
	sb_reset(&capture);
	capture_prev = df_set_print(capture_print);
}

char *viz_capture_end(void)
{
	char *s = NULL;

	df_set_print(capture_prev);
	if (capture.len && !capture.oom) {
		while (capture.len && capture.s[capture.len - 1] == '\n')
			capture.s[--capture.len] = '\0';
		s = strdup(capture.s);
	}
	sb_free(&capture);
	return s;
}

long viz_msg_pc(const char *msg)
{
	const char *p;

	for (p = msg; p && (p = strstr(p, "pc ")); p += 3) {
		char *end;
		long pc;

		if (p != msg && p[-1] != ' ')
			continue;
		pc = strtol(p + 3, &end, 10);
		if (end != p + 3 && *end == ':')
			return pc;
	}
	return -1;
}

static void reject(struct viz *v, int err, char *msg)
{
	if (v->err_msg) {
		free(msg);
		return;
	}
	v->err_msg = msg ? msg : strdup(strerror(-err));
	v->err_pc = viz_msg_pc(v->err_msg);
}

struct keyed_ctx {
	uint32_t subprog, callsite, depth, ctx;
};

static int key_cmp(const void *pa, const void *pb)
{
	const struct keyed_ctx *a = pa, *b = pb;

	if (a->subprog != b->subprog)
		return a->subprog < b->subprog ? -1 : 1;
	if (a->callsite != b->callsite)
		return a->callsite < b->callsite ? -1 : 1;
	if (a->depth != b->depth)
		return a->depth < b->depth ? -1 : 1;
	return a->ctx < b->ctx ? -1 : a->ctx > b->ctx;
}

/* The arg-tracking contexts of in's key, from the sorted list. */
static int attach_ctx(struct viz_inst *in, const struct keyed_ctx *k, uint32_t n)
{
	uint32_t lo = 0, hi = n, i, cnt = 0;
	struct keyed_ctx key = { in->subprog, in->callsite, in->depth, 0 };

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (key_cmp(&k[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < n && k[i].subprog == in->subprog && k[i].callsite == in->callsite &&
		     k[i].depth == in->depth; i++)
		cnt++;
	if (!cnt)
		return 0;
	in->ctx = malloc(cnt * sizeof(*in->ctx));
	if (!in->ctx)
		return -ENOMEM;
	for (i = 0; i < cnt; i++)
		in->ctx[i] = k[lo + i].ctx;
	in->ctx_cnt = cnt;
	return 0;
}

static int build_instances(struct viz *v)
{
	struct keyed_ctx *k = NULL;
	uint32_t i, n = 0, kn = 0;
	int err = 0;

	if (v->args) {
		n = df_solver_context_cnt(v->args);
		k = calloc(n ? n : 1, sizeof(*k));
		if (!k)
			return -ENOMEM;
		for (i = 0; i < n; i++) {
			struct df_context_info ci;

			if (df_solver_context(v->args, i, &ci))
				continue;
			k[kn++] = (struct keyed_ctx){ ci.subprog, ci.callsite, ci.depth, i };
		}
		qsort(k, kn, sizeof(*k), key_cmp);
	}
	if (v->stack) {
		n = df_stack_instance_cnt(v->stack);
	} else if (v->args) {
		n = 0;
		for (i = 0; i < kn; i++)
			n += !i || key_cmp(&(struct keyed_ctx){ k[i].subprog, k[i].callsite,
								 k[i].depth, 0 },
					   &(struct keyed_ctx){ k[i - 1].subprog,
								 k[i - 1].callsite,
								 k[i - 1].depth, 0 });
	} else {
		n = v->cfg->subprog_cnt;
	}
	v->inst = calloc(n ? n : 1, sizeof(*v->inst));
	if (!v->inst) {
		free(k);
		return -ENOMEM;
	}
	v->inst_cnt = n;
	for (i = 0; i < n; i++) {
		struct viz_inst *in = &v->inst[i];

		in->stack_inst = UINT32_MAX;
		if (v->stack) {
			struct df_stack_instance si;

			if (df_stack_instance(v->stack, i, &si))
				continue;
			*in = (struct viz_inst){ .subprog = si.subprog, .keyed = true,
						 .callsite = si.callsite, .depth = si.depth,
						 .stack_inst = i };
		} else if (!v->args) {
			in->subprog = i;
		}
	}
	if (v->args && !v->stack) {
		uint32_t j = 0;

		for (i = 0; i < kn; i++) {
			if (i && k[i].subprog == k[i - 1].subprog &&
			    k[i].callsite == k[i - 1].callsite && k[i].depth == k[i - 1].depth)
				continue;
			v->inst[j++] = (struct viz_inst){ .subprog = k[i].subprog, .keyed = true,
							  .callsite = k[i].callsite,
							  .depth = k[i].depth,
							  .stack_inst = UINT32_MAX };
		}
	}
	for (i = 0; i < n && !err; i++)
		err = attach_ctx(&v->inst[i], k, kn);
	free(k);
	return err;
}

static int subprog_filter(struct viz *v)
{
	const struct df_cfg *g = v->cfg;
	const char *want = v->opts.subprog;
	uint32_t i, hit = 0;
	char *end;
	unsigned long id;

	if (!want) {
		for (i = 0; i < v->inst_cnt; i++)
			v->inst[i].shown = true;
		return 0;
	}
	id = strtoul(want, &end, 10);
	for (i = 0; i < v->inst_cnt; i++) {
		const struct df_subprog *s = &g->subprogs[v->inst[i].subprog];

		v->inst[i].shown = (s->name && !strcmp(s->name, want)) ||
				   (*want && !*end && id == v->inst[i].subprog);
		hit += v->inst[i].shown;
	}
	if (hit)
		return 0;
	fprintf(stderr, "%s: no subprogram '%s'; it has:", v->prog->name, want);
	for (i = 0; i < g->subprog_cnt; i++)
		fprintf(stderr, " %s", g->subprogs[i].name ? g->subprogs[i].name : "-");
	fprintf(stderr, "\n");
	return -EINVAL;
}

static int annotations(struct viz *v)
{
	uint32_t i;

	for (i = 0; i < v->opts.analysis_cnt; i++) {
		const char *n = v->opts.analyses[i];

		if (!strcmp(n, "regs"))
			v->annot |= VIZ_AN_REGS;
		else if (!strcmp(n, "argtrack"))
			v->annot |= VIZ_AN_ARGS;
		else if (!strcmp(n, "stack"))
			v->annot |= VIZ_AN_STACK;
		else {
			fprintf(stderr, "no annotation for analysis '%s' (regs, argtrack, stack);"
					" its states are shown by --trace-html\n", n);
			return -EINVAL;
		}
	}
	return 0;
}

static int run_analyses(struct viz *v)
{
	DF_OPTS(df_solver_opts, so);
	static const struct {
		const char *name;
		unsigned bit;
	} an[] = { { "regs", VIZ_AN_REGS }, { "argtrack", VIZ_AN_ARGS }, { "stack", VIZ_AN_STACK } };
	unsigned ok = 0;
	size_t i;
	int err;

	err = df_pipeline_new(v->prog, &so, &v->pl);
	if (err)
		return err;
	v->cfg = df_pipeline_cfg(v->pl);
	for (i = 0; i < sizeof(an) / sizeof(an[0]); i++) {
		if (!(v->annot & an[i].bit))
			continue;
		viz_capture_begin();
		err = df_pipeline_run(v->pl, an[i].name);
		if (err == -ENOMEM) {
			free(viz_capture_end());
			return err;
		}
		if (err)
			reject(v, err, viz_capture_end());
		else
			free(viz_capture_end()), ok |= an[i].bit;
	}
	v->annot = ok;
	if (ok & VIZ_AN_REGS)
		v->regs = df_pipeline_solver(v->pl, "regs");
	if (ok & (VIZ_AN_ARGS | VIZ_AN_STACK))
		v->args = df_pipeline_solver(v->pl, "argtrack");
	if (ok & VIZ_AN_STACK)
		v->stack = df_pipeline_solver(v->pl, "stack");
	return 0;
}

int viz_build(const struct df_prog *prog, const struct viz_opts *opts, struct viz **out)
{
	struct viz *v;
	int err;

	*out = NULL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->prog = prog;
	v->err_pc = -1;
	if (opts)
		memcpy(&v->opts, opts, opts->sz < sizeof(v->opts) ? opts->sz : sizeof(v->opts));
	v->opts.sz = sizeof(v->opts);
	err = annotations(v);
	if (err)
		goto fail;
	viz_capture_begin();
	err = df_cfg_build(prog, &v->own_cfg);
	if (err) {
		reject(v, err, viz_capture_end());
		v->annot = 0;
		v->own_cfg = NULL;
	} else {
		free(viz_capture_end());
		v->cfg = v->own_cfg;
		if (v->annot) {
			err = run_analyses(v);
			if (err)
				goto fail;
		}
		err = build_instances(v);
		if (err)
			goto fail;
		err = subprog_filter(v);
		if (err)
			goto fail;
	}
	err = viz_graph(v);
	if (err)
		goto fail;
	*out = v;
	return 0;
fail:
	viz_free(v);
	return err;
}

void viz_free(struct viz *v)
{
	uint32_t i;

	if (!v)
		return;
	if (v->g)
		agclose(v->g);
	for (i = 0; i < v->inst_cnt; i++)
		free(v->inst[i].ctx);
	free(v->inst);
	df_pipeline_free(v->pl);
	df_cfg_free(v->own_cfg);
	free(v->err_msg);
	free(v);
}

const char *viz_rejected(const struct viz *v)
{
	return v->err_msg;
}

uint32_t viz_node_cnt(const struct viz *v)
{
	return v->node_cnt;
}

uint32_t viz_row_cnt(const struct viz *v)
{
	return v->row_cnt;
}

bool viz_fits_picture(const struct viz *v)
{
	return v->node_cnt <= VIZ_MAX_NODES && v->row_cnt <= VIZ_MAX_ROWS;
}

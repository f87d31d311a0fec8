// SPDX-License-Identifier: BSD-2-Clause
/*
 * Running analyses by name over one program: the CFG once, then each
 * requested analysis after the analyses it requires, each one once.
 */
#include "engine_int.h"

struct df_pipeline {
	const struct df_prog *prog;
	struct df_cfg *cfg;
	bool own_cfg;		/* built here, not lent by the caller */
	struct df_solver_opts opts;
	struct df_solver **solvers;	/* inl[] until it holds more */
	uint32_t solver_cnt, solver_cap;
	struct df_solver *inl[4];
	const char *running[16];	/* requirement chain, for cycles */
	uint32_t depth;
};

static int pipeline_new(const struct df_prog *prog, const struct df_solver_opts *opts,
			const struct df_cfg *cfg, struct df_pipeline **out)
{
	struct df_pipeline *p;
	int err;

	if (!out || !prog || (cfg && cfg->prog != prog))
		return -EINVAL;
	*out = NULL;
	p = df_zalloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->prog = prog;
	p->solvers = p->inl;
	p->solver_cap = DF_ARRAY_SIZE(p->inl);
	p->opts.sz = sizeof(p->opts);
	if (opts)
		memcpy(&p->opts, opts, opts->sz < sizeof(*opts) ? opts->sz : sizeof(*opts));
	p->opts.sz = sizeof(p->opts);
	p->opts.deps = NULL;
	p->opts.dep_cnt = 0;
	p->cfg = (struct df_cfg *)cfg;
	if (!cfg) {
		err = df_cfg_build(prog, &p->cfg);
		if (err) {
			free(p);
			return err;
		}
		p->own_cfg = true;
	}
	*out = p;
	return 0;
}

int df_pipeline_new(const struct df_prog *prog, const struct df_solver_opts *opts,
		    struct df_pipeline **out)
{
	return pipeline_new(prog, opts, NULL, out);
}

int df_pipeline_new_cfg(const struct df_prog *prog, const struct df_cfg *cfg,
			struct df_pipeline **out)
{
	if (!cfg)
		return -EINVAL;
	return pipeline_new(prog, NULL, cfg, out);
}

const struct df_solver *df_pipeline_solver(const struct df_pipeline *p,
					   const char *name)
{
	for (uint32_t i = 0; p && name && i < p->solver_cnt; i++)
		if (df_name_eq(df_solver_analysis(p->solvers[i])->name, name))
			return p->solvers[i];
	return NULL;
}

static int push(struct df_pipeline *p, struct df_solver *s)
{
	if (p->solver_cnt == p->solver_cap) {
		struct df_solver **t = malloc(2 * p->solver_cap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		memcpy(t, p->solvers, p->solver_cnt * sizeof(*t));
		if (p->solvers != p->inl)
			free(p->solvers);
		p->solvers = t;
		p->solver_cap *= 2;
	}
	p->solvers[p->solver_cnt++] = s;
	return 0;
}

const struct df_cfg *df_pipeline_cfg(const struct df_pipeline *p)
{
	return p ? p->cfg : NULL;
}

static int run(struct df_pipeline *p, const char *name, const char *by)
{
	const struct df_analysis *a = df_analysis_find(name);
	const struct df_solver *deps[32];
	struct df_solver_opts o = p->opts;
	struct df_solver *s;
	uint32_t n = 0;
	int err;

	if (df_pipeline_solver(p, name))
		return 0;
	if (!a) {
		if (by)
			df_prog_err(p->prog, -1, "analysis '%s' requires '%s', "
				    "which is not registered", by, name);
		else
			df_prog_err(p->prog, -1, "unknown analysis '%s'", name);
		return -ENOENT;
	}
	for (uint32_t i = 0; i < p->depth; i++) {
		if (!strcmp(p->running[i], name)) {
			df_prog_err(p->prog, -1, "analysis '%s' requires itself "
				    "through '%s'", name, by);
			return -ELOOP;
		}
	}
	if (p->depth == DF_ARRAY_SIZE(p->running))
		return -ELOOP;
	p->running[p->depth++] = name;
	for (const char *const *r = a->requires; r && *r; r++) {
		err = run(p, *r, name);
		if (err) {
			p->depth--;
			return err;
		}
		if (n < DF_ARRAY_SIZE(deps))
			deps[n++] = df_pipeline_solver(p, *r);
	}
	p->depth--;
	o.deps = deps;
	o.dep_cnt = n;
	err = df_solver_new(p->prog, p->cfg, a, &o, &s);
	if (err)
		return err;
	err = df_solve(s);
	if (!err)
		err = push(p, s);
	if (err)
		df_solver_free(s);
	return err;
}

int df_pipeline_run(struct df_pipeline *p, const char *name)
{
	if (!p || !name)
		return -EINVAL;
	return run(p, name, NULL);
}

void df_pipeline_free(struct df_pipeline *p)
{
	if (!p)
		return;
	for (uint32_t i = p->solver_cnt; i-- > 0;)
		df_solver_free(p->solvers[i]);
	if (p->solvers != p->inl)
		free(p->solvers);
	if (p->own_cfg)
		df_cfg_free(p->cfg);
	free(p);
}

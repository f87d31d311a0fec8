/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * df_verify(): encoding and CFG checks (their errors are rejections), the
 * liveness the pruning mode needs, the walk of the main program, then of
 * each global subprogram on its own, then the program-level rules of §5.6.
 * Results: the verdict with the kernel-style line, the statistics and per
 * subprogram what a JIT needs (stack depth, stack-argument slots).
 */
#include "vf.h"
#include "liveness.h"

#include <stdio.h>
#include <time.h>

#define DEFAULT_INSN_LIMIT	1000000u

const char *df_verdict_name(enum df_verdict v)
{
	switch (v) {
	case DF_VERDICT_ACCEPT:
		return "accept";
	case DF_VERDICT_REJECT:
		return "reject";
	case DF_VERDICT_UNSUPPORTED:
		return "unsupported";
	case DF_VERDICT_LIMIT:
		return "limit";
	}
	return "unknown";
}

void df_verify_result_free(struct df_verify_result *r)
{
	if (!r)
		return;
	free(r->subprogs);
	free(r);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A verdict reached before the walk (encoding, CFG, liveness limits). */
static void early(struct df_verify_result *res, enum df_verdict v, long pc, const char *prefix,
		  const char *msg)
{
	size_t n = strlen(prefix);

	res->verdict = v;
	res->err_pc = pc;
	if (n >= sizeof(res->msg))
		n = sizeof(res->msg) - 1;
	memcpy(res->msg, prefix, n);
	snprintf(res->msg + n, sizeof(res->msg) - n, "%s", msg);
}

/* Is word one of the blank-separated names in list? */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		size_t k;

		p += strspn(p, " \t,");
		k = strcspn(p, " \t,");
		if (k == n && !strncmp(p, word, n))
			return true;
		p += k;
	}
	return false;
}

/* Run every analysis the mode requires; the context gets the liveness solvers. */
static int run_liveness(struct vf_env *env)
{
	const char *p = env->mode->requires;
	char name[64];
	int err;

	if (!p || !*p)
		return 0;
	err = df_pipeline_new_cfg(env->prog, env->cfg, &env->pipe);
	if (err)
		return err;
	while (*(p += strspn(p, " \t,"))) {
		size_t k = strcspn(p, " \t,");

		if (k >= sizeof(name))
			return -EINVAL;
		memcpy(name, p, k);
		name[k] = 0;
		p += k;
		err = df_pipeline_run(env->pipe, name);
		/*
		 * Over the liveness complexity limit: the walk goes on with
		 * every half live (sound), so all modes reach the same verdict.
		 */
		if (err == -E2BIG)
			vf_warn(env, "liveness analysis '%s' exceeded its complexity limit: "
				"every stack half is taken as live", name);
		else if (err)
			return err;
	}
	if (has_word(env->mode->requires, "regs"))
		env->pctx.regs = df_pipeline_solver(env->pipe, "regs");
	if (env->pctx.regs) {
		env->pctx.live = malloc(sizeof(*env->pctx.live) +
					env->prog->insn_cnt * sizeof(env->pctx.live->pc[0]));
		if (!env->pctx.live)
			return -ENOMEM;
		env->pctx.live->ready = false;
	}
	if (has_word(env->mode->requires, "stack"))
		env->pctx.stack = df_pipeline_solver(env->pipe, "stack");
	return 0;
}

static void init_subprogs(struct vf_env *env)
{
	for (uint32_t s = 0; s < env->cfg->subprog_cnt; s++) {
		const struct df_subprog *sp = &env->cfg->subprogs[s];
		struct vf_subprog *v = &env->sub[s];

		v->arg_cnt = sp->arg_cnt >= 0 ? (uint8_t)sp->arg_cnt : DF_MAX_REG_ARGS;
		/* the main program takes its context only (§5.5) */
		v->in_cnt = s && v->arg_cnt > DF_MAX_REG_ARGS ? v->arg_cnt - DF_MAX_REG_ARGS : 0;
		v->stack_arg_cnt = v->in_cnt;
		v->global = s && sp->linkage == DF_LINKAGE_GLOBAL &&
			    sp->kind == DF_SUBPROG_CALLED;
	}
}

/* The state a root starts in: main gets its context, a global function unknown scalars. */
static struct df_vstate *entry_state(struct vf_env *env, uint32_t s)
{
	struct df_vstate *st = vf_state_new();
	struct df_vframe *f = vf_frame_new(0, UINT32_MAX, s);

	if (!st || !f) {
		vf_state_free(st);
		vf_frame_free(f);
		return NULL;
	}
	st->frame[0] = f;
	st->insn_idx = env->cfg->subprogs[s].start;
	for (uint32_t r = 0; r < DF_REG_FP; r++)
		vf_mark_not_init(&f->regs[r]);
	if (s) {
		for (uint32_t r = 1; r <= env->sub[s].arg_cnt && r <= DF_MAX_REG_ARGS; r++)
			vf_mark_unknown(&f->regs[r]);
	} else if (env->opts.input_size) {
		vf_mark_known_zero(&f->regs[1]);
		f->regs[1].type = DF_PTR_TO_MEM;
		f->regs[1].aux = env->opts.input_size;
		vf_mark_known(&f->regs[2], env->opts.input_size);
	} else {
		vf_mark_known_zero(&f->regs[1]);
		f->regs[1].type = DF_PTR_TO_CTX;
	}
	return st;
}

static int walk_root(struct vf_env *env, uint32_t s)
{
	int err;

	env->insn_idx = env->cfg->subprogs[s].start;
	if (env->sub[s].global && env->sub[s].arg_cnt > DF_MAX_REG_ARGS) {
		char buf[32];
		const char *name = env->cfg->subprogs[s].name;

		if (!name) {
			snprintf(buf, sizeof(buf), "func#%u", s);
			name = buf;
		}
		return vf_err(env, "global function %s has %d > %d args, stack args not supported",
			      name, env->sub[s].arg_cnt, DF_MAX_REG_ARGS);
	}
	env->cur = entry_state(env, s);
	if (!env->cur)
		return -ENOMEM;
	err = vf_walk(env);
	vf_walk_reset(env);
	if (!err && s)
		vf_log(env, 2, "Func#%u ('%s') is safe for any args that match its prototype", s,
		       env->cfg->subprogs[s].name ? env->cfg->subprogs[s].name : "");
	return err;
}

static int verify(struct vf_env *env)
{
	int err = vf_explore_init(env);

	if (err)
		return err;
	for (uint32_t s = 0; s < env->cfg->subprog_cnt && !err; s++)
		if (!s || env->sub[s].global)
			err = walk_root(env, s);
	if (!err)
		err = vf_program_checks(env);
	return err;
}

static int fill_subprogs(struct vf_env *env, struct df_verify_result *res)
{
	uint32_t n = env->cfg->subprog_cnt;

	res->subprogs = df_zalloc(n, sizeof(*res->subprogs));
	if (!res->subprogs)
		return -ENOMEM;
	res->subprog_cnt = n;
	for (uint32_t s = 0; s < n; s++) {
		const struct vf_subprog *v = &env->sub[s];
		struct df_verify_subprog *o = &res->subprogs[s];

		o->start = env->cfg->subprogs[s].start;
		o->stack_depth = (v->stack_depth + 7) & ~7u;
		o->arg_cnt = v->arg_cnt;
		o->in_cnt = v->in_cnt;
		o->stack_arg_cnt = v->stack_arg_cnt;
		o->max_out = v->max_out;
	}
	return 0;
}

/*
 * An object file's program whose section names no program type: its
 * context cannot be modelled, and guessing further than libbpf's rules
 * would check it against the wrong one (docs/verify.md, Program types).
 */
static bool untyped(const struct df_prog *prog, const struct df_verify_opts *opts)
{
	return !prog->type && !opts->input_size && prog->obj &&
	       prog->obj->kind == DF_INPUT_ELF && prog->section &&
	       df_prog_type_by_section(prog->section, NULL, NULL);
}

/*
 * The kernel walks every edge from each subprogram's entry before the
 * verification and refuses an instruction none leads to (both sides of
 * every conditional jump count, whatever their conditions).
 */
static long first_unreachable(const struct df_cfg *cfg)
{
	long pc = -1;

	for (uint32_t b = 0; b < cfg->block_cnt; b++) {
		const struct df_block *blk = &cfg->blocks[b];

		if (!blk->reachable && blk->end > blk->start && (pc < 0 || blk->start < pc))
			pc = blk->start;
	}
	return pc;
}

/* Checks before the walk: 1 when they reached a verdict, 0 to walk, < 0 on failure. */
static int precheck(const struct df_prog *prog, const struct df_verify_opts *opts,
		    struct df_verify_result *res, struct df_cfg **cfg)
{
	char why[256];
	long pc;
	int err;

	if (prog->err) {
		early(res, DF_VERDICT_REJECT, -1, "", prog->err_msg ? prog->err_msg :
		      "the program could not be loaded");
		return 1;
	}
	if (untyped(prog, opts)) {
		char msg[200];

		snprintf(msg, sizeof(msg), "no program type for section '%.150s' (use --type)",
			 prog->section);
		early(res, DF_VERDICT_UNSUPPORTED, -1, "unsupported: ", msg);
		return 1;
	}
	/* encodings here; jumps, calls and the last insn with the CFG, in the kernel's words */
	for (uint32_t i = 0; i < prog->insn_cnt; i += df_insn_slots(&prog->insns[i])) {
		char reason[160];

		if (df_insn_check(prog->insns, prog->insn_cnt, i, reason, sizeof(reason))) {
			snprintf(why, sizeof(why), "(%02x) %s", prog->insns[i].code, reason);
			early(res, DF_VERDICT_REJECT, i, "", why);
			return 1;
		}
	}
	err = df_cfg_build_why(prog, cfg, &pc, why, sizeof(why));
	if (err == -EINVAL || err == -EOPNOTSUPP || err == -E2BIG) {
		early(res, err == -EINVAL ? DF_VERDICT_REJECT : err == -E2BIG ?
		      DF_VERDICT_LIMIT : DF_VERDICT_UNSUPPORTED, pc,
		      err == -EOPNOTSUPP ? "unsupported: " : "", why);
		return 1;
	}
	if (!err && (pc = first_unreachable(*cfg)) >= 0) {
		snprintf(why, sizeof(why), "unreachable insn %ld", pc);
		early(res, DF_VERDICT_REJECT, pc, "", why);
		return 1;
	}
	return err;
}

static void env_free(struct vf_explorer *x)
{
	struct vf_env *env = &x->env;
	Word_t bytes;

	vf_walk_reset(env);
	vf_cache_free(env);
	free(env->stack);
	free(env->path);
	free(env->prune_point);
	free(env->sub);
	free(env->pctx.live);
	df_pipeline_free(env->pipe);
	JLFA(bytes, x->ref_insn);
	(void)bytes;
	free(x);
}

int df_verify(const struct df_prog *prog, const struct df_verify_opts *opts,
	      struct df_verify_result **out)
{
	uint64_t t0 = now_ns();
	struct df_verify_result *res;
	struct df_cfg *cfg = NULL;
	struct vf_explorer *x;
	struct vf_env *env;
	int err;

	if (!prog || !out)
		return -EINVAL;
	*out = NULL;
	res = df_zalloc(1, sizeof(*res));
	x = df_zalloc(1, sizeof(*x));
	if (!res || !x) {
		free(res);
		free(x);
		return -ENOMEM;
	}
	res->err_pc = -1;
	env = &x->env;
	env->prog = prog;
	env->res = res;
	env->opts.sz = sizeof(env->opts);
	if (opts)
		memcpy(&env->opts, opts, opts->sz < sizeof(*opts) ? opts->sz : sizeof(*opts));
	env->opts.sz = sizeof(env->opts);
	if (!env->opts.mode)
		env->opts.mode = &df_prune_full;
	if (!env->opts.insn_limit)
		env->opts.insn_limit = DEFAULT_INSN_LIMIT;
	if (env->opts.log_level && !env->opts.log)
		env->opts.log_level = 0;
	env->mode = env->opts.mode;
	env->insn_idx = UINT32_MAX;

	err = precheck(prog, &env->opts, res, &cfg);
	if (err)
		goto done;
	env->cfg = cfg;
	env->sub = df_zalloc(cfg->subprog_cnt, sizeof(*env->sub));
	if (!env->sub) {
		err = -ENOMEM;
		goto done;
	}
	init_subprogs(env);
	err = run_liveness(env);
	if (err)
		goto done;
	err = verify(env);
	if (err < 0 && res->verdict == DF_VERDICT_ACCEPT && err != -ENOMEM)
		err = vf_err(env, "verifier internal error (%d)", err);
	if (err == -ENOMEM && res->verdict == DF_VERDICT_ACCEPT)
		goto done;
	err = fill_subprogs(env, res);
done:
	res->stats = env->stats;
	res->stats.time_ns = now_ns() - t0;
	env_free(x);
	df_cfg_free(cfg);
	if (err < 0) {
		df_verify_result_free(res);
		return err;
	}
	*out = res;
	return 0;
}

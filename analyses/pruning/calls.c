/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Subprogram and kfunc calls, exits (semantics §2.4, §5). A static
 * subprogram runs in a new frame on the current path; a global one was or
 * will be verified on its own, so the call only checks the registers its
 * prototype reads and returns an unknown scalar. Kfuncs declared with an
 * argument count take scalars or pointers. Helpers are in helper.c. After
 * the walk, vf_program_checks() applies the rules of §5.6 (docs/verify.md).
 */
#include "vf.h"

#include <linux/bpf.h>

#include <stdio.h>

static struct vf_explorer *explorer(struct vf_env *env)
{
	return (struct vf_explorer *)env;
}

static const char *subprog_name(const struct vf_env *env, uint32_t s, char *buf, size_t len)
{
	if (env->cfg->subprogs[s].name)
		return env->cfg->subprogs[s].name;
	snprintf(buf, len, "func#%u", s);
	return buf;
}

/* ---------------------------------------------------------------- state edits */

void vf_clobber_args(struct df_vframe *f)
{
	for (uint32_t r = 1; r <= DF_MAX_REG_ARGS; r++)
		vf_mark_not_init(&f->regs[r]);
}

/* §5.4 call rule 5: the outgoing slots do not survive a call. */
void vf_clear_out_args(struct df_vframe *f)
{
	for (uint32_t i = 0; i < DF_MAX_STACK_ARG_SLOTS; i++)
		vf_mark_not_init(&f->stack_args[i]);
	f->out_stack_arg_cnt = 0;
}

static void slot_to_misc(struct df_vslot *s)
{
	for (uint32_t j = 0; j < 8; j++)
		if (s->type[j] == DF_STACK_SPILL)
			s->type[j] = DF_STACK_MISC;
	vf_mark_not_init(&s->spill);
}

static bool slot_has_spill(const struct df_vslot *s)
{
	for (uint32_t j = 0; j < 8; j++)
		if (s->type[j] == DF_STACK_SPILL)
			return true;
	return false;
}

/*
 * A callee wrote through a pointer into f, any number of times: written
 * bytes are unknown, bytes never written may still be uninitialised.
 */
void vf_havoc_frame(struct df_vframe *f)
{
	for (uint32_t k = 0; k < f->allocated / 8; k++) {
		struct df_vslot *s = &f->stack[k];

		slot_to_misc(s);
		for (uint32_t j = 0; j < 8; j++)
			if (s->type[j] == DF_STACK_ZERO)
				s->type[j] = DF_STACK_MISC;
	}
}

static bool points_at_or_above(const struct df_vreg *r, uint32_t frameno)
{
	return r->type == DF_PTR_TO_STACK && r->frameno >= frameno;
}

/* Frames from frameno up are gone: pointers into them are plain numbers now. */
static void forget_frames(struct df_vstate *st, uint32_t frameno)
{
	for (uint32_t i = 0; i <= st->curframe; i++) {
		struct df_vframe *f = st->frame[i];

		for (uint32_t r = 0; r < DF_REG_FP; r++)
			if (points_at_or_above(&f->regs[r], frameno))
				vf_mark_unknown(&f->regs[r]);
		for (uint32_t k = 0; k < f->out_stack_arg_cnt; k++)
			if (points_at_or_above(&f->stack_args[k], frameno))
				vf_mark_unknown(&f->stack_args[k]);
		for (uint32_t k = 0; k < f->allocated / 8; k++)
			if (slot_has_spill(&f->stack[k]) &&
			    points_at_or_above(&f->stack[k].spill, frameno))
				slot_to_misc(&f->stack[k]);
	}
}

static bool is_pkt(const struct df_vreg *r)
{
	return r->type == DF_PTR_TO_PACKET || r->type == DF_PTR_TO_PACKET_META ||
	       r->type == DF_PTR_TO_PACKET_END;
}

/* Outgoing slots holding a released reference (id) or, id 0, a packet pointer. */
void vf_invalidate_slots(struct df_vstate *st, uint32_t id)
{
	for (uint32_t i = 0; i <= st->curframe; i++) {
		struct df_vframe *f = st->frame[i];

		for (uint32_t k = 0; k < f->out_stack_arg_cnt; k++) {
			struct df_vreg *r = &f->stack_args[k];

			if (id ? r->ref_obj_id == id : is_pkt(r))
				vf_mark_not_init(r);
		}
	}
}

bool vf_in_callback(const struct df_vstate *st)
{
	for (uint32_t i = 0; i <= st->curframe; i++)
		if (st->frame[i]->in_callback)
			return true;
	return false;
}

static void note_stack_args(struct vf_env *env, const struct df_vframe *caller, uint32_t out)
{
	struct vf_subprog *s = &env->sub[caller->subprog];

	if (s->stack_arg_cnt < s->in_cnt + out)
		s->stack_arg_cnt = (uint8_t)(s->in_cnt + out);
}

/* ---------------------------------------------------------------- references */

int vf_ref_acquire(struct vf_env *env, struct df_vstate *st, uint32_t pc, uint32_t *id)
{
	struct vf_explorer *x = explorer(env);
	PWord_t slot;
	int err;

	*id = vf_new_id(env);
	err = vf_state_add_ref(st, *id);
	if (err)
		return err;
	JLI(slot, x->ref_insn, *id);
	if (slot == PJERR)
		return -ENOMEM;
	*slot = pc;
	return 0;
}

static uint32_t ref_insn(struct vf_env *env, uint32_t id)
{
	PWord_t slot;

	JLG(slot, explorer(env)->ref_insn, id);
	return slot ? (uint32_t)*slot : 0;
}

/* ---------------------------------------------------------------- kfuncs and subprograms */

static int call_kfunc(struct vf_env *env, struct df_vstate *st, uint32_t pc,
		      const struct df_insn *insn)
{
	const struct df_kfunc *k = df_prog_kfunc_at(env->prog, pc);
	struct df_vframe *f = vf_cur_frame(st);
	uint32_t n;
	int err;

	if (!k || k->arg_cnt < 0 || df_kfunc_proto_known(env->prog, pc))
		return vf_unsupported(env, "kfunc %s#%d", k && k->name ? k->name : "kfunc",
				      insn->imm);
	n = (uint32_t)k->arg_cnt;
	if (n > DF_MAX_FUNC_ARGS)
		return vf_err(env, "kernel supports at most %d parameters, function %s has %u",
			      DF_MAX_FUNC_ARGS, k->name, n);
	for (uint32_t a = 1; a <= n && a <= DF_MAX_REG_ARGS; a++)
		if ((err = vf_check_reg_read(env, st, a)))
			return err;
	if (n > DF_MAX_REG_ARGS) {
		err = vf_stack_args_check(env, st, n);
		if (err)
			return err;
		note_stack_args(env, f, n - DF_MAX_REG_ARGS);
	}
	/* the kernel function may write through any stack pointer it gets */
	for (uint32_t a = 1; a <= n; a++) {
		const struct df_vreg *r = vf_call_arg(st, a);

		if (r->type == DF_PTR_TO_STACK && r->frameno <= st->curframe)
			vf_havoc_frame(st->frame[r->frameno]);
	}
	vf_clobber_args(f);
	vf_mark_unknown(&f->regs[0]);
	vf_clear_out_args(f);
	st->insn_idx = pc + 1;
	return 0;
}

static int call_global(struct vf_env *env, struct df_vstate *st, uint32_t pc, uint32_t callee)
{
	const struct vf_subprog *cs = &env->sub[callee];
	struct df_vframe *f = vf_cur_frame(st);
	char buf[32];
	int err;

	if (cs->arg_cnt > DF_MAX_REG_ARGS)
		return vf_err(env, "global function %s has %d > %d args, stack args not supported",
			      subprog_name(env, callee, buf, sizeof(buf)), cs->arg_cnt,
			      DF_MAX_REG_ARGS);
	for (uint32_t a = 1; a <= cs->arg_cnt; a++)
		if ((err = vf_check_reg_read(env, st, a)))
			return err;
	vf_log(env, 2, "Func#%u ('%s') is global and assumed valid.", callee,
	       subprog_name(env, callee, buf, sizeof(buf)));
	vf_clobber_args(f);
	vf_mark_unknown(&f->regs[0]);
	vf_clear_out_args(f);
	st->insn_idx = pc + 1;
	return 0;
}

static int call_subprog(struct vf_env *env, struct df_vstate *st, uint32_t pc,
			const struct df_insn *insn)
{
	uint32_t target = (uint32_t)((int64_t)pc + insn->imm + 1);
	uint32_t callee = df_cfg_subprog_of(env->cfg, target);
	struct df_vframe *caller = vf_cur_frame(st), *f;
	const struct vf_subprog *cs;
	int err;

	if (callee == UINT32_MAX || env->cfg->subprogs[callee].start != target)
		return vf_err(env, "call to invalid destination");
	cs = &env->sub[callee];
	if (cs->global)
		return call_global(env, st, pc, callee);
	if (st->curframe + 1 >= DF_MAX_CALL_FRAMES)
		return vf_err(env, "the call stack of %u frames is too deep", st->curframe + 2);
	if (cs->arg_cnt > DF_MAX_FUNC_ARGS) {
		char buf[32];

		return vf_err(env, "kernel supports at most %d parameters, function %s has %d",
			      DF_MAX_FUNC_ARGS, subprog_name(env, callee, buf, sizeof(buf)),
			      cs->arg_cnt);
	}
	if (cs->arg_cnt > DF_MAX_REG_ARGS) {
		err = vf_stack_args_check(env, st, cs->arg_cnt);
		if (err)
			return err;
	}
	note_stack_args(env, caller, cs->in_cnt);
	f = vf_frame_new(st->curframe + 1, pc, callee);
	if (!f)
		return -ENOMEM;
	for (uint32_t r = 0; r < DF_REG_FP; r++) {
		if (r >= 1 && r <= DF_MAX_REG_ARGS)
			f->regs[r] = caller->regs[r];
		else
			vf_mark_not_init(&f->regs[r]);
	}
	vf_mark_not_init(&caller->regs[0]);
	vf_clobber_args(caller);
	st->frame[++st->curframe] = f;
	st->insn_idx = target;
	return 0;
}

int vf_call(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn)
{
	struct df_vframe *f = vf_cur_frame(st);
	uint32_t pc = st->insn_idx;

	if (env->sub[f->subprog].in_cnt)
		f->no_stack_arg_load = true;
	switch (insn->src_reg) {
	case DF_PSEUDO_CALL:
		return call_subprog(env, st, pc, insn);
	case DF_PSEUDO_HELPER:
		return vf_call_helper(env, st, pc, insn);
	case DF_PSEUDO_KFUNC_CALL:
		return call_kfunc(env, st, pc, insn);
	default:
		return vf_err(env, "invalid call insn src_reg %u", insn->src_reg);
	}
}

/* ---------------------------------------------------------------- exit */

/* r0 a scalar in [lo, hi] (1), else the kernel's message with where ("callback return"). */
static int r0_range(struct vf_env *env, const struct df_vreg *r0, const char *where, int lo,
		    int hi)
{
	char buf[96];
	int n = 0;

	if (r0->smin >= lo && r0->smax <= hi)
		return 1;
	if (r0->smin > INT64_MIN)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " smin=%lld", (long long)r0->smin);
	if (r0->smax < INT64_MAX)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " smax=%lld", (long long)r0->smax);
	if (!n)
		snprintf(buf, sizeof(buf), " unknown scalar value");
	return vf_err(env, "At %s the register R0 has%s should have been in [%d, %d]", where, buf,
		      lo, hi);
}

static int exit_callback(struct vf_env *env, const struct df_vreg *r0)
{
	if (r0->type != DF_SCALAR)
		return vf_err(env, "R0 not a scalar value");
	return r0_range(env, r0, "callback return", 0, 1);
}

/*
 * Program types whose return value the kernel bounds (a verdict: drop or
 * pass, and for cgroup egress also congestion notification).
 */
bool vf_ret_range(const struct df_prog *prog, int *hi)
{
	*hi = 1;
	switch (prog->type) {
	case BPF_PROG_TYPE_CGROUP_SKB:
		if (prog->expected_attach_type == BPF_CGROUP_INET_EGRESS)
			*hi = 3;
		return true;
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_SOCK_OPS:
	case BPF_PROG_TYPE_CGROUP_DEVICE:
		return true;
	default:
		return false;
	}
}

static int exit_root(struct vf_env *env, struct df_vstate *st)
{
	const struct df_vframe *f = vf_cur_frame(st);
	const struct df_vreg *r0 = &f->regs[0];
	int err, hi;

	if (st->ref_cnt)
		return vf_err(env, "Unreleased reference id=%u alloc_insn=%u", st->refs[0],
			      ref_insn(env, st->refs[0]));
	err = vf_check_reg_read(env, st, 0);
	if (err)
		return err;
	if (f->subprog && env->sub[f->subprog].global) {
		if (r0->type != DF_SCALAR)
			return vf_err(env, "At subprogram exit the register R0 is not a scalar "
				      "value (%s)", vf_type_name(r0));
	} else if (vf_reg_is_pointer(r0)) {
		return vf_err(env, "R0 leaks addr as return value");
	} else if (!f->subprog && !env->opts.input_size && vf_ret_range(env->prog, &hi)) {
		return r0_range(env, r0, "program exit", 0, hi);
	}
	return 1;
}

int vf_exit(struct vf_env *env, struct df_vstate *st)
{
	struct df_vframe *f = vf_cur_frame(st), *caller;
	struct df_vreg r0;
	uint32_t callsite;
	int err;

	if (env->sub[f->subprog].stack_depth < f->allocated)
		env->sub[f->subprog].stack_depth = f->allocated;
	if (!st->curframe)
		return exit_root(env, st);
	r0 = f->regs[0];
	if (f->in_callback) {
		err = vf_check_reg_read(env, st, 0);
		return err ? err : exit_callback(env, &r0);
	}
	/* as in the kernel, an unset r0 only fails when the caller reads it */
	if (r0.type == DF_PTR_TO_STACK)
		return vf_err(env, "cannot return stack pointer to the caller frame");
	callsite = f->callsite;
	vf_state_pop_frame(st);
	forget_frames(st, st->curframe + 1);
	caller = vf_cur_frame(st);
	caller->regs[0] = r0;
	vf_clear_out_args(caller);
	st->insn_idx = callsite + 1;
	return 0;
}

/* ---------------------------------------------------------------- §5.6 */

static uint32_t frame_size(const struct vf_env *env, uint32_t s)
{
	uint32_t d = env->sub[s].stack_depth;

	if (env->opts.interpreted)
		return ((d ? d : 1) + 31) & ~31u;
	return (d + 15) & ~15u;
}

/* Deepest combined stack of call chains from root (static callees and callbacks). */
static int check_stack_chain(struct vf_env *env, uint32_t root)
{
	const struct df_cfg *cfg = env->cfg;
	uint32_t sub[DF_MAX_CALL_FRAMES + 1], next[DF_MAX_CALL_FRAMES + 1];
	uint32_t depth = frame_size(env, root), top = 0;

	sub[0] = root;
	next[0] = 0;
	for (;;) {
		uint32_t s = sub[top], k;

		for (k = next[top]; k < cfg->call_cnt; k++)
			if (cfg->calls[k].caller == s && !env->sub[cfg->calls[k].callee].global)
				break;
		if (k == cfg->call_cnt || top + 1 > DF_MAX_CALL_FRAMES) {
			if (!top)
				return 0;
			depth -= frame_size(env, s);
			top--;
			continue;
		}
		next[top] = k + 1;
		sub[++top] = cfg->calls[k].callee;
		next[top] = 0;
		depth += frame_size(env, sub[top]);
		if (depth > DF_MAX_STACK)
			return vf_err(env, "combined stack size of %u calls is %u. Too large",
				      top + 1, depth);
	}
}

/* Does subprogram a reach b through calls (a == b included)? */
static bool reaches(const struct df_cfg *cfg, uint32_t a, uint32_t b, uint8_t *seen,
		    uint32_t *work)
{
	uint32_t top = 0;

	memset(seen, 0, cfg->subprog_cnt);
	work[top++] = a;
	seen[a] = 1;
	while (top) {
		uint32_t s = work[--top];

		if (s == b)
			return true;
		for (uint32_t k = 0; k < cfg->call_cnt; k++) {
			uint32_t c = cfg->calls[k].callee;

			if (cfg->calls[k].caller == s && !seen[c]) {
				seen[c] = 1;
				work[top++] = c;
			}
		}
	}
	return false;
}

/* A tail call on a call chain that also carries stack arguments. */
static int check_tail_calls(struct vf_env *env)
{
	const struct df_cfg *cfg = env->cfg;
	uint32_t n = cfg->subprog_cnt;
	uint8_t *seen = malloc(n);
	uint32_t *work = malloc((size_t)n * sizeof(*work));
	int err = 0;

	if (!seen || !work) {
		err = -ENOMEM;
		goto out;
	}
	for (uint32_t t = 0; t < n && !err; t++) {
		if (!env->sub[t].has_tail_call)
			continue;
		for (uint32_t s = 0; s < n && !err; s++) {
			if (!env->sub[s].stack_arg_cnt && !env->sub[s].max_out)
				continue;
			if (reaches(cfg, s, t, seen, work) || reaches(cfg, t, s, seen, work))
				err = vf_err(env, "tail_calls are not allowed in programs with "
					     "stack args");
		}
	}
out:
	free(seen);
	free(work);
	return err;
}

int vf_program_checks(struct vf_env *env)
{
	const struct df_cfg *cfg = env->cfg;
	bool stack_args = false;
	int err;

	env->insn_idx = UINT32_MAX;
	for (uint32_t s = 0; s < cfg->subprog_cnt; s++) {
		if (s && !env->sub[s].global)
			continue;
		err = check_stack_chain(env, s);
		if (err)
			return err;
	}
	err = check_tail_calls(env);
	if (err)
		return err;
	for (uint32_t s = 0; s < cfg->subprog_cnt; s++) {
		const struct vf_subprog *sp = &env->sub[s];
		uint32_t out = (uint32_t)sp->stack_arg_cnt - sp->in_cnt;

		if (sp->max_out > out)
			return vf_err(env, "func#%u writes %u stack arg slots, but calls only "
				      "require %u", s, sp->max_out, out);
		if (sp->stack_arg_cnt || sp->max_out)
			stack_args = true;
	}
	if (stack_args && env->opts.interpreted)
		return vf_err(env, "stack args are not supported in non-JITed programs");
	return 0;
}

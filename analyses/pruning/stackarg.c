/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Stack arguments (semantics §5): arguments 6..12 of a call travel in the
 * caller frame's outgoing slots, written with r11-8k and read by the
 * callee with r11+8k. The callee reads its caller's slots directly; there
 * is no copy (§4.6). Loads of a frame must all come before its first r11
 * store and its first call (JITs keep incoming arguments in registers that
 * both clobber).
 */
#include "vf.h"

static const struct df_vreg not_init_reg;

const struct df_vreg *vf_call_arg(const struct df_vstate *st, uint32_t argno)
{
	const struct df_vframe *f = vf_cur_frame(st);

	if (argno >= 1 && argno <= DF_MAX_REG_ARGS)
		return &f->regs[argno];
	if (argno > DF_MAX_REG_ARGS && argno <= DF_MAX_FUNC_ARGS &&
	    argno - DF_MAX_REG_ARGS - 1 < f->out_stack_arg_cnt)
		return &f->stack_args[argno - DF_MAX_REG_ARGS - 1];
	return &not_init_reg;
}

int vf_stack_arg_store(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn)
{
	struct df_vframe *f = vf_cur_frame(st);
	struct vf_subprog *sub = &env->sub[f->subprog];
	struct df_vreg *slot;
	int32_t off = insn->off;
	uint32_t i;
	int err;

	if (off >= 0 || off % 8)
		return vf_err(env, "invalid stack arg write off %d", off);
	i = (uint32_t)(-off / 8 - 1);
	if (i >= DF_MAX_STACK_ARG_SLOTS)
		return vf_err(env, "stack arg write offset %d exceeds max %d stack args",
			      off, DF_MAX_STACK_ARG_SLOTS);
	if (DF_CLASS(insn->code) == DF_STX) {
		err = vf_check_reg_read(env, st, insn->src_reg);
		if (err)
			return err;
	}
	for (uint32_t k = f->out_stack_arg_cnt; k < i; k++)
		vf_mark_not_init(&f->stack_args[k]);
	if (f->out_stack_arg_cnt < i + 1)
		f->out_stack_arg_cnt = (uint8_t)(i + 1);
	slot = &f->stack_args[i];
	if (DF_CLASS(insn->code) == DF_STX)
		*slot = f->regs[insn->src_reg];
	else
		vf_mark_known(slot, (uint64_t)(int64_t)insn->imm);
	if (sub->max_out < i + 1)
		sub->max_out = (uint8_t)(i + 1);
	f->no_stack_arg_load = true;
	return 0;
}

int vf_stack_arg_load(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn)
{
	struct df_vframe *f = vf_cur_frame(st);
	const struct vf_subprog *sub = &env->sub[f->subprog];
	const struct df_vframe *caller;
	int32_t off = insn->off;
	uint32_t i;

	if (insn->dst_reg == DF_REG_FP)
		return vf_err(env, "frame pointer is read only");
	if (f->no_stack_arg_load)
		return vf_err(env, "r11 load must be before any r11 store or call insn");
	if (off <= 0 || off % 8)
		return vf_err(env, "invalid read from stack arg off %d depth %d", off,
			      sub->in_cnt * 8);
	i = (uint32_t)(off / 8 - 1);
	if (i + 1 > sub->in_cnt || !st->curframe)
		return vf_err(env, "invalid read from stack arg off %d depth %d", off,
			      st->curframe ? sub->in_cnt * 8 : 0);
	caller = st->frame[st->curframe - 1];
	if (i < caller->out_stack_arg_cnt)
		f->regs[insn->dst_reg] = caller->stack_args[i];
	else
		vf_mark_not_init(&f->regs[insn->dst_reg]);
	return 0;
}

int vf_stack_args_check(struct vf_env *env, struct df_vstate *st, uint32_t nargs)
{
	for (uint32_t j = DF_MAX_REG_ARGS; j < nargs; j++) {
		const struct df_vreg *r = vf_call_arg(st, j + 1);

		if (r->type == DF_NOT_INIT)
			return vf_err(env, "callee expects %u args, stack arg%u is not initialized",
				      nargs, j - DF_MAX_REG_ARGS + 1);
	}
	return 0;
}

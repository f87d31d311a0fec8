// SPDX-License-Identifier: BSD-2-Clause
/*
 * Precision tracking, as the kernel does it for privileged programs. New
 * scalars are imprecise: a checkpoint's imprecise scalar covers any scalar
 * (equiv.c), because no decision the walk made below it depended on the
 * value. When a decision does depend on one (a pointer offset, a helper
 * size, a branch decided by known bounds, a callback's return value), the
 * value is backtracked along the path: each state keeps the instructions it
 * walked since its parent checkpoint (hist), and the walk goes backwards
 * through them and on through the parent checkpoints, following the value
 * through moves, ALU operands, spills and fills, r11 stack arguments and
 * calls, and marking it precise in every checkpoint it passes until it
 * comes from a constant, a load or a call. A pruned path takes the marks
 * of the state that pruned it.
 *
 * A checkpoint starts unmarked and a mark stops the walk: it was already
 * propagated further up when it was set. Anything the walk cannot follow
 * (atomics on a followed value, stacks beyond 64 slots) marks every scalar
 * of the chain precise instead, which is always sound.
 *
 * History entries: pc in the low 32 bits, flags in the high ones. A
 * conditional jump that refines linked scalars (equal ids) is followed by
 * one LINK entry per linked register, spill or stack argument. Most insns
 * can only matter to the walk through one register (an ALU or load
 * destination) or not at all (jumps against constants): their entry names
 * it, and the walk passes them without decoding the insn.
 */
#include "vf.h"

#include <linux/bpf.h>

#define HIST_LINK	UINT32_MAX

/* flags */
#define H_FRAME(f)	((f) & 7u)		/* frame the insn ran in */
#define H_KIND(f)	((f) >> 3 & 3u)		/* enum below */
#define H_TFRAME(f)	((f) >> 5 & 7u)		/* frame of the slot */
#define H_IDX(f)	((f) >> 8 & 0xffu)	/* slot or stack-arg index; register */
#define H_FILL		(1u << 16)		/* the load read a spilled scalar */
#define H_EDGE		(1u << 17)		/* the access starts at a slot boundary */
#define H_ONLY		(1u << 18)		/* no-op unless H_REG is followed */
#define H_REG(f)	((f) >> 19 & 0xfu)	/* see only_flags() */

enum { K_NONE, K_SLOT, K_SARG, K_REG };

#define MAX_SLOTS	64

static uint32_t hflags(uint32_t frame, uint32_t kind, uint32_t tframe, uint32_t idx)
{
	return frame | kind << 3 | tframe << 5 | (idx > 0xff ? 0xff : idx) << 8;
}

struct bt {
	uint16_t regs[DF_MAX_CALL_FRAMES];
	uint16_t sargs[DF_MAX_CALL_FRAMES];
	uint64_t slots[DF_MAX_CALL_FRAMES];
};

_Static_assert(sizeof(struct bt) == 12 * sizeof(uint64_t), "bt is tested as 12 words");

/* The masks OR'ed together as 64-bit words: zero iff nothing is followed. */
static uint64_t bt_any(const struct bt *b)
{
	uint64_t w[12];

	memcpy(w, b, sizeof(w));
	return w[0] | w[1] | w[2] | w[3] | w[4] | w[5] | w[6] | w[7] | w[8] | w[9] | w[10] |
	       w[11];
}

static bool bt_empty(const struct bt *b)
{
	return !bt_any(b);
}

static bool bt_meets(const struct bt *a, const struct bt *b)
{
	uint64_t x[12], y[12], acc = 0;

	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	for (uint32_t i = 0; i < 12; i++)
		acc |= x[i] & y[i];
	return acc;
}

static void bt_or(struct bt *a, const struct bt *b)
{
	for (uint32_t i = 0; i < DF_MAX_CALL_FRAMES; i++) {
		a->regs[i] |= b->regs[i];
		a->sargs[i] |= b->sargs[i];
		a->slots[i] |= b->slots[i];
	}
}

static bool has_reg(const struct bt *b, uint32_t fr, uint32_t r)
{
	return b->regs[fr] >> r & 1;
}

static void set_reg(struct bt *b, uint32_t fr, uint32_t r)
{
	if (r < DF_NREGS)
		b->regs[fr] |= (uint16_t)(1u << r);
}

static void clear_reg(struct bt *b, uint32_t fr, uint32_t r)
{
	b->regs[fr] &= (uint16_t)~(1u << r);
}

/* ---------------------------------------------------------------- marks */

static bool scalar_spill(const struct df_vframe *f, uint32_t k)
{
	return k < f->allocated / 8 && f->stack[k].spill.type == DF_SCALAR &&
	       vf_slot_has_spill(&f->stack[k]);
}

/* Set the mark of r; false when it was set already or r is not a scalar. */
static bool mark(struct df_vreg *r)
{
	if (r->type != DF_SCALAR || r->precise)
		return false;
	r->precise = 1;
	return true;
}

/* Every scalar of every checkpoint from st up: the fallback. */
static void mark_all_chain(struct df_vstate *st)
{
	for (; st; st = st->parent) {
		for (uint32_t fr = 0; fr <= st->curframe && fr < DF_MAX_CALL_FRAMES; fr++) {
			struct df_vframe *f = st->frame[fr];

			if (!f)
				continue;
			for (uint32_t r = 0; r < DF_NREGS; r++)
				mark(&f->regs[r]);
			for (uint32_t k = 0; k < f->allocated / 8; k++)
				if (scalar_spill(f, k))
					mark(&f->stack[k].spill);
			for (uint32_t i = 0; i < f->out_stack_arg_cnt; i++)
				mark(&f->stack_args[i]);
		}
	}
}

/*
 * Apply the set to checkpoint st: mark what is still unmarked; what was
 * marked (propagated before) or is no scalar there leaves the set. false:
 * the set names a frame st does not have (the walk lost track).
 */
static bool mark_state(struct df_vstate *st, struct bt *b)
{
	for (uint32_t fr = 0; fr < DF_MAX_CALL_FRAMES; fr++) {
		uint32_t regs = b->regs[fr] & ((1u << DF_NREGS) - 1);
		uint32_t sargs = b->sargs[fr] & ((1u << DF_MAX_STACK_ARG_SLOTS) - 1);
		uint64_t slots = b->slots[fr];
		struct df_vframe *f;

		if (!b->regs[fr] && !slots && !b->sargs[fr])
			continue;
		f = fr <= st->curframe ? st->frame[fr] : NULL;
		if (!f)
			return false;
		for (; regs; regs &= regs - 1) {
			uint32_t r = (uint32_t)__builtin_ctz(regs);

			if (!mark(&f->regs[r]))
				clear_reg(b, fr, r);
		}
		for (; slots; slots &= slots - 1) {
			uint32_t k = (uint32_t)__builtin_ctzll(slots);

			if (!scalar_spill(f, k) || !mark(&f->stack[k].spill))
				b->slots[fr] &= ~(UINT64_C(1) << k);
		}
		for (; sargs; sargs &= sargs - 1) {
			uint32_t i = (uint32_t)__builtin_ctz(sargs);

			if (i >= f->out_stack_arg_cnt || !mark(&f->stack_args[i]))
				b->sargs[fr] &= (uint16_t)~(1u << i);
		}
	}
	return true;
}

/* ---------------------------------------------------------------- one insn backwards */

/* BT_CLEARED: the insn took something out of the set, which may be empty now */
enum { BT_OK, BT_CLEARED, BT_LOST };

static bool is_fp_or_none(uint32_t r)
{
	return r >= DF_REG_FP;
}

static int bt_alu(struct bt *b, uint32_t fr, const struct df_insn *in)
{
	uint8_t op = DF_OP(in->code);

	if (!has_reg(b, fr, in->dst_reg) || op == DF_NEG || op == DF_END)
		return BT_OK;
	if (op == DF_MOV) {
		clear_reg(b, fr, in->dst_reg);
		if (DF_SRC(in->code) != DF_X || is_fp_or_none(in->src_reg))
			return BT_CLEARED;
		set_reg(b, fr, in->src_reg);
		return BT_OK;
	}
	if (DF_SRC(in->code) == DF_X && !is_fp_or_none(in->src_reg))
		set_reg(b, fr, in->src_reg);
	return BT_OK;
}

static int bt_load(struct bt *b, uint32_t fr, const struct df_insn *in, uint32_t fl)
{
	uint32_t tf = H_TFRAME(fl), idx = H_IDX(fl);

	if (!has_reg(b, fr, in->dst_reg))
		return BT_OK;
	clear_reg(b, fr, in->dst_reg);
	if (H_KIND(fl) == K_SARG) {
		if (idx >= DF_MAX_STACK_ARG_SLOTS)
			return BT_LOST;
		b->sargs[tf] |= (uint16_t)(1u << idx);
	} else if (fl & H_FILL) {
		if (idx >= MAX_SLOTS)
			return BT_LOST;
		b->slots[tf] |= UINT64_C(1) << idx;
	} else {
		return BT_CLEARED;
	}
	return BT_OK;
}

static int bt_store(struct bt *b, uint32_t fr, const struct df_insn *in, uint32_t fl)
{
	uint32_t tf = H_TFRAME(fl), idx = H_IDX(fl);
	bool reg = DF_CLASS(in->code) == DF_STX;

	if (DF_MODE(in->code) == DF_ATOMIC) {
		if (H_KIND(fl) == K_SLOT && (idx >= MAX_SLOTS || (b->slots[tf] >> idx & 1)))
			return BT_LOST;
		if (has_reg(b, fr, in->src_reg) || has_reg(b, fr, in->dst_reg) || has_reg(b, fr, 0))
			return BT_LOST;
		return BT_OK;
	}
	if (H_KIND(fl) == K_SARG) {
		if (idx >= DF_MAX_STACK_ARG_SLOTS || !(b->sargs[tf] >> idx & 1))
			return BT_OK;
		b->sargs[tf] &= (uint16_t)~(1u << idx);
	} else if (H_KIND(fl) == K_SLOT) {
		if (idx >= MAX_SLOTS) {
			/* a spill the walk cannot follow: only matters when a slot is followed */
			for (uint32_t i = 0; i < DF_MAX_CALL_FRAMES; i++)
				if (b->slots[i])
					return BT_LOST;
			return BT_OK;
		}
		/* only a store at the slot's start makes the spill a fill reads */
		if (!(b->slots[tf] >> idx & 1) || !(fl & H_EDGE))
			return BT_OK;
		b->slots[tf] &= ~(UINT64_C(1) << idx);
	} else {
		return BT_OK;
	}
	if (!reg || is_fp_or_none(in->src_reg))
		return BT_CLEARED;
	set_reg(b, fr, in->src_reg);
	return BT_OK;
}

/* A call: next_fr is the frame of the insn that followed it on the path. */
static int bt_call(struct bt *b, uint32_t fr, const struct df_insn *in, uint32_t next_fr)
{
	if (next_fr == fr + 1 && fr + 1 < DF_MAX_CALL_FRAMES) {
		uint16_t args = b->regs[fr + 1] & 0x3e;

		/* the callee's r1-r5 are the caller's (a callback's are its own) */
		if ((b->regs[fr + 1] & ~0x3e) || b->slots[fr + 1] || b->sargs[fr + 1])
			return BT_LOST;
		if (in->src_reg == DF_PSEUDO_CALL)
			b->regs[fr] |= args;
		b->regs[fr + 1] = 0;
		return BT_CLEARED;
	}
	if (b->regs[fr] & 0x3e)
		return BT_LOST;
	clear_reg(b, fr, 0);
	return BT_CLEARED;
}

static int bt_insn(struct bt *b, const struct df_insn *in, uint32_t fl, uint32_t next_fr,
		   const struct bt *links)
{
	uint32_t fr = H_FRAME(fl);
	uint8_t cls = DF_CLASS(in->code), op = DF_OP(in->code);

	switch (cls) {
	case DF_ALU:
	case DF_ALU64:
		return bt_alu(b, fr, in);
	case DF_LDX:
		return bt_load(b, fr, in, fl);
	case DF_ST:
	case DF_STX:
		return bt_store(b, fr, in, fl);
	case DF_LD:
		if (df_insn_is_ldimm64(in)) {
			clear_reg(b, fr, in->dst_reg);
			return BT_CLEARED;
		}
		if (b->regs[fr] & 0x3e)
			return BT_LOST;
		clear_reg(b, fr, 0);
		return BT_CLEARED;
	default:
		break;
	}
	if (op == DF_CALL)
		return bt_call(b, fr, in, next_fr);
	if (op == DF_EXIT) {
		if (next_fr + 1 == fr) {
			if (b->regs[next_fr] & 0x3e)
				return BT_LOST;
			if (has_reg(b, next_fr, 0)) {
				clear_reg(b, next_fr, 0);
				set_reg(b, fr, 0);
			}
		}
		return BT_OK;
	}
	if (op == DF_JA || op == DF_JCOND)
		return BT_OK;
	/*
	 * A conditional jump refined its operands and the scalars linked to
	 * them, each range depending on the other operand's.
	 */
	if (links && bt_meets(b, links))
		bt_or(b, links);
	if (DF_SRC(in->code) == DF_X && in->src_reg < DF_NREGS &&
	    (has_reg(b, fr, in->dst_reg) || has_reg(b, fr, in->src_reg))) {
		set_reg(b, fr, in->dst_reg);
		set_reg(b, fr, in->src_reg);
		if (links && bt_meets(b, links))
			bt_or(b, links);
	}
	return BT_OK;
}

static void link_add(struct bt *l, uint32_t fl)
{
	uint32_t tf = H_TFRAME(fl), idx = H_IDX(fl);

	switch (H_KIND(fl)) {
	case K_REG:
		set_reg(l, tf, idx);
		break;
	case K_SLOT:
		if (idx < MAX_SLOTS)
			l->slots[tf] |= UINT64_C(1) << idx;
		break;
	case K_SARG:
		if (idx < DF_MAX_STACK_ARG_SLOTS)
			l->sargs[tf] |= (uint16_t)(1u << idx);
		break;
	}
}

/*
 * Walk st's path backwards with the set b, then its checkpoints. skip: the
 * last insn of st's history (and its links) is the one asking and is not
 * walked.
 */
static void backtrack(struct vf_env *env, struct df_vstate *st, struct bt *b, bool skip)
{
	const struct df_prog *prog = env->prog;
	struct df_vstate *s = st;
	uint32_t next_fr = st->curframe, n = st->hist_cnt;
	struct bt links;
	bool have_links = false;

	if (!env->precise || bt_empty(b))
		return;
	if (skip) {
		while (n && (uint32_t)st->hist[n - 1] == HIST_LINK)
			n--;
		if (n)
			n--;
	}
	/* the set only empties when an insn takes something out of it */
	for (;;) {
		for (uint32_t i = n; i-- > 0;) {
			uint64_t e = s->hist[i];
			uint32_t pc = (uint32_t)e, fl = (uint32_t)(e >> 32);
			int ret;

			if (pc == HIST_LINK) {
				if (!have_links)
					memset(&links, 0, sizeof(links));
				link_add(&links, fl);
				have_links = true;
				continue;
			}
			if (!prog || pc >= prog->insn_cnt)
				goto lost;
			if ((fl & H_ONLY) && !have_links && !has_reg(b, H_FRAME(fl), H_REG(fl))) {
				next_fr = H_FRAME(fl);
				continue;
			}
			ret = bt_insn(b, &prog->insns[pc], fl, next_fr, have_links ? &links : NULL);
			if (ret == BT_LOST)
				goto lost;
			have_links = false;
			next_fr = H_FRAME(fl);
			if (ret == BT_CLEARED && bt_empty(b))
				return;
		}
		if (!s->parent)
			break;
		s = s->parent;
		if (s->curframe != next_fr || !mark_state(s, b))
			goto lost;
		if (bt_empty(b))
			return;
		n = s->hist_cnt;
	}
	/* at the entry: only the entry registers of frame 0 may remain */
	b->regs[0] = 0;
	if (bt_empty(b))
		return;
lost:
	mark_all_chain(st->parent);
}

/* ---------------------------------------------------------------- triggers */

/* The bit of register r of frame fr when it holds a scalar, else 0. */
static uint16_t need_reg(const struct df_vstate *st, uint32_t fr, uint32_t r)
{
	if (r < DF_NREGS && fr <= st->curframe && st->frame[fr] &&
	    st->frame[fr]->regs[r].type == DF_SCALAR)
		return (uint16_t)(1u << r);
	return 0;
}

/* Backtrack the registers regs of frame fr; nothing to do for none. */
static void backtrack_regs(struct vf_env *env, struct df_vstate *st, uint32_t fr, uint16_t regs,
			   bool skip)
{
	struct bt b;

	if (!regs)
		return;
	memset(&b, 0, sizeof(b));
	b.regs[fr] = regs;
	backtrack(env, st, &b, skip);
}

void vf_precise_reg(struct vf_env *env, struct df_vstate *st, uint32_t fr, uint32_t regno)
{
	backtrack_regs(env, st, fr, need_reg(st, fr, regno), false);
}

void vf_precise_slot(struct vf_env *env, struct df_vstate *st, uint32_t fr, uint32_t spi)
{
	struct bt b;

	memset(&b, 0, sizeof(b));
	if (fr < DF_MAX_CALL_FRAMES && spi < MAX_SLOTS)
		b.slots[fr] |= UINT64_C(1) << spi;
	backtrack(env, st, &b, false);
}

void vf_precise_operands(struct vf_env *env, struct df_vstate *st, const struct df_insn *in)
{
	uint16_t regs = need_reg(st, st->curframe, in->dst_reg);

	if (DF_SRC(in->code) == DF_X)
		regs |= need_reg(st, st->curframe, in->src_reg);
	backtrack_regs(env, st, st->curframe, regs, true);
}

/* The scalar spills of f, or only those also precise scalar spills of mf (non-NULL). */
static uint64_t collect_slots(const struct df_vframe *f, const struct df_vframe *mf)
{
	uint32_t n = f->allocated / 8 < MAX_SLOTS ? f->allocated / 8 : MAX_SLOTS;
	uint64_t slots = 0;

	if (!mf) {
		for (uint32_t k = 0; k < n; k++)
			if (scalar_spill(f, k))
				slots |= UINT64_C(1) << k;
		return slots;
	}
	if (mf->allocated / 8 < n)
		n = mf->allocated / 8;
	for (uint32_t k = 0; k < n; k++)
		if (mf->stack[k].spill.precise && scalar_spill(mf, k) && scalar_spill(f, k))
			slots |= UINT64_C(1) << k;
	return slots;
}

/* Fill b with every scalar of st, or only those precise in old (old non-NULL). */
static void collect(struct bt *b, const struct df_vstate *old, const struct df_vstate *st)
{
	const struct df_vstate *m = old ? old : st;

	for (uint32_t fr = 0; fr <= st->curframe && fr < DF_MAX_CALL_FRAMES; fr++) {
		const struct df_vframe *f = st->frame[fr], *mf = m->frame[fr];

		if (!f || !mf)
			continue;
		for (uint32_t r = 0; r < DF_NREGS; r++)
			if (f->regs[r].type == DF_SCALAR && mf->regs[r].type == DF_SCALAR &&
			    (!old || mf->regs[r].precise))
				set_reg(b, fr, r);
		b->slots[fr] |= collect_slots(f, old ? mf : NULL);
		for (uint32_t i = 0; i < f->out_stack_arg_cnt && i < mf->out_stack_arg_cnt; i++)
			if (f->stack_args[i].type == DF_SCALAR &&
			    mf->stack_args[i].type == DF_SCALAR &&
			    (!old || mf->stack_args[i].precise))
				b->sargs[fr] |= (uint16_t)(1u << i);
	}
}

void vf_precise_propagate(struct vf_env *env, const struct df_vstate *old,
			  struct df_vstate *cur)
{
	struct bt b;

	if (old->curframe != cur->curframe)
		return;
	memset(&b, 0, sizeof(b));
	collect(&b, old, cur);
	backtrack(env, cur, &b, false);
}

void vf_precise_all(struct vf_env *env, struct df_vstate *st)
{
	struct bt b;

	memset(&b, 0, sizeof(b));
	collect(&b, NULL, st);
	backtrack(env, st, &b, false);
}

void vf_precise_clear(struct df_vstate *st)
{
	for (uint32_t fr = 0; fr <= st->curframe && fr < DF_MAX_CALL_FRAMES; fr++) {
		struct df_vframe *f = st->frame[fr];

		if (!f)
			continue;
		for (uint32_t r = 0; r < DF_NREGS; r++)
			f->regs[r].precise = 0;
		for (uint32_t k = 0; k < f->allocated / 8; k++)
			f->stack[k].spill.precise = 0;
		for (uint32_t i = 0; i < DF_MAX_STACK_ARG_SLOTS; i++)
			f->stack_args[i].precise = 0;
	}
}

/* ---------------------------------------------------------------- recording */

static inline int push(struct df_vstate *st, uint32_t pc, uint32_t fl)
{
	uint32_t n = st->hist_cnt;

	/*
	 * df_array_reserve() grows at 0 and at the powers of two from 8. Most
	 * histories reach 8 entries: a new one starts with the room it would
	 * get there, and the call at 8 then keeps the block in place.
	 */
	if ((n < 8 ? !n : !(n & (n - 1))) && df_array_push(st->hist, n ? n : 8))
		return -ENOMEM;
	st->hist[n] = (uint64_t)fl << 32 | pc;
	st->hist_cnt = n + 1;
	return 0;
}

/* The stack slot a load or store through a stack pointer touches: flags, and its address. */
static uint32_t mem_flags(const struct df_vstate *st, const struct df_insn *in, int64_t *addr)
{
	const struct df_vframe *f = vf_cur_frame(st);
	uint8_t cls = DF_CLASS(in->code);
	uint32_t fr = st->curframe, preg, k;
	const struct df_vreg *p;
	int64_t off;

	*addr = 0;
	/* other insns only ever read the frame back */
	if (cls != DF_LDX && cls != DF_ST && cls != DF_STX)
		return fr;
	if (cls == DF_LDX && in->src_reg == DF_REG_PARAMS)
		return fr ? hflags(fr, K_SARG, fr - 1, (uint32_t)(in->off / 8 - 1)) : fr;
	if (cls != DF_LDX && in->dst_reg == DF_REG_PARAMS)
		return hflags(fr, K_SARG, fr, (uint32_t)(-in->off / 8 - 1));
	preg = cls == DF_LDX ? in->src_reg : in->dst_reg;
	if (preg >= DF_NREGS)
		return fr;
	p = &f->regs[preg];
	if (p->type != DF_PTR_TO_STACK || !vf_tnum_is_const(p->var_off) ||
	    p->frameno >= DF_MAX_CALL_FRAMES)
		return fr;
	off = (int64_t)p->off + (int64_t)p->var_off.value + in->off;
	if (off >= 0 || off < -(INT64_C(1) << 20))
		return fr;
	*addr = off;
	k = (uint32_t)((-off - 1) / 8);
	fr = hflags(fr, K_SLOT, p->frameno, k);
	if (!(off % 8))
		fr |= H_EDGE;
	if (cls == DF_LDX && p->frameno <= st->curframe && st->frame[p->frameno] &&
	    k < st->frame[p->frameno]->allocated / 8 &&
	    vf_slot_has_spill(&st->frame[p->frameno]->stack[k]))
		fr |= H_FILL;
	return fr;
}

static bool is_zero(const struct df_vreg *r)
{
	return r->type == DF_SCALAR && vf_tnum_is_const(r->var_off) && !r->var_off.value;
}

/* What insn needs precise before it runs: registers of the current frame. */
static uint16_t triggers(struct vf_env *env, const struct df_vstate *st,
			 const struct df_insn *in, uint32_t fl, int64_t addr)
{
	const struct df_vframe *f = vf_cur_frame(st);
	uint32_t fr = st->curframe;
	uint8_t cls = DF_CLASS(in->code), op = DF_OP(in->code);
	uint16_t regs = 0;
	int hi;

	switch (cls) {
	case DF_ALU:
	case DF_ALU64:
		if (DF_SRC(in->code) != DF_X || op == DF_MOV || op == DF_END || op == DF_NEG ||
		    in->dst_reg >= DF_NREGS || in->src_reg >= DF_NREGS)
			return 0;
		/* pointer arithmetic: the scalar is the offset */
		if (vf_reg_is_pointer(&f->regs[in->dst_reg]))
			return need_reg(st, fr, in->src_reg);
		if (vf_reg_is_pointer(&f->regs[in->src_reg]))
			return need_reg(st, fr, in->dst_reg);
		if (env->opts.div_by_zero && (op == DF_DIV || op == DF_MOD))
			return need_reg(st, fr, in->src_reg);
		return 0;
	case DF_STX:
		/* a narrow store of a zero register gives ZERO bytes, compared as such */
		if (H_KIND(fl) == K_SLOT && DF_MODE(in->code) == DF_MEM && addr % 8 &&
		    in->src_reg < DF_NREGS && is_zero(&f->regs[in->src_reg]))
			return need_reg(st, fr, in->src_reg);
		return 0;
	case DF_JMP:
	case DF_JMP32:
		break;
	default:
		return 0;
	}
	if (op == DF_EXIT && ((fr && f->in_callback) ||
			      (!fr && !f->subprog && vf_ret_range(env->prog, &hi)))) {
		regs = need_reg(st, fr, 0);
	} else if (op == DF_CALL && in->src_reg == 0) {
		const struct df_helper_proto *p = df_helper_proto(in->imm);

		/* sizes, constants, NULL for a pointer: the call's checks read the value */
		for (uint32_t a = 0; p && p->args && a < DF_MAX_REG_ARGS && p->args[a]; a++)
			if (p->args[a] != 'a' && p->args[a] != '-')
				regs |= need_reg(st, fr, a + 1);
	}
	return regs;
}

/*
 * H_ONLY for the insns bt_insn() leaves the set alone unless it follows
 * their destination (ALU, loads, 64-bit immediates), or follows nothing
 * they touch (unconditional jumps, conditional ones without links or
 * against a constant): these are skipped without decoding them again.
 */
static uint32_t only_flags(const struct df_insn *in)
{
	uint8_t cls = DF_CLASS(in->code), op = DF_OP(in->code);
	uint32_t none = 0xf;	/* no such register is ever followed */

	switch (cls) {
	case DF_ALU:
	case DF_ALU64:
	case DF_LDX:
		return H_ONLY | (uint32_t)in->dst_reg << 19;
	case DF_LD:
		return df_insn_is_ldimm64(in) ? H_ONLY | (uint32_t)in->dst_reg << 19 : 0;
	case DF_JMP:
	case DF_JMP32:
		if (op == DF_CALL || op == DF_EXIT)
			return 0;
		if (op == DF_JA || op == DF_JCOND || DF_SRC(in->code) != DF_X ||
		    in->src_reg >= DF_NREGS)
			return H_ONLY | none << 19;
		return 0;
	default:
		return 0;
	}
}

int vf_precise_insn(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn)
{
	int64_t addr;
	uint32_t fl;

	if (!env->precise)
		return 0;
	fl = mem_flags(st, insn, &addr);
	backtrack_regs(env, st, st->curframe, triggers(env, st, insn, fl, addr), false);
	return push(st, st->insn_idx, fl | only_flags(insn));
}

struct link_ctx {
	struct df_vstate *st;
	uint32_t id[2];
	int err;
};

static void link_one(struct link_ctx *c, const struct df_vreg *r, uint32_t kind, uint32_t fr,
		     uint32_t idx)
{
	if (c->err || r->type != DF_SCALAR || !r->id || (r->id != c->id[0] && r->id != c->id[1]))
		return;
	c->err = push(c->st, HIST_LINK, hflags(0, kind, fr, idx));
}

int vf_precise_links(struct vf_env *env, struct df_vstate *st, const struct df_insn *in)
{
	const struct df_vframe *f = vf_cur_frame(st);
	struct link_ctx c = { .st = st };

	if (!env->precise)
		return 0;
	if (in->dst_reg < DF_NREGS && f->regs[in->dst_reg].type == DF_SCALAR)
		c.id[0] = f->regs[in->dst_reg].id;
	if (DF_SRC(in->code) == DF_X && in->src_reg < DF_NREGS &&
	    f->regs[in->src_reg].type == DF_SCALAR)
		c.id[1] = f->regs[in->src_reg].id;
	if (!c.id[0] && !c.id[1])
		return 0;
	if (!c.id[0])
		c.id[0] = c.id[1];
	if (!c.id[1])
		c.id[1] = c.id[0];
	for (uint32_t fr = 0; fr <= st->curframe && fr < DF_MAX_CALL_FRAMES; fr++) {
		const struct df_vframe *g = st->frame[fr];

		if (!g)
			continue;
		for (uint32_t r = 0; r < DF_NREGS; r++)
			link_one(&c, &g->regs[r], K_REG, fr, r);
		for (uint32_t k = 0; k < g->allocated / 8; k++)
			if (vf_slot_has_spill(&g->stack[k]))
				link_one(&c, &g->stack[k].spill, K_SLOT, fr, k);
		for (uint32_t i = 0; i < g->out_stack_arg_cnt; i++)
			link_one(&c, &g->stack_args[i], K_SARG, fr, i);
	}
	return c.err;
}

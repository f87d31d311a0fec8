/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Arg tracking: the forward transfer function of one instruction
 * (semantics §3.5), in a context running in frame d = env->depth.
 *
 * State: registers r0..r10, outgoing stack-argument slots sa0..sa6 and the
 * 64 spill slots fp-8..fp-512 of frame d. A pointer "may be local" when it
 * is r10, points into frame d, or is imprecise with bit d. Spills and fills
 * go through the spill slots of frame d; fills through a pointer into a
 * caller's frame f < d read the spill slots that frame had at the call
 * that created frame f+1 (env->parent_spills). Writes through a caller's
 * pointer are not tracked: a callee cannot store a stack pointer there.
 */
#include "argtrack_int.h"
#include "internal.h"

#define SPILL(st, k) ((st)->loc[DF_ARG_SPILL0 + (k)])

bool df_arg_add(int16_t off, int64_t delta, int16_t *out)
{
	int32_t r;

	if (delta < INT16_MIN || delta > INT16_MAX)
		return true;
	r = (int32_t)off + (int32_t)delta;
	if (r < INT16_MIN || r > INT16_MAX)
		return true;
	*out = (int16_t)r;
	return false;
}

bool df_insn_is_stack_arg(const struct df_insn *insn)
{
	uint8_t cls = DF_CLASS(insn->code);

	if (DF_MODE(insn->code) != DF_MEM)
		return false;
	if (cls == DF_STX || cls == DF_ST)
		return insn->dst_reg == DF_REG_PARAMS;
	if (cls == DF_LDX)
		return insn->src_reg == DF_REG_PARAMS;
	return false;
}

static int stack_arg_slot(int16_t off)
{
	int a = off < 0 ? -off : off;

	if (a / 8 > DF_ARG_NSA)
		return -1;
	return a / 8 - 1;
}

/* Spill slot of a byte offset from the frame pointer, or -1. */
static int fp_slot(int off)
{
	if (off >= 0 || off < -8 * DF_ARG_NSPILL || off % 8)
		return -1;
	return -off / 8 - 1;
}

static bool may_be_local(int depth, int reg, const struct df_arg *p)
{
	return reg == DF_REG_FP || p->frame == depth ||
	       (p->frame == DF_ARG_IMPRECISE && depth < 16 &&
		(p->mask & (1u << depth)));
}

static int size_bytes(uint8_t code)
{
	switch (DF_SIZE(code)) {
	case DF_B: return 1;
	case DF_H: return 2;
	case DF_W: return 4;
	default: return 8;
	}
}

static void padd(struct df_arg *a, int64_t delta)
{
	for (int i = 0; i < a->off_cnt; i++) {
		int16_t v;

		if (df_arg_add(a->off[i], delta, &v)) {
			*a = df_arg_off_imprecise(a->frame);
			return;
		}
		a->off[i] = v;
	}
	/* a constant shift keeps the order; distinct offsets stay distinct */
}

static uint16_t frame_bits(const struct df_arg *a)
{
	if (a->frame >= 0 && a->frame < 16)
		return (uint16_t)(1u << a->frame);
	return a->frame == DF_ARG_IMPRECISE ? a->mask : 0;
}

/* rX op= rY for a non-mov op: the offsets are lost. */
static void alu_reg(struct df_arg *dst, const struct df_arg *src)
{
	if (dst->frame >= 0 &&
	    (src->frame == DF_ARG_NONE || src->frame == dst->frame)) {
		*dst = df_arg_off_imprecise(dst->frame);
		return;
	}
	if (src->frame >= 0 && dst->frame == DF_ARG_NONE) {
		*dst = df_arg_off_imprecise(src->frame);
		return;
	}
	if (dst->frame == DF_ARG_NONE && src->frame == DF_ARG_NONE)
		return;
	*dst = df_arg_imprecise(frame_bits(dst) | frame_bits(src));
}

/*
 * Fill from memory at p + insn->off through the spill slots `slots` of
 * frame `frame` (r10 when reg is the frame pointer).
 */
static struct df_arg fill(const struct df_insn *insn, const struct df_arg *p,
			  int reg, const struct df_arg *slots, int frame)
{
	struct df_arg imp = df_arg_imprecise((uint16_t)((1u << (frame + 1)) - 1));
	struct df_arg r = df_arg_none();

	if (reg == DF_REG_FP) {
		int k = fp_slot(insn->off);

		return k >= 0 ? slots[k] : imp;
	}
	if (p->off_cnt == 0)
		return imp;
	for (int i = 0; i < p->off_cnt; i++) {
		int16_t a;
		int k;

		if (df_arg_add(p->off[i], insn->off, &a))
			return imp;
		k = fp_slot(a);
		if (k < 0)
			return imp;
		df_arg_join_into(&r, &slots[k]);
	}
	return r;
}

/*
 * Every spill slot := slot ⊔ NONE: only UNVISITED and single-offset pointers
 * change (the join table); the other values are canonical and stay.
 */
static void join_none_all(struct df_argtrack_state *st)
{
	const struct df_arg none = df_arg_none();

	for (int k = 0; k < DF_ARG_NSPILL; k++) {
		struct df_arg *a = &SPILL(st, k);

		if (a->frame == DF_ARG_UNVISITED)
			*a = none;
		else if (a->frame >= 0 && a->off_cnt == 1)
			*a = df_arg_join_slow(*a, none);
	}
}

static void spill(const struct df_insn *insn, const struct df_arg *p, int reg,
		  struct df_argtrack_state *st, const struct df_arg *val, int sz)
{
	struct df_arg v = sz == 8 ? *val : df_arg_none();

	if (reg == DF_REG_FP) {
		int k = fp_slot(insn->off);

		if (k >= 0)
			SPILL(st, k) = v;
		return;
	}
	if (p->off_cnt == 0 && v.frame == DF_ARG_NONE) {
		join_none_all(st);
		return;
	}
	if (p->off_cnt == 0) {
		for (int k = 0; k < DF_ARG_NSPILL; k++)
			df_arg_join_into(&SPILL(st, k), &v);
		return;
	}
	for (int i = 0; i < p->off_cnt; i++) {
		int16_t a;
		int k;

		if (df_arg_add(p->off[i], insn->off, &a))
			continue;
		k = fp_slot(a);
		if (k < 0)
			continue;
		if (p->off_cnt == 1)
			SPILL(st, k) = v;
		else
			df_arg_join_into(&SPILL(st, k), &v);
	}
}

/* Slots overlapping [off, off + sz) become NONE; weakly when cnt != 1. */
static void clear_range(struct df_argtrack_state *st, int off, int sz, int cnt)
{
	const struct df_arg none = df_arg_none();

	if (cnt == 0) {
		join_none_all(st);
		return;
	}
	for (int k = 0; k < DF_ARG_NSPILL; k++) {
		int lo = -8 * (k + 1), hi = lo + 8;

		if (!(lo < off + sz && hi > off))
			continue;
		if (cnt == 1)
			SPILL(st, k) = none;
		else
			df_arg_join_into(&SPILL(st, k), &none);
	}
}

static void clear_all_offs(const struct df_insn *insn, const struct df_arg *p,
			   int reg, struct df_argtrack_state *st, int sz)
{
	if (reg == DF_REG_FP) {
		clear_range(st, insn->off, sz, 1);
		return;
	}
	if (p->off_cnt == 0) {
		clear_range(st, 0, sz, 0);
		return;
	}
	for (int i = 0; i < p->off_cnt; i++) {
		int16_t a;

		if (df_arg_add(p->off[i], insn->off, &a)) {
			clear_range(st, 0, sz, 0);
			break;
		}
		clear_range(st, a, sz, p->off_cnt);
	}
}

static void xfer_ldx(const struct df_at_env *env, const struct df_insn *insn,
		     struct df_argtrack_state *st)
{
	struct df_arg *dst = &st->loc[insn->dst_reg];
	struct df_arg src;
	bool mem8 = DF_MODE(insn->code) == DF_MEM && size_bytes(insn->code) == 8;
	int d = env->depth;

	if (!mem8) {
		*dst = df_arg_none();
		return;
	}
	src = st->loc[insn->src_reg];
	if (mem8 && may_be_local(d, insn->src_reg, &src)) {
		*dst = fill(insn, &src, insn->src_reg, &SPILL(st, 0), d);
	} else if (mem8 && src.frame >= 0 && src.frame < d) {
		const struct df_arg *slots = env->parent_spills ?
			env->parent_spills(env->cookie, src.frame) : NULL;

		if (slots)
			*dst = fill(insn, &src, insn->src_reg, slots, src.frame);
		else
			*dst = df_arg_imprecise((uint16_t)((1u << (src.frame + 1)) - 1));
	} else if (mem8 && src.frame == DF_ARG_IMPRECISE && src.mask &&
		   !(d < 16 && (src.mask & (1u << d)))) {
		*dst = src;
	} else {
		*dst = df_arg_none();
	}
}

static void xfer_stx(const struct df_at_env *env, const struct df_insn *insn,
		     struct df_argtrack_state *st)
{
	struct df_arg p, val;
	int sz = size_bytes(insn->code);
	bool local;

	if (insn->dst_reg == DF_REG_FP && DF_MODE(insn->code) == DF_MEM) {	/* spill() to r10 */
		int k = fp_slot(insn->off);

		if (k >= 0)
			SPILL(st, k) = sz == 8 ? st->loc[insn->src_reg] : df_arg_none();
		return;
	}
	p = st->loc[insn->dst_reg];
	val = st->loc[insn->src_reg];
	local = may_be_local(env->depth, insn->dst_reg, &p);

	if (local && DF_MODE(insn->code) == DF_MEM)
		spill(insn, &p, insn->dst_reg, st, &val, sz);
	if (DF_MODE(insn->code) != DF_ATOMIC)
		return;
	if (local && insn->imm != DF_LOAD_ACQ)
		clear_all_offs(insn, &p, insn->dst_reg, st, sz);
	if (insn->imm == DF_CMPXCHG)
		st->loc[0] = df_arg_none();
	else if (insn->imm == DF_LOAD_ACQ)
		st->loc[insn->dst_reg] = df_arg_none();
	else if (insn->imm & DF_FETCH)
		st->loc[insn->src_reg] = df_arg_none();
}

/* Inlined into both callers: the analysis' transfer is the hot one. */
static inline __attribute__((always_inline)) void
xfer(const struct df_at_env *env, const struct df_insn *insn, struct df_argtrack_state *st)
{
	uint8_t cls = DF_CLASS(insn->code), op = DF_OP(insn->code);
	struct df_arg *dst = &st->loc[insn->dst_reg];

	/* a stack-argument access names r11 */
	if (__builtin_expect(insn->dst_reg > DF_REG_FP || insn->src_reg > DF_REG_FP, 0)) {
		int k = stack_arg_slot(insn->off);

		if (!df_insn_is_stack_arg(insn))
			return;
		if (cls == DF_LDX)
			*dst = k >= 0 && env->in_sa ? env->in_sa[k] : df_arg_none();
		else if (k >= 0)
			st->loc[DF_ARG_SA0 + k] = cls == DF_STX ?
				st->loc[insn->src_reg] : df_arg_none();
		return;
	}
	/* the most common forms first, each the same as its case below */
	switch (insn->code) {
	case DF_ALU64 | DF_K | DF_ADD:
		if (dst->frame >= 0)
			padd(dst, insn->imm);
		return;
	case DF_ALU64 | DF_X | DF_MOV:
		*dst = insn->off == 0 ? st->loc[insn->src_reg] : df_arg_none();
		return;
	case DF_LDX | DF_MEM | DF_DW:
		if (insn->src_reg == DF_REG_FP) {	/* fill() through r10 */
			int k = fp_slot(insn->off);

			*dst = k >= 0 ? SPILL(st, k) :
			       df_arg_imprecise((uint16_t)((1u << (env->depth + 1)) - 1));
			return;
		}
		xfer_ldx(env, insn, st);
		return;
	case DF_LDX | DF_MEM | DF_W:
	case DF_LDX | DF_MEM | DF_H:
	case DF_LDX | DF_MEM | DF_B:
		*dst = df_arg_none();
		return;
	case DF_STX | DF_MEM | DF_DW:
	case DF_STX | DF_MEM | DF_W:
	case DF_STX | DF_MEM | DF_H:
	case DF_STX | DF_MEM | DF_B:
		xfer_stx(env, insn, st);
		return;
	default:
		break;
	}
	switch (cls) {
	case DF_ALU64:
		if (DF_SRC(insn->code) == DF_K) {
			if (op == DF_MOV)
				*dst = df_arg_none();
			else if (dst->frame >= 0 && op == DF_ADD)
				padd(dst, insn->imm);
			else if (dst->frame >= 0 && op == DF_SUB)
				padd(dst, -(int64_t)insn->imm);
			else if (dst->frame >= 0)
				*dst = df_arg_off_imprecise(dst->frame);
		} else if (op == DF_MOV) {
			*dst = insn->off == 0 ? st->loc[insn->src_reg] : df_arg_none();
		} else {
			alu_reg(dst, &st->loc[insn->src_reg]);
		}
		break;
	case DF_ALU:
		*dst = df_arg_none();
		break;
	case DF_JMP:
		if (op == DF_CALL)
			for (int r = 0; r <= 5; r++)
				st->loc[r] = df_arg_none();
		break;
	case DF_LDX:
		xfer_ldx(env, insn, st);
		break;
	case DF_LD:
		if (DF_MODE(insn->code) == DF_IMM)
			*dst = df_arg_none();
		break;
	case DF_STX:
		xfer_stx(env, insn, st);
		break;
	case DF_ST:
		if (DF_MODE(insn->code) == DF_MEM &&
		    may_be_local(env->depth, insn->dst_reg, dst))
			clear_all_offs(insn, dst, insn->dst_reg, st,
				       size_bytes(insn->code));
		break;
	default:
		break;
	}
}

void df_at_xfer(const struct df_at_env *env, const struct df_insn *insn,
		struct df_argtrack_state *st)
{
	xfer(env, insn, st);
}

/* ---- the analysis' transfer: the above in a context, and its log ---- */

static const struct df_at_record *record(const struct df_argtrack_priv *p, uint32_t entry)
{
	return entry < p->rec_cnt ? p->recs[entry] : NULL;
}

/* Spill slots of frame `frame` at the call that created frame + 1. */
static const struct df_arg *parent_spills(void *cookie, int frame)
{
	const struct df_argtrack_priv *p = ((const void **)cookie)[0];
	const struct df_at_record *r = ((const void **)cookie)[1];

	while (r && r->caller_depth > frame)
		r = record(p, r->parent);
	if (!r || r->caller_depth != frame)
		return NULL;
	return &r->st.loc[DF_ARG_SPILL0];
}

/* The env and log of context c with entry record entry (see cur_ctx). */
static void enter_ctx(struct df_argtrack_priv *p, const struct df_ctx *c, uint32_t entry)
{
	const struct df_at_record *r = record(p, entry);

	p->cookie[0] = p;
	p->cookie[1] = r;
	p->env.depth = (int)c->depth;
	p->env.in_sa = r ? &r->st.loc[DF_ARG_SA0] : NULL;
	p->env.parent_spills = parent_spills;
	p->env.cookie = (void *)p->cookie;
	p->cur_log = c->context != UINT32_MAX ?
		     df_at_log_ctx(&p->log, c->context, c->subprog) : NULL;
	if (!p->cur_log && c->context != UINT32_MAX && !p->err)
		p->err = -ENOMEM;
	p->cur_ctx = c->context;
	p->cur_entry = entry;
}

/* df_at_transfer() over the instructions in [first, end), in place: the same context throughout. */
void df_at_transfer_range(const struct df_ctx *c, uint32_t first, uint32_t end, void *state)
{
	struct df_argtrack_priv *p = c->priv;
	struct df_argtrack_state *st = state;
	const struct df_insn *insns = c->prog->insns;
	const uint32_t *slot = p->log.slot;
	const struct df_at_env *env;
	struct df_arg *log;

	/* the transfer keeps entry */
	if (p->cur_ctx != c->context || p->cur_entry != st->entry || c->context == UINT32_MAX)
		enter_ctx(p, c, st->entry);
	log = p->cur_log;
	env = &p->env;
	for (uint32_t pc = first; pc < end; pc += df_insn_slots(&insns[pc])) {
		uint32_t sl = slot[pc];

		if (sl != DF_AT_NO_SLOT && log)
			df_at_log_put_slot(log, sl, st);
		xfer(env, &insns[pc], st);
	}
}

void df_at_transfer(const struct df_ctx *c, uint32_t pc, const void *in, void *out)
{
	struct df_argtrack_priv *p = c->priv;
	const struct df_argtrack_state *is = in;

	if (p->cur_ctx != c->context || p->cur_entry != is->entry || c->context == UINT32_MAX)
		enter_ctx(p, c, is->entry);
	if (p->log.slot[pc] != DF_AT_NO_SLOT && p->cur_log)
		df_at_log_put(&p->log, p->cur_log, pc, is);
	if (in != out)
		memcpy(out, in, sizeof(*is));
	xfer(&p->env, &c->prog->insns[pc], out);
}

// SPDX-License-Identifier: BSD-2-Clause
/*
 * Conditional jumps: which way they can go, and what each way teaches.
 *
 * vf_scalar_branch_taken() and vf_scalar_refine() are the pure parts for
 * two scalars, after the kernel's is_scalar_branch_taken() and
 * regs_refine_cond_op(): "a > b" and friends are turned around into
 * "b < a" so that only <, <=, ==, != and JSET remain; the ranges of the
 * chosen width (64-bit or the low 32 bits for JMP32) are cut, and
 * vf_reg_bounds_sync() carries the cut to the other views. A refinement
 * whose result is empty means the direction cannot happen: the explorer
 * drops that path. Emptiness is only claimed when some view really became
 * empty (each view stays a superset of the possible values), including
 * the wrap-around corners (a < 0 unsigned, x != x) checked up front.
 *
 * Pointers: a maybe-null pointer compared with 0 becomes the scalar 0 on
 * one side and a non-null pointer on the other, in every register, spill
 * and outgoing stack argument of every frame sharing its id; a pointer
 * that cannot be null is never equal to 0. A packet pointer compared with
 * pkt_end (or pkt_meta with pkt) gives every packet pointer of its id the
 * bytes proven readable (the kernel's find_good_pkt_pointers). A pointer
 * may also be compared with the constant 0 in any way, which teaches
 * nothing else. Any other comparison involving a pointer is refused ("R%d
 * pointer comparison prohibited"), as the kernel does for unprivileged
 * programs. Scalars that share an id (copies) receive the same refinement.
 */
#include "vf.h"

#define JSET_NOT	(DF_JSET | DF_X)	/* the fall-through of JSET */
#define MAX_PACKET_OFF	0xffff

/* a OP b is b FLIP(OP) a */
static uint8_t flip_op(uint8_t op)
{
	switch (op) {
	case DF_JGE: return DF_JLE;
	case DF_JGT: return DF_JLT;
	case DF_JLE: return DF_JGE;
	case DF_JLT: return DF_JGT;
	case DF_JSGE: return DF_JSLE;
	case DF_JSGT: return DF_JSLT;
	case DF_JSLE: return DF_JSGE;
	case DF_JSLT: return DF_JSGT;
	default: return op;
	}
}

/* The condition that holds when the jump is not taken. */
static uint8_t rev_op(uint8_t op)
{
	switch (op) {
	case DF_JEQ: return DF_JNE;
	case DF_JNE: return DF_JEQ;
	case DF_JSET: return JSET_NOT;
	case JSET_NOT: return DF_JSET;
	case DF_JGE: return DF_JLT;
	case DF_JGT: return DF_JLE;
	case DF_JLE: return DF_JGT;
	case DF_JLT: return DF_JGE;
	case DF_JSGE: return DF_JSLT;
	case DF_JSGT: return DF_JSLE;
	case DF_JSLE: return DF_JSGT;
	case DF_JSLT: return DF_JSGE;
	default: return 0;
	}
}

static bool reg_const(const struct df_vreg *r, bool jmp32)
{
	return vf_tnum_is_const(jmp32 ? vf_tnum_subreg(r->var_off) : r->var_off);
}

static uint64_t reg_const_val(const struct df_vreg *r, bool jmp32)
{
	return jmp32 ? (uint32_t)r->var_off.value : r->var_off.value;
}

/* The bounds of the compared width, widened to 64 bits. */
struct view {
	struct df_tnum t;
	uint64_t umin, umax;
	int64_t smin, smax;
};

static struct view view_of(const struct df_vreg *r, bool jmp32)
{
	if (jmp32)
		return (struct view){ vf_tnum_subreg(r->var_off), r->u32min, r->u32max,
				      r->s32min, r->s32max };
	return (struct view){ r->var_off, r->umin, r->umax, r->smin, r->smax };
}

/* Outcome of a OP b when a and b are the same register. */
static int same_reg_taken(const struct df_vreg *a, uint8_t op, bool jmp32)
{
	struct view v = view_of(a, jmp32);

	switch (op) {
	case DF_JGE: case DF_JLE: case DF_JSGE: case DF_JSLE: case DF_JEQ:
		return 1;
	case DF_JGT: case DF_JLT: case DF_JSGT: case DF_JSLT: case DF_JNE:
		return 0;
	case DF_JSET:
		if (vf_tnum_is_const(v.t))
			return v.t.value != 0;
		return v.smin <= 0 && v.smax >= 0 ? -1 : 1;
	default:
		return -1;
	}
}

int vf_scalar_branch_taken(const struct df_vreg *a, const struct df_vreg *b, uint8_t op,
			   bool jmp32)
{
	struct view x, y, tmp;

	if (a == b)
		return same_reg_taken(a, op, jmp32);
	x = view_of(a, jmp32);
	y = view_of(b, jmp32);
	switch (op) {
	case DF_JEQ:
	case DF_JNE:
		if (vf_tnum_is_const(x.t) && vf_tnum_is_const(y.t))
			return (x.t.value == y.t.value) == (op == DF_JEQ);
		if (!vf_tnum_overlap(x.t, y.t) || x.umin > y.umax || x.umax < y.umin ||
		    x.smin > y.smax || x.smax < y.smin ||
		    (!jmp32 && (a->u32min > b->u32max || a->u32max < b->u32min ||
				a->s32min > b->s32max || a->s32max < b->s32min)))
			return op == DF_JNE;
		return -1;
	case DF_JSET:
		if (!reg_const(b, jmp32)) {
			tmp = x;
			x = y;
			y = tmp;
			if (!reg_const(a, jmp32))
				return -1;
		}
		if (x.t.value & y.t.value)
			return 1;
		if (!((x.t.value | x.t.mask) & y.t.value))
			return 0;
		return -1;
	case DF_JGT:
		return x.umin > y.umax ? 1 : x.umax <= y.umin ? 0 : -1;
	case DF_JSGT:
		return x.smin > y.smax ? 1 : x.smax <= y.smin ? 0 : -1;
	case DF_JLT:
		return x.umax < y.umin ? 1 : x.umin >= y.umax ? 0 : -1;
	case DF_JSLT:
		return x.smax < y.smin ? 1 : x.smin >= y.smax ? 0 : -1;
	case DF_JGE:
		return x.umin >= y.umax ? 1 : x.umax < y.umin ? 0 : -1;
	case DF_JSGE:
		return x.smin >= y.smax ? 1 : x.smax < y.smin ? 0 : -1;
	case DF_JLE:
		return x.umax <= y.umin ? 1 : x.umin > y.umax ? 0 : -1;
	case DF_JSLE:
		return x.smax <= y.smin ? 1 : x.smin > y.smax ? 0 : -1;
	default:
		return -1;
	}
}

static void swap_regs(struct df_vreg **a, struct df_vreg **b)
{
	struct df_vreg *t = *a;

	*a = *b;
	*b = t;
}

/* a != val: step the bounds that sit exactly on val; 1 if a can only be val. */
static int refine_ne(struct df_vreg *a, uint64_t val, bool jmp32)
{
	if (reg_const(a, jmp32))
		return reg_const_val(a, jmp32) == val;
	if (jmp32) {
		if (a->u32min == (uint32_t)val)
			a->u32min++;
		if (a->u32max == (uint32_t)val)
			a->u32max--;
		if (a->s32min == (int32_t)(uint32_t)val)
			a->s32min++;
		if (a->s32max == (int32_t)(uint32_t)val)
			a->s32max--;
	} else {
		if (a->umin == val)
			a->umin++;
		if (a->umax == val)
			a->umax--;
		if (a->smin == (int64_t)val)
			a->smin++;
		if (a->smax == (int64_t)val)
			a->smax--;
	}
	return 0;
}

/*
 * Cut a and b to "a OP b" (OP among JEQ JNE JSET JSET_NOT JLE JLT JSLE
 * JSLT after flipping). Returns 1 when the condition cannot hold.
 */
static int refine_op(struct df_vreg *a, struct df_vreg *b, uint8_t op, bool jmp32)
{
	struct df_tnum t, t1, t2;
	uint64_t val;

	switch (op) {
	case DF_JGE: case DF_JGT: case DF_JSGE: case DF_JSGT:
		op = flip_op(op);
		swap_regs(&a, &b);
		break;
	}
	switch (op) {
	case DF_JEQ:
		if (jmp32) {
			t1 = vf_tnum_subreg(a->var_off);
			t2 = vf_tnum_subreg(b->var_off);
			if (!vf_tnum_overlap(t1, t2))
				return 1;
			a->u32min = b->u32min = a->u32min > b->u32min ? a->u32min : b->u32min;
			a->u32max = b->u32max = a->u32max < b->u32max ? a->u32max : b->u32max;
			a->s32min = b->s32min = a->s32min > b->s32min ? a->s32min : b->s32min;
			a->s32max = b->s32max = a->s32max < b->s32max ? a->s32max : b->s32max;
			t = vf_tnum_intersect(t1, t2);
			a->var_off = vf_tnum_with_subreg(a->var_off, t);
			b->var_off = vf_tnum_with_subreg(b->var_off, t);
		} else {
			if (!vf_tnum_overlap(a->var_off, b->var_off))
				return 1;
			a->umin = b->umin = a->umin > b->umin ? a->umin : b->umin;
			a->umax = b->umax = a->umax < b->umax ? a->umax : b->umax;
			a->smin = b->smin = a->smin > b->smin ? a->smin : b->smin;
			a->smax = b->smax = a->smax < b->smax ? a->smax : b->smax;
			a->var_off = b->var_off = vf_tnum_intersect(a->var_off, b->var_off);
		}
		return 0;
	case DF_JNE:
		if (!reg_const(b, jmp32))
			swap_regs(&a, &b);
		if (!reg_const(b, jmp32))
			return 0;
		return refine_ne(a, reg_const_val(b, jmp32), jmp32);
	case DF_JSET:
	case JSET_NOT:
		if (!reg_const(b, jmp32))
			swap_regs(&a, &b);
		if (!reg_const(b, jmp32))
			return 0;
		val = reg_const_val(b, jmp32);
		t = jmp32 ? vf_tnum_subreg(a->var_off) : a->var_off;
		if (op == DF_JSET) {
			/* some bit of val is set: learnt exactly only for a single bit */
			if (!((t.value | t.mask) & val))
				return 1;
			if (val & (val - 1))
				return 0;
			t = vf_tnum_or(t, vf_tnum_const(val));
		} else {
			if (t.value & val)
				return 1;
			vf_mark_unbounded(a);
			t = vf_tnum_and(t, vf_tnum_const(~val));
		}
		a->var_off = jmp32 ? vf_tnum_with_subreg(a->var_off, t) : t;
		return 0;
	case DF_JLE:
		if (jmp32) {
			if (a->u32max > b->u32max)
				a->u32max = b->u32max;
			if (b->u32min < a->u32min)
				b->u32min = a->u32min;
		} else {
			if (a->umax > b->umax)
				a->umax = b->umax;
			if (b->umin < a->umin)
				b->umin = a->umin;
		}
		return 0;
	case DF_JLT:
		if (jmp32) {
			if (!b->u32max || a->u32min == UINT32_MAX)
				return 1;
			if (a->u32max > b->u32max - 1)
				a->u32max = b->u32max - 1;
			if (b->u32min < a->u32min + 1)
				b->u32min = a->u32min + 1;
		} else {
			if (!b->umax || a->umin == UINT64_MAX)
				return 1;
			if (a->umax > b->umax - 1)
				a->umax = b->umax - 1;
			if (b->umin < a->umin + 1)
				b->umin = a->umin + 1;
		}
		return 0;
	case DF_JSLE:
		if (jmp32) {
			if (a->s32max > b->s32max)
				a->s32max = b->s32max;
			if (b->s32min < a->s32min)
				b->s32min = a->s32min;
		} else {
			if (a->smax > b->smax)
				a->smax = b->smax;
			if (b->smin < a->smin)
				b->smin = a->smin;
		}
		return 0;
	case DF_JSLT:
		if (jmp32) {
			if (b->s32max == INT32_MIN || a->s32min == INT32_MAX)
				return 1;
			if (a->s32max > b->s32max - 1)
				a->s32max = b->s32max - 1;
			if (b->s32min < a->s32min + 1)
				b->s32min = a->s32min + 1;
		} else {
			if (b->smax == INT64_MIN || a->smin == INT64_MAX)
				return 1;
			if (a->smax > b->smax - 1)
				a->smax = b->smax - 1;
			if (b->smin < a->smin + 1)
				b->smin = a->smin + 1;
		}
		return 0;
	default:
		return 0;
	}
}

int vf_scalar_refine(struct df_vreg *a, struct df_vreg *b, uint8_t op, bool jmp32, bool taken)
{
	int r;

	if (a == b) {
		r = same_reg_taken(a, op, jmp32);
		return r >= 0 && r != taken;
	}
	if (!taken)
		op = rev_op(op);
	if (refine_op(a, b, op, jmp32))
		return 1;
	vf_reg_bounds_sync(a);
	vf_reg_bounds_sync(b);
	return !vf_reg_bounds_ok(a) || !vf_reg_bounds_ok(b);
}

/* ---- registers of the whole state ---- */

typedef void (*reg_fn)(struct df_vreg *r, void *arg);

/* Every register, spilled register and outgoing stack argument of st. */
static void for_each_reg(struct df_vstate *st, reg_fn fn, void *arg)
{
	uint32_t i, j;

	for (i = 0; i <= st->curframe; i++) {
		struct df_vframe *f = st->frame[i];

		if (!f)
			continue;
		for (j = 0; j < DF_NREGS; j++)
			fn(&f->regs[j], arg);
		for (j = 0; j < f->allocated / 8; j++)
			if (vf_slot_has_spill(&f->stack[j]))
				fn(&f->stack[j].spill, arg);
		for (j = 0; j < f->out_stack_arg_cnt && j < DF_MAX_STACK_ARG_SLOTS; j++)
			fn(&f->stack_args[j], arg);
	}
}

struct null_mark {
	uint32_t id;
	bool is_null;
};

static void mark_null_one(struct df_vreg *r, void *arg)
{
	const struct null_mark *m = arg;

	if (!(r->flags & DF_VF_MAYBE_NULL) || r->id != m->id)
		return;
	if (m->is_null) {
		vf_mark_known_zero(r);
		return;
	}
	r->flags &= ~DF_VF_MAYBE_NULL;
	r->id = 0;
}

/* The maybe-null pointer in regno is NULL (is_null) or not, and so are its copies. */
static void mark_ptr_or_null(struct df_vstate *st, uint32_t regno, bool is_null)
{
	struct df_vreg *reg = &vf_cur_frame(st)->regs[regno];
	struct null_mark m = { .id = reg->id, .is_null = is_null };

	if (is_null && reg->ref_obj_id && reg->ref_obj_id == reg->id)
		vf_state_del_ref(st, reg->id);	/* nothing was acquired */
	if (!m.id) {
		mark_null_one(reg, &m);
		return;
	}
	for_each_reg(st, mark_null_one, &m);
}

struct linked {
	const struct df_vreg *known;
};

static void sync_one(struct df_vreg *r, void *arg)
{
	const struct linked *l = arg;

	if (r != l->known && r->type == DF_SCALAR && r->id == l->known->id)
		*r = *l->known;
}

/* Scalars with known's id hold the same value: give them its bounds. */
static void sync_linked(struct df_vstate *st, const struct df_vreg *known)
{
	struct linked l = { .known = known };

	if (known->type == DF_SCALAR && known->id)
		for_each_reg(st, sync_one, &l);
}

struct pkt_range {
	uint8_t type;
	uint32_t id;
	uint32_t range;
};

static void pkt_range_one(struct df_vreg *r, void *arg)
{
	const struct pkt_range *p = arg;

	if (r->type == p->type && r->id == p->id && r->aux < p->range)
		r->aux = p->range;
}

/* pkt (+ its offset) <= the end (strict: <): its id's bytes [0, off) are readable. */
static void find_good_pkt_pointers(struct df_vstate *st, const struct df_vreg *pkt, bool strict)
{
	struct pkt_range p = { .type = pkt->type, .id = pkt->id };

	if (pkt->off < 0 || (pkt->off == 0 && strict))
		return;
	if (pkt->umax > MAX_PACKET_OFF || pkt->umax + (uint64_t)pkt->off > MAX_PACKET_OFF)
		return;
	p.range = (uint32_t)pkt->off + strict;
	for_each_reg(st, pkt_range_one, &p);
}

static bool is_pkt_any(const struct df_vreg *r)
{
	return r->type == DF_PTR_TO_PACKET || r->type == DF_PTR_TO_PACKET_META ||
	       r->type == DF_PTR_TO_PACKET_END;
}

static bool is_init_pkt(const struct df_vreg *r)
{
	return r->type == DF_PTR_TO_PACKET && !r->id && !r->off &&
	       vf_tnum_is_const(r->var_off) && !r->var_off.value;
}

/* 1: dst and src are a data pointer and its end; -1: the end and a data pointer; 0: neither. */
static int pkt_pair(const struct df_vreg *dst, const struct df_vreg *src)
{
	if ((dst->type == DF_PTR_TO_PACKET && src->type == DF_PTR_TO_PACKET_END) ||
	    (dst->type == DF_PTR_TO_PACKET_META && is_init_pkt(src)))
		return 1;
	if ((dst->type == DF_PTR_TO_PACKET_END && src->type == DF_PTR_TO_PACKET) ||
	    (is_init_pkt(dst) && src->type == DF_PTR_TO_PACKET_META))
		return -1;
	return 0;
}

static bool is_ordering(uint8_t op)
{
	return op == DF_JGT || op == DF_JLT || op == DF_JGE || op == DF_JLE;
}

/* Types the kernel knows are never NULL once checked (reg_not_null). */
static bool not_null(const struct df_vreg *r)
{
	if (r->flags & DF_VF_MAYBE_NULL)
		return false;
	switch (r->type) {
	case DF_PTR_TO_SOCKET:
	case DF_PTR_TO_MAP_VALUE:
	case DF_PTR_TO_MAP_KEY:
	case DF_PTR_TO_MEM:
	case DF_CONST_PTR_TO_MAP:
		return true;
	default:
		return false;
	}
}

struct operands {
	struct df_vreg *dst, *src;	/* src: the frame's register or imm below */
	struct df_vreg imm;
	uint8_t op;
	bool jmp32, x;
};

static void get_operands(struct df_vstate *st, const struct df_insn *insn, struct operands *o)
{
	struct df_vreg *regs = vf_cur_frame(st)->regs;

	o->op = DF_OP(insn->code);
	o->jmp32 = DF_CLASS(insn->code) == DF_JMP32;
	o->x = DF_SRC(insn->code) == DF_X;
	o->dst = &regs[insn->dst_reg];
	if (o->x) {
		o->src = &regs[insn->src_reg];
	} else {
		vf_mark_known(&o->imm, (uint64_t)(int64_t)insn->imm);
		o->src = &o->imm;
	}
}

static bool is_zero(const struct df_vreg *r, bool jmp32)
{
	return r->type == DF_SCALAR && reg_const(r, jmp32) && !reg_const_val(r, jmp32);
}

/* A maybe-null pointer compared with the constant 0 (the null check). */
static bool is_null_check(const struct operands *o, const struct df_insn *insn)
{
	return !o->jmp32 && !o->x && !insn->imm && (o->op == DF_JEQ || o->op == DF_JNE) &&
	       (o->dst->flags & DF_VF_MAYBE_NULL) && vf_reg_is_pointer(o->dst);
}

/* Pointer against a constant: only "non-null pointer ==/!= 0" has an answer. */
static int ptr_taken(const struct operands *o)
{
	const struct df_vreg *p = o->dst, *c = o->src;
	uint8_t op = o->op;

	if (!reg_const(c, o->jmp32)) {
		p = o->src;
		c = o->dst;
	}
	if (!vf_reg_is_pointer(p) || c->type != DF_SCALAR || !reg_const(c, o->jmp32))
		return -1;
	if (!not_null(p) || reg_const_val(c, o->jmp32))
		return -1;
	return op == DF_JEQ ? 0 : op == DF_JNE ? 1 : -1;
}

int vf_branch_taken(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn)
{
	struct operands o;
	int err, pred;

	get_operands(st, insn, &o);
	if (o.op == DF_JA || o.op == DF_CALL || o.op == DF_EXIT || o.op >= DF_JCOND)
		return vf_err(env, "invalid BPF_JMP/JMP32 opcode %x", o.op);
	if (insn->dst_reg >= DF_NREGS)
		return vf_err(env, "R%u is invalid", insn->dst_reg);
	if (o.x && insn->src_reg >= DF_NREGS)
		return vf_err(env, "R%u is invalid", insn->src_reg);
	err = vf_check_reg_read(env, st, insn->dst_reg);
	if (!err && o.x)
		err = vf_check_reg_read(env, st, insn->src_reg);
	if (err)
		return err;
	if (o.x && vf_reg_is_pointer(o.src) && !(is_pkt_any(o.dst) && is_pkt_any(o.src)))
		return vf_err(env, "R%u pointer comparison prohibited", insn->src_reg);

	if (is_pkt_any(o.dst) && is_pkt_any(o.src) && !o.jmp32)
		pred = -1;	/* no "beyond pkt_end" markers are tracked */
	else if (vf_reg_is_pointer(o.dst) || vf_reg_is_pointer(o.src))
		pred = ptr_taken(&o);
	else
		pred = vf_scalar_branch_taken(o.dst, o.src, o.op, o.jmp32);
	if (pred >= 0 || !vf_reg_is_pointer(o.dst) || is_zero(o.src, o.jmp32))
		return pred;
	if (o.x && !o.jmp32 && is_ordering(o.op) && pkt_pair(o.dst, o.src))
		return pred;
	return vf_err(env, "R%u pointer comparison prohibited", insn->dst_reg);
}

int vf_branch_refine(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn,
		     bool taken)
{
	struct operands o;
	struct df_vreg a, b;
	uint8_t holds;
	int pair, pred;

	get_operands(st, insn, &o);
	if (o.dst->type == DF_SCALAR && o.src->type == DF_SCALAR) {
		if (o.dst == o.src)
			return vf_scalar_refine(o.dst, o.src, o.op, o.jmp32, taken);
		a = *o.dst;
		b = *o.src;
		if (vf_scalar_refine(&a, &b, o.op, o.jmp32, taken))
			return 1;
		*o.dst = a;
		if (o.x) {
			*o.src = b;
			sync_linked(st, o.src);
		}
		sync_linked(st, o.dst);
		return 0;
	}
	if (is_null_check(&o, insn)) {
		mark_ptr_or_null(st, insn->dst_reg, (o.op == DF_JEQ) == taken);
		return 0;
	}
	if (vf_reg_is_pointer(o.dst) || vf_reg_is_pointer(o.src)) {
		pred = ptr_taken(&o);
		if (pred >= 0 && pred != taken)
			return 1;
	}
	pair = o.x && !o.jmp32 ? pkt_pair(o.dst, o.src) : 0;
	if (!pair || !is_ordering(o.op))
		return 0;
	/* make it "dst OP src" as it holds on this side */
	holds = taken ? o.op : rev_op(o.op);
	if (pair > 0 && (holds == DF_JLE || holds == DF_JLT))
		find_good_pkt_pointers(st, o.dst, holds == DF_JLT);
	else if (pair < 0 && (holds == DF_JGE || holds == DF_JGT))
		find_good_pkt_pointers(st, o.src, holds == DF_JGT);
	return 0;
}

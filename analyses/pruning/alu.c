// SPDX-License-Identifier: BSD-2-Clause
/*
 * ALU and ALU64 instructions over the abstract registers.
 *
 * vf_scalar_alu() is the pure transfer function for scalar OP scalar, the
 * kernel's adjust_scalar_min_max_vals(): each operation updates the tnum
 * and the 32- and 64-bit ranges on its own, a 32-bit operation is then
 * zero-extended, and vf_reg_bounds_sync() lets the views tighten each
 * other. Operations whose result the kernel does not bound (division by
 * a non-constant, a variable or out-of-range shift amount) give an unknown
 * scalar, as in the kernel. BPF defines x / 0 = 0 and x % 0 = x.
 *
 * vf_alu() adds the register checks; arithmetic with a pointer operand is
 * in ptralu.c. A 32-bit copy, sign extension, negation or byte swap of a
 * pointer gives an unknown scalar.
 *
 * Scalar ids: rX = rY of a scalar gives both the same id (a fresh one if
 * rY had none and is not a constant), so a later branch on one refines the
 * other; any other write clears the id.
 */
#include "vf.h"

#define S32_MIN INT32_MIN
#define S32_MAX INT32_MAX

/* ---- scalar arithmetic: the ranges of one width (64, or the low 32 bits) ---- */

struct rv {
	int64_t smin, smax;
	uint64_t umin, umax;
	bool w32;
};

static struct rv rv_get(const struct df_vreg *r, bool w32)
{
	if (w32)
		return (struct rv){ r->s32min, r->s32max, r->u32min, r->u32max, true };
	return (struct rv){ r->smin, r->smax, r->umin, r->umax, false };
}

static void rv_put(struct df_vreg *r, const struct rv *v)
{
	if (v->w32) {
		r->s32min = (int32_t)v->smin;
		r->s32max = (int32_t)v->smax;
		r->u32min = (uint32_t)v->umin;
		r->u32max = (uint32_t)v->umax;
	} else {
		r->smin = v->smin;
		r->smax = v->smax;
		r->umin = v->umin;
		r->umax = v->umax;
	}
}

static void rv_sfull(struct rv *v)
{
	v->smin = v->w32 ? S32_MIN : INT64_MIN;
	v->smax = v->w32 ? S32_MAX : INT64_MAX;
}

static void rv_ufull(struct rv *v)
{
	v->umin = 0;
	v->umax = v->w32 ? UINT32_MAX : UINT64_MAX;
}

/* a OP b ('+', '-', '*') in the width: the wrapped result, true when it wrapped. */
static bool sop(bool w32, char op, int64_t a, int64_t b, int64_t *res)
{
	int64_t x;

	if (w32) {
		x = op == '+' ? a + b : op == '-' ? a - b : a * b;
		*res = (int32_t)(uint32_t)(uint64_t)x;
		return x != *res;
	}
	if (op == '+')
		return __builtin_add_overflow(a, b, res);
	if (op == '-')
		return __builtin_sub_overflow(a, b, res);
	return __builtin_mul_overflow(a, b, res);
}

static bool uop(bool w32, char op, uint64_t a, uint64_t b, uint64_t *res)
{
	uint64_t x;

	if (w32) {
		x = op == '+' ? a + b : op == '-' ? a - b : a * b;
		*res = (uint32_t)x;
		return x != *res;
	}
	if (op == '+')
		return __builtin_add_overflow(a, b, res);
	if (op == '-')
		return __builtin_sub_overflow(a, b, res);
	return __builtin_mul_overflow(a, b, res);
}

static void rv_add(struct rv *d, const struct rv *s)
{
	bool of_min, of_max;

	if (sop(d->w32, '+', d->smin, s->smin, &d->smin) |
	    sop(d->w32, '+', d->smax, s->smax, &d->smax))
		rv_sfull(d);
	/* all sums wrap or none does: the wrapped bounds stay ordered */
	of_min = uop(d->w32, '+', d->umin, s->umin, &d->umin);
	of_max = uop(d->w32, '+', d->umax, s->umax, &d->umax);
	if (!of_min && of_max)
		rv_ufull(d);
}

static void rv_sub(struct rv *d, const struct rv *s)
{
	bool uf_min, uf_max;

	if (sop(d->w32, '-', d->smin, s->smax, &d->smin) |
	    sop(d->w32, '-', d->smax, s->smin, &d->smax))
		rv_sfull(d);
	uf_min = uop(d->w32, '-', d->umin, s->umax, &d->umin);
	uf_max = uop(d->w32, '-', d->umax, s->umin, &d->umax);
	if (uf_min && !uf_max)
		rv_ufull(d);
}

static void rv_mul(struct rv *d, const struct rv *s)
{
	int64_t p[4];
	int i;

	if (uop(d->w32, '*', d->umax, s->umax, &d->umax) |
	    uop(d->w32, '*', d->umin, s->umin, &d->umin))
		rv_ufull(d);
	if (sop(d->w32, '*', d->smin, s->smin, &p[0]) | sop(d->w32, '*', d->smin, s->smax, &p[1]) |
	    sop(d->w32, '*', d->smax, s->smin, &p[2]) | sop(d->w32, '*', d->smax, s->smax, &p[3])) {
		rv_sfull(d);
		return;
	}
	d->smin = d->smax = p[0];
	for (i = 1; i < 4; i++) {
		if (p[i] < d->smin)
			d->smin = p[i];
		if (p[i] > d->smax)
			d->smax = p[i];
	}
}

/*
 * Division and modulo by a non-zero constant: the ranges of one kind
 * follow, the other kind, the other width and the tnum are re-derived.
 */
static void rv_div(struct rv *d, const struct rv *c, bool sgn)
{
	int64_t lo = d->w32 ? S32_MIN : INT64_MIN, a, b;

	if (!sgn) {
		d->umin /= c->umin;
		d->umax /= c->umin;
		rv_sfull(d);
		return;
	}
	if (d->smin == lo && c->smin == -1) {
		/* MIN / -1 is MIN; anything else in the range flips sign */
		if (d->smax != lo)
			rv_sfull(d);
	} else {
		a = d->smin / c->smin;
		b = d->smax / c->smin;
		d->smin = a < b ? a : b;
		d->smax = a < b ? b : a;
	}
	rv_ufull(d);
}

/* Returns false when x % c == x for the whole range (nothing changes). */
static bool rv_mod(struct rv *d, const struct rv *c, bool sgn)
{
	uint64_t abs;
	int64_t lim;

	if (!sgn) {
		if (d->umax <= c->umin - 1)
			return false;
		d->umin = 0;
		if (d->umax > c->umin - 1)
			d->umax = c->umin - 1;
		rv_sfull(d);
		return true;
	}
	/* the result has the dividend's sign and a magnitude below |c| */
	abs = c->smin > 0 ? (uint64_t)c->smin : -(uint64_t)c->smin;
	lim = (int64_t)(abs - 1);
	if (d->smin >= -lim && d->smax <= lim)
		return false;
	if (d->smin >= 0) {
		d->smin = 0;
		if (d->smax > lim)
			d->smax = lim;
	} else if (d->smax <= 0) {
		d->smax = 0;
		if (d->smin < -lim)
			d->smin = -lim;
	} else {
		d->smin = -lim;
		d->smax = lim;
	}
	rv_ufull(d);
	return true;
}

/*
 * AND, OR, XOR once the new tnum is in d: it gives one or both unsigned
 * bounds; signed bounds follow when the unsigned range keeps its sign.
 */
static void bitop(struct df_vreg *d, const struct df_vreg *s, uint8_t op, bool w32)
{
	struct df_tnum t = w32 ? vf_tnum_subreg(d->var_off) : d->var_off;
	struct rv v = rv_get(d, w32), sv = rv_get(s, w32);
	bool crosses;

	if (vf_tnum_is_const(w32 ? vf_tnum_subreg(s->var_off) : s->var_off) &&
	    vf_tnum_is_const(t)) {
		if (w32)
			vf_reg_set_known32(d, (uint32_t)t.value);
		else
			vf_reg_set_known(d, t.value);
		return;
	}
	if (op == DF_AND) {
		v.umin = t.value;
		if (sv.umax < v.umax)
			v.umax = sv.umax;
	} else {
		v.umax = t.value | t.mask;
		if (op == DF_XOR)
			v.umin = t.value;
		else if (sv.umin > v.umin)
			v.umin = sv.umin;
	}
	crosses = w32 ? (int32_t)v.umin > (int32_t)v.umax : (int64_t)v.umin > (int64_t)v.umax;
	if (crosses) {
		rv_sfull(&v);
	} else {
		v.smin = w32 ? (int32_t)v.umin : (int64_t)v.umin;
		v.smax = w32 ? (int32_t)v.umax : (int64_t)v.umax;
	}
	rv_put(d, &v);
	if (!w32)
		vf_reg_update_bounds(d);
}

static void lsh32_bounds(struct df_vreg *d, uint64_t sh)
{
	d->s32min = S32_MIN;
	d->s32max = S32_MAX;
	if (sh > 31 || d->u32max > (UINT64_C(1) << (31 - sh))) {
		d->u32min = 0;
		d->u32max = UINT32_MAX;
	} else {
		d->u32min <<= sh;
		d->u32max <<= sh;
	}
}

static void lsh64(struct df_vreg *d, uint8_t sh)
{
	/* << 32 of a 32-bit range keeps its sign: the usual sign-extension idiom */
	if (sh == 32) {
		d->smin = (int64_t)((uint64_t)(int64_t)d->s32min << 32);
		d->smax = (int64_t)((uint64_t)(int64_t)d->s32max << 32);
	} else {
		d->smin = INT64_MIN;
		d->smax = INT64_MAX;
	}
	if (d->umax > (UINT64_C(1) << (63 - sh))) {
		d->umin = 0;
		d->umax = UINT64_MAX;
	} else {
		d->umin <<= sh;
		d->umax <<= sh;
	}
	lsh32_bounds(d, sh);
	d->var_off = vf_tnum_lshift(d->var_off, sh);
	vf_reg_update_bounds(d);
}

static void lsh32(struct df_vreg *d, uint8_t sh)
{
	struct df_tnum sub = vf_tnum_subreg(d->var_off);

	lsh32_bounds(d, sh);
	d->var_off = vf_tnum_subreg(vf_tnum_lshift(sub, sh));
	vf_mark_unbounded64(d);
	vf_reg_update_bounds(d);
}

/* RSH, ARSH by a constant: one kind of range follows, the other comes back from the tnum. */
static void rshift(struct df_vreg *d, uint8_t sh, bool arith, bool w32)
{
	struct df_tnum t = w32 ? vf_tnum_subreg(d->var_off) : d->var_off;
	struct rv v = rv_get(d, w32);

	if (arith) {
		v.smin >>= sh;
		v.smax >>= sh;
		rv_ufull(&v);
		d->var_off = vf_tnum_arshift(t, sh, w32 ? 32 : 64);
	} else {
		v.umin >>= sh;
		v.umax >>= sh;
		rv_sfull(&v);
		d->var_off = vf_tnum_rshift(t, sh);
	}
	rv_put(d, &v);
	if (w32)
		vf_mark_unbounded64(d);
	else
		vf_mark_unbounded32(d);
	vf_reg_update_bounds(d);
}

/* BPF_END on a little-endian machine: TO_BE and ALU64 bswap swap, TO_LE truncates. */
static void byte_swap(struct df_vreg *d, const struct df_insn *insn)
{
	bool swap = DF_CLASS(insn->code) == DF_ALU64 || DF_SRC(insn->code) == DF_TO_BE;
	int32_t bits = insn->imm;

	if (swap) {
		d->var_off = vf_tnum_bswap(d->var_off, (uint8_t)bits);
		vf_mark_unbounded(d);
	}
	if (bits == 16 || bits == 32)
		vf_reg_trunc(d, (uint32_t)bits / 8);
}

/* After a division: the other width and the tnum are re-derived from the result. */
static void reset_other(struct df_vreg *d, bool w32)
{
	if (w32)
		vf_mark_unbounded64(d);
	else
		vf_mark_unbounded32(d);
	d->var_off = vf_tnum_unknown();
}

/* Is src a constant in the width of the operation (the kernel's test)? */
static bool src_is_const(const struct df_vreg *s, bool alu32)
{
	if (alu32)
		return vf_tnum_is_const(vf_tnum_subreg(s->var_off)) && s->s32min == s->s32max &&
		       s->u32min == s->u32max;
	return vf_tnum_is_const(s->var_off) && s->smin == s->smax && s->umin == s->umax;
}

void vf_scalar_alu(struct df_vreg *d, const struct df_vreg *s, const struct df_insn *insn)
{
	uint8_t op = DF_OP(insn->code);
	bool alu32 = DF_CLASS(insn->code) != DF_ALU64;
	bool sconst = src_is_const(s, alu32);
	struct df_vreg neg;
	struct rv v, sv;
	int w;

	switch (op) {
	case DF_DIV:
	case DF_MOD:
		if (!sconst) {
			vf_mark_unknown(d);
			return;
		}
		break;
	case DF_LSH:
	case DF_RSH:
	case DF_ARSH:
		if (!sconst || s->umax >= (alu32 ? 32u : 64u)) {
			vf_mark_unknown(d);
			return;
		}
		break;
	case DF_ADD: case DF_SUB: case DF_NEG: case DF_AND: case DF_OR: case DF_XOR:
	case DF_MUL: case DF_END:
		break;
	default:
		vf_mark_unknown(d);
		return;
	}

	v = rv_get(d, alu32);
	sv = rv_get(s, alu32);
	switch (op) {
	case DF_ADD:
	case DF_SUB:
	case DF_MUL:
		if (op == DF_MUL)
			d->var_off = vf_tnum_mul(d->var_off, s->var_off);
		/* both widths are tracked; a 32-bit result replaces the rest below */
		for (w = 0; w < 2; w++) {
			v = rv_get(d, w == 0);
			sv = rv_get(s, w == 0);
			if (op == DF_ADD)
				rv_add(&v, &sv);
			else if (op == DF_SUB)
				rv_sub(&v, &sv);
			else
				rv_mul(&v, &sv);
			rv_put(d, &v);
		}
		if (op == DF_ADD)
			d->var_off = vf_tnum_add(d->var_off, s->var_off);
		else if (op == DF_SUB)
			d->var_off = vf_tnum_sub(d->var_off, s->var_off);
		break;
	case DF_NEG:
		neg = *d;
		vf_reg_set_known(d, 0);
		for (w = 0; w < 2; w++) {
			v = rv_get(d, w == 0);
			sv = rv_get(&neg, w == 0);
			rv_sub(&v, &sv);
			rv_put(d, &v);
		}
		d->var_off = vf_tnum_neg(neg.var_off);
		break;
	case DF_DIV:
		if (!sv.umin) {
			vf_reg_set_known(d, 0);	/* x / 0 = 0 */
			break;
		}
		rv_div(&v, &sv, insn->off == 1);
		rv_put(d, &v);
		reset_other(d, alu32);
		break;
	case DF_MOD:
		if (sv.umin && rv_mod(&v, &sv, insn->off == 1)) {	/* x % 0 = x */
			rv_put(d, &v);
			reset_other(d, alu32);
		}
		break;
	case DF_AND:
	case DF_OR:
	case DF_XOR:
		if (op == DF_AND)
			d->var_off = vf_tnum_and(d->var_off, s->var_off);
		else if (op == DF_OR)
			d->var_off = vf_tnum_or(d->var_off, s->var_off);
		else
			d->var_off = vf_tnum_xor(d->var_off, s->var_off);
		bitop(d, s, op, true);
		bitop(d, s, op, false);
		break;
	case DF_LSH:
		if (alu32)
			lsh32(d, (uint8_t)s->umin);
		else
			lsh64(d, (uint8_t)s->umin);
		break;
	case DF_RSH:
	case DF_ARSH:
		rshift(d, (uint8_t)s->umin, op == DF_ARSH, alu32);
		break;
	case DF_END:
		byte_swap(d, insn);
		break;
	}
	if (alu32 && op != DF_END)
		vf_reg_assign_zext32(d);
	vf_reg_bounds_sync(d);
}

static int binary_op(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn)
{
	struct df_vreg *regs = vf_cur_frame(st)->regs;
	struct df_vreg *dst = &regs[insn->dst_reg];
	uint8_t op = DF_OP(insn->code);
	bool alu32 = DF_CLASS(insn->code) != DF_ALU64;
	struct df_vreg src;

	if (DF_SRC(insn->code) == DF_X) {
		src = regs[insn->src_reg];
	} else {
		vf_mark_known(&src, (uint64_t)(int64_t)insn->imm);
	}
	if (vf_reg_is_pointer(&src) || vf_reg_is_pointer(dst))
		return vf_ptr_alu(env, insn, dst, &src);

	if ((op == DF_DIV || op == DF_MOD) && DF_SRC(insn->code) == DF_X &&
	    env->opts.div_by_zero && (alu32 ? src.u32min == 0 : src.umin == 0))
		vf_warn(env, "div by zero");
	vf_scalar_alu(dst, &src, insn);
	dst->id = 0;
	return 0;
}

/* ---- moves ---- */

/* Before rX = rY: give a non-constant scalar rY an id that rX will share. */
static void share_id(struct vf_env *env, struct df_vreg *src)
{
	if (src->type == DF_SCALAR && !src->id && !vf_tnum_is_const(src->var_off))
		src->id = vf_new_id(env);
}

static void mov_reg(struct vf_env *env, const struct df_insn *insn, struct df_vreg *regs)
{
	struct df_vreg *src = &regs[insn->src_reg], *dst = &regs[insn->dst_reg];
	bool alu64 = DF_CLASS(insn->code) == DF_ALU64;
	uint32_t size = (uint32_t)insn->off / 8;
	bool keep_id;

	if (src->type != DF_SCALAR) {
		if (alu64 && !insn->off) {
			*dst = *src;
			return;
		}
		/* a partial copy or sign extension of a pointer: just bits */
		vf_mark_unknown(dst);
		if (!alu64)
			vf_reg_zext32(dst);
		return;
	}
	if (!insn->off)
		keep_id = alu64 || src->umax <= UINT32_MAX;
	else
		keep_id = src->umax < (UINT64_C(1) << (insn->off - 1));
	if (keep_id)
		share_id(env, src);
	*dst = *src;
	if (!keep_id)
		dst->id = 0;
	if (alu64) {
		if (insn->off)
			vf_reg_sext(dst, size);
	} else if (insn->off) {
		vf_reg_sext32(dst, size);
	} else {
		vf_reg_zext32(dst);
	}
}

/* The encoding rules the kernel checks in check_alu_op(); NULL when the insn is well formed. */
static const char *reserved_fields(const struct df_insn *in)
{
	uint8_t op = DF_OP(in->code);
	bool alu64 = DF_CLASS(in->code) == DF_ALU64, x = DF_SRC(in->code) == DF_X;

	switch (op) {
	case DF_NEG:
		return x || in->src_reg || in->off || in->imm ? "BPF_NEG" : NULL;
	case DF_END:
		if (in->imm != 16 && in->imm != 32 && in->imm != 64)
			return "BPF_END";
		return in->src_reg || in->off || (alu64 && x) ? "BPF_END" : NULL;
	case DF_MOV:
		if (!x)
			return in->src_reg || in->off ? "BPF_MOV" : NULL;
		return in->imm || (in->off && in->off != 8 && in->off != 16 &&
				   (!alu64 || in->off != 32)) ? "BPF_MOV" : NULL;
	default:
		if ((x ? in->imm != 0 : in->src_reg != 0) || (in->off && in->off != 1) ||
		    (in->off == 1 && op != DF_DIV && op != DF_MOD))
			return "BPF_ALU";
		return NULL;
	}
}

int vf_alu(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn)
{
	const char *bad;
	struct df_vreg *regs = vf_cur_frame(st)->regs;
	uint8_t op = DF_OP(insn->code);
	bool alu64 = DF_CLASS(insn->code) == DF_ALU64;
	bool x = DF_SRC(insn->code) == DF_X && op != DF_END && op != DF_NEG;
	uint32_t dst = insn->dst_reg;
	int err;

	if (op > DF_END)
		return vf_err(env, "invalid BPF_ALU opcode %x", op);
	if (op == DF_MOV && x && alu64 && insn->off == 1)
		return vf_unsupported(env, "addr_space_cast");
	bad = reserved_fields(insn);
	if (bad)
		return vf_err(env, "%s uses reserved fields", bad);
	if (dst >= DF_NREGS)
		return vf_err(env, "R%u is invalid", dst);
	if (x && insn->src_reg >= DF_NREGS)
		return vf_err(env, "R%u is invalid", insn->src_reg);

	if (op == DF_MOV) {
		if (x) {
			err = vf_check_reg_read(env, st, insn->src_reg);
			if (err)
				return err;
		}
		if (dst == DF_REG_FP)
			return vf_err(env, "frame pointer is read only");
		if (x)
			mov_reg(env, insn, regs);
		else if (alu64)
			vf_mark_known(&regs[dst], (uint64_t)(int64_t)insn->imm);
		else
			vf_mark_known(&regs[dst], (uint32_t)insn->imm);
		return 0;
	}

	if (x) {
		err = vf_check_reg_read(env, st, insn->src_reg);
		if (err)
			return err;
	}
	err = vf_check_reg_read(env, st, dst);
	if (err)
		return err;
	if ((op == DF_DIV || op == DF_MOD) && DF_SRC(insn->code) == DF_K && insn->imm == 0)
		return vf_err(env, "div by zero");
	if ((op == DF_LSH || op == DF_RSH || op == DF_ARSH) && DF_SRC(insn->code) == DF_K &&
	    (insn->imm < 0 || insn->imm >= (alu64 ? 64 : 32)))
		return vf_err(env, "invalid shift %d", insn->imm);
	if (dst == DF_REG_FP)
		return vf_err(env, "frame pointer is read only");

	if (op == DF_NEG || op == DF_END) {
		if (regs[dst].type != DF_SCALAR) {
			vf_mark_unknown(&regs[dst]);
			return 0;
		}
		vf_scalar_alu(&regs[dst], &regs[dst], insn);
		regs[dst].id = 0;
		return 0;
	}
	return binary_op(env, st, insn);
}

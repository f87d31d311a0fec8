// SPDX-License-Identifier: BSD-2-Clause
/*
 * Pointer arithmetic: an ALU or ALU64 instruction with a pointer operand.
 * The model is the privileged kernel without Spectre masking: pointer +=
 * scalar and pointer -= scalar follow the kernel's adjust_ptr_min_max_vals()
 * (a constant goes to the fixed offset, anything else to the variable part;
 * a packet pointer moved by a variable gets a new id and loses its checked
 * range, which belongs to the id). A 32-bit subtraction of a pointer gives
 * an unknown scalar; other 32-bit arithmetic on pointers is refused.
 * Pointer minus pointer is allowed between packet pointers and between
 * pointers of the same type (and object), giving an unknown scalar;
 * everything else the kernel refuses is refused with its message.
 */
#include "vf.h"

static const char *const alu_op_str[16] = {
	[DF_ADD >> 4] = "+=",  [DF_SUB >> 4] = "-=",  [DF_MUL >> 4] = "*=",
	[DF_DIV >> 4] = "/=",  [DF_OR >> 4] = "|=",   [DF_AND >> 4] = "&=",
	[DF_LSH >> 4] = "<<=", [DF_RSH >> 4] = ">>=", [DF_NEG >> 4] = "neg",
	[DF_MOD >> 4] = "%=",  [DF_XOR >> 4] = "^=",  [DF_MOV >> 4] = "=",
	[DF_ARSH >> 4] = "s>>=", [DF_END >> 4] = "endian",
};

static bool is_pkt(const struct df_vreg *r)
{
	return r->type == DF_PTR_TO_PACKET || r->type == DF_PTR_TO_PACKET_META;
}

/* check_reg_sane_offset(): keep offsets far from overflow. */
static int sane_offset(struct vf_env *env, const struct df_vreg *r, const char *tname)
{
	int64_t val = (int64_t)r->var_off.value;

	if (vf_tnum_is_const(r->var_off) && (val >= VF_MAX_VAR_OFF || val <= -VF_MAX_VAR_OFF))
		return vf_err(env, "math between %s pointer and %lld is not allowed", tname,
			      (long long)val);
	if (r->off >= VF_MAX_VAR_OFF || r->off <= -VF_MAX_VAR_OFF)
		return vf_err(env, "%s pointer offset %d is not allowed", tname, r->off);
	if (r->smin == INT64_MIN)
		return vf_err(env, "math between %s pointer and register with unbounded min value "
			      "is not allowed", tname);
	if (r->smin >= VF_MAX_VAR_OFF || r->smin <= -VF_MAX_VAR_OFF)
		return vf_err(env, "value %lld makes %s pointer be out of bounds",
			      (long long)r->smin, tname);
	return 0;
}

/*
 * dst = ptr OP off (off_is_dst: the scalar was the destination, as in
 * "scalar += pointer"). ptr and off are copies, dst the frame's register.
 */
static int ptr_alu(struct vf_env *env, const struct df_insn *insn, struct df_vreg *dst,
		   const struct df_vreg *ptr, const struct df_vreg *off, bool off_is_dst)
{
	uint8_t op = DF_OP(insn->code);
	uint32_t regno = insn->dst_reg;
	bool known = vf_tnum_is_const(off->var_off);
	const char *tname = vf_type_name(ptr);
	struct df_vreg res;
	int64_t noff;
	int err;

	if ((known && (off->smin != off->smax || off->umin != off->umax)) ||
	    off->smin > off->smax || off->umin > off->umax) {
		/* bounds of a dead branch */
		vf_mark_unknown(dst);
		return 0;
	}
	if (DF_CLASS(insn->code) != DF_ALU64) {
		if (op == DF_SUB) {
			vf_mark_unknown(dst);
			return 0;
		}
		return vf_err(env, "R%u 32-bit pointer arithmetic prohibited", regno);
	}
	if (ptr->flags & DF_VF_MAYBE_NULL)
		return vf_err(env, "R%u pointer arithmetic on %s prohibited, null-check it first",
			      regno, tname);
	switch (ptr->type) {
	case DF_PTR_TO_CTX:
	case DF_PTR_TO_MAP_VALUE:
	case DF_PTR_TO_MAP_KEY:
	case DF_PTR_TO_STACK:
	case DF_PTR_TO_PACKET_META:
	case DF_PTR_TO_PACKET:
	case DF_PTR_TO_MEM:
	case DF_PTR_TO_FUNC:
		break;
	case DF_CONST_PTR_TO_MAP:
		if (known && off->smin == 0 && op == DF_ADD)
			break;
		/* fall through */
	default:
		return vf_err(env, "R%u pointer arithmetic on %s prohibited", regno, tname);
	}
	err = sane_offset(env, off, tname);
	if (!err)
		err = sane_offset(env, ptr, tname);
	if (err)
		return err;

	res = *ptr;
	vf_mark_unbounded32(&res);	/* pointers carry no 32-bit bounds */
	switch (op) {
	case DF_ADD:
		noff = (int64_t)ptr->off + off->smin;
		if (known && noff == (int32_t)noff) {
			res.off = (int32_t)noff;
			break;
		}
		if (__builtin_add_overflow(ptr->smin, off->smin, &res.smin) ||
		    __builtin_add_overflow(ptr->smax, off->smax, &res.smax)) {
			res.smin = INT64_MIN;
			res.smax = INT64_MAX;
		}
		if (__builtin_add_overflow(ptr->umin, off->umin, &res.umin) ||
		    __builtin_add_overflow(ptr->umax, off->umax, &res.umax)) {
			res.umin = 0;
			res.umax = UINT64_MAX;
		}
		res.var_off = vf_tnum_add(ptr->var_off, off->var_off);
		if (is_pkt(ptr)) {
			res.id = vf_new_id(env);
			res.aux = 0;
		}
		break;
	case DF_SUB:
		if (off_is_dst)
			return vf_err(env, "R%u tried to subtract pointer from scalar", regno);
		if (ptr->type == DF_PTR_TO_STACK)
			return vf_err(env, "R%u subtraction from stack pointer prohibited", regno);
		noff = (int64_t)ptr->off - off->smin;
		if (known && noff == (int32_t)noff) {
			res.off = (int32_t)noff;
			break;
		}
		if (__builtin_sub_overflow(ptr->smin, off->smax, &res.smin) ||
		    __builtin_sub_overflow(ptr->smax, off->smin, &res.smax)) {
			res.smin = INT64_MIN;
			res.smax = INT64_MAX;
		}
		if (ptr->umin < off->umax) {
			res.umin = 0;
			res.umax = UINT64_MAX;
		} else {
			res.umin = ptr->umin - off->umax;
			res.umax = ptr->umax - off->umin;
		}
		res.var_off = vf_tnum_sub(ptr->var_off, off->var_off);
		if (is_pkt(ptr)) {
			res.id = vf_new_id(env);
			if (off->smin < 0)
				res.aux = 0;
		}
		break;
	case DF_AND:
	case DF_OR:
	case DF_XOR:
		return vf_err(env, "R%u bitwise operator %s on pointer prohibited", regno,
			      alu_op_str[op >> 4]);
	default:
		return vf_err(env, "R%u pointer arithmetic with %s operator prohibited", regno,
			      alu_op_str[op >> 4]);
	}
	err = sane_offset(env, &res, tname);
	if (err)
		return err;
	vf_reg_bounds_sync(&res);
	*dst = res;
	return 0;
}

/* Pointer minus pointer: packet pointers among themselves, or two of one type. */
static bool ptr_diff_ok(const struct df_vreg *a, const struct df_vreg *b)
{
	bool pa = is_pkt(a) || a->type == DF_PTR_TO_PACKET_END;
	bool pb = is_pkt(b) || b->type == DF_PTR_TO_PACKET_END;

	if (pa || pb)
		return pa && pb;
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case DF_PTR_TO_STACK:
		return a->frameno == b->frameno;
	case DF_PTR_TO_MAP_VALUE:
	case DF_PTR_TO_MAP_KEY:
		return a->aux == b->aux;
	case DF_PTR_TO_CTX:
	case DF_PTR_TO_MEM:
		return true;
	default:
		return false;
	}
}

int vf_ptr_alu(struct vf_env *env, const struct df_insn *insn, struct df_vreg *dst,
	       const struct df_vreg *src)
{
	uint8_t op = DF_OP(insn->code);
	struct df_vreg cur = *dst;

	if (!vf_reg_is_pointer(src))
		return ptr_alu(env, insn, dst, &cur, src, false);
	if (!vf_reg_is_pointer(&cur))
		return ptr_alu(env, insn, dst, src, &cur, true);
	if (op == DF_SUB && ptr_diff_ok(&cur, src)) {
		vf_mark_unknown(dst);
		return 0;
	}
	return vf_err(env, "R%u pointer %s pointer prohibited", insn->dst_reg,
		      alu_op_str[op >> 4]);
}

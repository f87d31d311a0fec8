// SPDX-License-Identifier: BSD-2-Clause
/*
 * Register values: constructors, the five views of a scalar and their
 * mutual deduction, width changes, type names.
 *
 * A scalar is described five times at once: a tnum and the signed and
 * unsigned 64- and 32-bit ranges. Each view is a sound superset of the
 * concrete values, so any of them may tighten the others; that is what
 * vf_reg_bounds_sync() does, in the kernel's order (reg_bounds_sync):
 * bounds from the tnum, three rounds of range deduction (32-bit ranges
 * from 64-bit ones when the upper half is fixed or steps once across a
 * sign change, signed from unsigned and back when a range does not cross
 * the sign boundary, 64-bit ranges from the low-half range), the tnum from
 * the ranges, and bounds from the tnum again. Doing exactly the kernel's
 * steps keeps the results, and so the pruning decisions, comparable.
 * When the concrete set is empty (a refinement on a dead branch) some
 * range ends up with min > max; vf_reg_bounds_ok() detects it.
 */
#include "vf.h"

#define S32_MIN INT32_MIN
#define S32_MAX INT32_MAX

static inline int64_t smax64(int64_t a, int64_t b) { return a > b ? a : b; }
static inline int64_t smin64(int64_t a, int64_t b) { return a < b ? a : b; }
static inline uint64_t umax64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static inline uint64_t umin64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static inline int32_t smax32(int32_t a, int32_t b) { return a > b ? a : b; }
static inline int32_t smin32(int32_t a, int32_t b) { return a < b ? a : b; }
static inline uint32_t umax32(uint32_t a, uint32_t b) { return a > b ? a : b; }
static inline uint32_t umin32(uint32_t a, uint32_t b) { return a < b ? a : b; }

void vf_mark_unbounded64(struct df_vreg *r)
{
	r->smin = INT64_MIN;
	r->smax = INT64_MAX;
	r->umin = 0;
	r->umax = UINT64_MAX;
}

void vf_mark_unbounded32(struct df_vreg *r)
{
	r->s32min = S32_MIN;
	r->s32max = S32_MAX;
	r->u32min = 0;
	r->u32max = UINT32_MAX;
}

void vf_mark_unbounded(struct df_vreg *r)
{
	vf_mark_unbounded64(r);
	vf_mark_unbounded32(r);
}

/* An unknown scalar: cleaning a state sets many registers to this, so it is one copy. */
static const struct df_vreg unknown_scalar = {
	.type = DF_SCALAR,
	.var_off = { .value = 0, .mask = UINT64_MAX },
	.smin = INT64_MIN, .smax = INT64_MAX, .umin = 0, .umax = UINT64_MAX,
	.s32min = S32_MIN, .s32max = S32_MAX, .u32min = 0, .u32max = UINT32_MAX,
};

void vf_mark_unknown(struct df_vreg *r)
{
	*r = unknown_scalar;
}

void vf_mark_not_init(struct df_vreg *r)
{
	*r = unknown_scalar;
	r->type = DF_NOT_INIT;
}

/* The value part of r becomes v; type and the other fields are kept. */
void vf_reg_set_known(struct df_vreg *r, uint64_t v)
{
	r->var_off = vf_tnum_const(v);
	r->smin = r->smax = (int64_t)v;
	r->umin = r->umax = v;
	r->s32min = r->s32max = (int32_t)(uint32_t)v;
	r->u32min = r->u32max = (uint32_t)v;
}

/* The low 32 bits become v (tnum and 32-bit bounds only). */
void vf_reg_set_known32(struct df_vreg *r, uint32_t v)
{
	r->var_off = vf_tnum_with_subreg(r->var_off, vf_tnum_const(v));
	r->s32min = r->s32max = (int32_t)v;
	r->u32min = r->u32max = v;
}

void vf_mark_known(struct df_vreg *r, uint64_t v)
{
	memset(r, 0, sizeof(*r));
	r->type = DF_SCALAR;
	vf_reg_set_known(r, v);
}

void vf_mark_known_zero(struct df_vreg *r)
{
	vf_mark_known(r, 0);
}

bool vf_reg_is_const(const struct df_vreg *r)
{
	return r->type == DF_SCALAR && vf_tnum_is_const(r->var_off);
}

bool vf_reg_is_pointer(const struct df_vreg *r)
{
	return r->type != DF_NOT_INIT && r->type != DF_SCALAR;
}

/* ---- deduction between the views ---- */

static void update_bounds32(struct df_vreg *r)
{
	struct df_tnum t = vf_tnum_subreg(r->var_off);

	/* smallest signed: sign bit set if it may be, other bits at minimum */
	r->s32min = smax32(r->s32min, (int32_t)(uint32_t)(t.value | (t.mask & 0x80000000u)));
	r->s32max = smin32(r->s32max, (int32_t)(uint32_t)(t.value | (t.mask & 0x7fffffffu)));
	r->u32min = umax32(r->u32min, (uint32_t)t.value);
	r->u32max = umin32(r->u32max, (uint32_t)(t.value | t.mask));
}

static void update_bounds64(struct df_vreg *r)
{
	struct df_tnum t = r->var_off;

	r->smin = smax64(r->smin, (int64_t)(t.value | (t.mask & (UINT64_C(1) << 63))));
	r->smax = smin64(r->smax, (int64_t)(t.value | (t.mask & (UINT64_MAX >> 1))));
	r->umin = umax64(r->umin, t.value);
	r->umax = umin64(r->umax, t.value | t.mask);
}

void vf_reg_update_bounds(struct df_vreg *r)
{
	update_bounds32(r);
	update_bounds64(r);
}

static void deduce32(struct df_vreg *r)
{
	/* The upper half is the same over the whole 64-bit range: the low halves form a range. */
	if ((r->umin >> 32) == (r->umax >> 32)) {
		r->u32min = umax32(r->u32min, (uint32_t)r->umin);
		r->u32max = umin32(r->u32max, (uint32_t)r->umax);
		if ((int32_t)r->umin <= (int32_t)r->umax) {
			r->s32min = smax32(r->s32min, (int32_t)r->umin);
			r->s32max = smin32(r->s32max, (int32_t)r->umax);
		}
	}
	if ((r->smin >> 32) == (r->smax >> 32)) {
		if ((uint32_t)r->smin <= (uint32_t)r->smax) {
			r->u32min = umax32(r->u32min, (uint32_t)r->smin);
			r->u32max = umin32(r->u32max, (uint32_t)r->smax);
		}
		if ((int32_t)r->smin <= (int32_t)r->smax) {
			r->s32min = smax32(r->s32min, (int32_t)r->smin);
			r->s32max = smin32(r->s32max, (int32_t)r->smax);
		}
	}
	/* The upper half steps by one while the low half goes from negative to positive. */
	if ((uint32_t)(r->umin >> 32) + 1 == (uint32_t)(r->umax >> 32) &&
	    (int32_t)r->umin < 0 && (int32_t)r->umax >= 0) {
		r->s32min = smax32(r->s32min, (int32_t)r->umin);
		r->s32max = smin32(r->s32max, (int32_t)r->umax);
	}
	if ((uint32_t)((uint64_t)r->smin >> 32) + 1 == (uint32_t)((uint64_t)r->smax >> 32) &&
	    (int32_t)r->smin < 0 && (int32_t)r->smax >= 0) {
		r->s32min = smax32(r->s32min, (int32_t)r->smin);
		r->s32max = smin32(r->s32max, (int32_t)r->smax);
	}
	/* Ranges not crossing the sign boundary are the same signed and unsigned. */
	if ((int32_t)r->u32min <= (int32_t)r->u32max) {
		r->s32min = smax32(r->s32min, (int32_t)r->u32min);
		r->s32max = smin32(r->s32max, (int32_t)r->u32max);
	}
	if ((uint32_t)r->s32min <= (uint32_t)r->s32max) {
		r->u32min = umax32(r->u32min, (uint32_t)r->s32min);
		r->u32max = umin32(r->u32max, (uint32_t)r->s32max);
	}
}

static void deduce64(struct df_vreg *r)
{
	if ((int64_t)r->umin <= (int64_t)r->umax) {
		r->smin = smax64(r->smin, (int64_t)r->umin);
		r->smax = smin64(r->smax, (int64_t)r->umax);
	}
	if ((uint64_t)r->smin <= (uint64_t)r->smax) {
		r->umin = umax64(r->umin, (uint64_t)r->smin);
		r->umax = umin64(r->umax, (uint64_t)r->smax);
	} else if (r->umax < (uint64_t)r->smin) {
		/* the signed range wraps; the unsigned one meets only its non-negative part */
		r->smin = (int64_t)r->umin;
		r->umax = umin64(r->umax, (uint64_t)r->smax);
	} else if ((uint64_t)r->smax < r->umin) {
		/* ... or only its negative part */
		r->smax = (int64_t)r->umax;
		r->umin = umax64(r->umin, (uint64_t)r->smin);
	}
}

static void deduce_mixed(struct df_vreg *r)
{
	const uint64_t hi = ~UINT64_C(0xffffffff);
	uint64_t nu_min, nu_max;
	int64_t ns_min, ns_max;

	/* The low-half range tightens the low halves of the 64-bit bounds. */
	nu_min = (r->umin & hi) | r->u32min;
	nu_max = (r->umax & hi) | r->u32max;
	r->umin = umax64(r->umin, nu_min);
	r->umax = umin64(r->umax, nu_max);
	ns_min = (int64_t)(((uint64_t)r->smin & hi) | r->u32min);
	ns_max = (int64_t)(((uint64_t)r->smax & hi) | r->u32max);
	r->smin = smax64(r->smin, ns_min);
	r->smax = smin64(r->smax, ns_max);

	/*
	 * Within [(s64)S32_MIN, S32_MAX] the upper half is all ones exactly
	 * when the low half is negative: a non-negative low half pins it to 0.
	 */
	if (r->s32min >= 0 && r->smin >= S32_MIN && r->smax <= S32_MAX) {
		r->smin = r->s32min;
		r->smax = r->s32max;
		r->umin = (uint64_t)r->s32min;
		r->umax = (uint64_t)r->s32max;
		r->var_off = vf_tnum_intersect(r->var_off,
					       vf_tnum_range((uint64_t)r->smin, (uint64_t)r->smax));
	}
}

static void deduce(struct df_vreg *r)
{
	deduce32(r);
	deduce64(r);
	deduce_mixed(r);
}

/* Known bits from the unsigned ranges. */
static void bound_offset(struct df_vreg *r)
{
	struct df_tnum t64 = vf_tnum_intersect(r->var_off, vf_tnum_range(r->umin, r->umax));
	struct df_tnum t32 = vf_tnum_intersect(vf_tnum_subreg(t64),
					       vf_tnum_range(r->u32min, r->u32max));

	r->var_off = vf_tnum_or(vf_tnum_clear_subreg(t64), t32);
}

/* The kernel deduces three times; a round that changes nothing has reached the fixpoint. */
#define BOUNDS_AT	offsetof(struct df_vreg, var_off)
#define BOUNDS_LEN	(offsetof(struct df_vreg, id) - BOUNDS_AT)

/*
 * The two cases most registers are in, done directly: a known constant c
 * that every range contains ends with every range [c, c]; an unknown value
 * with every range unbounded is a fixpoint.
 */
static bool bounds_sync_quick(struct df_vreg *r)
{
	uint64_t c = r->var_off.value;
	uint32_t c32 = (uint32_t)c;

	if (!r->var_off.mask) {
		if (c < r->umin || c > r->umax || (int64_t)c < r->smin || (int64_t)c > r->smax ||
		    c32 < r->u32min || c32 > r->u32max || (int32_t)c32 < r->s32min ||
		    (int32_t)c32 > r->s32max)
			return false;
		r->umin = r->umax = c;
		r->smin = r->smax = (int64_t)c;
		r->u32min = r->u32max = c32;
		r->s32min = r->s32max = (int32_t)c32;
		return true;
	}
	return r->var_off.mask == UINT64_MAX && !c && !r->umin && r->umax == UINT64_MAX &&
	       r->smin == INT64_MIN && r->smax == INT64_MAX && !r->u32min &&
	       r->u32max == UINT32_MAX && r->s32min == S32_MIN && r->s32max == S32_MAX;
}

void vf_reg_bounds_sync(struct df_vreg *r)
{
	if (bounds_sync_quick(r))
		return;
	vf_reg_update_bounds(r);
	for (int i = 0; i < 3; i++) {
		char before[BOUNDS_LEN];

		memcpy(before, (char *)r + BOUNDS_AT, BOUNDS_LEN);
		deduce(r);
		if (!memcmp(before, (char *)r + BOUNDS_AT, BOUNDS_LEN))
			break;
	}
	bound_offset(r);
	vf_reg_update_bounds(r);
}

bool vf_reg_bounds_ok(const struct df_vreg *r)
{
	struct df_tnum t32 = vf_tnum_subreg(r->var_off);
	int32_t s32 = (int32_t)(uint32_t)t32.value;

	if (r->umin > r->umax || r->smin > r->smax || r->u32min > r->u32max ||
	    r->s32min > r->s32max)
		return false;
	if (vf_tnum_is_const(r->var_off) &&
	    (r->umin != r->var_off.value || r->umax != r->var_off.value ||
	     r->smin != (int64_t)r->var_off.value || r->smax != (int64_t)r->var_off.value))
		return false;
	if (vf_tnum_is_const(t32) &&
	    (r->u32min != (uint32_t)t32.value || r->u32max != (uint32_t)t32.value ||
	     r->s32min != s32 || r->s32max != s32))
		return false;
	return true;
}

bool vf_reg_contains(const struct df_vreg *r, uint64_t x)
{
	uint32_t x32 = (uint32_t)x;

	return vf_tnum_contains(r->var_off, x) &&
	       x >= r->umin && x <= r->umax &&
	       (int64_t)x >= r->smin && (int64_t)x <= r->smax &&
	       x32 >= r->u32min && x32 <= r->u32max &&
	       (int32_t)x32 >= r->s32min && (int32_t)x32 <= r->s32max;
}

/* ---- width changes ---- */

/* The 32-bit view becomes the value; bounds are not re-synced. */
void vf_reg_assign_zext32(struct df_vreg *r)
{
	r->var_off = vf_tnum_subreg(r->var_off);
	r->umin = r->u32min;
	r->umax = r->u32max;
	if (r->s32min >= 0 && r->s32max >= 0) {
		r->smin = r->s32min;
		r->smax = r->s32max;
	} else {
		r->smin = 0;
		r->smax = UINT32_MAX;
	}
}

void vf_reg_zext32(struct df_vreg *r)
{
	vf_reg_assign_zext32(r);
	vf_reg_bounds_sync(r);
}

void vf_reg_trunc(struct df_vreg *r, uint32_t size)
{
	uint64_t keep;

	if (size >= 8)
		return;
	keep = (UINT64_C(1) << (size * 8)) - 1;
	r->var_off = vf_tnum_cast(r->var_off, (uint8_t)size);
	if ((r->umin & ~keep) == (r->umax & ~keep)) {
		r->umin &= keep;
		r->umax &= keep;
	} else {
		r->umin = 0;
		r->umax = keep;
	}
	r->smin = (int64_t)r->umin;
	r->smax = (int64_t)r->umax;
	if (size < 4)
		vf_mark_unbounded32(r);
	vf_reg_bounds_sync(r);
}

/*
 * Signed range of the low bits of [lo, hi] (bit patterns ordered as
 * unsigned) sign-extended from width bits: a range when the bits above
 * agree and the sign bit of the low part does not change.
 */
static bool low_bits_range(uint64_t lo, uint64_t hi, uint32_t bits, int64_t *smin,
			   int64_t *smax)
{
	uint64_t keep = (UINT64_C(1) << bits) - 1, sign = UINT64_C(1) << (bits - 1);

	if ((lo & ~keep) != (hi & ~keep) || ((lo ^ hi) & sign))
		return false;
	lo &= keep;
	hi &= keep;
	*smin = (lo & sign) ? (int64_t)(lo | ~keep) : (int64_t)lo;
	*smax = (hi & sign) ? (int64_t)(hi | ~keep) : (int64_t)hi;
	return true;
}

void vf_reg_sext(struct df_vreg *r, uint32_t size)
{
	uint32_t bits = size * 8;
	int64_t lo, hi, smin, smax;

	if (size >= 8)
		return;
	hi = (INT64_C(1) << (bits - 1)) - 1;
	lo = -hi - 1;
	if (r->smin >= lo && r->smax <= hi)
		return;	/* the sign extension changes nothing */
	if (!low_bits_range(r->umin, r->umax, bits, &smin, &smax) &&
	    !low_bits_range((uint64_t)r->smin, (uint64_t)r->smax, bits, &smin, &smax)) {
		smin = lo;
		smax = hi;
	}
	r->var_off = vf_tnum_sext(r->var_off, (uint8_t)size);
	vf_mark_unbounded(r);
	r->smin = smin;
	r->smax = smax;
	vf_reg_bounds_sync(r);
}

void vf_reg_sext32(struct df_vreg *r, uint32_t size)
{
	uint32_t bits = size * 8;
	int64_t lo, hi, smin, smax;

	if (size < 4) {
		hi = (INT64_C(1) << (bits - 1)) - 1;
		lo = -hi - 1;
		if (r->s32min < lo || r->s32max > hi) {
			if (!low_bits_range(r->u32min, r->u32max, bits, &smin, &smax) &&
			    !low_bits_range((uint32_t)r->s32min, (uint32_t)r->s32max, bits,
					    &smin, &smax)) {
				smin = lo;
				smax = hi;
			}
			r->var_off = vf_tnum_sext(r->var_off, (uint8_t)size);
			vf_mark_unbounded32(r);
			r->s32min = (int32_t)smin;
			r->s32max = (int32_t)smax;
		}
	}
	vf_reg_assign_zext32(r);
	vf_reg_bounds_sync(r);
}

void vf_reg_from_load(struct df_vreg *r, uint32_t size, bool sx)
{
	vf_mark_unknown(r);
	if (size >= 8)
		return;
	if (sx)
		vf_reg_sext(r, size);
	else
		vf_reg_trunc(r, size);
}

/* ---- names ---- */

const char *vf_type_name(const struct df_vreg *r)
{
	static const char *const names[DF_VTYPE_CNT][2] = {
		[DF_NOT_INIT] = { "?", "?" },
		[DF_SCALAR] = { "scalar", "scalar" },
		[DF_PTR_TO_CTX] = { "ctx", "ctx_or_null" },
		[DF_CONST_PTR_TO_MAP] = { "map_ptr", "map_ptr_or_null" },
		[DF_PTR_TO_MAP_VALUE] = { "map_value", "map_value_or_null" },
		[DF_PTR_TO_MAP_KEY] = { "map_key", "map_key_or_null" },
		[DF_PTR_TO_STACK] = { "fp", "fp_or_null" },
		[DF_PTR_TO_MEM] = { "mem", "mem_or_null" },
		[DF_PTR_TO_PACKET_META] = { "pkt_meta", "pkt_meta_or_null" },
		[DF_PTR_TO_PACKET] = { "pkt", "pkt_or_null" },
		[DF_PTR_TO_PACKET_END] = { "pkt_end", "pkt_end_or_null" },
		[DF_PTR_TO_SOCKET] = { "sock", "sock_or_null" },
		[DF_PTR_TO_FUNC] = { "func", "func_or_null" },
	};

	if (r->type >= DF_VTYPE_CNT)
		return "?";
	return names[r->type][!!(r->flags & DF_VF_MAYBE_NULL)];
}

// SPDX-License-Identifier: BSD-2-Clause
/*
 * Known-bits numbers ("tnums"), the bit-level half of a scalar's abstract
 * value. A tnum (value, mask) stands for every x with x & ~mask == value:
 * mask bits are unknown, the others are known and equal to value's (value
 * never has a bit set where mask has one).
 *
 * Every operation over-approximates: for all x in a and y in b, x OP y is
 * in OP(a, b). Addition works on the extreme carries (all unknown bits 0,
 * all 1): any bit where the two sums differ, or that was unknown in an
 * operand, is unknown in the result. Multiplication is long multiplication
 * over the bits of a, joining both outcomes of an unknown bit.
 */
#include "vf.h"

#include <inttypes.h>
#include <stdio.h>

static inline struct df_tnum tn(uint64_t value, uint64_t mask)
{
	return (struct df_tnum){ .value = value, .mask = mask };
}

struct df_tnum vf_tnum_const(uint64_t v)
{
	return tn(v, 0);
}

struct df_tnum vf_tnum_unknown(void)
{
	return tn(0, UINT64_MAX);
}

/* The smallest tnum holding [min, max]: the common prefix is known. */
struct df_tnum vf_tnum_range(uint64_t min, uint64_t max)
{
	uint64_t diff = min ^ max, low;

	if (!diff)
		return tn(min, 0);
	if (diff >> 63)
		return vf_tnum_unknown();
	low = (UINT64_C(1) << (64 - __builtin_clzll(diff))) - 1;
	return tn(min & ~low, low);
}

bool vf_tnum_is_const(struct df_tnum t)
{
	return !t.mask;
}

bool vf_tnum_in(struct df_tnum outer, struct df_tnum inner)
{
	if (inner.mask & ~outer.mask)
		return false;
	return (inner.value & ~outer.mask) == outer.value;
}

bool vf_tnum_overlap(struct df_tnum a, struct df_tnum b)
{
	return !((a.value ^ b.value) & ~(a.mask | b.mask));
}

bool vf_tnum_contains(struct df_tnum t, uint64_t x)
{
	return (x & ~t.mask) == t.value;
}

struct df_tnum vf_tnum_add(struct df_tnum a, struct df_tnum b)
{
	uint64_t lo = a.value + b.value;
	uint64_t hi = lo + a.mask + b.mask;
	uint64_t unknown = (lo ^ hi) | a.mask | b.mask;

	return tn(lo & ~unknown, unknown);
}

struct df_tnum vf_tnum_sub(struct df_tnum a, struct df_tnum b)
{
	uint64_t d = a.value - b.value;
	uint64_t hi = d + a.mask;	/* largest a, smallest b */
	uint64_t lo = d - b.mask;	/* smallest a, largest b */
	uint64_t unknown = (lo ^ hi) | a.mask | b.mask;

	return tn(d & ~unknown, unknown);
}

struct df_tnum vf_tnum_neg(struct df_tnum a)
{
	return vf_tnum_sub(tn(0, 0), a);
}

struct df_tnum vf_tnum_and(struct df_tnum a, struct df_tnum b)
{
	uint64_t ones = a.value & b.value;
	uint64_t maybe = (a.value | a.mask) & (b.value | b.mask);

	return tn(ones, maybe & ~ones);
}

struct df_tnum vf_tnum_or(struct df_tnum a, struct df_tnum b)
{
	uint64_t ones = a.value | b.value;

	return tn(ones, (a.mask | b.mask) & ~ones);
}

struct df_tnum vf_tnum_xor(struct df_tnum a, struct df_tnum b)
{
	uint64_t unknown = a.mask | b.mask;

	return tn((a.value ^ b.value) & ~unknown, unknown);
}

struct df_tnum vf_tnum_mul(struct df_tnum a, struct df_tnum b)
{
	struct df_tnum acc = tn(0, 0);

	while (a.value | a.mask) {
		if (a.value & 1)
			acc = vf_tnum_add(acc, b);
		else if (a.mask & 1)
			acc = vf_tnum_union(acc, vf_tnum_add(acc, b));
		a = vf_tnum_rshift(a, 1);
		b = vf_tnum_lshift(b, 1);
	}
	return acc;
}

struct df_tnum vf_tnum_lshift(struct df_tnum a, uint8_t shift)
{
	if (shift >= 64)
		return tn(0, 0);
	return tn(a.value << shift, a.mask << shift);
}

struct df_tnum vf_tnum_rshift(struct df_tnum a, uint8_t shift)
{
	if (shift >= 64)
		return tn(0, 0);
	return tn(a.value >> shift, a.mask >> shift);
}

/* Arithmetic shift of a 32- or 64-bit value (32: the result is zero-extended). */
struct df_tnum vf_tnum_arshift(struct df_tnum a, uint8_t shift, uint8_t insn_bitness)
{
	if (insn_bitness == 32) {
		if (shift > 31)
			shift = 31;
		return tn((uint32_t)((int32_t)(uint32_t)a.value >> shift),
			  (uint32_t)((int32_t)(uint32_t)a.mask >> shift));
	}
	if (shift > 63)
		shift = 63;
	return tn((uint64_t)((int64_t)a.value >> shift), (uint64_t)((int64_t)a.mask >> shift));
}

/*
 * Both a and b hold the value: bits known in either are known. Where they
 * disagree the value cannot exist; the result is then arbitrary (callers
 * test vf_tnum_overlap() first when that matters).
 */
struct df_tnum vf_tnum_intersect(struct df_tnum a, struct df_tnum b)
{
	uint64_t unknown = a.mask & b.mask;

	return tn((a.value | b.value) & ~unknown, unknown);
}

/* The value is in a or in b. */
struct df_tnum vf_tnum_union(struct df_tnum a, struct df_tnum b)
{
	uint64_t unknown = a.mask | b.mask | (a.value ^ b.value);

	return tn(a.value & b.value & ~unknown, unknown);
}

struct df_tnum vf_tnum_cast(struct df_tnum a, uint8_t size)
{
	uint64_t keep;

	if (size >= 8)
		return a;
	keep = (UINT64_C(1) << (size * 8)) - 1;
	return tn(a.value & keep, a.mask & keep);
}

/* Sign-extend the low size bytes. */
struct df_tnum vf_tnum_sext(struct df_tnum a, uint8_t size)
{
	uint64_t sign, upper;

	if (size >= 8)
		return a;
	a = vf_tnum_cast(a, size);
	sign = UINT64_C(1) << (size * 8 - 1);
	upper = ~((sign << 1) - 1);
	if (a.mask & sign)
		a.mask |= upper;
	else if (a.value & sign)
		a.value |= upper;
	return a;
}

struct df_tnum vf_tnum_subreg(struct df_tnum a)
{
	return vf_tnum_cast(a, 4);
}

struct df_tnum vf_tnum_clear_subreg(struct df_tnum a)
{
	return tn(a.value & ~UINT64_C(0xffffffff), a.mask & ~UINT64_C(0xffffffff));
}

/* reg's upper 32 bits with subreg's lower 32 bits. */
struct df_tnum vf_tnum_with_subreg(struct df_tnum reg, struct df_tnum subreg)
{
	return vf_tnum_or(vf_tnum_clear_subreg(reg), vf_tnum_subreg(subreg));
}

/* Reverse the order of the low bits/8 bytes; the bytes above become 0. */
struct df_tnum vf_tnum_bswap(struct df_tnum a, uint8_t bits)
{
	switch (bits) {
	case 16:
		return tn(__builtin_bswap16((uint16_t)a.value),
			  __builtin_bswap16((uint16_t)a.mask));
	case 32:
		return tn(__builtin_bswap32((uint32_t)a.value),
			  __builtin_bswap32((uint32_t)a.mask));
	default:
		return tn(__builtin_bswap64(a.value), __builtin_bswap64(a.mask));
	}
}

/* The kernel's text: a known value alone (decimal up to 0xffff), else "(value; mask)". */
int vf_tnum_snprint(char *buf, size_t len, struct df_tnum t)
{
	if (!t.mask && t.value <= UINT16_MAX)
		return snprintf(buf, len, "%" PRIu64, t.value);
	if (!t.mask)
		return snprintf(buf, len, "%#" PRIx64, t.value);
	return snprintf(buf, len, "(%#" PRIx64 "; %#" PRIx64 ")", t.value, t.mask);
}

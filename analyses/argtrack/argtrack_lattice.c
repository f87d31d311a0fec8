/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The arg-tracking value lattice (semantics §3.2, §3.3).
 *
 *                 IMPRECISE(mask)         may point into any frame in mask
 *                /              \
 *      (f, off-imprecise)  (g, off-imprecise)
 *            |                   |
 *      (f, {o1..o4})        (g, {...})    NONE   (not a stack pointer)
 *               \               |        /
 *                        UNVISITED              bottom
 *
 * NONE is not below the pointers: joining a single-offset pointer with NONE
 * adds the fake offset 0 ("maybe not a pointer"), which reads ignore but
 * which makes later writes multi-offset. That rule is why this join is
 * commutative and idempotent but not associative (docs/argtrack.md).
 *
 * Values are kept canonical (unused offsets and mask bits zero) so that
 * states compare with memcmp as well as with df_arg_equal().
 */
#include "argtrack_int.h"
#include "internal.h"

#include <stdio.h>

/* Merge two sorted offset sets; more than 4 offsets: offset-imprecise. */
static struct df_arg merge_offsets(const struct df_arg *a, const struct df_arg *b)
{
	uint16_t r[DF_ARG_MAX_OFFS] = { 0 };
	int i = 0, j = 0, k = 0;

	while (i < a->off_cnt || j < b->off_cnt) {
		int16_t v;

		if (j >= b->off_cnt || (i < a->off_cnt && a->off[i] <= b->off[j])) {
			v = a->off[i++];
			if (j < b->off_cnt && v == b->off[j])
				j++;
		} else {
			v = b->off[j++];
		}
		if (k > 0 && (int16_t)r[k - 1] == v)
			continue;
		if (k == DF_ARG_MAX_OFFS)
			return df_arg_off_imprecise(a->frame);
		r[k++] = (uint16_t)v;
	}
	return df_arg_make(a->frame, k, r[0], r[1], r[2], r[3]);
}

struct df_arg df_arg_offsets(int frame, const int16_t *off, int n)
{
	struct df_arg r = df_arg_unvisited();

	for (int i = 0; i < n; i++) {
		struct df_arg one = df_arg_single(frame, off[i]);

		r = r.frame == DF_ARG_UNVISITED ? one : merge_offsets(&r, &one);
		if (r.off_cnt == 0)
			break;
	}
	return r;
}

static uint16_t frame_bits(const struct df_arg *a)
{
	if (a->frame >= 0)
		return a->frame < 16 ? (uint16_t)(1u << a->frame) : 0;
	if (a->frame == DF_ARG_IMPRECISE)
		return a->mask;
	return 0;
}

struct df_arg df_arg_join_slow(struct df_arg a, struct df_arg b)
{
	if (b.frame == DF_ARG_UNVISITED)
		return a;
	if (a.frame == DF_ARG_UNVISITED)
		return b;
	if (a.frame >= 0 && a.frame == b.frame) {
		if (a.off_cnt == 0 || b.off_cnt == 0)
			return df_arg_off_imprecise(a.frame);
		return merge_offsets(&a, &b);
	}
	if (a.frame == DF_ARG_NONE && b.frame == DF_ARG_NONE)
		return a;
	if (b.frame == DF_ARG_NONE && a.frame >= 0) {
		struct df_arg zero = df_arg_single(a.frame, 0);

		return a.off_cnt == 1 ? merge_offsets(&a, &zero) : a;
	}
	if (a.frame == DF_ARG_NONE && b.frame >= 0) {
		struct df_arg zero = df_arg_single(b.frame, 0);

		return b.off_cnt == 1 ? merge_offsets(&b, &zero) : b;
	}
	return df_arg_imprecise(frame_bits(&a) | frame_bits(&b));
}

bool df_arg_equal(const struct df_arg *a, const struct df_arg *b)
{
	return df_arg_eq(a, b);
}

bool df_arg_join(struct df_arg *a, const struct df_arg *b)
{
	struct df_arg r = df_arg_join_val(*a, *b);

	if (df_arg_eq(&r, a))
		return false;
	*a = r;
	return true;
}

#define SNPRINT(...) do {						\
	int n_ = snprintf(len > (size_t)tot ? buf + tot : NULL,		\
			  len > (size_t)tot ? len - tot : 0, __VA_ARGS__); \
	if (n_ < 0)							\
		return n_;						\
	tot += n_;							\
} while (0)

int df_arg_snprint(char *buf, size_t len, const struct df_arg *a)
{
	int tot = 0;

	if (len)
		buf[0] = '\0';
	switch (a->frame) {
	case DF_ARG_NONE:
		SNPRINT("_");
		break;
	case DF_ARG_UNVISITED:
		SNPRINT("?");
		break;
	case DF_ARG_IMPRECISE:
		SNPRINT("IMP%x", a->mask);
		break;
	default:
		if (a->frame < 0) {
			SNPRINT("!%d", a->frame);
			break;
		}
		if (a->off_cnt == 0) {
			SNPRINT("fp%d ?", a->frame);
			break;
		}
		for (int i = 0; i < a->off_cnt; i++)
			SNPRINT("%sfp%d%+d", i ? "|" : "", a->frame, a->off[i]);
	}
	return tot;
}

int df_arg_loc_snprint(char *buf, size_t len, unsigned loc)
{
	if (loc < DF_ARG_NREGS)
		return snprintf(buf, len, "r%u", loc);
	if (loc < DF_ARG_SPILL0)
		return snprintf(buf, len, "sa%u", loc - DF_ARG_SA0);
	if (loc < DF_ARG_NLOCS)
		return snprintf(buf, len, "fp%+d", -8 * (int)(loc - DF_ARG_SPILL0 + 1));
	return snprintf(buf, len, "loc%u", loc);
}

/* SPDX-License-Identifier: BSD-2-Clause */
/* Internal interfaces of the half-slot stack liveness. */
#ifndef DF_STACK_INT_H
#define DF_STACK_INT_H

#include "liveness.h"
#include "argtrack_int.h"
#include "internal.h"	/* df_proto_*(): stack access of helper and kfunc arguments */

/* ---- stack_record.c: half-slot arithmetic and the recording pass ---- */
/* Bits lo..hi of a word, 0 <= lo <= hi <= 63. */
static inline uint64_t df_bits64(int lo, int hi)
{
	return (~0ull >> (63 - hi)) & (~0ull << lo);
}

static inline void df_halves_set_range(struct df_halves *h, int lo, int hi)
{
	if (lo < 0)
		lo = 0;
	if (hi > DF_HALVES - 1)
		hi = DF_HALVES - 1;
	if (lo > hi)
		return;
	if (lo < 64)
		h->w[0] |= df_bits64(lo, hi < 63 ? hi : 63);
	if (hi >= 64)
		h->w[1] |= df_bits64(lo > 64 ? lo - 64 : 0, hi - 64);
}

/* df_halves_below[n]: halves [0, n), 0 <= n <= 128 (stack_store.c). */
extern const struct df_halves df_halves_below[DF_HALVES + 1];

static inline bool df_halves_empty(const struct df_halves *h)
{
	return !h->w[0] && !h->w[1];
}

/* The accesses of one instruction to one frame. */
struct df_stack_rec {
	uint32_t pc;
	struct df_halves may_read, must_write;
};

/* Records of one frame in arrival order (sorted and merged by df_rec_vec_finish). */
struct df_rec_vec {
	struct df_stack_rec *r;
	uint32_t cnt, cap;
	bool unsorted;
};

/* Where a recording pass writes: frames 0..depth of one subprogram. */
struct df_rec_sink {
	struct df_rec_vec fr[DF_MAX_CALL_FRAMES];
	uint32_t start, insn_cnt;
	uint32_t depth;
};

/*
 * §3.7 on one offset: fp_off from the frame's r10, bytes > 0 a read,
 * < 0 a write of -bytes, DF_ACCESS_UNKNOWN a read up to r10.
 */
void df_halves_access(struct df_halves *use, struct df_halves *def,
		      int64_t fp_off, int64_t bytes);

/*
 * Add use and def to the record of (frame, pc), appended when pc is not the
 * last one; nothing when both are empty. -EINVAL: out of range.
 */
int df_sink_or(struct df_rec_sink *k, uint32_t frame, uint32_t pc,
	       const struct df_halves *use, const struct df_halves *def);
int df_sink_read_all(struct df_rec_sink *k, uint32_t frame, uint32_t pc);
/* Sort by pc, fold records of one pc together, drop empty ones. */
void df_rec_vec_finish(struct df_rec_vec *v);
/*
 * The merge of two instance variants (sorted, one record per pc):
 * may_read joined, must_write intersected (a missing record defines
 * nothing); empty records dropped. *out is malloc'ed, NULL when empty.
 */
int df_recs_merge(const struct df_stack_rec *a, uint32_t na,
		  const struct df_stack_rec *b, uint32_t nb,
		  struct df_stack_rec **out, uint32_t *nout);
/* §3.6 for a pointer value: one access of `bytes` through p. */
int df_record_arg(struct df_rec_sink *k, uint32_t pc, const struct df_arg *p,
		  int64_t bytes);
/*
 * The recording pass on one reached instruction, from its arg-tracking
 * log entry (df_at_log_get): a load, store or atomic through base (the
 * value of its address register, df_at_access_reg()), or a call with
 * r1..r5 and sa0..sa6 in v[0..11].
 */
int df_record_mem(struct df_rec_sink *k, const struct df_insn *in, uint32_t pc,
		  const struct df_arg *base);
int df_record_call(struct df_rec_sink *k, const struct df_prog *prog,
		   const struct df_consts *consts, uint32_t pc, const struct df_arg *v);

#endif

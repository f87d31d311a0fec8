/* SPDX-License-Identifier: BSD-2-Clause */
/* Private data of the "stack" analysis (stack.c, stack_instances.c). */
#ifndef DF_STACK_PRIV_H
#define DF_STACK_PRIV_H

#include "stack_int.h"

/*
 * One frame of an instance, sparse: the instructions that access it, with
 * live_before there, and the live set after each block of the subprogram
 * (indexed from its first block). A frame without records is dead
 * everywhere and allocates nothing.
 */
struct df_stack_frame {
	struct df_stack_rec *rec;	/* sorted by pc */
	struct df_halves *live;		/* live_before at rec[i].pc */
	struct df_halves *out;		/* live after each block */
	uint32_t cnt;
};

struct df_stack_inst {
	uint32_t subprog, callsite, depth;
	bool initialized;		/* live_before computed once */
	struct df_stack_frame fr[DF_MAX_CALL_FRAMES];
};

struct df_stack_child {
	uint32_t parent, callsite, ctx;
};

/* Per subprogram, built when an instance of it is first analysed. */
struct df_stack_sub {
	uint32_t (*succ)[2];	/* successor pcs of each block, UINT32_MAX: none */
	uint32_t *calls;	/* call instructions in instruction postorder */
	uint32_t call_cnt;
	bool ready;
	/* own-frame summary: an instance's records, or their merge (own_alloc) */
	const struct df_stack_rec *own;
	struct df_stack_rec *own_alloc;
	uint32_t own_base;	/* own records of the subprograms before it */
};

struct df_stack_priv {
	const struct df_prog *prog;
	const struct df_cfg *cfg;
	const struct df_solver *at;		/* argtrack */
	const struct df_argtrack_priv *atp;
	struct df_stack_inst *insts;		/* sorted by callsite, depth after the run */
	uint32_t inst_cnt;
	uint32_t *hash, hash_cap;		/* (callsite, depth) -> id + 1, during the run */
	struct df_stack_child *children;	/* sorted by parent, callsite */
	uint32_t child_cnt;
	struct df_stack_sub *subs;
	uint32_t *blk_first;			/* scratch: first record of each block */
	uint32_t blk_cap;
	struct df_rec_sink sinks[DF_MAX_CALL_FRAMES + 1];	/* per recursion level */
	uint32_t level;
	uint32_t analyses;
	/*
	 * Own-frame summary over all instances of each subprogram (subs[].own),
	 * found through a bitmap of the pcs with a record and its rank.
	 */
	uint64_t *own_bits;
	uint32_t *own_rank;
};

uint32_t df_stack_child(const struct df_stack_priv *p, uint32_t parent,
			uint32_t callsite);
int df_stack_run(struct df_stack_priv *p);
/* live_before of frame f of an instance at pc (empty when unreached). */
void df_stack_live(const struct df_stack_priv *p, const struct df_stack_inst *in,
		   uint32_t f, uint32_t pc, struct df_halves *out);
/* The record of frame f at pc, NULL when none. */
const struct df_stack_rec *df_stack_rec_at(const struct df_stack_frame *fr,
					   uint32_t pc);
void df_stack_insts_free(struct df_stack_priv *p);

#endif

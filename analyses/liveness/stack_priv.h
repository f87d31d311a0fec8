/* SPDX-License-Identifier: BSD-2-Clause */
/* Private data of the "stack" analysis (stack.c, stack_instances.c). */
#ifndef DF_STACK_PRIV_H
#define DF_STACK_PRIV_H

#include "stack_int.h"

/*
 * A stored record (stack_store.c): pc and its may_read (rd) and must_write
 * (wr) masks, each 0 (empty), DF_MASK_RUN | first | last << 8 (one run of
 * halves) or DF_MASK_TABLE | index into the table of other masks.
 */
#define DF_MASK_RUN	(1u << 16)
#define DF_MASK_TABLE	(1u << 31)
struct df_stack_crec {
	uint32_t pc;
	uint32_t rd, wr;
};

/* Records sorted by pc (in the analysis' arena), with their mask table (malloc'ed). */
struct df_stack_recs {
	struct df_stack_crec *rec;
	struct df_halves *mask;
	uint32_t cnt, mask_cnt;
};

/* live_before is kept at every DF_LIVE_EVERY-th record; a query folds the rest. */
#define DF_LIVE_EVERY	8

/*
 * One frame of an instance, sparse: the instructions that access it, live
 * checkpoints, and the live set after each block of the subprogram
 * (indexed from its first block). A frame without records is dead
 * everywhere and allocates nothing.
 */
struct df_stack_frame {
	struct df_stack_recs r;
	/* in the analysis' arena */
	struct df_halves *live;		/* live_before at rec[k * DF_LIVE_EVERY] */
	struct df_halves *out;		/* live after each block */
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
	/* reachable predecessors of block b: pred[pred_first[b] .. pred_first[b + 1]) */
	uint32_t *pred_first, *pred;
	uint32_t *calls;	/* call instructions in instruction postorder */
	uint32_t call_cnt;
	bool ready;
	/* own-frame summary: an instance's records, or their merge (own_alloc) */
	const struct df_stack_recs *own;
	struct df_stack_recs own_alloc;
};

struct df_stack_priv {
	const struct df_prog *prog;
	const struct df_cfg *cfg;
	const struct df_solver *at;		/* argtrack */
	const struct df_argtrack_priv *atp;
	struct df_stack_inst *insts;		/* sorted by callsite, depth after the run */
	uint32_t inst_cnt, inst_cap;
	uint32_t *hash, hash_cap;		/* (callsite, depth) -> id + 1, during the run */
	struct df_stack_child *children;	/* sorted by parent, callsite */
	uint32_t child_cnt;
	struct df_stack_sub *subs;
	uint32_t *blk_first;			/* scratch: first record of each block */
	struct df_halves *blk_in;		/* scratch: live at each block's start */
	uint8_t *dirty;				/* scratch: block to process again */
	/* per recursion level, from the arena when first used */
	struct df_rec_sink *sinks[DF_MAX_CALL_FRAMES + 1];
	uint32_t level;
	uint32_t analyses;
	/*
	 * Own-frame summary over all instances of each subprogram (subs[].own),
	 * found through a bitmap of the pcs with a record and its rank.
	 */
	uint64_t *own_bits;
	uint32_t *own_rank;
	/* rd, wr of each record of the summary in pc order; TABLE codes index own_mask */
	uint32_t (*own_code)[2];
	struct df_halves *own_mask;
	/* after the run: the last live sets df_stack_live() computed (NULL: none kept) */
	struct df_live_cache *cache;
	/* all of the above but the mask tables, and the records and live sets of the frames */
	struct df_arena arena;
};

/*
 * Queries come in runs on one (instance, frame, pc): df_stack_alive() for
 * each half of each slot of a verifier state. A few live sets kept by a
 * hash of the key answer the repeats without searching and folding.
 */
#define DF_LIVE_CACHE	16
struct df_live_cache {
	struct {
		const struct df_stack_inst *in;
		uint32_t f, pc;
		struct df_halves live;
	} e[DF_LIVE_CACHE];
};

uint32_t df_stack_child(const struct df_stack_priv *p, uint32_t parent,
			uint32_t callsite);
int df_stack_run(struct df_stack_priv *p);
void df_stack_insts_free(struct df_stack_priv *p);

/* Bits set in x (__builtin_popcountll() is a library call on baseline x86-64). */
static inline uint32_t df_popcount64(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555ull;
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (uint32_t)((x * 0x0101010101010101ull) >> 56);
}

/* ---- stack_store.c ---- */
/* The mask of code v, TABLE codes from table. */
static inline struct df_halves df_mask_decode(const struct df_halves *table, uint32_t v)
{
	const struct df_halves *end, *lo;

	if (v & DF_MASK_TABLE)
		return table[v & ~DF_MASK_TABLE];
	if (!v)
		return (struct df_halves){ { 0, 0 } };
	/* the run [lo, end) */
	end = &df_halves_below[(v >> 8 & 0x7f) + 1];
	lo = &df_halves_below[v & 0x7f];
	return (struct df_halves){ { end->w[0] & ~lo->w[0], end->w[1] & ~lo->w[1] } };
}

static inline struct df_halves df_mask_get(const struct df_stack_recs *s, uint32_t v)
{
	return df_mask_decode(s->mask, v);
}

/* Pack n sorted records into *s (overwritten), the records from arena. */
int df_recs_pack(struct df_stack_recs *s, const struct df_stack_rec *r, uint32_t n,
		 struct df_arena *arena);
/* The records unpacked into a malloc'ed array (s->cnt entries), NULL on ENOMEM. */
struct df_stack_rec *df_recs_unpack(const struct df_stack_recs *s);
void df_recs_free(struct df_stack_recs *s);
/* The record at pc, NULL when none. */
const struct df_stack_crec *df_stack_rec_at(const struct df_stack_recs *s, uint32_t pc);
/* live_before of frame f of an instance at pc (empty when unreached). */
void df_stack_live(const struct df_stack_priv *p, const struct df_stack_inst *in,
		   uint32_t f, uint32_t pc, struct df_halves *out);
/*
 * The fixpoint of one frame from its records (unpacked, cnt of them):
 * fr->live and fr->out (scratch: p->blk_first, blk_in, dirty).
 */
int df_stack_update_frame(struct df_stack_priv *p, const struct df_subprog *sp,
			  const struct df_stack_sub *ss, const struct df_stack_rec *rec,
			  uint32_t cnt, struct df_stack_frame *fr);
void df_stack_frame_free(struct df_stack_frame *fr);

#endif

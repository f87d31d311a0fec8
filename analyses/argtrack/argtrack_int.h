/* SPDX-License-Identifier: BSD-2-Clause */
/* Internal interfaces of arg tracking, shared with the stack liveness. */
#ifndef DF_ARGTRACK_INT_H
#define DF_ARGTRACK_INT_H

#include "argtrack.h"
#include "internal.h"	/* struct df_arena */

#include <string.h>

/* ---- argtrack_lattice.c: values (canonical: unused bytes zero) ---- */
/*
 * A value from its fields (w0 is off[0] or the mask), assembled in
 * registers: GCC builds a compound literal of this union through a stack
 * temporary, and the wider load that follows stalls on the narrow stores;
 * the transfer and join loops paid for that on every value they built.
 */
static inline struct df_arg df_arg_make(int frame, int cnt, uint16_t w0, uint16_t w1,
					uint16_t w2, uint16_t w3)
{
	struct df_arg a;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t lo = (uint64_t)(uint8_t)frame | (uint64_t)(uint8_t)cnt << 8 |
		      (uint64_t)w0 << 16 | (uint64_t)w1 << 32 | (uint64_t)w2 << 48;

	memcpy(&a, &lo, sizeof(lo));
	memcpy(&a.off[3], &w3, sizeof(w3));
#else
	a.frame = (int8_t)frame;
	a.off_cnt = (int8_t)cnt;
	a.off[0] = (int16_t)w0;
	a.off[1] = (int16_t)w1;
	a.off[2] = (int16_t)w2;
	a.off[3] = (int16_t)w3;
#endif
	return a;
}

static inline struct df_arg df_arg_none(void)
{
	return df_arg_make(DF_ARG_NONE, 0, 0, 0, 0, 0);
}

static inline struct df_arg df_arg_unvisited(void)
{
	return df_arg_make(DF_ARG_UNVISITED, 0, 0, 0, 0, 0);
}

static inline struct df_arg df_arg_single(int frame, int16_t off)
{
	return df_arg_make(frame, 1, (uint16_t)off, 0, 0, 0);
}

static inline struct df_arg df_arg_off_imprecise(int frame)
{
	return df_arg_make(frame, 0, 0, 0, 0, 0);
}

static inline struct df_arg df_arg_imprecise(uint16_t mask)
{
	return df_arg_make(DF_ARG_IMPRECISE, 0, mask, 0, 0, 0);
}

/* Offsets sorted and distinct; n > 4 gives offset-imprecise. */
struct df_arg df_arg_offsets(int frame, const int16_t *off, int n);
/* The join of two values that differ and are both visited. */
struct df_arg df_arg_join_slow(struct df_arg a, struct df_arg b);

/* Bitwise equality; the same as df_arg_equal() on canonical values. */
static inline bool df_arg_same(const struct df_arg *a, const struct df_arg *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* df_arg_equal(), inlined. */
static inline bool df_arg_eq(const struct df_arg *a, const struct df_arg *b)
{
	if (a->frame != b->frame)
		return false;
	if (a->frame == DF_ARG_IMPRECISE)
		return a->mask == b->mask;
	if (a->frame < 0)
		return true;
	if (a->off_cnt != b->off_cnt)
		return false;
	for (int i = 0; i < a->off_cnt; i++)
		if (a->off[i] != b->off[i])
			return false;
	return true;
}

/* The join without side effects. */
static inline struct df_arg df_arg_join_val(struct df_arg a, struct df_arg b)
{
	if (b.frame == DF_ARG_UNVISITED || df_arg_same(&a, &b))
		return a;
	if (a.frame == DF_ARG_UNVISITED)
		return b;
	return df_arg_join_slow(a, b);
}
/* *d := *d ⊔ *s in place, the same as df_arg_join_val(). */
static inline void df_arg_join_into(struct df_arg *d, const struct df_arg *s)
{
	if (s->frame == DF_ARG_UNVISITED || df_arg_same(d, s))
		return;
	if (d->frame == DF_ARG_UNVISITED)
		*d = *s;
	else
		*d = df_arg_join_slow(*d, *s);
}

/* May point into some frame's stack (frame >= 0 or imprecise). */
static inline bool df_arg_is_fp(const struct df_arg *a)
{
	return a->frame >= 0 || a->frame == DF_ARG_IMPRECISE;
}

/* ---- argtrack_xfer.c: the transfer function of one instruction ---- */
struct df_at_env {
	int depth;			/* frame number of the context */
	const struct df_arg *in_sa;	/* incoming stack args sa0..6 */
	/* spill slots of frame f < depth at the call that created frame f+1 */
	const struct df_arg *(*parent_spills)(void *cookie, int frame);
	void *cookie;
};
void df_at_xfer(const struct df_at_env *env, const struct df_insn *insn,
		struct df_argtrack_state *st);
/* s16 addition; true on overflow (delta not an s16 included). */
bool df_arg_add(int16_t off, int64_t delta, int16_t *out);
/* Stack-argument insns through r11. */
bool df_insn_is_stack_arg(const struct df_insn *insn);

/* ---- argtrack_const.c: per-subprogram constant registers ---- */
enum df_cval_kind {
	DF_CV_UNVISITED,
	DF_CV_SCALAR,		/* val: a known 64-bit value */
	DF_CV_MAP,		/* val: index into prog->obj->maps */
	DF_CV_FUNC,		/* val: cfg subprogram id */
	DF_CV_VARYING,
};

struct df_cval {
	int64_t val;
	uint8_t kind;
};

/* Values of r0..r5 before a call instruction. */
struct df_call_consts {
	uint32_t pc;
	struct df_cval r[6];
};

struct df_consts {
	struct df_call_consts *calls;	/* sorted by pc */
	uint32_t call_cnt;
};

int df_consts_compute(const struct df_prog *prog, const struct df_cfg *cfg,
		      struct df_consts *out);
/* The same, given the call instructions of each subprogram (as in struct df_at_log). */
int df_consts_compute_calls(const struct df_prog *prog, const struct df_cfg *cfg,
			    const uint32_t *call_pc, const uint32_t *call_first,
			    struct df_consts *out);
void df_consts_free(struct df_consts *c);
const struct df_call_consts *df_consts_at(const struct df_consts *c, uint32_t pc);

/* ---- callbacks (semantics §2.4) ---- */
/*
 * For a helper call that runs a callback synchronously: the register
 * holding the callback, the register forwarded to it and the register it
 * arrives in. false for other instructions.
 */
bool df_callback_helper(const struct df_insn *insn, int *cb_reg,
			int *caller_reg, int *callee_reg);
/*
 * Callback subprogram of the call at pc: its cfg id, -1 when the call runs
 * no callback, -2 when the callback is not a known constant.
 */
int df_callback_subprog(const struct df_prog *prog, const struct df_consts *c,
			uint32_t pc, int *caller_reg, int *callee_reg);

/* The transfer of the analysis (argtrack_xfer.c): df_at_xfer() in context c, logged. */
void df_at_transfer(const struct df_ctx *c, uint32_t pc, const void *in, void *out);
void df_at_transfer_range(const struct df_ctx *c, uint32_t first, uint32_t end, void *state);

/* ---- argtrack_log.c: the values the stack liveness reads, per context ---- */
#define DF_AT_CALL_VALS	(DF_MAX_REG_ARGS + DF_ARG_NSA)	/* r1..r5, sa0..sa6 */
#define DF_AT_SLOT_BITS	28
#define DF_AT_LOG_CALL	15u				/* slot kind of a call */
#define DF_AT_NO_SLOT	UINT32_MAX

struct df_at_log {
	/* per pc: kind (address register, or DF_AT_LOG_CALL) << 28 | first value */
	uint32_t *slot;
	uint32_t insn_cnt;
	/* the call instructions of subprogram s: call_pc[call_first[s] .. call_first[s + 1]) */
	uint32_t *call_pc, *call_first, call_cnt;
	uint32_t *nvals;		/* per subprogram: values in one context's log */
	struct df_arg **ctx;		/* per context, NULL before its first transfer */
	uint32_t ctx_cap;
	struct df_arena arena;		/* all the above, and the contexts' logs */
};

/* The register a memory access goes through (the stack liveness records it), or -1. */
static inline int df_at_access_reg(const struct df_insn *in)
{
	uint8_t cls = DF_CLASS(in->code);
	int reg;

	if (cls == DF_LDX)
		reg = in->src_reg;
	else if (cls == DF_STX && DF_MODE(in->code) == DF_ATOMIC && in->imm == DF_LOAD_ACQ)
		reg = in->src_reg;
	else if (cls == DF_STX || cls == DF_ST)
		reg = in->dst_reg;
	else
		return -1;
	/* r11 (the stack arguments) and invalid registers touch no frame */
	return reg <= DF_REG_FP ? reg : -1;
}
int df_at_log_init(struct df_at_log *l, const struct df_prog *prog,
		   const struct df_cfg *cfg);
void df_at_log_free(struct df_at_log *l);
/* The log of context ctx of subprogram sub, allocated when missing; NULL: no memory. */
struct df_arg *df_at_log_ctx(struct df_at_log *l, uint32_t ctx, uint32_t sub);

/* Log the state before an instruction with slot[] entry slot (not DF_AT_NO_SLOT) into v. */
static inline void df_at_log_put_slot(struct df_arg *v, uint32_t slot,
				      const struct df_argtrack_state *in)
{
	uint32_t reg = slot >> DF_AT_SLOT_BITS;

	v += slot & ((1u << DF_AT_SLOT_BITS) - 1);
	if (reg != DF_AT_LOG_CALL) {
		*v = in->loc[reg];
		return;
	}
	memcpy(v, &in->loc[1], DF_MAX_REG_ARGS * sizeof(*v));
	memcpy(v + DF_MAX_REG_ARGS, &in->loc[DF_ARG_SA0], DF_ARG_NSA * sizeof(*v));
}

/* Log the state before pc (slot[pc] != DF_AT_NO_SLOT) into a context's log v. */
static inline void df_at_log_put(const struct df_at_log *l, struct df_arg *v, uint32_t pc,
				 const struct df_argtrack_state *in)
{
	df_at_log_put_slot(v, l->slot[pc], in);
}
/*
 * The converged values before pc in context ctx: the address register's
 * value for a memory access, r1..r5 and sa0..sa6 for a call. NULL when pc
 * logs nothing or was not reached in ctx.
 */
const struct df_arg *df_at_log_get(const struct df_at_log *l, uint32_t ctx,
				   uint32_t pc);

/* ---- argtrack.c: the analysis' private data ---- */
/* The kernel's limit on instance analyses (one per context). */
#define DF_ARGTRACK_MAX_ANALYSES 10000

struct df_at_record {
	struct df_argtrack_state st;	/* see df_argtrack_entry() */
	uint32_t parent;		/* record of the caller's context */
	uint32_t caller_ctx;
	uint32_t pc;
	int caller_depth;
};

struct df_argtrack_priv {
	const struct df_cfg *cfg;
	struct df_consts consts;
	struct df_at_record **recs;	/* in arena: a record does not move */
	uint32_t rec_cnt;
	struct df_arena arena;		/* the records */
	uint32_t *hash;			/* record ids, open addressing */
	uint32_t hash_cap;
	struct df_at_log log;
	/*
	 * What the transfer needs of the context it runs in, kept from one
	 * instruction to the next: for context cur_ctx with entry record
	 * cur_entry, its env and log.
	 */
	uint32_t cur_ctx, cur_entry;
	struct df_at_env env;
	const void *cookie[2];
	struct df_arg *cur_log;
	/* -EINVAL: a call from frame 7 passed a stack pointer; -E2BIG: too many analyses */
	int err;
	uint32_t err_pc;
};

/*
 * Entry values of the call at pc (args[0..DF_ARG_SPILL0): r1..r5 and
 * sa0..6 for a pseudo call, only the callback's argument register for a
 * callback helper) and its callee (cfg id; -1 none; -2 callback unknown).
 * Returns whether a known callee gets a stack pointer (§3.9 step 2), or,
 * for an unknown callback, whether the forwarded value is not NONE.
 */
bool df_argtrack_call_args(const struct df_prog *prog, const struct df_cfg *cfg,
			   const struct df_consts *consts, uint32_t pc,
			   const struct df_argtrack_state *at_call,
			   struct df_arg *args, int *callee);
/* The same from r1..r5 (regs[0..4]) and sa0..sa6 before the call. */
bool df_argtrack_call_vals(const struct df_prog *prog, const struct df_cfg *cfg,
			   const struct df_consts *consts, uint32_t pc,
			   const struct df_arg *regs, const struct df_arg *sa,
			   struct df_arg *args, int *callee);

#endif

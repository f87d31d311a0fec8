/* SPDX-License-Identifier: BSD-2-Clause */
/* Internal interfaces of the verifier (analyses/pruning), one section per file. */
#ifndef DF_VF_H
#define DF_VF_H

#include "verify.h"
#include "internal.h"

#include <Judy.h>

/* ------------------------------------------------------------------ */
/* explore.c: the environment and the path walk                       */
/* ------------------------------------------------------------------ */

/* A path waiting to be explored: its state starts at st->insn_idx. */
struct vf_branch {
	struct df_vstate *st;
	uint32_t from;		/* pc of the jump that created it (for "from %d to %d") */
	uint32_t path_len;	/* length of env->path when it was pushed */
};

/* Per-subprogram facts gathered while verifying (result: df_verify_subprog). */
struct vf_subprog {
	uint8_t arg_cnt;	/* 0..12 (BTF / .func), 5 when unknown */
	uint8_t in_cnt;		/* arg_cnt > 5 ? arg_cnt - 5 : 0 */
	uint8_t stack_arg_cnt;	/* in_cnt + max outgoing needed by its calls */
	uint8_t max_out;	/* highest outgoing slot written + 1 */
	uint32_t stack_depth;	/* deepest stack byte touched, rounded up to 8 */
	bool has_tail_call;
	bool global;		/* verified separately against its prototype */
};

struct df_prune_ctx {
	const struct df_solver *regs;	/* NULL when the mode does not require "regs" */
	const struct df_solver *stack;	/* NULL unless it requires "stack" */
	struct vf_live_regs *live;	/* NULL, or df_regs_live_all() of regs once asked */
};

struct vf_live_regs {
	bool ready;
	uint32_t pc[];
};

struct vf_env {
	const struct df_prog *prog;
	const struct df_cfg *cfg;
	struct df_verify_opts opts;	/* copy, defaults filled in */
	const struct df_prune_mode *mode;
	struct df_pipeline *pipe;	/* liveness results the mode requires */
	struct df_prune_ctx pctx;

	struct df_vstate *cur;		/* state of the path being walked */
	struct vf_branch *stack;	/* pending paths */
	uint32_t stack_cnt;
	uint32_t *path;			/* pcs of the current path (for --verbose) */
	uint32_t path_cnt;

	Pvoid_t visited;		/* JudyL: pc -> struct vf_visit_list * (cache.c) */
	Pvoid_t open_hashes;		/* JudyL: hash -> checkpoints with open branches (cache.c) */
	bool *prune_point;		/* per pc: checkpoints may be created here */
	bool precise;			/* track precision (precise.c): the mode uses the marks */
	uint32_t jmps_since_ckpt, insns_since_ckpt;

	struct vf_subprog *sub;		/* indexed like cfg->subprogs */
	uint32_t id_gen;		/* last id handed out */
	uint32_t insn_idx;		/* pc being verified (error location) */

	struct df_verify_stats stats;
	uint64_t cur_states;		/* checkpoints alive now */
	struct df_verify_result *res;
};

/*
 * Record the rejection (first one wins) at env->insn_idx: the message is the
 * kernel's line without the pc. vf_err returns -EACCES, vf_unsupported
 * -EOPNOTSUPP ("unsupported: " is prepended), vf_limit -E2BIG.
 */
int vf_err(struct vf_env *env, const char *fmt, ...) DF_PRINTF(2, 3);
int vf_unsupported(struct vf_env *env, const char *fmt, ...) DF_PRINTF(2, 3);
int vf_limit(struct vf_env *env, const char *fmt, ...) DF_PRINTF(2, 3);
/* A warning line in the log (counted in the result). */
void vf_warn(struct vf_env *env, const char *fmt, ...) DF_PRINTF(2, 3);
/* Log text when opts.log_level >= level; a line, ended with a newline when fmt has none. */
void vf_log(struct vf_env *env, int level, const char *fmt, ...) DF_PRINTF(3, 4);

static inline uint32_t vf_new_id(struct vf_env *env)
{
	return ++env->id_gen;
}

static inline struct df_vframe *vf_cur_frame(const struct df_vstate *st)
{
	return st->frame[st->curframe];
}

/* "R%d !read_ok" unless regno (0..10) of the current frame is initialised. */
int vf_check_reg_read(struct vf_env *env, struct df_vstate *st, uint32_t regno);

/*
 * The environment df_verify() builds: vf_env and what the explorer keeps
 * beside it. calls.c reaches it from env (container_of), so vf_call() and
 * vf_exit() need an env made by df_verify().
 */
struct vf_explorer {
	struct vf_env env;
	Pvoid_t ref_insn;		/* JudyL: reference id -> pc that acquired it */
};

/* Prune points from the CFG (env->prune_point). */
int vf_explore_init(struct vf_env *env);
/* Walk every path from env->cur; 0 when all ended, else the first error. */
int vf_walk(struct vf_env *env);
/* Drop the current and pending paths (after an error). */
void vf_walk_reset(struct vf_env *env);
/* Queue st (its own copy) as a pending path reached from the insn at from. */
int vf_push_branch(struct vf_env *env, struct df_vstate *st, uint32_t from);

/* ------------------------------------------------------------------ */
/* state.c: allocation, copies, printing                              */
/* ------------------------------------------------------------------ */

struct df_vframe *vf_frame_new(uint32_t frameno, uint32_t callsite, uint32_t subprog);
void vf_frame_free(struct df_vframe *f);
struct df_vstate *vf_state_new(void);
/* Deep copy (frames, stacks, refs); parent and branches are copied as is. */
struct df_vstate *vf_state_dup(const struct df_vstate *src);
int vf_state_copy(struct df_vstate *dst, const struct df_vstate *src);
void vf_state_free(struct df_vstate *st);
/* Grow frame f's stack to at least bytes (rounded up to 8); new bytes INVALID. */
int vf_stack_grow(struct df_vframe *f, uint32_t bytes);
/* Pop the top frame (after a subprog exit). */
void vf_state_pop_frame(struct df_vstate *st);
int vf_state_add_ref(struct df_vstate *st, uint32_t id);
/* Drop reference id; false if it was not held. */
bool vf_state_del_ref(struct df_vstate *st, uint32_t id);
/*
 * Kernel-style text of r as printed in frame frameno's line: a stack
 * pointer into another frame shows it ("fp[0]-8"). Returns what snprintf
 * would. df_vreg_snprint() is this with frameno = r->frameno.
 */
int vf_reg_snprint(char *buf, size_t len, const struct df_prog *prog,
		   const struct df_vreg *r, uint32_t frameno);

/* ------------------------------------------------------------------ */
/* tnum.c: known-bits arithmetic (pure)                               */
/* ------------------------------------------------------------------ */

struct df_tnum vf_tnum_const(uint64_t v);
struct df_tnum vf_tnum_unknown(void);
struct df_tnum vf_tnum_range(uint64_t min, uint64_t max);
bool vf_tnum_is_const(struct df_tnum t);
bool vf_tnum_in(struct df_tnum outer, struct df_tnum inner);	/* inner ⊆ outer */
struct df_tnum vf_tnum_add(struct df_tnum a, struct df_tnum b);
struct df_tnum vf_tnum_sub(struct df_tnum a, struct df_tnum b);
struct df_tnum vf_tnum_neg(struct df_tnum a);
struct df_tnum vf_tnum_and(struct df_tnum a, struct df_tnum b);
struct df_tnum vf_tnum_or(struct df_tnum a, struct df_tnum b);
struct df_tnum vf_tnum_xor(struct df_tnum a, struct df_tnum b);
struct df_tnum vf_tnum_mul(struct df_tnum a, struct df_tnum b);
struct df_tnum vf_tnum_lshift(struct df_tnum a, uint8_t shift);
struct df_tnum vf_tnum_rshift(struct df_tnum a, uint8_t shift);
struct df_tnum vf_tnum_arshift(struct df_tnum a, uint8_t shift, uint8_t insn_bitness);
struct df_tnum vf_tnum_intersect(struct df_tnum a, struct df_tnum b);
struct df_tnum vf_tnum_union(struct df_tnum a, struct df_tnum b);
struct df_tnum vf_tnum_cast(struct df_tnum a, uint8_t size);	/* keep the low size bytes */
struct df_tnum vf_tnum_subreg(struct df_tnum a);		/* low 32 bits */
struct df_tnum vf_tnum_with_subreg(struct df_tnum reg, struct df_tnum subreg);
int vf_tnum_snprint(char *buf, size_t len, struct df_tnum t);
bool vf_tnum_contains(struct df_tnum t, uint64_t x);
/* Some value is in both (the known bits agree). */
bool vf_tnum_overlap(struct df_tnum a, struct df_tnum b);
struct df_tnum vf_tnum_sext(struct df_tnum a, uint8_t size);	/* sign-extend low size bytes */
struct df_tnum vf_tnum_clear_subreg(struct df_tnum a);		/* low 32 bits become 0 */
struct df_tnum vf_tnum_bswap(struct df_tnum a, uint8_t bits);	/* swap the low 16/32/64 bits */

/* ------------------------------------------------------------------ */
/* scalar.c: register values and their bounds                         */
/* ------------------------------------------------------------------ */

void vf_mark_not_init(struct df_vreg *r);
void vf_mark_unknown(struct df_vreg *r);		/* scalar, any value */
void vf_mark_known(struct df_vreg *r, uint64_t v);	/* scalar constant */
void vf_mark_known_zero(struct df_vreg *r);
/* Make the five views (tnum, s64, u64, s32, u32) consistent with each other. */
void vf_reg_bounds_sync(struct df_vreg *r);
bool vf_reg_is_const(const struct df_vreg *r);
bool vf_reg_is_pointer(const struct df_vreg *r);
/* Zero-extend the low 32 bits into the register (32-bit ALU results, narrow loads). */
void vf_reg_zext32(struct df_vreg *r);
/* The register after a load of size bytes of unknown (sign-extended: sx) data. */
void vf_reg_from_load(struct df_vreg *r, uint32_t size, bool sx);
const char *vf_type_name(const struct df_vreg *r);	/* "scalar", "map_value_or_null", ... */
void vf_mark_unbounded(struct df_vreg *r);		/* all four ranges unbounded */
void vf_mark_unbounded64(struct df_vreg *r);
void vf_mark_unbounded32(struct df_vreg *r);
/* The value becomes the constant v (all five views); other fields are kept. */
void vf_reg_set_known(struct df_vreg *r, uint64_t v);
void vf_reg_set_known32(struct df_vreg *r, uint32_t v);	/* low 32 bits only */
/* Tighten the four ranges with the tnum (one step of vf_reg_bounds_sync). */
void vf_reg_update_bounds(struct df_vreg *r);
/* No range is empty and a constant tnum agrees with the ranges (false: no value fits). */
bool vf_reg_bounds_ok(const struct df_vreg *r);
/* Is x one of the values r describes (every view holds it)? */
bool vf_reg_contains(const struct df_vreg *r, uint64_t x);
/* vf_reg_zext32 without the final sync (the kernel's zext_32_to_64). */
void vf_reg_assign_zext32(struct df_vreg *r);
/* Keep the low size bytes, zero-extended (narrow loads, byte swaps). */
void vf_reg_trunc(struct df_vreg *r, uint32_t size);
/* Sign-extend the low size bytes to 64 bits (MOVSX, MEMSX). */
void vf_reg_sext(struct df_vreg *r, uint32_t size);
/* Sign-extend the low size bytes to 32 bits, then zero-extend (32-bit MOVSX). */
void vf_reg_sext32(struct df_vreg *r, uint32_t size);

/* ------------------------------------------------------------------ */
/* alu.c: ALU and ALU64 instructions                                  */
/* ------------------------------------------------------------------ */

/* Bound on pointer offsets and variable parts (the kernel's BPF_MAX_VAR_OFF). */
#define VF_MAX_VAR_OFF		(INT64_C(1) << 29)

/* Apply insn (class ALU or ALU64) to the current frame; may reject. */
int vf_alu(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn);
/*
 * Scalar d = d OP s for an ALU/ALU64 insn other than MOV (NEG and END use
 * d only; for a K operand s is the constant (s64)imm). Pure: no checks.
 */
void vf_scalar_alu(struct df_vreg *d, const struct df_vreg *s, const struct df_insn *insn);

/* ------------------------------------------------------------------ */
/* ptralu.c: arithmetic with a pointer operand                        */
/* ------------------------------------------------------------------ */

/*
 * dst = dst OP src for an ALU/ALU64 insn other than MOV, NEG and END when
 * dst or src (an immediate as a known scalar) is a pointer; may reject.
 */
int vf_ptr_alu(struct vf_env *env, const struct df_insn *insn, struct df_vreg *dst,
	       const struct df_vreg *src);

/* ------------------------------------------------------------------ */
/* branch.c: conditional jumps                                        */
/* ------------------------------------------------------------------ */

/*
 * Conditional jump insn (JMP/JMP32, not JA/CALL/EXIT; may_goto excluded):
 * 1 always taken, 0 never taken, -1 unknown, or a negative errno < -1 on
 * rejection (e.g. comparing pointers that may not be compared).
 */
int vf_branch_taken(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn);
/*
 * Refine st with the outcome of insn (taken or fall-through): bounds of both
 * operands, null checks (every register and spill sharing the id), packet
 * ranges. Returns 0, 1 when the outcome turns out to be impossible, or
 * a negative errno.
 */
int vf_branch_refine(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn,
		     bool taken);
/* Pure forms for two scalars; op is DF_OP() of the jump, a == b for the same register. */
int vf_scalar_branch_taken(const struct df_vreg *a, const struct df_vreg *b, uint8_t op,
			   bool jmp32);
/* Refine a and b as if "a op b" is taken (or not); 1 when that is impossible. */
int vf_scalar_refine(struct df_vreg *a, struct df_vreg *b, uint8_t op, bool jmp32, bool taken);

/* ------------------------------------------------------------------ */
/* mem.c: loads, stores, atomics; memory arguments of calls           */
/* ------------------------------------------------------------------ */

/* LDX, ST, STX (MEM, MEMSX, ATOMIC) through r0..r10. r11 forms go to stackarg.c. */
int vf_mem_insn(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn);
/*
 * A call argument pointing to memory: size bytes from ptr are read (write
 * false: must be initialised) or written. size < 0: size unknown (read up to
 * what the pointer allows). argno is 1-based for messages ("R%d").
 */
int vf_check_arg_mem(struct vf_env *env, struct df_vstate *st, uint32_t argno,
		     const struct df_vreg *ptr, int64_t size, bool write);
/* Forget every spilled copy and register of the current path holding a value with id. */
void vf_mem_invalidate_id(struct df_vstate *st, uint32_t ref_obj_id);
/* Packet data may have moved (bpf_skb_pull_data...): drop all packet pointers. */
void vf_mem_invalidate_packet(struct df_vstate *st);
/* Size of the program type's context (bytes readable through PTR_TO_CTX). */
uint32_t vf_ctx_size(const struct df_prog *prog);
/*
 * The aux of a map pointer or map value: an object map index, or with
 * VF_MAP_INNER the inner map template of that map of maps. vf_map() is the
 * map it names, NULL when none.
 */
#define VF_MAP_INNER	0x80000000u
const struct df_map *vf_map(const struct df_prog *prog, uint64_t aux);

/* One load, store or check of memory through a pointer (mem.c, stackmem.c). */
struct vf_access {
	uint32_t regno;		/* register (or argument) holding the pointer */
	struct df_vreg ptr;	/* its value before the instruction */
	int32_t off;		/* instruction offset */
	int64_t size;		/* bytes */
	bool write;
	bool sx;		/* sign-extending load */
	bool strict;		/* atomics: alignment checked for every pointer */
	struct df_vreg *val;	/* store: the value; NULL for unknown bytes */
	int val_regno;		/* register of val, -1 for an immediate */
	struct df_vreg *dst;	/* load: the destination; NULL to check only */
};

static inline int64_t vf_sat_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* The address is a multiple of the size (desc NULL: a packet, NET_IP_ALIGN). */
int vf_check_align(struct vf_env *env, const struct vf_access *a, const char *desc);

/* ctx.c: the program type's context model. What a context load yields: */
enum vf_ctx_result {
	VF_CTX_SCALAR,
	VF_CTX_PKT,		/* PTR_TO_PACKET, offset 0, range 0 */
	VF_CTX_PKT_END,
	VF_CTX_PKT_META,
	VF_CTX_UNSUPPORTED,	/* a field the model does not cover (socket pointer...) */
};
/*
 * A load (write false) or store of size bytes at off of prog's context:
 * 0 and *res when allowed, -EACCES when not, -EOPNOTSUPP when the program
 * type or the field has no model. sx: a sign-extending load.
 */
int vf_ctx_access(const struct df_prog *prog, int64_t off, uint32_t size, bool write,
		  bool sx, enum vf_ctx_result *res);

/* ------------------------------------------------------------------ */
/* stackmem.c: loads, stores and call arguments on the stack          */
/* ------------------------------------------------------------------ */

/* A load, store or atomic step through a stack pointer: bounds, spills and fills. */
int vf_stack_access(struct vf_env *env, struct df_vstate *st, const struct vf_access *a);
/* A call argument pointing to the stack (rest: every byte up to the frame pointer). */
int vf_stack_arg_mem(struct vf_env *env, struct df_vstate *st, const struct vf_access *a,
		     bool rest);
/*
 * A slot's eight byte types as one word (byte j where memory puts it), to
 * test them all at once; VF_BYTES(t): t in every byte.
 */
#define VF_BYTES(t)	(UINT64_C(0x0101010101010101) * (t))

_Static_assert(DF_STACK_INVALID == 0 && DF_STACK_SPILL == 1 && DF_STACK_MISC == 2 &&
	       DF_STACK_ZERO == 3 && DF_STACK_POISON == 4, "byte types as the word tests expect");

static inline uint64_t vf_slot_word(const struct df_vslot *s)
{
	uint64_t w;

	memcpy(&w, s->type, sizeof(w));
	return w;
}

/* Some byte is SPILL, MISC or ZERO: the types with one of the two low bits set. */
static inline bool vf_word_written(uint64_t w)
{
	return w & VF_BYTES(3);
}

/* Some byte is SPILL. */
static inline bool vf_word_has_spill(uint64_t w)
{
	uint64_t x = w ^ VF_BYTES(DF_STACK_SPILL);

	/* some byte of x is zero */
	return (x - VF_BYTES(1)) & ~x & VF_BYTES(0x80);
}

/* Does slot s hold a spilled register (some byte SPILL)? */
static inline bool vf_slot_has_spill(const struct df_vslot *s)
{
	return vf_word_has_spill(vf_slot_word(s));
}

/* ------------------------------------------------------------------ */
/* stackarg.c: r11 loads and stores, call-time stack-arg rules (§5)   */
/* ------------------------------------------------------------------ */

int vf_stack_arg_load(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn);
int vf_stack_arg_store(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn);
/* Argument argno (1..12) of a call about to be made from the current frame. */
const struct df_vreg *vf_call_arg(const struct df_vstate *st, uint32_t argno);
/* Before a call needing nargs arguments: slots 5..nargs-1 present (§5.4 call rule 1). */
int vf_stack_args_check(struct vf_env *env, struct df_vstate *st, uint32_t nargs);

/* ------------------------------------------------------------------ */
/* calls.c: helper, kfunc and subprogram calls; exit                  */
/* ------------------------------------------------------------------ */

/* A CALL insn at st->insn_idx. On a subprog call, st gets the new frame. */
int vf_call(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn);
/* EXIT: return to the caller frame (1: the path ended in frame 0) or reject. */
int vf_exit(struct vf_env *env, struct df_vstate *st);
/* Does the program type bound r0 at exit? Then to [0, *hi]. */
bool vf_ret_range(const struct df_prog *prog, int *hi);
/* After the walk: §5.6 program-level rules (over-write, tail calls, interpreter). */
int vf_program_checks(struct vf_env *env);
/* r1-r5 unreadable after a call. */
void vf_clobber_args(struct df_vframe *f);
/* The outgoing stack-argument slots of f do not survive a call (§5.4 rule 5). */
void vf_clear_out_args(struct df_vframe *f);
/* A callee wrote through a pointer into f, any number of times (docs/verify.md). */
void vf_havoc_frame(struct df_vframe *f);
/* Outgoing slots of every frame holding reference id (or, id 0, a packet pointer) die. */
void vf_invalidate_slots(struct df_vstate *st, uint32_t id);
/* A frame of st runs a callback. */
bool vf_in_callback(const struct df_vstate *st);
/* A new reference held by st, acquired by the call at pc. */
int vf_ref_acquire(struct vf_env *env, struct df_vstate *st, uint32_t pc, uint32_t *id);

/* ------------------------------------------------------------------ */
/* helper.c: helper calls against the prototype table                 */
/* ------------------------------------------------------------------ */

int vf_call_helper(struct vf_env *env, struct df_vstate *st, uint32_t pc,
		   const struct df_insn *insn);

/* ------------------------------------------------------------------ */
/* precise.c: precision tracking (the instruction history, backtracking) */
/* ------------------------------------------------------------------ */

/*
 * Before insn runs in st (after the cache was asked): mark what insn needs
 * precise (pointer arithmetic, helper size arguments, a callback's r0...)
 * and append insn to st's history. 0 or -ENOMEM.
 */
int vf_precise_insn(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn);
/* An undecided conditional jump about to refine: record the scalars linked to its operands. */
int vf_precise_links(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn);
/* The outcome of the conditional jump st is at depends on its scalar operands. */
void vf_precise_operands(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn);
/* Register regno of frame fr must be precise in every checkpoint st continued from. */
void vf_precise_reg(struct vf_env *env, struct df_vstate *st, uint32_t fr, uint32_t regno);
/* The scalar spilled in slot spi of frame fr, likewise. */
void vf_precise_slot(struct vf_env *env, struct df_vstate *st, uint32_t fr, uint32_t spi);
/* cur was pruned by old: old's precise values must be precise on cur's path too. */
void vf_precise_propagate(struct vf_env *env, const struct df_vstate *old,
			  struct df_vstate *cur);
/* Every scalar of st (registers, spills, stack arguments) must be precise. */
void vf_precise_all(struct vf_env *env, struct df_vstate *st);
/* A new checkpoint starts with no marks: only backtracking sets them. */
void vf_precise_clear(struct df_vstate *st);

/* ------------------------------------------------------------------ */
/* equiv.c, clean.c, modes.c: pruning modes (public API in verify.h)  */
/* cache.c: the visited-state cache                                   */
/* ------------------------------------------------------------------ */

/*
 * modes.c: check a mode descriptor (size, name, equal(), each word of
 * requires a known analysis, name not taken) and add it to the registry;
 * origin (a plug-in's path) starts the warnings. 0 or a negative errno.
 */
int vf_prune_mode_register(const struct df_prune_mode *m, const char *origin);

/*
 * At a prune point: clean cur with the mode, look it up among the states
 * cached at pc. 1: pruned (the path ends); 0: continue (a checkpoint may
 * have been added and cur->parent updated); negative: rejection (infinite
 * loop) or -ENOMEM.
 */
int vf_is_state_visited(struct vf_env *env, uint32_t pc);
/* A path ended (exit, prune, error): decrement branches up the checkpoint chain. */
void vf_branch_done(struct vf_env *env, struct df_vstate *st);
void vf_cache_free(struct vf_env *env);

#endif /* DF_VF_H */

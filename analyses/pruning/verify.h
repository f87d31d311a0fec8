/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path-sensitive verification with stack arguments and liveness-aware state
 * pruning. The explorer walks every path of a program over an abstract state
 * (typed registers, byte-granular stacks, outgoing stack-argument slots);
 * at checkpoints a pluggable pruning mode cleans the state with the
 * liveness results and compares it with the states already explored there.
 * Design: docs/verify.md; semantics §4, §5, §3.11-3.13.
 */
#ifndef DF_VERIFY_H
#define DF_VERIFY_H

#include "dataflow.h"

/* ---- abstract values ---- */

/* Known bits: a bit is known when its mask bit is 0, and then equals value's. */
struct df_tnum {
	uint64_t value;
	uint64_t mask;
};

enum df_vtype {
	DF_NOT_INIT = 0,
	DF_SCALAR,
	DF_PTR_TO_CTX,
	DF_CONST_PTR_TO_MAP,	/* aux: object map index */
	DF_PTR_TO_MAP_VALUE,	/* aux: object map index */
	DF_PTR_TO_MAP_KEY,	/* aux: object map index */
	DF_PTR_TO_STACK,	/* frameno: the frame it points into */
	DF_PTR_TO_MEM,		/* aux: size of the memory in bytes */
	DF_PTR_TO_PACKET_META,
	DF_PTR_TO_PACKET,	/* aux: bytes known readable from off 0 (the kernel's range) */
	DF_PTR_TO_PACKET_END,
	DF_PTR_TO_SOCKET,
	DF_PTR_TO_FUNC,		/* aux: subprog id */
	DF_VTYPE_CNT
};

#define DF_VF_MAYBE_NULL	0x01	/* pointer may be 0 until a null check */

/*
 * A register (or a spilled register, or an outgoing stack argument).
 * Scalars: var_off and the bounds describe the value. Pointers: the value
 * is base + off + a variable part described by var_off and the bounds.
 */
struct df_vreg {
	uint8_t type;		/* enum df_vtype */
	uint8_t flags;		/* DF_VF_* */
	uint8_t frameno;	/* DF_PTR_TO_STACK */
	uint8_t precise;	/* scalars: the value matters for pruning (precise.c) */
	int32_t off;		/* fixed offset of a pointer */
	struct df_tnum var_off;
	int64_t smin, smax;
	uint64_t umin, umax;
	int32_t s32min, s32max;
	uint32_t u32min, u32max;
	uint32_t id;		/* equal ids: same value (null checks, scalar copies) */
	uint32_t ref_obj_id;	/* acquired reference held, 0 none */
	uint32_t aux;		/* see enum df_vtype */
};

/* Stack byte types; byte j of slot k is fp - 8k - 1 - j (j 0..3 near half). */
enum df_stype {
	DF_STACK_INVALID = 0,	/* never written */
	DF_STACK_SPILL,		/* part of a spilled register (slot.spill) */
	DF_STACK_MISC,		/* unknown bytes */
	DF_STACK_ZERO,		/* known zero */
	DF_STACK_POISON,	/* dead, wiped at a checkpoint; compares like INVALID */
};

struct df_vslot {
	uint8_t type[8];	/* enum df_stype per byte */
	struct df_vreg spill;	/* valid when any byte is DF_STACK_SPILL */
};

struct df_vframe {
	struct df_vreg regs[DF_NREGS];	/* r0..r10 */
	uint32_t callsite;	/* call insn that created the frame; UINT32_MAX for frame 0 */
	uint32_t subprog;	/* df_cfg subprog id */
	uint32_t frameno;
	uint32_t allocated;	/* stack bytes allocated, multiple of 8 */
	struct df_vslot *stack;	/* allocated / 8 slots; slot k = [fp-8(k+1), fp-8k) */
	struct df_vreg stack_args[DF_MAX_STACK_ARG_SLOTS];	/* outgoing; slot i = r11-8(i+1) */
	uint8_t out_stack_arg_cnt;	/* slots present (others read as NOT_INIT) */
	bool no_stack_arg_load;	/* an r11 store or a call happened: r11 loads now fail */
	bool in_callback;	/* frame runs a callback of a helper (bpf_loop, ...) */
	uint32_t callback_depth;
};

struct df_vstate {
	struct df_vframe *frame[DF_MAX_CALL_FRAMES];
	uint32_t curframe;
	uint32_t insn_idx;	/* pc the state is at */
	uint32_t *refs;		/* acquired reference ids not yet released */
	uint32_t ref_cnt;
	/* Explorer bookkeeping: the checkpoint this path continued from. */
	struct df_vstate *parent;
	uint32_t branches;	/* paths below this checkpoint still being explored */
	uint32_t loop_entry;	/* reserved */
	/* Precision tracking: the insns walked since the parent checkpoint (precise.c). */
	uint64_t *hist;
	uint32_t hist_cnt;
};

/* Kernel-style text of a register ("scalar(smin=0,smax=7)", "fp-8", "map_value(...)"). */
DF_API int df_vreg_snprint(char *buf, size_t len, const struct df_prog *prog,
			   const struct df_vreg *r);
/* One line per frame: "frame1: R1=ctx() R10=fp0 fp-8=mmmmmmmm sa0=scalar(...)". */
DF_API int df_vstate_print(FILE *f, const struct df_prog *prog, const struct df_vstate *st);

/* ---- pruning modes ---- */

enum df_exact {
	DF_NOT_EXACT,		/* ordinary pruning */
	DF_RANGE_WITHIN,	/* old state is inside a loop being explored */
	DF_EXACT,		/* infinite-loop detection */
};

/* What a mode may ask of the liveness results while cleaning or comparing. */
struct df_prune_ctx;
/* Is register regno of frame F of st live (§3.13: top frame at its pc, outer at their call)? */
DF_API bool df_prune_reg_live(const struct df_prune_ctx *c, const struct df_vstate *st,
			      uint32_t frame, uint32_t regno);
/* Is half h of frame F of st alive (§3.11)? */
DF_API bool df_prune_half_live(const struct df_prune_ctx *c, const struct df_vstate *st,
			       uint32_t frame, uint32_t half);

/*
 * A pruning mode: cleaning at checkpoints and the equivalence old ⊒ cur.
 * The built-in modes share df_states_equal() and differ in what they clean.
 */
struct df_prune_mode {
	size_t sz;
	const char *name;
	const char *requires;	/* analyses it queries: "", "regs", "regs stack" */
	const char *summary;	/* one line for --help and docs */
	/* Rewrite the dead parts of a state about to be compared and cached. */
	void (*clean)(const struct df_prune_ctx *c, struct df_vstate *st);
	/* May cur be pruned because old, fully explored, covers it? */
	bool (*equal)(const struct df_prune_ctx *c, const struct df_vstate *old,
		      const struct df_vstate *cur, enum df_exact level);
};

extern DF_API const struct df_prune_mode df_prune_exact;	/* no liveness */
extern DF_API const struct df_prune_mode df_prune_regs;	/* register liveness */
extern DF_API const struct df_prune_mode df_prune_full;	/* registers and stack halves */

/* Built-in modes and those loaded from plug-ins, by name. */
DF_API const struct df_prune_mode *df_prune_mode_find(const char *name);
DF_API uint32_t df_prune_mode_cnt(void);
DF_API const struct df_prune_mode *df_prune_mode_at(uint32_t i);
/* Load a mode from a shared object exporting `df_plugin_prune_mode`. */
#define DF_PRUNE_PLUGIN_SYMBOL "df_plugin_prune_mode"
DF_API int df_prune_mode_load(const char *path, const struct df_prune_mode **out);

/* Building blocks for modes (§4.2-4.5). */
DF_API bool df_states_equal(const struct df_prune_ctx *c, const struct df_vstate *old,
			    const struct df_vstate *cur, enum df_exact level);
/* The same with precision marks (the kernel's rule): an imprecise old scalar covers any scalar. */
DF_API bool df_states_equal_precise(const struct df_prune_ctx *c, const struct df_vstate *old,
				    const struct df_vstate *cur, enum df_exact level);
/* §3.13: dead registers become NOT_INIT. */
DF_API void df_clean_regs(const struct df_prune_ctx *c, struct df_vstate *st);
/* §3.13: dead halves are poisoned, near-half scalar spills split. */
DF_API void df_clean_stack(const struct df_prune_ctx *c, struct df_vstate *st);

/* ---- verification ---- */

enum df_verdict {
	DF_VERDICT_ACCEPT,
	DF_VERDICT_REJECT,	/* the program breaks a rule */
	DF_VERDICT_UNSUPPORTED,	/* uses something the model does not cover ("unsupported: ...") */
	DF_VERDICT_LIMIT,	/* complexity limit reached */
};

struct df_verify_opts {
	size_t sz;
	const struct df_prune_mode *mode;	/* NULL: df_prune_full */
	uint32_t insn_limit;	/* processed-instruction budget; 0: 1,000,000 */
	bool div_by_zero;	/* warn about possible division by zero (userspace runtime) */
	bool interpreted;	/* the program would run in the interpreter, not a JIT */
	bool state_freq;	/* checkpoint at every prune point (BPF_F_TEST_STATE_FREQ) */
	uint32_t input_size;	/* > 0: r1 is a flat buffer of this size, r2 its length */
	FILE *log;		/* NULL: no log */
	int log_level;		/* 1: on rejection, the path and states; 2: every insn */
};

struct df_verify_stats {
	uint64_t processed;	/* instructions processed */
	uint64_t total_states;	/* checkpoints created */
	uint64_t peak_states;	/* checkpoints alive at once */
	uint64_t max_states_per_insn;
	uint64_t prune_hits;	/* paths cut by a cached state */
	uint64_t time_ns;	/* verification proper (liveness included) */
};

/* Per subprogram results: what a JIT needs. */
struct df_verify_subprog {
	uint32_t start;
	uint32_t stack_depth;	/* bytes, rounded up to 8 */
	uint8_t arg_cnt;
	uint8_t in_cnt;		/* incoming stack args */
	uint8_t stack_arg_cnt;	/* in_cnt + outgoing slots its calls need */
	uint8_t max_out;	/* highest outgoing slot written + 1 */
};

struct df_verify_result {
	enum df_verdict verdict;
	int64_t err_pc;		/* pc of the rejection, -1 when none or not at an insn */
	char msg[256];		/* the kernel-style rejection line, without the pc */
	uint32_t warn_cnt;	/* warnings (division by zero) printed to the log */
	struct df_verify_stats stats;
	struct df_verify_subprog *subprogs;	/* indexed like df_cfg subprogs */
	uint32_t subprog_cnt;
};

/*
 * Verify prog. Returns 0 when verification ran to a verdict (accepted or
 * not), or a negative errno when it could not run (-ENOMEM, a mode whose
 * requirements fail). The program need not have passed df_prog_check():
 * encoding and CFG errors are rejections.
 */
DF_API int df_verify(const struct df_prog *prog, const struct df_verify_opts *opts,
		     struct df_verify_result **out);
DF_API void df_verify_result_free(struct df_verify_result *r);
DF_API const char *df_verdict_name(enum df_verdict v);	/* "accept", "reject", ... */

#endif /* DF_VERIFY_H */

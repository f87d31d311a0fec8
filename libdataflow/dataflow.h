/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libdataflow: the eBPF program model, loaders, assembler, disassembler and CFG.
 *
 * Conventions: functions return 0 or a negative errno; functions returning a
 * pointer return NULL and set errno. Diagnostics go through the print
 * callback installed with df_set_print(). Options structs start with their
 * size; declare them with DF_OPTS().
 */
#ifndef DATAFLOW_H
#define DATAFLOW_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DF_API __attribute__((visibility("default")))

#define DF_OPTS(type, name, ...) \
	struct type name = { .sz = sizeof(struct type), __VA_ARGS__ }

/* ------------------------------------------------------------------ */
/* Printing                                                           */
/* ------------------------------------------------------------------ */

enum df_print_level {
	DF_WARN,
	DF_INFO,
	DF_DEBUG,
};

typedef int (*df_print_fn)(enum df_print_level level, const char *fmt,
			   va_list ap);

/* Install a print callback; returns the previous one. NULL silences. */
DF_API df_print_fn df_set_print(df_print_fn fn);

/* ------------------------------------------------------------------ */
/* Instructions                                                       */
/* ------------------------------------------------------------------ */

/* Same layout as the kernel's struct bpf_insn on little-endian hosts. */
struct df_insn {
	uint8_t code;
	uint8_t dst_reg : 4;
	uint8_t src_reg : 4;
	int16_t off;
	int32_t imm;
};

/* Classes */
#define DF_LD		0x00
#define DF_LDX		0x01
#define DF_ST		0x02
#define DF_STX		0x03
#define DF_ALU		0x04
#define DF_JMP		0x05
#define DF_JMP32	0x06
#define DF_ALU64	0x07
#define DF_CLASS(code)	((code) & 0x07)

/* Load/store size and mode */
#define DF_W		0x00
#define DF_H		0x08
#define DF_B		0x10
#define DF_DW		0x18
#define DF_SIZE(code)	((code) & 0x18)
#define DF_IMM		0x00
#define DF_ABS		0x20
#define DF_IND		0x40
#define DF_MEM		0x60
#define DF_MEMSX	0x80
#define DF_ATOMIC	0xc0
#define DF_MODE(code)	((code) & 0xe0)

/* ALU/JMP operation and source */
#define DF_K		0x00
#define DF_X		0x08
#define DF_SRC(code)	((code) & 0x08)
#define DF_OP(code)	((code) & 0xf0)

#define DF_ADD		0x00
#define DF_SUB		0x10
#define DF_MUL		0x20
#define DF_DIV		0x30
#define DF_OR		0x40
#define DF_AND		0x50
#define DF_LSH		0x60
#define DF_RSH		0x70
#define DF_NEG		0x80
#define DF_MOD		0x90
#define DF_XOR		0xa0
#define DF_MOV		0xb0
#define DF_ARSH		0xc0
#define DF_END		0xd0
#define DF_TO_LE	0x00	/* DF_END with source K */
#define DF_TO_BE	0x08	/* DF_END with source X */

#define DF_JA		0x00
#define DF_JEQ		0x10
#define DF_JGT		0x20
#define DF_JGE		0x30
#define DF_JSET		0x40
#define DF_JNE		0x50
#define DF_JSGT		0x60
#define DF_JSGE		0x70
#define DF_CALL		0x80
#define DF_EXIT		0x90
#define DF_JLT		0xa0
#define DF_JLE		0xb0
#define DF_JSLT		0xc0
#define DF_JSLE		0xd0
#define DF_JCOND	0xe0	/* may_goto */

/* Atomic operations (imm of STX|ATOMIC) */
#define DF_FETCH	0x01
#define DF_XCHG		(0xe0 | DF_FETCH)
#define DF_CMPXCHG	(0xf0 | DF_FETCH)
#define DF_LOAD_ACQ	0x100
#define DF_STORE_REL	0x110

/* src_reg of ld_imm64 */
#define DF_PSEUDO_MAP_FD	1
#define DF_PSEUDO_MAP_VALUE	2
#define DF_PSEUDO_BTF_ID	3
#define DF_PSEUDO_FUNC		4
#define DF_PSEUDO_MAP_IDX	5
#define DF_PSEUDO_MAP_IDX_VALUE	6

/* src_reg of JMP|CALL */
#define DF_PSEUDO_HELPER	0
#define DF_PSEUDO_CALL		1
#define DF_PSEUDO_KFUNC_CALL	2

/* Registers */
#define DF_REG_FP	10
#define DF_REG_PARAMS	11	/* r11: stack arguments 6..12 */
#define DF_NREGS	11	/* r0..r10 */

#define DF_MAX_STACK		512
#define DF_MAX_CALL_FRAMES	8
#define DF_MAX_FUNC_ARGS	12
#define DF_MAX_REG_ARGS		5
#define DF_MAX_STACK_ARG_SLOTS	7

static inline bool df_insn_is_ldimm64(const struct df_insn *i)
{
	return i->code == (DF_LD | DF_IMM | DF_DW);
}

/* Slots an instruction occupies: 2 for ld_imm64, else 1. */
static inline uint32_t df_insn_slots(const struct df_insn *i)
{
	return df_insn_is_ldimm64(i) ? 2 : 1;
}

/*
 * Check that insns[pc] is a valid encoding of the current ISA (RFC 9669,
 * cpu v4, atomics, may_goto, r11 stack-argument access). Only the
 * instruction itself is checked (and the second slot of ld_imm64); see
 * df_prog_check() for jump targets. On error returns -EINVAL and writes the
 * reason (without the pc) to why.
 */
DF_API int df_insn_check(const struct df_insn *insns, uint32_t cnt,
			 uint32_t pc, char *why, size_t why_len);

/* Registers read and written by an instruction, as bit masks of r0..r11. */
struct df_insn_regs {
	uint16_t use;
	uint16_t def;
};
DF_API void df_insn_regs(const struct df_insn *insn, int call_nargs,
			 struct df_insn_regs *out);

/* Jump target of a jump (JA, gotol, conditional, may_goto), or -1. */
DF_API int64_t df_insn_jump_target(const struct df_insn *insn, uint32_t pc);

/* Access size in bytes of a load/store/atomic (1, 2, 4, 8), 0 otherwise. */
DF_API int df_insn_access_size(const struct df_insn *insn);

/* ------------------------------------------------------------------ */
/* Helpers (kernel helper functions, by id)                           */
/* ------------------------------------------------------------------ */

struct df_helper {
	int32_t id;
	const char *name;	/* "bpf_map_lookup_elem" */
	int8_t nargs;		/* 0..5 */
};

DF_API const struct df_helper *df_helper_by_id(int32_t id);
DF_API const struct df_helper *df_helper_by_name(const char *name);

/* ------------------------------------------------------------------ */
/* Program model                                                      */
/* ------------------------------------------------------------------ */

enum df_linkage {
	DF_LINKAGE_UNKNOWN = 0,
	DF_LINKAGE_STATIC,
	DF_LINKAGE_GLOBAL,
};

/* A named function of a program: its entry or a subprogram. */
struct df_func {
	char *name;
	uint32_t start;		/* first slot */
	uint32_t len;		/* slots; 0 when unknown (raw bytecode) */
	int8_t arg_cnt;		/* 0..12 from BTF or a .func directive; -1 unknown */
	enum df_linkage linkage;
	uint32_t btf_id;	/* BTF FUNC type id, 0 if none */
};

enum df_map_origin {
	DF_MAP_BTF,		/* BTF-defined, in .maps */
	DF_MAP_LEGACY,		/* struct bpf_map_def in "maps" */
	DF_MAP_DATA,		/* global data: .data, .rodata, .bss */
	DF_MAP_ASM,		/* declared with .map in assembly */
};

struct df_map {
	char *name;
	uint32_t type;		/* enum bpf_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags;
	enum df_map_origin origin;
	char *section;		/* ELF section it came from, or NULL */
	struct df_map *inner;	/* map of maps: the inner map's template (BTF "values"), or NULL */
};

/* An ld_imm64 at pc that refers to map obj->maps[map]. */
struct df_map_ref {
	uint32_t pc;
	uint32_t map;
};

/* A kernel function called by the program (src_reg 2 calls). */
struct df_kfunc {
	char *name;
	int32_t btf_id;		/* the call's imm */
	int16_t btf_fd_idx;	/* the call's off */
	int8_t arg_cnt;		/* 0..12, -1 unknown */
};

/* Source line of the slot at pc (BTF line info or asm input). */
struct df_line {
	uint32_t pc;
	uint32_t line;
	uint32_t col;
	const char *file;
	const char *text;
};

struct df_object;

struct df_prog {
	char *name;		/* entry function name, or the section name */
	char *section;
	uint32_t type;		/* enum bpf_prog_type, guessed from section */
	uint32_t expected_attach_type;
	struct df_insn *insns;
	uint32_t insn_cnt;	/* slots */
	struct df_func *funcs;	/* sorted by start; funcs[0] is the entry */
	uint32_t func_cnt;
	struct df_map_ref *map_refs;	/* sorted by pc */
	uint32_t map_ref_cnt;
	struct df_kfunc *kfuncs;
	uint32_t kfunc_cnt;
	struct df_line *lines;	/* sorted by pc */
	uint32_t line_cnt;
	int err;		/* 0, or why the program could not be loaded */
	char *err_msg;		/* one-line diagnostic when err != 0 */
	struct df_object *obj;
};

enum df_input_kind {
	DF_INPUT_AUTO = 0,	/* by content: ELF magic, else text, else raw */
	DF_INPUT_ELF,
	DF_INPUT_RAW,		/* 8-byte little-endian instructions */
	DF_INPUT_ASM,
};

struct df_object {
	char *path;
	enum df_input_kind kind;
	char *license;
	uint32_t kern_version;
	struct df_prog *progs;
	uint32_t prog_cnt;
	struct df_map *maps;
	uint32_t map_cnt;
	struct btf *btf;	/* libbpf BTF of the object, or NULL */
	uint32_t warn_cnt;	/* problems reported while loading that did not stop it
				   (e.g. corrupt BTF line info, then ignored) */
};

struct df_open_opts {
	size_t sz;
	enum df_input_kind kind;
	const char *prog_type;	/* override the guessed type, e.g. "xdp" */
};

/*
 * Open an object. Programs that fail to load (unresolved relocation,
 * invalid instruction...) stay listed with err/err_msg set; the call fails
 * only when the file as a whole cannot be read.
 */
DF_API int df_object_open(const char *path, const struct df_open_opts *opts,
			  struct df_object **out);
DF_API int df_object_open_mem(const void *data, size_t len, const char *name,
			      const struct df_open_opts *opts,
			      struct df_object **out);
DF_API void df_object_free(struct df_object *obj);
DF_API struct df_prog *df_object_find_prog(const struct df_object *obj,
					   const char *name);

/*
 * Check every instruction of a program and its control flow at the
 * encoding level: valid opcodes and reserved fields, jumps inside the
 * program and not into the second slot of ld_imm64, no falling off the end.
 * Reports the first problem with file, section and pc; returns -EINVAL.
 */
DF_API int df_prog_check(const struct df_prog *prog);

/* Function containing pc (the last func with start <= pc), or NULL. */
DF_API const struct df_func *df_prog_func_at(const struct df_prog *prog,
					     uint32_t pc);
/* Map referenced by the ld_imm64 at pc, or NULL. */
DF_API const struct df_map *df_prog_map_at(const struct df_prog *prog,
					   uint32_t pc);
/* Kfunc called at pc (src_reg 2), or NULL when not declared. */
DF_API const struct df_kfunc *df_prog_kfunc_at(const struct df_prog *prog,
					       uint32_t pc);

/*
 * libbpf-style program type from an ELF section name: 0, or -ENOENT with
 * *type 0 (unspec) when the name is not recognised. The name functions
 * return NULL for unknown numbers.
 */
DF_API int df_prog_type_by_section(const char *section, uint32_t *type,
				   uint32_t *expected_attach_type);
DF_API const char *df_prog_type_name(uint32_t type);
DF_API int df_prog_type_by_name(const char *name, uint32_t *type);
DF_API const char *df_map_type_name(uint32_t type);
DF_API int df_map_type_by_name(const char *name, uint32_t *type);

/* ------------------------------------------------------------------ */
/* Disassembler                                                       */
/* ------------------------------------------------------------------ */

/*
 * Body of one instruction in kernel verifier-log syntax, without the
 * "pc: (op) " prefix: "r1 = *(u64 *)(r10 -8)". prog supplies map, kfunc
 * and function names; it may be NULL. Returns the length snprintf would.
 */
DF_API int df_insn_snprint(char *buf, size_t len, const struct df_prog *prog,
			   const struct df_insn *insns, uint32_t cnt,
			   uint32_t pc);

struct df_dump_opts {
	size_t sz;
	bool no_prefix;		/* omit "pc: (op) "; ld_imm64 then ends in " ll" */
	bool no_lines;		/* omit source-line comments */
	bool directives;	/* emit .prog/.func/.map/... so that asm reads it back */
};

/* Disassemble a whole program: labels, source lines, instructions. */
DF_API int df_prog_dump(FILE *f, const struct df_prog *prog,
			const struct df_dump_opts *opts);

/*
 * Disassemble several programs of one object as one listing; with
 * opts->directives the object's license and maps are declared once, first.
 */
DF_API int df_object_dump(FILE *f, const struct df_object *obj,
			  struct df_prog *const *progs, uint32_t cnt,
			  const struct df_dump_opts *opts);

/* ------------------------------------------------------------------ */
/* Assembler                                                          */
/* ------------------------------------------------------------------ */

/*
 * Assemble text (the syntax in docs/asm-syntax.md) into an object. Errors
 * are reported as "name:line:col: error: ..." naming what was expected.
 */
DF_API int df_asm(const char *text, size_t len, const char *name,
		  struct df_object **out);

/* Write a BPF ELF object (with BTF for the functions) or raw bytecode. */
DF_API int df_object_write_elf(const struct df_object *obj, const char *path);
DF_API int df_prog_write_raw(const struct df_prog *prog, const char *path);

/* ------------------------------------------------------------------ */
/* Control-flow graph                                                 */
/* ------------------------------------------------------------------ */

enum df_edge_kind {
	DF_EDGE_FALLTHROUGH,
	DF_EDGE_TAKEN,
	DF_EDGE_CALL,		/* caller block -> callee entry block */
	DF_EDGE_RETURN,		/* callee exit block -> block after the call */
};

struct df_edge {
	uint32_t from, to;	/* block ids */
	enum df_edge_kind kind;
	bool back;		/* retreating edge in the subprogram's DFS */
};

struct df_block {
	uint32_t start;		/* first slot */
	uint32_t end;		/* one past the last slot */
	uint32_t subprog;
	uint32_t *succ, *pred;	/* edge ids */
	uint32_t succ_cnt, pred_cnt;
	bool reachable;		/* from its subprogram's entry */
};

enum df_subprog_kind {
	DF_SUBPROG_MAIN,
	DF_SUBPROG_CALLED,	/* target of a pseudo call */
	DF_SUBPROG_CALLBACK,	/* address taken by ld_imm64 func */
};

struct df_subprog {
	uint32_t start, end;	/* slots [start, end) */
	const char *name;	/* from the program's funcs, or NULL */
	enum df_subprog_kind kind;
	int8_t arg_cnt;		/* from the program's funcs, -1 unknown */
	enum df_linkage linkage;
	uint32_t first_block, block_cnt;
	uint32_t *rpo;		/* block ids in reverse postorder (reachable) */
	uint32_t rpo_cnt;
};

/* A call-graph edge: a pseudo call or a callback reference at pc. */
struct df_call {
	uint32_t pc;
	uint32_t caller, callee;	/* subprog ids */
	bool callback;
};

struct df_cfg {
	const struct df_prog *prog;
	struct df_subprog *subprogs;
	uint32_t subprog_cnt;
	struct df_block *blocks;
	uint32_t block_cnt;
	struct df_edge *edges;
	uint32_t edge_cnt;
	uint32_t *block_of;	/* slot -> block id (second ld_imm64 slot too) */
	struct df_call *calls;
	uint32_t call_cnt;
	uint32_t *topo;		/* subprog ids, callees before callers */
	uint32_t max_call_depth;	/* frames on the deepest call chain */
};

/*
 * Build the CFG of a program that passed df_prog_check(). The kernel's
 * checks at this stage (jump out of a subprogram, last insn not exit or
 * jmp, recursion, call chain deeper than 8 frames) are reported with their
 * pc and make the call fail with -EINVAL.
 */
DF_API int df_cfg_build(const struct df_prog *prog, struct df_cfg **out);
DF_API void df_cfg_free(struct df_cfg *cfg);
DF_API uint32_t df_cfg_subprog_of(const struct df_cfg *cfg, uint32_t pc);
DF_API const char *df_edge_kind_name(enum df_edge_kind kind);
/*
 * Canonical text of a CFG (docs/cfg.md): subprograms with their reverse
 * postorder and blocks with their successor edges, then the call graph.
 */
DF_API int df_cfg_dump(FILE *f, const struct df_cfg *cfg);

/* ------------------------------------------------------------------ */
/* Dataflow engine (docs/engine.md)                                   */
/* ------------------------------------------------------------------ */

enum df_dir {
	DF_FORWARD,
	DF_BACKWARD,
};

/* How calls to subprograms are analysed. */
enum df_ctx_mode {
	/*
	 * In options: the analysis' own mode. In a descriptor: DF_CTX_NONE.
	 */
	DF_CTX_DEFAULT = 0,
	/*
	 * Intraprocedural: a call is an ordinary instruction for transfer();
	 * every subprogram is analysed once, as a root, from boundary().
	 */
	DF_CTX_NONE,
	/* One context per subprogram; entry states joined over all callers. */
	DF_CTX_INSENSITIVE,
	/* Call strings of at most opts.call_depth (1..8) call sites. */
	DF_CTX_CALLSTRING,
	/*
	 * The kernel's instances (forward only): a context per (callsite,
	 * depth) and entry state. A caller context is solved to its fixpoint
	 * first; then each call it follows (resolve_call) enters the callee at
	 * depth + 1 with call_into() of the converged state at the call. The
	 * same key reached with an equal entry state shares the context; a
	 * different entry state makes a new variant of the key (the kernel
	 * re-analyses shared instances and its consumers merge them). No
	 * state flows back: transfer() handles the call instruction itself.
	 * Subprograms no call entered are then analysed as depth-0 roots, as
	 * are global subprograms.
	 */
	DF_CTX_CALLSITE_DEPTH,
};

struct df_solver;

/* What every callback gets: where the engine is. */
struct df_ctx {
	const struct df_prog *prog;
	const struct df_cfg *cfg;
	const struct df_solver *solver;
	void *priv;		/* what the analysis' init() set */
	uint32_t context;	/* context id; UINT32_MAX in init() */
	uint32_t subprog;	/* cfg subprogram id */
	uint32_t depth;		/* frame number the subprogram runs in; 0 for roots */
	uint32_t callsite;	/* call that entered the context; subprog start for roots */
	uint32_t visit;		/* visits of the current block so far */
};

/*
 * An analysis: fixed-size states and callbacks. Only name, dir,
 * state_size, bottom, boundary, join and transfer are required.
 * Direction-neutral names: "in" is the state before the instruction in
 * the analysis direction (the state after it, in program order, for a
 * backward analysis).
 */
struct df_analysis {
	size_t sz;			/* sizeof(struct df_analysis) */
	const char *name;
	const char *summary;		/* one line for --help and listings */
	enum df_dir dir;
	size_t state_size;
	const char *const *requires;	/* NULL-terminated analysis names */
	enum df_ctx_mode ctx_mode;	/* the default mode */

	int (*init)(const struct df_ctx *c, void **priv);
	void (*fini)(void *priv);

	/* lattice */
	void (*bottom)(const struct df_ctx *c, void *s);
	void (*boundary)(const struct df_ctx *c, void *s);
	bool (*join)(const struct df_ctx *c, void *dst, const void *src);
	bool (*widen)(const struct df_ctx *c, void *dst, const void *src);
	bool (*equal)(const struct df_ctx *c, const void *a, const void *b);
	void (*print)(const struct df_ctx *c, const void *s, FILE *f);

	/*
	 * transfer over prog->insns[pc]: in -> out. The engine may pass
	 * in == out (it transfers in place where nothing needs the state
	 * before); out may also be a different, uninitialised buffer.
	 */
	void (*transfer)(const struct df_ctx *c, uint32_t pc, const void *in,
			 void *out);
	/* refine s along an edge (branch conditions); false: edge infeasible */
	bool (*edge)(const struct df_ctx *c, uint32_t from_pc, uint32_t to_pc,
		     enum df_edge_kind kind, void *s);

	/*
	 * Calls. resolve_call() names the subprograms a call at pc enters
	 * (at most max); NULL means the pseudo-call target. 0 means the call is
	 * not followed: transfer() handles it.
	 * Forward: call_into() makes the callee's entry state from the state
	 * before the call; call_return() the state after the call from that and
	 * the callee's exit state (joined over its exits).
	 * Backward: call_into() makes the callee's exit state from the state
	 * after the call; call_return() the state before the call from that and
	 * the callee's entry state.
	 * NULL call_into/call_return copy the state. In DF_CTX_CALLSITE_DEPTH
	 * the callee's context is decided after call_into() (an equal entry
	 * state reuses one), so callee->context is UINT32_MAX there.
	 */
	uint32_t (*resolve_call)(const struct df_ctx *c, uint32_t pc,
				 const void *at_call, uint32_t *subprogs,
				 uint32_t max);
	void (*call_into)(const struct df_ctx *caller, uint32_t pc,
			  const void *at_call, const struct df_ctx *callee,
			  void *out);
	void (*call_return)(const struct df_ctx *caller, uint32_t pc,
			    const void *at_call, const void *callee_state,
			    void *out);
	/*
	 * Optional: transfer() over the instructions in slots [first, end) of
	 * one block, in place, in the analysis direction; the same as calling
	 * transfer() on each. The engine uses it where nothing else happens
	 * between them (no trace, no call crossing contexts, no saved state).
	 */
	void (*transfer_range)(const struct df_ctx *c, uint32_t first, uint32_t end,
			       void *s);
};

enum df_event_kind {
	DF_EV_VISIT,		/* a block is taken from the worklist */
	DF_EV_TRANSFER,		/* an instruction's in -> out */
	DF_EV_JOIN,		/* a state flowed into a block: old -> new */
	DF_EV_WIDEN,		/* the same, widened */
	DF_EV_CALL,		/* a context entered */
	DF_EV_RETURN,		/* a callee's result flowed back */
	DF_EV_CONVERGED,	/* a context reached its fixpoint */
	DF_EV_BUDGET,		/* the step budget ran out */
};

struct df_event {
	enum df_event_kind kind;
	uint64_t step;		/* position on the timeline */
	uint32_t context;
	uint32_t block;
	uint32_t pc, to_pc;	/* instruction; join/widen: from pc -> block start */
	const void *old_state;	/* join/widen: before; transfer: in */
	const void *new_state;	/* join/widen: after; transfer: out */
	bool changed;
};

typedef void (*df_trace_fn)(void *cookie, const struct df_ctx *c,
			    const struct df_event *ev);

struct df_solver_opts {
	size_t sz;
	enum df_ctx_mode ctx_mode;	/* DF_CTX_DEFAULT: the analysis' own */
	uint32_t call_depth;		/* DF_CTX_CALLSTRING: 1..8 (default 8) */
	uint32_t widen_delay;		/* joins at a loop head before widen() (default 2) */
	uint64_t max_steps;		/* block visits; 0: default 10,000,000 */
	uint32_t max_contexts;		/* 0: default 10,000 */
	df_trace_fn trace;
	void *trace_cookie;
	/* solved solvers of the analyses this one requires */
	const struct df_solver *const *deps;
	uint32_t dep_cnt;
};

/*
 * Create a solver for analysis a over prog and its cfg (both must outlive
 * it). Fails with -ENOENT, naming it, when a required analysis is missing
 * from opts->deps; -EINVAL for an incomplete descriptor.
 */
DF_API int df_solver_new(const struct df_prog *prog, const struct df_cfg *cfg,
			 const struct df_analysis *a,
			 const struct df_solver_opts *opts,
			 struct df_solver **out);
/* Run to the fixpoint: 0, -E2BIG (budget, with a message), -ENOMEM. */
DF_API int df_solve(struct df_solver *s);
DF_API void df_solver_free(struct df_solver *s);

DF_API const struct df_analysis *df_solver_analysis(const struct df_solver *s);
DF_API const struct df_prog *df_solver_prog(const struct df_solver *s);
DF_API const struct df_cfg *df_solver_cfg(const struct df_solver *s);
DF_API void *df_solver_priv(const struct df_solver *s);
DF_API const struct df_solver *df_solver_dep(const struct df_solver *s,
					     const char *name);
DF_API uint64_t df_solver_steps(const struct df_solver *s);

struct df_context_info {
	uint32_t subprog;
	uint32_t depth;
	uint32_t callsite;	/* subprog start for roots */
	uint32_t parent;	/* context of the caller; UINT32_MAX for roots */
	uint32_t variant;	/* DF_CTX_CALLSITE_DEPTH: n-th context of its key */
	uint32_t chain_len;	/* call string, outermost call first */
	uint32_t chain[DF_MAX_CALL_FRAMES];
};

DF_API uint32_t df_solver_context_cnt(const struct df_solver *s);
DF_API int df_solver_context(const struct df_solver *s, uint32_t context,
			     struct df_context_info *out);

/*
 * Results in program order whatever the direction: the state before and
 * after the instruction at pc in a context, copied into out (state_size
 * bytes). -ENOENT when pc was not reached in that context (distinct from
 * a bottom state); -EINVAL when pc is not in the context's subprogram.
 */
DF_API int df_state_before(const struct df_solver *s, uint32_t context,
			   uint32_t pc, void *out);
DF_API int df_state_after(const struct df_solver *s, uint32_t context,
			  uint32_t pc, void *out);

/*
 * Visit every reached instruction of a context in program order, in one
 * linear pass; a nonzero return from fn stops the walk and is returned.
 * after (before, backward) is NULL when nothing flows past pc: a followed
 * call none of whose callees produced a result.
 */
typedef int (*df_walk_fn)(void *cookie, const struct df_ctx *c, uint32_t pc,
			  const void *before, const void *after);
DF_API int df_solver_walk(const struct df_solver *s, uint32_t context,
			  df_walk_fn fn, void *cookie);

/*
 * Check the lattice laws on sample states (n of them, state_size apart):
 * join commutative, associative, idempotent; bottom its identity; join's
 * "changed" truthful; with equal() or memcmp. When c->prog is set, also
 * that transfer() is monotone at each of its instructions on every pair
 * of samples ordered by join. c may be NULL. Reports the first violation;
 * returns -EINVAL.
 */
DF_API int df_check_laws(const struct df_analysis *a, const struct df_ctx *c,
			 const void *samples, size_t n);

/* Registry of analyses: the built-in ones and those loaded from plug-ins. */
DF_API int df_analysis_register(const struct df_analysis *a);
DF_API const struct df_analysis *df_analysis_find(const char *name);
DF_API uint32_t df_analysis_cnt(void);
DF_API const struct df_analysis *df_analysis_at(uint32_t i);

/*
 * Load an analysis from a shared object exporting
 *   const struct df_analysis df_plugin_analysis;
 * and register it. The object stays loaded for the life of the process.
 */
#define DF_PLUGIN_SYMBOL "df_plugin_analysis"
DF_API int df_plugin_load(const char *path, const struct df_analysis **out);

/*
 * Run a list of analyses by name over one program, their requirements
 * first (each analysis once). The pipeline owns the CFG and the solvers.
 */
struct df_pipeline;
DF_API int df_pipeline_new(const struct df_prog *prog,
			   const struct df_solver_opts *opts,
			   struct df_pipeline **out);
DF_API int df_pipeline_run(struct df_pipeline *p, const char *name);
DF_API const struct df_solver *df_pipeline_solver(const struct df_pipeline *p,
						  const char *name);
DF_API const struct df_cfg *df_pipeline_cfg(const struct df_pipeline *p);
DF_API void df_pipeline_free(struct df_pipeline *p);

#ifdef __cplusplus
}
#endif

#endif /* DATAFLOW_H */

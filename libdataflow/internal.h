/* SPDX-License-Identifier: BSD-2-Clause */
/* Internal interfaces of libdataflow, one section per file. */
#ifndef DF_INTERNAL_H
#define DF_INTERNAL_H

#include "dataflow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define DF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DF_PRINTF(a, b)
#endif

/* print.c */
void df_printf(enum df_print_level level, const char *fmt, ...) DF_PRINTF(2, 3);
#define df_warn(...) df_printf(DF_WARN, __VA_ARGS__)
#define df_info(...) df_printf(DF_INFO, __VA_ARGS__)
#define df_debug(...) df_printf(DF_DEBUG, __VA_ARGS__)
/*
 * The one error format of the library:
 *   "FILE: section SEC: pc N: MESSAGE"   (section and pc when known)
 * pc < 0 omits the pc; sec NULL omits the section.
 */
void df_err_at(const char *file, const char *sec, long pc, const char *fmt, ...)
	DF_PRINTF(4, 5);
/* Same, for a program: its object's path and its section. */
void df_prog_err(const struct df_prog *prog, long pc, const char *fmt, ...)
	DF_PRINTF(3, 4);

/*
 * calloc() for the allocations made once per analysis or verification:
 * glibc's calloc() always takes the slow path, malloc() first tries the
 * thread's cache of recently freed pieces. The empty asm keeps the
 * compiler from turning malloc() and memset() back into calloc().
 */
static inline void *df_zalloc(size_t cnt, size_t size)
{
	void *p;

	if (size && cnt > SIZE_MAX / size)
		return NULL;
	p = malloc(cnt * size);
#if defined(__GNUC__)
	__asm__("" : "+r"(p));
#endif
	return p ? memset(p, 0, cnt * size) : NULL;
}

/* strcmp() == 0 for the names the pipeline looks up, usually the very same string. */
static inline bool df_name_eq(const char *a, const char *b)
{
	return a == b || (a[0] == b[0] && !strcmp(a, b));
}

char *df_strdup(const char *s);
char *df_strndup(const char *s, size_t n);
char *df_asprintf(const char *fmt, ...) DF_PRINTF(1, 2);

/*
 * Growable arrays without a stored capacity: the capacity is the count
 * rounded up to a power of two (at least 8). df_array_push() makes room
 * for element number cnt and returns 0 or -ENOMEM; the caller then
 * increments cnt.
 */
int df_array_reserve(void **ptr, uint32_t cnt, size_t elem);
#define df_array_push(ptr, cnt) \
	df_array_reserve((void **)&(ptr), (cnt), sizeof(*(ptr)))

/*
 * arena.c: 16-byte aligned pieces, all freed by df_arena_free(); zero-
 * initialize, or start with df_arena_init() in a region the caller owns.
 * df_arena_zalloc() clears the piece, df_arena_alloc() does not.
 */
struct df_arena {
	void *chunk;		/* the chunks to free, newest first */
	char *cur, *end;
	size_t next;
	bool zero;		/* [cur, end) is zero already (a mapped chunk) */
};
void df_arena_init(struct df_arena *a, void *region, size_t size);
void df_arena_free(struct df_arena *a);
/* A piece from a new chunk (the inline path below found no room). */
void *df_arena_grow(struct df_arena *a, size_t n, bool clear);

static inline void *df_arena_piece(struct df_arena *a, size_t n, bool clear)
{
	size_t r = (n + 15) & ~(size_t)15;
	char *p = a->cur;

	if (r < n || r > (size_t)(a->end - a->cur))
		return df_arena_grow(a, n, clear);
	a->cur += r;
	return clear && !a->zero ? memset(p, 0, r) : p;
}

static inline void *df_arena_zalloc(struct df_arena *a, size_t n)
{
	return df_arena_piece(a, n, true);
}

static inline void *df_arena_alloc(struct df_arena *a, size_t n)
{
	return df_arena_piece(a, n, false);
}

/* object.c */
struct df_object *df_object_new(const char *path, enum df_input_kind kind);
struct df_prog *df_object_add_prog(struct df_object *obj);
struct df_map *df_object_add_map(struct df_object *obj);
void df_prog_release(struct df_prog *prog);
/* Record a load error on a program (first one wins); returns err. */
int df_prog_fail(struct df_prog *prog, int err, long pc, const char *fmt, ...)
	DF_PRINTF(4, 5);
int df_prog_add_func(struct df_prog *prog, const char *name, uint32_t start,
		     uint32_t len, int arg_cnt, enum df_linkage linkage,
		     uint32_t btf_id);
int df_prog_add_map_ref(struct df_prog *prog, uint32_t pc, uint32_t map);
int df_prog_add_kfunc(struct df_prog *prog, const char *name, int32_t btf_id,
		      int16_t fd_idx, int arg_cnt);
void df_prog_sort(struct df_prog *prog);	/* funcs, map_refs, lines */

/* elf_read.c */
int df_elf_open(struct df_object *obj, const void *data, size_t len);

/* raw.c */
int df_raw_open(struct df_object *obj, const void *data, size_t len);
/*
 * Run df_prog_check() on a freshly loaded program; on a problem record it
 * as the program's err/err_msg (as df_prog_fail does) with its diagnostic
 * printed once. Returns 0, or -ENOMEM.
 */
int df_prog_check_load(struct df_prog *prog);

/* asm.c */
int df_asm_into(struct df_object *obj, const char *text, size_t len);

/* btf_ext.c */
struct df_btf_ext;
int df_btf_ext_parse(const void *data, size_t len, const char *file,
		     struct df_btf_ext **out);
void df_btf_ext_free(struct df_btf_ext *ext);

/* insn.c */
/* df_prog_check() without printing: the pc (or -1) and the reason. */
int df_prog_check_why(const struct df_prog *prog, long *pc, char *why,
		      size_t why_len);
/* Instruction kinds, inline: the CFG and the analyses ask them per slot. */
static inline bool df_insn_is_exit(const struct df_insn *insn)
{
	return insn->code == (DF_JMP | DF_EXIT);
}

static inline bool df_insn_is_call(const struct df_insn *insn)
{
	return insn->code == (DF_JMP | DF_CALL);
}

static inline bool df_insn_is_pseudo_call(const struct df_insn *insn)
{
	return insn->code == (DF_JMP | DF_CALL) &&
	       insn->src_reg == DF_PSEUDO_CALL;
}

/* ld_imm64 src 4 */
static inline bool df_insn_is_pseudo_func(const struct df_insn *insn)
{
	return df_insn_is_ldimm64(insn) && insn->src_reg == DF_PSEUDO_FUNC;
}

static inline bool df_insn_is_cond_jump(const struct df_insn *insn)
{
	int cls = DF_CLASS(insn->code), op = DF_OP(insn->code);

	if (cls != DF_JMP && cls != DF_JMP32)
		return false;
	if (op == DF_JCOND)
		return cls == DF_JMP && DF_SRC(insn->code) == DF_K;
	return op != DF_JA && op != DF_CALL && op != DF_EXIT && op != 0xf0;
}

/* JA, gotol, cond, may_goto; gotox (JA through a register) has no static target. */
static inline bool df_insn_is_jump(const struct df_insn *insn)
{
	int cls = DF_CLASS(insn->code);

	if (insn->code == (DF_JMP | DF_JA | DF_K) ||
	    insn->code == (DF_JMP32 | DF_JA | DF_K))
		return true;
	return (cls == DF_JMP || cls == DF_JMP32) && df_insn_is_cond_jump(insn);
}

/* callgraph.c: topo order, max_call_depth; recursion and depth errors */
int df_cfg_callgraph(struct df_cfg *cfg);

/* plugin.c */
/*
 * dlopen path and look up symbol; NULL (after a warning naming the path and
 * what the plug-in should be, "an analysis") when either fails.
 */
void *df_plugin_sym(const char *path, const char *symbol, const char *what, void **handle);
/* A plug-in whose exported object failed its checks: warn and unload it. */
void df_plugin_reject(const char *path, void *handle);

/* cfg.c */
/*
 * df_cfg_build() without printing: on a structural error the pc (or -1)
 * and the message without it go to *pc and why. Returns like df_cfg_build().
 */
int df_cfg_build_why(const struct df_prog *prog, struct df_cfg **out, long *pc,
		     char *why, size_t why_len);
/* A structural error of cfg's program: captured for df_cfg_build_why(), else printed. */
void df_cfg_err(const struct df_cfg *cfg, long pc, const char *fmt, ...) DF_PRINTF(3, 4);

/* pipeline.c: a pipeline over a CFG the caller built and frees after the pipeline */
struct df_pipeline;
int df_pipeline_new_cfg(const struct df_prog *prog, const struct df_cfg *cfg,
			struct df_pipeline **out);

/* results.c: df_solver_walk() in no particular order, for readers that only fold the states */
int df_solver_walk_any(const struct df_solver *s, uint32_t context, df_walk_fn fn,
		       void *cookie);

/* protos.c: helper and kfunc prototypes (stack access sizes and verifier kinds) */
struct df_call_consts;
/* Parameters of the call at pc (helper or kfunc): its table count, else 5. */
int df_proto_nparams(const struct df_prog *prog, uint32_t pc);
/* Stack access of argument arg; -ENOENT when the callee is not in the table. */
int df_proto_access(const struct df_prog *prog, uint32_t pc, unsigned arg,
		    const struct df_call_consts *cc, int64_t *size);

enum df_proto_ret {
	DF_RET_NONE = 0,		/* not described: the verifier does not support it */
	DF_RET_INTEGER,
	DF_RET_VOID,
	DF_RET_MAP_VALUE_OR_NULL,	/* a value of the P argument's map */
	DF_RET_SOCKET_OR_NULL,		/* acquires a reference */
	DF_RET_MEM_OR_NULL,		/* ring-buffer memory of the A argument's size; acquires */
};

#define DF_PROTO_PKT_DATA	0x01	/* changes packet data: packet pointers die */
#define DF_PROTO_TAIL_CALL	0x02
#define DF_PROTO_CALLBACK	0x04	/* runs the f argument with the n argument */
#define DF_PROTO_MEM_NULL	0x08	/* an M/m argument sized by a z may be NULL */
#define DF_PROTO_MEM_RW		0x10	/* M arguments are also written */

struct df_helper_proto {
	int32_t id;
	const char *args;	/* one kind letter per argument (protos.c) */
	uint8_t ret;		/* enum df_proto_ret */
	uint8_t flags;		/* DF_PROTO_* */
	uint32_t types;		/* program types that may call it (protos.c), 0: see there */
};

const struct df_helper_proto *df_helper_proto(int32_t id);
/*
 * May a program of prog_type call the helper? 1 yes, 0 no (the kernel's
 * "program of this type cannot use helper"), -EOPNOTSUPP when that depends
 * on the kernel's configuration, -ENOENT when the table has no facts for
 * the program type.
 */
int df_helper_allowed(const struct df_helper_proto *p, uint32_t prog_type);
/* Every one of the nargs argument kinds and the return kind are described. */
bool df_helper_proto_complete(const struct df_helper_proto *p, int nargs);
/* The kfunc called at pc is one of the table's (iterators, dynptrs...). */
bool df_kfunc_proto_known(const struct df_prog *prog, uint32_t pc);

#endif /* DF_INTERNAL_H */

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
bool df_insn_is_jump(const struct df_insn *insn);	/* JA, gotol, cond, may_goto */
bool df_insn_is_cond_jump(const struct df_insn *insn);
bool df_insn_is_exit(const struct df_insn *insn);
bool df_insn_is_call(const struct df_insn *insn);
bool df_insn_is_pseudo_call(const struct df_insn *insn);
bool df_insn_is_pseudo_func(const struct df_insn *insn);	/* ld_imm64 src 4 */

/* callgraph.c: topo order, max_call_depth; recursion and depth errors */
int df_cfg_callgraph(struct df_cfg *cfg);

#endif /* DF_INTERNAL_H */

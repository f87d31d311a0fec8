/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF writer internals: the layout of an object's code, symbols and BTF. */
#ifndef DF_ELF_WRITE_H
#define DF_ELF_WRITE_H

#include "internal.h"

#include <bpf/btf.h>
#include <elf.h>

#define TEXT ".text"

struct wsec {
	const char *name;
	uint8_t *buf;		/* serialized instructions */
	uint32_t slots;
	Elf64_Rel *rel;
	uint32_t rel_cnt;
	uint32_t *finfo;	/* (insn_off, type_id) pairs */
	uint32_t finfo_cnt;
	uint32_t *linfo;	/* (insn_off, file, line, line_col) quads */
	uint32_t linfo_cnt;
	uint32_t rel_shndx;
};

/* Where each function of a program goes; shared ones are written once. */
struct wprog {
	uint32_t *start;	/* function starts, sorted; start[0] = 0 */
	uint32_t *sec, *slot;	/* output section and first slot of each */
	bool *shared;		/* same body already written for another program */
	uint32_t cnt;
};

struct writer {
	const struct df_object *obj;
	const char *path;
	struct wsec *secs;
	uint32_t sec_cnt;
	struct wprog *wp;
	Elf64_Sym *lsyms, *gsyms;	/* local and global symbols */
	uint32_t lsym_cnt, gsym_cnt;
	uint32_t map_sym, kfunc_sym;	/* first global index of each */
	uint32_t *map_ord;	/* map -> rank among legacy maps or data sections */
	uint32_t data_cnt;	/* maps written as .data/.rodata/.bss sections */
	uint32_t sec_syms;	/* section symbols: code, then data */
	uint32_t *kfunc_btf;	/* BTF ids of the distinct kfunc names */
	const char **kfunc_names;
	int8_t *kfunc_args;
	uint32_t kfunc_cnt;
	char *strtab;
	uint32_t strtab_len;
	struct btf *btf;
	int u64_id, int_id;
	uint32_t file_off;	/* BTF string of obj->path */
};

/* elf_layout.c */
int ew_fail(struct writer *w, const char *fmt, ...) DF_PRINTF(2, 3);
int64_t ew_add_str(struct writer *w, const char *s);
bool ew_is_data_map(const struct df_map *m);
const char *ew_data_sec_name(const struct df_map *m);
/* Lay out program pi: its functions, their symbols and BTF. */
int ew_plan_prog(struct writer *w, uint32_t pi);
/* Maps, license and kfunc externs: the globals after the functions. */
int ew_plan_globals(struct writer *w, int maps_shndx, int lic_shndx);
/* Instructions, relocations and line info of program pi. */
int ew_emit_prog(struct writer *w, uint32_t pi);
void ew_put_insn(uint8_t *b, const struct df_insn *in);

#endif /* DF_ELF_WRITE_H */

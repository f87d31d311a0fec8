/* SPDX-License-Identifier: BSD-2-Clause */
/* State shared by the ELF loader's files while one object is read. */
#ifndef DF_ELF_LOAD_H
#define DF_ELF_LOAD_H

#include "internal.h"

#include <gelf.h>
#include <libelf.h>

#define DF_INSN_SZ 8

/* Relocation types of the BPF ELF ABI that the loader understands. */
#define DF_R_BPF_NONE		0
#define DF_R_BPF_64_64		1
#define DF_R_BPF_64_ABS64	2
#define DF_R_BPF_64_ABS32	3
#define DF_R_BPF_64_NODYLD32	4
#define DF_R_BPF_64_32		10

enum df_sec_kind {
	DF_SEC_OTHER,
	DF_SEC_CODE,		/* SHF_EXECINSTR PROGBITS */
	DF_SEC_LEGACY_MAPS,	/* "maps": struct bpf_map_def array */
	DF_SEC_BTF_MAPS,	/* ".maps" */
	DF_SEC_DATA,		/* .data*, .rodata*, .bss* */
};

/* Map defined at byte offset off of a map section. */
struct df_elf_map_at {
	uint64_t off;
	uint32_t map;
};

struct df_elf_sec {
	const char *name;
	uint32_t type;		/* sh_type */
	uint64_t flags;
	uint64_t size;
	const uint8_t *data;	/* NULL for NOBITS or empty */
	enum df_sec_kind kind;
	int64_t data_map;	/* DF_SEC_DATA: index in obj->maps, or -1 */
	struct df_elf_map_at *maps;	/* map sections, sorted by off */
	uint32_t map_cnt;
	uint32_t nins;		/* code: instruction slots */
	uint32_t *rel_at;	/* code: slot -> relocation index + 1, or 0 */
	uint32_t *funcs;	/* code: FUNC symbol indices sorted by value */
	uint32_t func_cnt;
	uint64_t *bounds;	/* code: function-entry candidates, sorted */
	uint32_t bound_cnt;
	int32_t *placed;	/* code: unit start -> slot in the program + 1 */
	uint32_t *entries;	/* code: global FUNC symbols, programs */
	uint32_t entry_cnt;
	int64_t start_sym;	/* code: symbol naming the section's start, or -1 */
	int64_t ext_func;	/* index in ext->func, or -1 */
	int64_t ext_line;	/* index in ext->line, or -1 */
};

struct df_elf_sym {
	const char *name;	/* never NULL */
	uint64_t value;
	uint64_t size;
	uint32_t shndx;		/* 0 when undefined or not a real section */
	uint8_t type;
	uint8_t bind;
	bool undef;
};

struct df_elf_rel {
	uint64_t off;
	uint32_t sym;
	uint32_t type;
};

struct df_btf_ext;

struct df_elf {
	struct df_object *obj;
	const uint8_t *data;
	size_t len;
	Elf *elf;
	struct df_elf_sec *secs;
	size_t sec_cnt;
	struct df_elf_sym *syms;
	size_t sym_cnt;
	struct df_elf_rel *rels;
	size_t rel_cnt;
	int64_t text;		/* index of .text, or -1 */
	struct df_btf_ext *ext;
	int32_t ksyms_id;	/* BTF DATASEC ".ksyms", or 0 */
	uint32_t *ksyms;	/* type ids of its variables, sorted */
	uint32_t ksym_cnt;
	int32_t *func_id;	/* symbol -> BTF FUNC of its name, -1 none, 0 not looked up */
};

/* maps.c */
int df_elf_collect_maps(struct df_elf *e);
/* Map defined at byte offset off of section sec, or -1. */
int64_t df_elf_map_at(const struct df_elf *e, uint32_t sec, uint64_t off);

/* elf_link.c: build one program from its entry code (len 0: up to the next function). */
int df_elf_build_prog(struct df_elf *e, struct df_prog *prog, uint32_t sec,
		      uint32_t start, uint32_t len, const struct df_elf_sym *entry);

/* btf_ext.c: records of one kind for one ELF section, sorted by offset. */
struct df_btf_ext_rec {
	uint32_t insn_off;	/* slot, already divided by 8 */
	uint32_t type_id;	/* func info */
	uint32_t file_off;	/* line info */
	uint32_t line_off;
	uint32_t line_col;
};

struct df_btf_ext_sec {
	uint32_t name_off;
	struct df_btf_ext_rec *recs;
	uint32_t cnt;
};

struct df_btf_ext {
	struct df_btf_ext_sec *func;
	uint32_t func_cnt;
	struct df_btf_ext_sec *line;
	uint32_t line_cnt;
};

/* Index of the first record with insn_off >= off. */
uint32_t df_btf_ext_lower(const struct df_btf_ext_sec *s, uint32_t off);

#endif /* DF_ELF_LOAD_H */

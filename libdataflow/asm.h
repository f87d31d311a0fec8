/* SPDX-License-Identifier: BSD-2-Clause */
/* Assembler internals shared by the line driver and the instruction parser. */
#ifndef DF_ASM_H
#define DF_ASM_H

#include "internal.h"

/* Cursor over one line; [p, end) is what is left before any comment. */
struct asm_cur {
	const char *p;
	const char *end;
};

enum asm_fix_kind {
	ASM_FIX_OFF,		/* jump: insn.off = target - pc - 1 */
	ASM_FIX_IMM,		/* gotol and pseudo call: insn.imm */
	ASM_FIX_FUNC,		/* ld_imm64 src 4: insn.imm */
	ASM_FIX_CALL,		/* call NAME that is not a helper or kfunc */
};

struct asm_fixup {
	uint32_t pc;
	uint32_t line;
	uint32_t col;
	uint32_t name_len;
	const char *name;
	enum asm_fix_kind kind;
};

struct asm_label {
	const char *name;	/* NULL: empty slot */
	uint32_t len;
	uint32_t pc;
	uint32_t line;
};

struct asm_kfunc {
	char *name;
	int32_t id;
	int8_t args;
};

struct asm_state {
	struct df_object *obj;
	const char *file;
	const char *line;	/* start of the current line */
	const char *line_end;	/* end of its instruction text; NULL at end of file */
	uint32_t lineno;
	uint32_t prog;		/* index of the current program in obj->progs */
	bool have_prog;
	bool errored;

	/* current program */
	bool implicit;		/* started by text before any .prog */
	uint32_t prog_line;
	struct asm_label *labels;
	uint32_t label_cap, label_cnt;
	struct asm_fixup *fix;
	uint32_t fix_cnt;

	/* pending .func, placed at the next instruction */
	bool func_pending;
	const char *func_name;
	uint32_t func_len;
	int func_args;
	enum df_linkage func_linkage;
	uint32_t func_line, func_col;

	struct asm_kfunc *kfuncs;
	uint32_t kfunc_cnt;
	int32_t kfunc_next_id;

	uint32_t *text_off;	/* BTF string offset of each line's text */
	uint32_t text_cnt;
	char *scratch;
	size_t scratch_len;
};

/* asm.c */
int asm_ensure_prog(struct asm_state *st);
int asm_start_prog(struct asm_state *st, char *name, char *section, bool implicit);
void asm_error_at(struct asm_state *st, uint32_t line, uint32_t col,
		  const char *fmt, ...) DF_PRINTF(4, 5);
void asm_error(struct asm_state *st, const char *at, const char *fmt, ...)
	DF_PRINTF(3, 4);
/* "expected WHAT, got 'TOKEN'" at the token starting at at. */
void asm_expected(struct asm_state *st, const char *at, const char *what);
struct df_prog *asm_prog(struct asm_state *st);
const struct asm_kfunc *asm_find_kfunc(const struct asm_state *st,
				       const char *name, size_t len);
int asm_add_fixup(struct asm_state *st, const char *at, const char *name,
		  size_t len, enum asm_fix_kind kind);

/* asm_lex.c */
struct asm_reg {
	int n;			/* 0..11 */
	bool w;			/* written wN */
	const char *at;
};

struct asm_num {
	uint64_t mag;
	bool neg;
	const char *at;
};

void asm_skip_ws(struct asm_cur *c);
bool asm_is_ident_start(char ch);
bool asm_is_ident(char ch);
size_t asm_ident_len(const struct asm_cur *c);
size_t asm_name_len(const struct asm_cur *c);
bool asm_lit(struct asm_cur *c, const char *s);
bool asm_word(struct asm_cur *c, const char *s);
int asm_expect(struct asm_state *st, struct asm_cur *c, const char *s);
bool asm_peek_reg(struct asm_cur *c, struct asm_reg *r);
int asm_parse_reg(struct asm_state *st, struct asm_cur *c, struct asm_reg *r);
/* The register must be of width w; r11 only where r11_ok. */
int asm_reg_ok(struct asm_state *st, const struct asm_reg *r, bool w, bool r11_ok);
int asm_parse_reg_as(struct asm_state *st, struct asm_cur *c, struct asm_reg *r,
		     bool w);
bool asm_peek_num(struct asm_cur *c);
int asm_parse_num(struct asm_state *st, struct asm_cur *c, struct asm_num *n);
bool asm_fits_s32(const struct asm_num *n);
/* -2^31 .. 2^32-1, stored as its low 32 bits. */
int asm_to_imm32(struct asm_state *st, const struct asm_num *n, int32_t *out);
int asm_to_range(struct asm_state *st, const struct asm_num *n, int64_t lo,
		 int64_t hi, const char *what, int64_t *out);
int asm_parse_range(struct asm_state *st, struct asm_cur *c, int64_t lo,
		    int64_t hi, const char *what, int64_t *out);
int asm_parse_imm32(struct asm_state *st, struct asm_cur *c, int32_t *out);
/* "(u64 *)"; sx set for s8/s16/s32. */
int asm_parse_cast(struct asm_state *st, struct asm_cur *c, int *size, bool *sx);
int asm_parse_cast_u(struct asm_state *st, struct asm_cur *c, int *size);
/* "(r1 +8)", "(r1 - 8)", "(r1)"; r11 is left to the caller. */
int asm_parse_addr(struct asm_state *st, struct asm_cur *c, struct asm_reg *base,
		   int16_t *off);

/* asm_insn.c: one instruction (after the prefixes) into insn[0..1]; returns slots. */
int asm_parse_insn(struct asm_state *st, struct asm_cur *c, int opcode,
		   const char *op_at, struct df_insn *insn);

/* asm_directive.c: a line starting with '.' that is not a label. */
int asm_directive(struct asm_state *st, struct asm_cur *c);

#endif /* DF_ASM_H */

/* SPDX-License-Identifier: BSD-2-Clause */
/* Instruction validation, register use/def, jump targets, df_prog_check. */
#include "internal.h"

#include <check.h>
#include <stdio.h>
#include <time.h>

#define I(c, d, s, o, i) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }
#define EXIT_INSN I(0x95, 0, 0, 0, 0)

static char log_buf[4096];

static int capture(enum df_print_level level, const char *fmt, va_list ap)
{
	size_t n = strlen(log_buf);

	if (level != DF_WARN || n >= sizeof(log_buf) - 1)
		return 0;
	return vsnprintf(log_buf + n, sizeof(log_buf) - n, fmt, ap);
}

static void setup(void)
{
	log_buf[0] = 0;
	df_set_print(capture);
}

static void teardown(void)
{
	df_set_print(NULL);
}

/* ------------------------------------------------------------------ */

struct valid_case {
	const char *what;
	struct df_insn in[2];
	uint32_t cnt;
};

static const struct valid_case valid[] = {
	/* ALU64 and ALU32, K and X, every operation */
	{ "add64 k", { I(0x07, 1, 0, 0, -8) }, 1 },
	{ "add64 x", { I(0x0f, 1, 2, 0, 0) }, 1 },
	{ "sub32 k", { I(0x14, 1, 0, 0, 3) }, 1 },
	{ "mul64 x", { I(0x2f, 9, 10, 0, 0) }, 1 },
	{ "div64 k", { I(0x37, 1, 0, 0, 3) }, 1 },
	{ "div by zero k is encodable", { I(0x37, 1, 0, 0, 0) }, 1 },
	{ "sdiv64 x", { I(0x3f, 1, 2, 1, 0) }, 1 },
	{ "sdiv32 k", { I(0x34, 1, 0, 1, -3) }, 1 },
	{ "or", { I(0x47, 1, 0, 0, 1) }, 1 },
	{ "and32 x", { I(0x5c, 1, 2, 0, 0) }, 1 },
	{ "lsh64 k", { I(0x67, 1, 0, 0, 63) }, 1 },
	{ "lsh32 k high", { I(0x64, 1, 0, 0, 32) }, 1 },
	{ "rsh64 k negative", { I(0x77, 1, 0, 0, -1) }, 1 },
	{ "neg64", { I(0x87, 3, 0, 0, 0) }, 1 },
	{ "neg32", { I(0x84, 3, 0, 0, 0) }, 1 },
	{ "mod64 x", { I(0x9f, 1, 2, 0, 0) }, 1 },
	{ "smod32 k", { I(0x94, 1, 0, 1, 7) }, 1 },
	{ "xor32", { I(0xa4, 1, 0, 0, -1) }, 1 },
	{ "mov64 k", { I(0xb7, 0, 0, 0, 7) }, 1 },
	{ "mov32 x", { I(0xbc, 0, 1, 0, 0) }, 1 },
	{ "movsx64 s8", { I(0xbf, 1, 2, 8, 0) }, 1 },
	{ "movsx64 s16", { I(0xbf, 1, 2, 16, 0) }, 1 },
	{ "movsx64 s32", { I(0xbf, 1, 2, 32, 0) }, 1 },
	{ "movsx32 s8", { I(0xbc, 1, 2, 8, 0) }, 1 },
	{ "movsx32 s16", { I(0xbc, 1, 2, 16, 0) }, 1 },
	{ "addr_space_cast", { I(0xbf, 1, 2, 1, 1) }, 1 },
	{ "addr_space_cast back", { I(0xbf, 1, 2, 1, 1 << 16) }, 1 },
	{ "arsh64", { I(0xc7, 1, 0, 0, 3) }, 1 },
	{ "arsh32 x", { I(0xcc, 1, 2, 0, 0) }, 1 },
	{ "le16", { I(0xd4, 1, 0, 0, 16) }, 1 },
	{ "be64", { I(0xdc, 1, 0, 0, 64) }, 1 },
	{ "bswap32", { I(0xd7, 1, 0, 0, 32) }, 1 },
	/* ld_imm64 with every pseudo source */
	{ "ld_imm64", { I(0x18, 1, 0, 0, 1), I(0, 0, 0, 0, 2) }, 2 },
	{ "ld_imm64 map fd", { I(0x18, 1, 1, 0, 3), I(0, 0, 0, 0, 0) }, 2 },
	{ "ld_imm64 map value", { I(0x18, 1, 2, 0, 3), I(0, 0, 0, 0, 16) }, 2 },
	{ "ld_imm64 btf id", { I(0x18, 1, 3, 0, 77), I(0, 0, 0, 0, 1) }, 2 },
	{ "ld_imm64 func", { I(0x18, 2, 4, 0, 5), I(0, 0, 0, 0, 0) }, 2 },
	{ "ld_imm64 map idx", { I(0x18, 1, 5, 0, 0), I(0, 0, 0, 0, 0) }, 2 },
	{ "ld_imm64 map idx value", { I(0x18, 1, 6, 0, 0), I(0, 0, 0, 0, 8) }, 2 },
	/* legacy packet loads */
	{ "ld abs b", { I(0x30, 0, 0, 0, 12) }, 1 },
	{ "ld abs h", { I(0x28, 0, 0, 0, 12) }, 1 },
	{ "ld abs w", { I(0x20, 0, 0, 0, 12) }, 1 },
	{ "ld ind b", { I(0x50, 0, 3, 0, 4) }, 1 },
	{ "ld ind w", { I(0x40, 0, 7, 0, -4) }, 1 },
	/* loads and stores */
	{ "ldxb", { I(0x71, 1, 2, 3, 0) }, 1 },
	{ "ldxh", { I(0x69, 1, 2, -2, 0) }, 1 },
	{ "ldxw", { I(0x61, 1, 10, -4, 0) }, 1 },
	{ "ldxdw", { I(0x79, 1, 10, -8, 0) }, 1 },
	{ "ldxsb", { I(0x91, 1, 2, 0, 0) }, 1 },
	{ "ldxsh", { I(0x89, 1, 2, 0, 0) }, 1 },
	{ "ldxsw", { I(0x81, 1, 2, 0, 0) }, 1 },
	{ "stb", { I(0x72, 10, 0, -1, 7) }, 1 },
	{ "sth", { I(0x6a, 10, 0, -2, 7) }, 1 },
	{ "stw", { I(0x62, 10, 0, -4, 7) }, 1 },
	{ "stdw", { I(0x7a, 10, 0, -8, -7) }, 1 },
	{ "stxb", { I(0x73, 10, 1, -1, 0) }, 1 },
	{ "stxh", { I(0x6b, 10, 1, -2, 0) }, 1 },
	{ "stxw", { I(0x63, 10, 1, -4, 0) }, 1 },
	{ "stxdw", { I(0x7b, 10, 1, -8, 0) }, 1 },
	/* r11 stack arguments */
	{ "r11 load", { I(0x79, 0, 11, 8, 0) }, 1 },
	{ "r11 load arg12", { I(0x79, 6, 11, 56, 0) }, 1 },
	{ "r11 stx", { I(0x7b, 11, 6, -8, 0) }, 1 },
	{ "r11 st", { I(0x7a, 11, 0, -16, 5) }, 1 },
	/* atomics */
	{ "atomic add w", { I(0xc3, 1, 2, 0, 0x00) }, 1 },
	{ "atomic or dw", { I(0xdb, 1, 2, 0, 0x40) }, 1 },
	{ "atomic and dw", { I(0xdb, 1, 2, 0, 0x50) }, 1 },
	{ "atomic xor w", { I(0xc3, 1, 2, 0, 0xa0) }, 1 },
	{ "atomic fetch add", { I(0xdb, 1, 2, 0, 0x01) }, 1 },
	{ "atomic fetch or w", { I(0xc3, 1, 2, 0, 0x41) }, 1 },
	{ "atomic fetch and", { I(0xdb, 1, 2, 0, 0x51) }, 1 },
	{ "atomic fetch xor", { I(0xdb, 1, 2, 0, 0xa1) }, 1 },
	{ "atomic xchg", { I(0xdb, 1, 2, 0, 0xe1) }, 1 },
	{ "atomic cmpxchg w", { I(0xc3, 1, 2, 0, 0xf1) }, 1 },
	{ "load_acquire b", { I(0xd3, 0, 1, 0, 0x100) }, 1 },
	{ "load_acquire h", { I(0xcb, 0, 1, 0, 0x100) }, 1 },
	{ "load_acquire w", { I(0xc3, 0, 1, 0, 0x100) }, 1 },
	{ "load_acquire dw", { I(0xdb, 0, 1, 0, 0x100) }, 1 },
	{ "store_release b", { I(0xd3, 1, 2, 0, 0x110) }, 1 },
	{ "store_release dw", { I(0xdb, 1, 2, 8, 0x110) }, 1 },
	/* jumps, calls, exit */
	{ "ja", { I(0x05, 0, 0, -1, 0) }, 1 },
	{ "gotol", { I(0x06, 0, 0, 0, 100000) }, 1 },
	{ "gotox", { I(0x0d, 3, 0, 0, 0) }, 1 },
	{ "may_goto", { I(0xe5, 0, 0, 2, 0) }, 1 },
	{ "jeq k", { I(0x15, 1, 0, 3, 0) }, 1 },
	{ "jgt x", { I(0x2d, 1, 2, 3, 0) }, 1 },
	{ "jge32 k", { I(0x36, 1, 0, 3, -1) }, 1 },
	{ "jset x", { I(0x4d, 1, 2, 3, 0) }, 1 },
	{ "jne32 x", { I(0x5e, 1, 2, 3, 0) }, 1 },
	{ "jsgt", { I(0x65, 1, 0, 3, 0) }, 1 },
	{ "jsge", { I(0x75, 1, 0, 3, 0) }, 1 },
	{ "jlt", { I(0xa5, 1, 0, 3, 0) }, 1 },
	{ "jle32", { I(0xb6, 1, 0, 3, 0) }, 1 },
	{ "jslt x", { I(0xcd, 1, 2, 3, 0) }, 1 },
	{ "jsle32", { I(0xd6, 1, 0, 3, 0) }, 1 },
	{ "helper call", { I(0x85, 0, 0, 0, 1) }, 1 },
	{ "pseudo call", { I(0x85, 0, 1, 0, 3) }, 1 },
	{ "kfunc call", { I(0x85, 0, 2, 0, 1234) }, 1 },
	{ "kfunc call module", { I(0x85, 0, 2, 2, 1234) }, 1 },
	{ "exit", { EXIT_INSN }, 1 },
};

START_TEST(test_valid)
{
	const struct valid_case *c = &valid[_i];
	char why[160] = "";
	int err;

	err = df_insn_check(c->in, c->cnt, 0, why, sizeof(why));
	ck_assert_msg(err == 0, "%s: rejected: %s", c->what, why);
}
END_TEST

/* Every opcode byte: the number accepted with zeroed/typical fields. */
START_TEST(test_opcode_space)
{
	unsigned int code, ok = 0;
	char why[160];

	for (code = 0; code < 256; code++) {
		struct df_insn in[2] = { I(code, 1, 2, 0, 0), I(0, 0, 0, 0, 0) };

		/* Fields that make the common encodings valid. */
		if (DF_CLASS(code) == DF_ALU || DF_CLASS(code) == DF_ALU64) {
			if (DF_SRC(code) == DF_K || DF_OP(code) == DF_END)
				in[0].src_reg = 0;
			if (DF_OP(code) == DF_END)
				in[0].imm = 16;
		}
		if (!df_insn_check(in, 2, 0, why, sizeof(why)))
			ok++;
		else
			ck_assert_msg(strlen(why) > 0, "no reason for 0x%02x", code);
	}
	/*
	 * With dst r1, src r2, off 0, imm 0: ld_imm64 1, LDX MEM/MEMSX 7,
	 * ST 0 (src must be 0), STX MEM 4 + atomic add W/DW 2, ALU32 14 K +
	 * 13 X (no neg X), ALU64 14 K + 12 X (no neg X, no end X), JMP and
	 * JMP32 11 register compares each (JA, call, exit, may_goto and K
	 * compares reject the nonzero register fields).
	 */
	ck_assert_uint_eq(ok, 1 + 7 + 0 + 6 + 27 + 26 + 11 + 11);
}
END_TEST

struct invalid_case {
	struct df_insn in[2];
	uint32_t cnt;
	const char *why;
};

static const struct invalid_case invalid[] = {
	/* opcodes */
	{ { I(0xe7, 1, 0, 0, 0) }, 1, "invalid opcode 0xe7" },
	{ { I(0xf4, 1, 0, 0, 0) }, 1, "invalid opcode 0xf4" },
	{ { I(0x8f, 1, 2, 0, 0) }, 1, "invalid opcode 0x8f" },		/* neg x */
	{ { I(0xdf, 1, 0, 0, 16) }, 1, "invalid opcode 0xdf" },	/* alu64 end x */
	{ { I(0x38, 0, 0, 0, 0) }, 1, "invalid opcode 0x38" },		/* ld abs dw */
	{ { I(0x58, 0, 1, 0, 0) }, 1, "invalid opcode 0x58" },		/* ld ind dw */
	{ { I(0x00, 1, 0, 0, 0) }, 1, "invalid opcode 0x00" },		/* ld imm w */
	{ { I(0x60, 1, 0, 0, 0) }, 1, "invalid opcode 0x60" },		/* ld mem */
	{ { I(0x99, 1, 2, 0, 0) }, 1, "invalid opcode 0x99" },		/* ldx memsx dw */
	{ { I(0x21, 1, 2, 0, 0) }, 1, "invalid opcode 0x21" },		/* ldx abs */
	{ { I(0xdb - 0x80, 1, 2, 0, 0) }, 1, "invalid opcode 0x5b" },	/* stx ind */
	{ { I(0xc2, 1, 0, 0, 0) }, 1, "invalid opcode 0xc2" },		/* st atomic */
	{ { I(0xf5, 1, 0, 0, 0) }, 1, "invalid opcode 0xf5" },
	{ { I(0x96, 0, 0, 0, 0) }, 1, "invalid opcode 0x96" },		/* jmp32 exit */
	{ { I(0x9d, 0, 0, 0, 0) }, 1, "invalid opcode 0x9d" },		/* exit x */
	{ { I(0x86, 0, 0, 0, 1) }, 1, "invalid opcode 0x86" },		/* jmp32 call */
	{ { I(0x0e, 1, 0, 0, 0) }, 1, "invalid opcode 0x0e" },		/* jmp32 ja x */
	{ { I(0xe6, 0, 0, 0, 0) }, 1, "invalid opcode 0xe6" },		/* jmp32 jcond */
	{ { I(0xed, 0, 0, 0, 0) }, 1, "invalid opcode 0xed" },		/* jcond x */
	/* reserved fields */
	{ { I(0x07, 1, 2, 0, 1) }, 1, "reserved field src_reg must be 0 (is 2)" },
	{ { I(0x0f, 1, 2, 0, 5) }, 1, "reserved field imm must be 0 (is 5)" },
	{ { I(0x07, 1, 0, 5, 1) }, 1, "reserved field off must be 0 (is 5)" },
	{ { I(0xb7, 1, 0, 8, 1) }, 1, "reserved field off must be 0 (is 8)" },
	{ { I(0x87, 1, 0, 0, 1) }, 1, "reserved field imm must be 0 (is 1)" },
	{ { I(0xd4, 1, 0, 1, 16) }, 1, "reserved field off must be 0 (is 1)" },
	{ { I(0x79, 1, 2, 0, 1) }, 1, "reserved field imm must be 0 (is 1)" },
	{ { I(0x7b, 1, 2, 0, 3) }, 1, "reserved field imm must be 0 (is 3)" },
	{ { I(0x7a, 1, 2, 0, 3) }, 1, "reserved field src_reg must be 0 (is 2)" },
	{ { I(0x30, 1, 0, 0, 3) }, 1, "reserved field dst_reg must be 0 (is 1)" },
	{ { I(0x30, 0, 1, 0, 3) }, 1, "reserved field src_reg must be 0 (is 1)" },
	{ { I(0x50, 0, 1, 4, 3) }, 1, "reserved field off must be 0 (is 4)" },
	{ { I(0x95, 0, 0, 0, 1) }, 1, "reserved field imm must be 0 (is 1)" },
	{ { I(0x95, 1, 0, 0, 0) }, 1, "reserved field dst_reg must be 0 (is 1)" },
	{ { I(0x05, 0, 0, 1, 9) }, 1, "reserved field imm must be 0 (is 9)" },
	{ { I(0x06, 0, 0, 1, 9) }, 1, "reserved field off must be 0 (is 1)" },
	{ { I(0x05, 2, 0, 1, 0) }, 1, "reserved field dst_reg must be 0 (is 2)" },
	{ { I(0x0d, 1, 0, 0, 4) }, 1, "reserved field imm must be 0 (is 4)" },
	{ { I(0xe5, 0, 0, 1, 4) }, 1, "reserved field imm must be 0 (is 4)" },
	{ { I(0xe5, 0, 1, 1, 0) }, 1, "invalid conditional pseudo-jump src_reg 1" },
	{ { I(0x15, 1, 2, 1, 0) }, 1, "reserved field src_reg must be 0 (is 2)" },
	{ { I(0x1d, 1, 2, 1, 7) }, 1, "reserved field imm must be 0 (is 7)" },
	{ { I(0x85, 1, 0, 0, 1) }, 1, "reserved field dst_reg must be 0 (is 1)" },
	{ { I(0x85, 0, 0, 3, 1) }, 1, "reserved field off must be 0 (is 3)" },
	{ { I(0x85, 0, 1, 3, 1) }, 1, "reserved field off must be 0 (is 3)" },
	/* modifiers */
	{ { I(0x3f, 1, 2, 2, 0) }, 1, "invalid off 2 for div" },
	{ { I(0x97, 1, 0, -1, 2) }, 1, "invalid off -1 for mod" },
	{ { I(0xbf, 1, 2, 7, 0) }, 1, "invalid sign-extension width off 7" },
	{ { I(0xbc, 1, 2, 32, 0) }, 1, "invalid sign-extension width off 32" },
	{ { I(0xbc, 1, 2, 1, 1) }, 1, "invalid sign-extension width off 1" },
	{ { I(0xd7, 1, 0, 0, 8) }, 1, "invalid byte swap width 8" },
	{ { I(0xdc, 1, 0, 0, 0) }, 1, "invalid byte swap width 0" },
	/* atomics */
	{ { I(0xd3, 1, 2, 0, 0x00) }, 1, "needs a 4- or 8-byte size" },
	{ { I(0xcb, 1, 2, 0, 0xe1) }, 1, "needs a 4- or 8-byte size" },
	{ { I(0xdb, 1, 2, 0, 0x10) }, 1, "invalid atomic operation imm 0x10" },
	{ { I(0xdb, 1, 2, 0, 0xe0) }, 1, "invalid atomic operation imm 0xe0" },
	{ { I(0xdb, 1, 2, 0, 0x101) }, 1, "invalid atomic operation imm 0x101" },
	/* calls */
	{ { I(0x8d, 2, 0, 0, 0) }, 1, "callx" },
	{ { I(0x85, 0, 3, 0, 1) }, 1, "invalid call kind src_reg 3" },
	{ { I(0x85, 0, 2, -1, 1) }, 1, "negative module BTF fd index" },
	/* registers */
	{ { I(0xbf, 12, 1, 0, 0) }, 1, "invalid register r12" },
	{ { I(0xbf, 1, 15, 0, 0) }, 1, "invalid register r15" },
	{ { I(0x79, 1, 13, 0, 0) }, 1, "invalid register r13" },
	{ { I(0xbf, 11, 1, 0, 0) }, 1, "r11 may only be used" },
	{ { I(0xbf, 1, 11, 0, 0) }, 1, "r11 may only be used" },
	{ { I(0x79, 1, 11, 0, 0) }, 1, "r11 may only be used" },	/* off 0 */
	{ { I(0x79, 1, 11, -8, 0) }, 1, "r11 may only be used" },	/* load at negative */
	{ { I(0x79, 1, 11, 4, 0) }, 1, "r11 may only be used" },	/* misaligned */
	{ { I(0x61, 1, 11, 8, 0) }, 1, "r11 may only be used" },	/* u32 */
	{ { I(0x81, 1, 11, 8, 0) }, 1, "r11 may only be used" },	/* memsx */
	{ { I(0x79, 11, 1, 8, 0) }, 1, "r11 may only be used" },	/* dst r11 */
	{ { I(0x7b, 11, 1, 8, 0) }, 1, "r11 may only be used" },	/* store at positive */
	{ { I(0x7b, 11, 1, -12, 0) }, 1, "r11 may only be used" },
	{ { I(0x63, 11, 1, -8, 0) }, 1, "r11 may only be used" },	/* stx u32 */
	{ { I(0x7b, 1, 11, -8, 0) }, 1, "r11 may only be used" },	/* src r11 */
	{ { I(0x72, 11, 0, -8, 1) }, 1, "r11 may only be used" },	/* st u8 */
	{ { I(0xdb, 11, 1, -8, 0) }, 1, "r11 may only be used" },	/* atomic */
	{ { I(0x15, 11, 0, 1, 0) }, 1, "r11 may only be used" },	/* jump */
	{ { I(0x50, 0, 11, 0, 0) }, 1, "r11 may only be used" },	/* ld ind */
	{ { I(0x18, 11, 0, 0, 0), I(0, 0, 0, 0, 0) }, 2, "r11 may only be used" },
	/* ld_imm64 */
	{ { I(0x18, 1, 0, 0, 0) }, 1, "ld_imm64 is missing its second slot" },
	{ { I(0x18, 1, 7, 0, 0), I(0, 0, 0, 0, 0) }, 2, "invalid ld_imm64 source 7" },
	{ { I(0x18, 1, 0, 2, 0), I(0, 0, 0, 0, 0) }, 2, "reserved field off must be 0 (is 2)" },
	{ { I(0x18, 1, 0, 0, 0), I(0x07, 0, 0, 0, 0) }, 2, "invalid ld_imm64 second slot" },
	{ { I(0x18, 1, 0, 0, 0), I(0, 1, 0, 0, 0) }, 2, "invalid ld_imm64 second slot" },
	{ { I(0x18, 1, 0, 0, 0), I(0, 0, 0, 1, 0) }, 2, "invalid ld_imm64 second slot" },
	{ { I(0x18, 1, 1, 0, 0), I(0, 0, 0, 0, 4) }, 2, "imm must be 0 for source 1 (is 4)" },
	{ { I(0x18, 1, 4, 0, 0), I(0, 0, 0, 0, 4) }, 2, "imm must be 0 for source 4" },
	{ { I(0x18, 1, 5, 0, 0), I(0, 0, 0, 0, 4) }, 2, "imm must be 0 for source 5" },
};

START_TEST(test_invalid)
{
	const struct invalid_case *c = &invalid[_i];
	char why[200] = "";
	int err;

	err = df_insn_check(c->in, c->cnt, 0, why, sizeof(why));
	ck_assert_msg(err == -EINVAL, "case %d (%s) accepted", _i, c->why);
	ck_assert_msg(strstr(why, c->why), "case %d: expected '%s', got '%s'",
		      _i, c->why, why);
}
END_TEST

START_TEST(test_check_args)
{
	struct df_insn in = EXIT_INSN;
	char why[8];

	ck_assert_int_eq(df_insn_check(&in, 1, 1, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(df_insn_check(NULL, 0, 0, NULL, 0), -EINVAL);
	/* The reason is truncated, never overflowed. */
	in.code = 0xff;
	ck_assert_int_eq(df_insn_check(&in, 1, 0, why, sizeof(why)), -EINVAL);
	ck_assert_uint_eq(strlen(why), sizeof(why) - 1);
}
END_TEST

/* ------------------------------------------------------------------ */

#define R(n) (1u << (n))

struct regs_case {
	struct df_insn in;
	int nargs;
	uint16_t use, def;
};

static const struct regs_case regs[] = {
	{ I(0x07, 1, 0, 0, 1), -1, R(1), R(1) },
	{ I(0x0f, 1, 2, 0, 0), -1, R(1) | R(2), R(1) },
	{ I(0xb7, 3, 0, 0, 1), -1, 0, R(3) },
	{ I(0xbf, 3, 4, 0, 0), -1, R(4), R(3) },
	{ I(0xbf, 3, 4, 8, 0), -1, R(4), R(3) },
	{ I(0xbf, 3, 4, 1, 1), -1, R(4), R(3) },
	{ I(0x87, 5, 0, 0, 0), -1, R(5), R(5) },
	{ I(0xd4, 5, 0, 0, 16), -1, R(5), R(5) },
	{ I(0x18, 7, 0, 0, 0), -1, 0, R(7) },
	{ I(0x20, 0, 0, 0, 4), -1, R(6), 0x3f },
	{ I(0x40, 0, 8, 0, 4), -1, R(6) | R(8), 0x3f },
	{ I(0x79, 1, 10, -8, 0), -1, R(10), R(1) },
	{ I(0x79, 1, 11, 8, 0), -1, R(11), R(1) },
	{ I(0x7a, 11, 0, -8, 5), -1, R(11), 0 },
	{ I(0x7b, 11, 6, -8, 0), -1, R(11) | R(6), 0 },
	{ I(0x62, 10, 0, -4, 1), -1, R(10), 0 },
	{ I(0x7b, 10, 1, -8, 0), -1, R(10) | R(1), 0 },
	{ I(0xdb, 1, 2, 0, 0x00), -1, R(1) | R(2), 0 },
	{ I(0xdb, 1, 2, 0, 0x01), -1, R(1) | R(2), R(2) },
	{ I(0xdb, 1, 2, 0, 0xe1), -1, R(1) | R(2), R(2) },
	{ I(0xdb, 1, 2, 0, 0xf1), -1, R(0) | R(1) | R(2), R(0) },
	{ I(0xdb, 3, 1, 0, 0x100), -1, R(1), R(3) },
	{ I(0xdb, 1, 2, 0, 0x110), -1, R(1) | R(2), 0 },
	{ I(0x15, 1, 0, 1, 0), -1, R(1), 0 },
	{ I(0x1d, 1, 2, 1, 0), -1, R(1) | R(2), 0 },
	{ I(0x05, 0, 0, 1, 0), -1, 0, 0 },
	{ I(0x06, 0, 0, 0, 1), -1, 0, 0 },
	{ I(0x0d, 4, 0, 0, 0), -1, R(4), 0 },
	{ I(0xe5, 0, 0, 1, 0), -1, 0, 0 },
	{ I(0x95, 0, 0, 0, 0), -1, R(0), 0 },
	/* helpers: nargs from the table, whatever the caller says */
	{ I(0x85, 0, 0, 0, 1), -1, R(1) | R(2), 0x3f },
	{ I(0x85, 0, 0, 0, 1), 5, R(1) | R(2), 0x3f },
	{ I(0x85, 0, 0, 0, 5), -1, 0, 0x3f },
	{ I(0x85, 0, 0, 0, 181), -1, R(1) | R(2) | R(3) | R(4), 0x3f },
	{ I(0x85, 0, 0, 0, 100000), -1, 0x3e, 0x3f },
	{ I(0x85, 0, 0, 0, 100000), 1, R(1), 0x3f },
	/* subprogram and kfunc calls: call_nargs, 5 when unknown */
	{ I(0x85, 0, 1, 0, 3), 2, R(1) | R(2), 0x3f },
	{ I(0x85, 0, 1, 0, 3), 0, 0, 0x3f },
	{ I(0x85, 0, 1, 0, 3), -1, 0x3e, 0x3f },
	{ I(0x85, 0, 1, 0, 3), 12, 0x3e, 0x3f },
	{ I(0x85, 0, 2, 0, 99), 3, R(1) | R(2) | R(3), 0x3f },
};

START_TEST(test_regs)
{
	const struct regs_case *c = &regs[_i];
	struct df_insn_regs r;

	df_insn_regs(&c->in, c->nargs, &r);
	ck_assert_msg(r.use == c->use && r.def == c->def,
		      "case %d (code 0x%02x): use 0x%x def 0x%x, expected 0x%x 0x%x",
		      _i, c->in.code, r.use, r.def, c->use, c->def);
}
END_TEST

START_TEST(test_targets_and_sizes)
{
	struct df_insn ja = I(0x05, 0, 0, -3, 0), gotol = I(0x06, 0, 0, 0, 70000);
	struct df_insn jeq = I(0x1d, 1, 2, 4, 0), mg = I(0xe5, 0, 0, 2, 0);
	struct df_insn call = I(0x85, 0, 1, 0, 4), gx = I(0x0d, 1, 0, 0, 0);
	struct df_insn ldx = I(0x69, 1, 2, 0, 0), st = I(0x72, 1, 0, 0, 0);
	struct df_insn at = I(0xdb, 1, 2, 0, 1), abs = I(0x28, 0, 0, 0, 0);
	struct df_insn sx = I(0x81, 1, 2, 0, 0), ld = I(0x18, 1, 0, 0, 0);

	ck_assert_int_eq(df_insn_jump_target(&ja, 10), 8);
	ck_assert_int_eq(df_insn_jump_target(&gotol, 10), 70011);
	ck_assert_int_eq(df_insn_jump_target(&jeq, 10), 15);
	ck_assert_int_eq(df_insn_jump_target(&mg, 0), 3);
	ck_assert_int_eq(df_insn_jump_target(&call, 10), -1);
	ck_assert_int_eq(df_insn_jump_target(&gx, 10), -1);
	ck_assert(df_insn_is_jump(&mg) && df_insn_is_cond_jump(&mg));
	ck_assert(df_insn_is_jump(&ja) && !df_insn_is_cond_jump(&ja));
	ck_assert(!df_insn_is_jump(&gx));
	ck_assert(df_insn_is_call(&call) && df_insn_is_pseudo_call(&call));

	ck_assert_int_eq(df_insn_access_size(&ldx), 2);
	ck_assert_int_eq(df_insn_access_size(&st), 1);
	ck_assert_int_eq(df_insn_access_size(&at), 8);
	ck_assert_int_eq(df_insn_access_size(&abs), 2);
	ck_assert_int_eq(df_insn_access_size(&sx), 4);
	ck_assert_int_eq(df_insn_access_size(&ld), 0);
	ck_assert_int_eq(df_insn_access_size(&ja), 0);
}
END_TEST

/* ------------------------------------------------------------------ */

static int run_check(struct df_insn *insns, uint32_t cnt)
{
	struct df_prog prog = { .name = "t", .section = "test", .insns = insns,
				.insn_cnt = cnt };

	log_buf[0] = 0;
	return df_prog_check(&prog);
}

START_TEST(test_prog_ok)
{
	struct df_insn p[] = {
		I(0x18, 1, 4, 0, 5), I(0, 0, 0, 0, 0),	/* subprog[pc+5] -> 6 */
		I(0x15, 1, 0, 1, 0),			/* -> 4 */
		I(0x85, 0, 1, 0, 2),			/* call -> 6 */
		I(0xe5, 0, 0, 0, 0),
		EXIT_INSN,
		I(0xb7, 0, 0, 0, 0),
		I(0x06, 0, 0, 0, -8),			/* gotol -> 0 */
	};

	ck_assert_int_eq(run_check(p, DF_ARRAY_SIZE(p)), 0);
	ck_assert_str_eq(log_buf, "");
}
END_TEST

struct prog_case {
	struct df_insn p[4];
	uint32_t cnt;
	const char *msg;
};

static const struct prog_case bad_progs[] = {
	{ { I(0x05, 0, 0, 1, 0), EXIT_INSN }, 2,
	  "<input>: section 'test': pc 0: (05) jump out of range: target 2, program has 2 insns" },
	{ { I(0x15, 1, 0, -2, 0), EXIT_INSN }, 2,
	  "pc 0: (15) jump out of range: target -1" },
	{ { I(0x06, 0, 0, 0, 7), EXIT_INSN }, 2, "pc 0: (06) jump out of range: target 8" },
	{ { I(0x85, 0, 1, 0, 5), EXIT_INSN }, 2, "pc 0: (85) call out of range: target 6" },
	{ { I(0x18, 1, 4, 0, -3), I(0, 0, 0, 0, 0), EXIT_INSN }, 3,
	  "pc 0: (18) function reference out of range: target -2" },
	{ { I(0x18, 1, 0, 0, 0), I(0, 0, 0, 0, 0), I(0x05, 0, 0, -2, 0), EXIT_INSN }, 4,
	  "pc 2: (05) jump into the second slot of the ld_imm64 at pc 0" },
	{ { I(0x85, 0, 1, 0, 1), I(0x18, 1, 0, 0, 0), I(0, 0, 0, 0, 0), EXIT_INSN }, 4,
	  "pc 0: (85) call into the second slot of the ld_imm64 at pc 1" },
	{ { I(0xb7, 0, 0, 0, 0) }, 1, "pc 0: (b7) control falls off the end" },
	{ { EXIT_INSN, I(0x15, 0, 0, -2, 0) }, 2, "pc 1: (15) control falls off the end" },
	{ { EXIT_INSN, I(0x85, 0, 0, 0, 1) }, 2, "pc 1: (85) control falls off the end" },
	{ { EXIT_INSN, I(0x18, 1, 0, 0, 0), I(0, 0, 0, 0, 0) }, 3,
	  "pc 1: (18) control falls off the end" },
	{ { EXIT_INSN, I(0x18, 1, 0, 0, 0) }, 2,
	  "pc 1: (18) ld_imm64 is missing its second slot" },
	{ { I(0xb7, 0, 0, 0, 0), I(0xb7, 12, 0, 0, 0), EXIT_INSN }, 3,
	  "pc 1: (b7) invalid register r12" },
	{ { I(0xff, 0, 0, 0, 0), I(0x05, 0, 0, 9, 0) }, 2, "pc 0: (ff) invalid opcode 0xff" },
};

START_TEST(test_prog_errors)
{
	const struct prog_case *c = &bad_progs[_i];
	struct df_insn p[4];

	memcpy(p, c->p, sizeof(p));
	ck_assert_int_eq(run_check(p, c->cnt), -EINVAL);
	ck_assert_msg(strstr(log_buf, c->msg), "case %d: expected '%s' in '%s'",
		      _i, c->msg, log_buf);
	/* Only the first problem is reported, on one line. */
	ck_assert_ptr_eq(strchr(log_buf, '\n'), log_buf + strlen(log_buf) - 1);
}
END_TEST

START_TEST(test_prog_empty)
{
	struct df_object obj = { .path = "x.o" };
	struct df_prog prog = { .section = "xdp", .obj = &obj };

	log_buf[0] = 0;
	ck_assert_int_eq(df_prog_check(&prog), -EINVAL);
	ck_assert_str_eq(log_buf, "x.o: section 'xdp': program has no instructions\n");
}
END_TEST

START_TEST(test_prog_speed)
{
	const uint32_t n = 1000000;
	struct df_insn *p = calloc(n, sizeof(*p));
	struct timespec a, b;
	double ms;
	uint32_t i;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i + 1 < n; i++) {
		static const struct df_insn mix[] = {
			I(0x79, 1, 10, -8, 0), I(0x0f, 1, 2, 0, 0),
			I(0x15, 1, 0, 1, 0), I(0x7b, 10, 1, -16, 0),
			I(0x85, 0, 0, 0, 1), I(0xbc, 3, 1, 0, 0),
		};
		p[i] = mix[i % DF_ARRAY_SIZE(mix)];
	}
	p[n - 2] = (struct df_insn)I(0xb7, 0, 0, 0, 0);
	p[n - 1] = (struct df_insn)EXIT_INSN;
	clock_gettime(CLOCK_MONOTONIC, &a);
	ck_assert_int_eq(run_check(p, n), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
	printf("df_prog_check: %u insns in %.1f ms\n", n, ms);
	/* The budget is 100 ms in an optimized build; sanitizers cost ~5x. */
	ck_assert_msg(ms < 1000, "df_prog_check took %.1f ms", ms);
	free(p);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_helpers)
{
	const struct df_helper *h;

	h = df_helper_by_id(1);
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(h->name, "bpf_map_lookup_elem");
	ck_assert_int_eq(h->nargs, 2);
	h = df_helper_by_id(181);
	ck_assert_str_eq(h->name, "bpf_loop");
	ck_assert_int_eq(h->nargs, 4);
	ck_assert_int_eq(df_helper_by_id(12)->nargs, 3);	/* tail_call */
	ck_assert_int_eq(df_helper_by_id(6)->nargs, 2);		/* trace_printk: fmt, fmt_size typed; the rest variadic */
	ck_assert_str_eq(df_helper_by_id(211)->name, "bpf_cgrp_storage_delete");
	ck_assert_ptr_null(df_helper_by_id(0));
	ck_assert_ptr_null(df_helper_by_id(-1));
	ck_assert_ptr_null(df_helper_by_id(212));
	ck_assert_int_eq(df_helper_by_name("bpf_ktime_get_ns")->id, 5);
	ck_assert_int_eq(df_helper_by_name("ringbuf_output")->id, 130);
	ck_assert_ptr_null(df_helper_by_name("bpf_no_such_helper"));
	ck_assert_ptr_null(df_helper_by_name(""));
	ck_assert_ptr_null(df_helper_by_name(NULL));
}
END_TEST

START_TEST(test_helpers_roundtrip)
{
	int32_t id, n = 0;

	for (id = 1; id < 300; id++) {
		const struct df_helper *h = df_helper_by_id(id);

		if (!h)
			continue;
		n++;
		ck_assert_int_eq(h->id, id);
		ck_assert(!strncmp(h->name, "bpf_", 4));
		ck_assert(h->nargs >= 0 && h->nargs <= 5);
		ck_assert_ptr_eq(df_helper_by_name(h->name), h);
	}
	ck_assert_int_eq(n, 211);
}
END_TEST

/* ------------------------------------------------------------------ */

struct sec_case {
	const char *sec;
	const char *type;
};

static const struct sec_case sections[] = {
	{ "xdp", "xdp" },
	{ "xdp_prog", "xdp" },
	{ "xdp_cpu_map0", "xdp" },
	{ "socket", "socket_filter" },
	{ "socket1", "socket_filter" },
	{ "socket/3", "socket_filter" },
	{ "kprobe/sys_write", "kprobe" },
	{ "kretprobe/blk_account_io_completion", "kprobe" },
	{ "uprobe/x", "kprobe" },
	{ "tracepoint/xdp/xdp_exception", "tracepoint" },
	{ "tp/sched/sched_switch", "tracepoint" },
	{ "raw_tracepoint/task_rename", "raw_tracepoint" },
	{ "raw_tp/x", "raw_tracepoint" },
	{ "classifier", "sched_cls" },
	{ "classifier/ingress", "sched_cls" },
	{ "action", "sched_act" },
	{ "tc", "sched_cls" },
	{ "tc_mark", "sched_cls" },
	{ "cgroup/skb", "cgroup_skb" },
	{ "cgroup_skb/egress", "cgroup_skb" },
	{ "cgroup/sock1", "cgroup_sock" },
	{ "sockops", "sock_ops" },
	{ "sk_skb/stream_parser", "sk_skb" },
	{ "sk_msg", "sk_msg" },
	{ "lwt_xmit", "lwt_xmit" },
	{ "perf_event", "perf_event" },
	{ "fentry/foo", "tracing" },
	{ "from-netdev", "sched_cls" },
	{ "2/7", "sched_cls" },
	{ "1/0x1010", "sched_cls" },
	{ "filter", "sched_cls" },
};

START_TEST(test_section_types)
{
	const struct sec_case *c = &sections[_i];
	uint32_t type = 99, attach = 99;

	ck_assert_msg(!df_prog_type_by_section(c->sec, &type, &attach),
		      "%s: unknown", c->sec);
	ck_assert_msg(!strcmp(df_prog_type_name(type), c->type),
		      "%s: got %s, expected %s", c->sec, df_prog_type_name(type),
		      c->type);
}
END_TEST

START_TEST(test_type_names)
{
	uint32_t t, a;

	ck_assert_int_eq(df_prog_type_by_section("maps", &t, &a), -ENOENT);
	ck_assert_int_eq(t, 0);
	ck_assert_int_eq(df_prog_type_by_section("2/x/", &t, &a), -ENOENT);
	ck_assert_int_eq(df_prog_type_by_section("sockops", &t, &a), 0);
	ck_assert_int_ne(a, 0);

	ck_assert_int_eq(df_prog_type_by_name("xdp", &t), 0);
	ck_assert_str_eq(df_prog_type_name(t), "xdp");
	ck_assert_int_eq(df_prog_type_by_name("sched_cls", &t), 0);
	ck_assert_int_eq(t, 3);
	ck_assert_int_eq(df_prog_type_by_name("tc", &t), 0);
	ck_assert_int_eq(t, 3);
	ck_assert_int_eq(df_prog_type_by_name("socket_filter", &t), 0);
	ck_assert_int_eq(t, 1);
	ck_assert_int_eq(df_prog_type_by_name("netfilter", &t), 0);
	ck_assert_int_eq(t, 32);
	ck_assert_int_eq(df_prog_type_by_name("7", &t), 0);
	ck_assert_int_eq(t, 7);
	ck_assert_int_ne(df_prog_type_by_name("nonsense", &t), 0);
	ck_assert_ptr_null(df_prog_type_name(1000));

	ck_assert_int_eq(df_map_type_by_name("hash", &t), 0);
	ck_assert_int_eq(t, 1);
	ck_assert_int_eq(df_map_type_by_name("ringbuf", &t), 0);
	ck_assert_int_eq(t, 27);
	ck_assert_int_eq(df_map_type_by_name("arena", &t), 0);
	ck_assert_int_eq(t, 33);
	ck_assert_int_eq(df_map_type_by_name("0x2", &t), 0);
	ck_assert_int_eq(t, 2);
	ck_assert_int_ne(df_map_type_by_name("hashx", &t), 0);
	for (t = 0; t <= 34; t++) {
		uint32_t back = 999;

		ck_assert_ptr_nonnull(df_map_type_name(t));
		ck_assert_int_eq(df_map_type_by_name(df_map_type_name(t), &back), 0);
		ck_assert_int_eq(back, t);
	}
	for (t = 0; t <= 32; t++) {
		uint32_t back = 999;

		ck_assert_ptr_nonnull(df_prog_type_name(t));
		ck_assert_int_eq(df_prog_type_by_name(df_prog_type_name(t), &back), 0);
		ck_assert_int_eq(back, t);
	}
}
END_TEST

static Suite *insn_suite(void)
{
	Suite *s = suite_create("insn");
	TCase *tc = tcase_create("check");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_valid, 0, DF_ARRAY_SIZE(valid));
	tcase_add_test(tc, test_opcode_space);
	tcase_add_loop_test(tc, test_invalid, 0, DF_ARRAY_SIZE(invalid));
	tcase_add_test(tc, test_check_args);
	tcase_add_loop_test(tc, test_regs, 0, DF_ARRAY_SIZE(regs));
	tcase_add_test(tc, test_targets_and_sizes);
	tcase_add_test(tc, test_prog_ok);
	tcase_add_loop_test(tc, test_prog_errors, 0, DF_ARRAY_SIZE(bad_progs));
	tcase_add_test(tc, test_prog_empty);
	tcase_add_test(tc, test_prog_speed);
	tcase_add_test(tc, test_helpers);
	tcase_add_test(tc, test_helpers_roundtrip);
	tcase_add_loop_test(tc, test_section_types, 0, DF_ARRAY_SIZE(sections));
	tcase_add_test(tc, test_type_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(insn_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

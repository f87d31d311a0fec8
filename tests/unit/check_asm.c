/* SPDX-License-Identifier: BSD-2-Clause */
/* The assembler: every form of docs/asm-syntax.md, directives, labels, errors. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asm_test.h"

/* ------------------------------------------------------------ golden forms */

#define PRELUDE ".map m0 array key=4 value=8 max=1\n" \
	".map counts hash key=4 value=8 max=64\n" \
	".kfunc bpf_kf 2 id=42\n"

struct golden {
	const char *text;
	uint8_t code, dst, src;
	int16_t off;
	int32_t imm;
	int32_t imm2;		/* second slot of ld_imm64 */
};

#define LD 0x18
static const struct golden golden[] = {
	/* ALU64 */
	{ "r1 += r2", 0x0f, 1, 2, 0, 0, 0 },
	{ "r1 += -8", 0x07, 1, 0, 0, -8, 0 },
	{ "r1 -= r2", 0x1f, 1, 2, 0, 0, 0 },
	{ "r1 -= 8", 0x17, 1, 0, 0, 8, 0 },
	{ "r1 *= r2", 0x2f, 1, 2, 0, 0, 0 },
	{ "r1 *= 3", 0x27, 1, 0, 0, 3, 0 },
	{ "r1 /= r2", 0x3f, 1, 2, 0, 0, 0 },
	{ "r1 /= 3", 0x37, 1, 0, 0, 3, 0 },
	{ "r1 |= r2", 0x4f, 1, 2, 0, 0, 0 },
	{ "r1 |= 0x10", 0x47, 1, 0, 0, 16, 0 },
	{ "r1 &= r2", 0x5f, 1, 2, 0, 0, 0 },
	{ "r1 &= 255", 0x57, 1, 0, 0, 255, 0 },
	{ "r1 <<= r2", 0x6f, 1, 2, 0, 0, 0 },
	{ "r1 <<= 2", 0x67, 1, 0, 0, 2, 0 },
	{ "r1 >>= r2", 0x7f, 1, 2, 0, 0, 0 },
	{ "r1 >>= 2", 0x77, 1, 0, 0, 2, 0 },
	{ "r1 s>>= r2", 0xcf, 1, 2, 0, 0, 0 },
	{ "r1 s>>= 2", 0xc7, 1, 0, 0, 2, 0 },
	{ "r1 %= r2", 0x9f, 1, 2, 0, 0, 0 },
	{ "r1 %= 3", 0x97, 1, 0, 0, 3, 0 },
	{ "r1 ^= r2", 0xaf, 1, 2, 0, 0, 0 },
	{ "r1 ^= -1", 0xa7, 1, 0, 0, -1, 0 },
	{ "r1 = r2", 0xbf, 1, 2, 0, 0, 0 },
	{ "r10 = r9", 0xbf, 10, 9, 0, 0, 0 },
	{ "r1 = 7", 0xb7, 1, 0, 0, 7, 0 },
	{ "r1 = -1", 0xb7, 1, 0, 0, -1, 0 },
	{ "r1 = -2147483648", 0xb7, 1, 0, 0, INT32_MIN, 0 },
	/* ALU32 */
	{ "w1 += w2", 0x0c, 1, 2, 0, 0, 0 },
	{ "w1 = 7", 0xb4, 1, 0, 0, 7, 0 },
	{ "w1 -= 1", 0x14, 1, 0, 0, 1, 0 },
	{ "w1 s>>= 3", 0xc4, 1, 0, 0, 3, 0 },
	{ "w1 = w2", 0xbc, 1, 2, 0, 0, 0 },
	{ "w1 ^= 0xffffffff", 0xa4, 1, 0, 0, -1, 0 },
	{ "w3 <<= w4", 0x6c, 3, 4, 0, 0, 0 },
	{ "w0 = 4294967295", 0xb4, 0, 0, 0, -1, 0 },
	/* signed division and modulo */
	{ "r1 s/= r2", 0x3f, 1, 2, 1, 0, 0 },
	{ "r1 s%= 3", 0x97, 1, 0, 1, 3, 0 },
	{ "w1 s/= w2", 0x3c, 1, 2, 1, 0, 0 },
	{ "w1 s%= w2", 0x9c, 1, 2, 1, 0, 0 },
	/* neg, movsx, addr_space_cast */
	{ "r1 = -r1", 0x87, 1, 0, 0, 0, 0 },
	{ "w1 = -w1", 0x84, 1, 0, 0, 0, 0 },
	{ "r1 = (s8)r2", 0xbf, 1, 2, 8, 0, 0 },
	{ "r1 = (s16)r2", 0xbf, 1, 2, 16, 0, 0 },
	{ "r1 = (s32)r2", 0xbf, 1, 2, 32, 0, 0 },
	{ "w1 = (s8)w2", 0xbc, 1, 2, 8, 0, 0 },
	{ "w1 = (s16)w2", 0xbc, 1, 2, 16, 0, 0 },
	{ "r1 = addr_space_cast(r2, 0, 1)", 0xbf, 1, 2, 1, 1, 0 },
	{ "r1 = addr_space_cast(r2, 1, 0)", 0xbf, 1, 2, 1, 0x10000, 0 },
	/* byte swaps */
	{ "r1 = be16 r1", 0xdc, 1, 0, 0, 16, 0 },
	{ "r1 = be32 r1", 0xdc, 1, 0, 0, 32, 0 },
	{ "r1 = be64 r1", 0xdc, 1, 0, 0, 64, 0 },
	{ "r1 = le16 r1", 0xd4, 1, 0, 0, 16, 0 },
	{ "r1 = le32 r1", 0xd4, 1, 0, 0, 32, 0 },
	{ "r1 = le64 r1", 0xd4, 1, 0, 0, 64, 0 },
	{ "r1 = bswap16 r1", 0xd7, 1, 0, 0, 16, 0 },
	{ "r1 = bswap32 r1", 0xd7, 1, 0, 0, 32, 0 },
	{ "r1 = bswap64 r1", 0xd7, 1, 0, 0, 64, 0 },
	/* ld_imm64 */
	{ "r1 = 0x1234 ll", LD, 1, 0, 0, 0x1234, 0 },
	{ "(18) r1 = 0x5", LD, 1, 0, 0, 5, 0 },
	{ "r1 = 0x1122334455667788", LD, 1, 0, 0, 0x55667788, 0x11223344 },
	{ "r1 = 0xffffffff", LD, 1, 0, 0, -1, 0 },
	{ "r1 = -0x80000001", LD, 1, 0, 0, 0x7fffffff, -1 },
	{ "r2 = 0xffffffffffffffff", LD, 2, 0, 0, -1, -1 },
	{ "r1 = map[m0]", LD, 1, 5, 0, 0, 0 },
	{ "r1 = map[counts]", LD, 1, 5, 0, 1, 0 },
	{ "r1 = map[counts][0]+16", LD, 1, 6, 0, 1, 16 },
	{ "r1 = map[fd:3]", LD, 1, 1, 0, 3, 0 },
	{ "r1 = map[id:3]", LD, 1, 1, 0, 3, 0 },
	{ "r1 = map[idx:1]", LD, 1, 5, 0, 1, 0 },
	{ "r1 = map[fd:3][0]+8", LD, 1, 2, 0, 3, 8 },
	{ "r1 = map[idx:0][0]+4", LD, 1, 6, 0, 0, 4 },
	{ "r1 = map[m0] ll", LD, 1, 5, 0, 0, 0 },
	{ "r1 = btf_id[77]", LD, 1, 3, 0, 77, 0 },
	{ "r1 = btf_id[77][2]", LD, 1, 3, 0, 77, 2 },
	{ "r1 = subprog[pc+3]", LD, 1, 4, 0, 3, 0 },
	{ "r1 = subprog[pc-1]", LD, 1, 4, 0, -1, 0 },
	/* legacy packet loads */
	{ "r0 = *(u8 *)skb[12]", 0x30, 0, 0, 0, 12, 0 },
	{ "r0 = *(u16 *)skb[r1 + 4]", 0x48, 0, 1, 0, 4, 0 },
	{ "r0 = *(u32 *)skb[r6 +0]", 0x40, 0, 6, 0, 0, 0 },
	{ "r0 = *(u32 *)skb[20]", 0x20, 0, 0, 0, 20, 0 },
	/* loads */
	{ "r1 = *(u64 *)(r10 -8)", 0x79, 1, 10, -8, 0, 0 },
	{ "r1 = *(u32 *)(r2 +4)", 0x61, 1, 2, 4, 0, 0 },
	{ "r1 = *(u16 *)(r2 + 4)", 0x69, 1, 2, 4, 0, 0 },
	{ "r1 = *(u8 *)(r2-4)", 0x71, 1, 2, -4, 0, 0 },
	{ "r1 = *(u8 *)(r2)", 0x71, 1, 2, 0, 0, 0 },
	{ "r1 = *(s8 *)(r2 +4)", 0x91, 1, 2, 4, 0, 0 },
	{ "r1 = *(s16 *)(r2 +4)", 0x89, 1, 2, 4, 0, 0 },
	{ "r1 = *(s32 *)(r2 +4)", 0x81, 1, 2, 4, 0, 0 },
	{ "w1 = *(u32 *)(r2 +0)", 0x61, 1, 2, 0, 0, 0 },
	{ "r1 = *(u64 *)(r10 -32768)", 0x79, 1, 10, INT16_MIN, 0, 0 },
	/* stores */
	{ "*(u64 *)(r10 -8) = r1", 0x7b, 10, 1, -8, 0, 0 },
	{ "*(u32 *)(r10 -4) = r1", 0x63, 10, 1, -4, 0, 0 },
	{ "*(u16 *)(r10 -2) = r1", 0x6b, 10, 1, -2, 0, 0 },
	{ "*(u8 *)(r10 -1) = r1", 0x73, 10, 1, -1, 0, 0 },
	{ "*(u32 *)(r10 -4) = 7", 0x62, 10, 0, -4, 7, 0 },
	{ "*(u64 *)(r10 -8) = -1", 0x7a, 10, 0, -8, -1, 0 },
	{ "*(u16 *)(r1 +2) = 3", 0x6a, 1, 0, 2, 3, 0 },
	{ "*(u8 *)(r1 +1) = 3", 0x72, 1, 0, 1, 3, 0 },
	{ "*(u64 *)(r1 +0x10) = r2", 0x7b, 1, 2, 16, 0, 0 },
	/* stack arguments */
	{ "*(u64 *)(r11 -8) = r6", 0x7b, 11, 6, -8, 0, 0 },
	{ "*(u64 *)(r11 -16) = 5", 0x7a, 11, 0, -16, 5, 0 },
	{ "r1 = *(u64 *)(r11 +8)", 0x79, 1, 11, 8, 0, 0 },
	{ "r6 = *(u64 *)(r11 +56)", 0x79, 6, 11, 56, 0, 0 },
	/* atomics */
	{ "lock *(u64 *)(r1 +0) += r2", 0xdb, 1, 2, 0, 0x00, 0 },
	{ "lock *(u64 *)(r1 +8) |= r2", 0xdb, 1, 2, 8, 0x40, 0 },
	{ "lock *(u64 *)(r1 +0) &= r2", 0xdb, 1, 2, 0, 0x50, 0 },
	{ "lock *(u64 *)(r1 +0) ^= r2", 0xdb, 1, 2, 0, 0xa0, 0 },
	{ "lock *(u32 *)(r1 +0) += r2", 0xc3, 1, 2, 0, 0x00, 0 },
	{ "lock *(u32 *)(r1 +0) += w2", 0xc3, 1, 2, 0, 0x00, 0 },
	{ "r2 = atomic64_fetch_add((u64 *)(r1 +0), r2)", 0xdb, 1, 2, 0, 0x01, 0 },
	{ "r2 = atomic64_fetch_or((u64 *)(r1 +0), r2)", 0xdb, 1, 2, 0, 0x41, 0 },
	{ "r2 = atomic64_fetch_and((u64 *)(r1 +0), r2)", 0xdb, 1, 2, 0, 0x51, 0 },
	{ "r2 = atomic64_fetch_xor((u64 *)(r1 +0), r2)", 0xdb, 1, 2, 0, 0xa1, 0 },
	{ "w2 = atomic_fetch_add((u32 *)(r1 +0), w2)", 0xc3, 1, 2, 0, 0x01, 0 },
	{ "r2 = atomic64_xchg((u64 *)(r1 +0), r2)", 0xdb, 1, 2, 0, 0xe1, 0 },
	{ "w2 = atomic_xchg((u32 *)(r1 -4), w2)", 0xc3, 1, 2, -4, 0xe1, 0 },
	{ "r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)", 0xdb, 1, 2, 0, 0xf1, 0 },
	{ "w0 = atomic_cmpxchg((u32 *)(r1 +0), w0, w2)", 0xc3, 1, 2, 0, 0xf1, 0 },
	{ "r0 = load_acquire((u64 *)(r1 +0))", 0xdb, 0, 1, 0, 0x100, 0 },
	{ "w0 = load_acquire((u8 *)(r1 +0))", 0xd3, 0, 1, 0, 0x100, 0 },
	{ "w0 = load_acquire((u16 *)(r1 +2))", 0xcb, 0, 1, 2, 0x100, 0 },
	{ "store_release((u64 *)(r1 +0), r2)", 0xdb, 1, 2, 0, 0x110, 0 },
	{ "store_release((u32 *)(r1 +0), w2)", 0xc3, 1, 2, 0, 0x110, 0 },
	{ "store_release((u8 *)(r1 +0), w2)", 0xd3, 1, 2, 0, 0x110, 0 },
	/* calls */
	{ "call bpf_map_lookup_elem#1", 0x85, 0, 0, 0, 1, 0 },
	{ "call 1", 0x85, 0, 0, 0, 1, 0 },
	{ "call bpf_map_lookup_elem", 0x85, 0, 0, 0, 1, 0 },
	{ "call bpf_loop#181", 0x85, 0, 0, 0, 181, 0 },
	{ "call unknown#5000", 0x85, 0, 0, 0, 5000, 0 },
	{ "call pc+3", 0x85, 0, 1, 0, 3, 0 },
	{ "call pc-7", 0x85, 0, 1, 0, -7, 0 },
	{ "call bpf_kf#42", 0x85, 0, 2, 0, 42, 0 },
	{ "call bpf_kf", 0x85, 0, 2, 0, 42, 0 },
	{ "call kfunc#99", 0x85, 0, 2, 0, 99, 0 },
	{ "call kfunc#99@3", 0x85, 0, 2, 3, 99, 0 },
	{ "exit", 0x95, 0, 0, 0, 0, 0 },
	/* jumps */
	{ "goto pc+3", 0x05, 0, 0, 3, 0, 0 },
	{ "goto +3", 0x05, 0, 0, 3, 0, 0 },
	{ "goto pc-1", 0x05, 0, 0, -1, 0, 0 },
	{ "gotol pc+300", 0x06, 0, 0, 0, 300, 0 },
	{ "gotol pc-70000", 0x06, 0, 0, 0, -70000, 0 },
	{ "may_goto pc+2", 0xe5, 0, 0, 2, 0, 0 },
	{ "if r1 == 0x0 goto pc+3", 0x15, 1, 0, 3, 0, 0 },
	{ "if r1 != r2 goto pc+1", 0x5d, 1, 2, 1, 0, 0 },
	{ "if r1 > 5 goto pc+1", 0x25, 1, 0, 1, 5, 0 },
	{ "if r1 >= r2 goto pc+1", 0x3d, 1, 2, 1, 0, 0 },
	{ "if r1 < 5 goto pc+1", 0xa5, 1, 0, 1, 5, 0 },
	{ "if r1 <= r2 goto pc+1", 0xbd, 1, 2, 1, 0, 0 },
	{ "if r1 s> r2 goto pc-4", 0x6d, 1, 2, -4, 0, 0 },
	{ "if r1 s>= 0x5 goto pc+1", 0x75, 1, 0, 1, 5, 0 },
	{ "if r1 s< 0x5 goto pc+1", 0xc5, 1, 0, 1, 5, 0 },
	{ "if r1 s<= r2 goto pc+1", 0xdd, 1, 2, 1, 0, 0 },
	{ "if r1 & 0x1 goto pc+1", 0x45, 1, 0, 1, 1, 0 },
	{ "if r1 & r2 goto pc+1", 0x4d, 1, 2, 1, 0, 0 },
	{ "if w1 s< 0x5 goto pc+2", 0xc6, 1, 0, 2, 5, 0 },
	{ "if w1 == w2 goto pc+1", 0x1e, 1, 2, 1, 0, 0 },
	{ "if r1 == 0xffffffff goto pc+1", 0x15, 1, 0, 1, -1, 0 },
	{ "if r1 == -1 goto -1", 0x15, 1, 0, -1, -1, 0 },
	/* prefixes, spacing and comments */
	{ "0: (b7) r1 = 7", 0xb7, 1, 0, 0, 7, 0 },
	{ "(bf) r6 = r1", 0xbf, 6, 1, 0, 0, 0 },
	{ "0: (18) r1 = 0x1122334455667788", LD, 1, 0, 0, 0x55667788, 0x11223344 },
	{ "(b7) r1 = 0xffffffff", 0xb7, 1, 0, 0, -1, 0 },
	{ "r1 = 5 ; r1_w=5", 0xb7, 1, 0, 0, 5, 0 },
	{ "r1 = 5 // comment", 0xb7, 1, 0, 0, 5, 0 },
	{ "  \tr1=5\r", 0xb7, 1, 0, 0, 5, 0 },
};

START_TEST(test_golden)
{
	const struct golden *g = &golden[_i];
	char text[256];
	struct df_object *obj;
	struct df_prog *p;
	struct df_insn *in;
	bool wide = g->code == LD;

	snprintf(text, sizeof(text), PRELUDE "%s\n", g->text);
	obj = asm_test_assemble(text, "golden.s");
	ck_assert_uint_eq(obj->prog_cnt, 1);
	p = &obj->progs[0];
	ck_assert_msg(p->insn_cnt == (wide ? 2u : 1u), "'%s': %u slots", g->text, p->insn_cnt);
	in = &p->insns[0];
	ck_assert_msg(in->code == g->code && in->dst_reg == g->dst && in->src_reg == g->src &&
		      in->off == g->off && in->imm == g->imm,
		      "'%s': got code %02x dst %u src %u off %d imm %d", g->text,
		      in->code, in->dst_reg, in->src_reg, in->off, in->imm);
	if (wide) {
		ck_assert_msg(p->insns[1].code == 0 && p->insns[1].dst_reg == 0 &&
			      p->insns[1].src_reg == 0 && p->insns[1].off == 0 &&
			      p->insns[1].imm == g->imm2, "'%s': second slot imm %d",
			      g->text, p->insns[1].imm);
	}
	ck_assert_uint_eq(p->line_cnt, 1);
	ck_assert_uint_eq(p->lines[0].line, 4);
	df_object_free(obj);
}
END_TEST

/* The raw writer's bytes are the kernel's little-endian layout. */
START_TEST(test_raw_bytes)
{
	static const uint8_t want[] = {
		0xb7, 0x01, 0x00, 0x00, 0xfb, 0xff, 0xff, 0xff,	/* r1 = -5 */
		0x7b, 0x1a, 0xf8, 0xff, 0x00, 0x00, 0x00, 0x00,	/* *(u64 *)(r10 -8) = r1 */
		0x18, 0x02, 0x00, 0x00, 0x88, 0x77, 0x66, 0x55,	/* r2 = 0x1122334455667788 */
		0x00, 0x00, 0x00, 0x00, 0x44, 0x33, 0x22, 0x11,
		0x85, 0x20, 0x03, 0x00, 0x63, 0x00, 0x00, 0x00,	/* call kfunc#99@3 */
		0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* exit */
	};
	const char *text = "r1 = -5\n*(u64 *)(r10 -8) = r1\nr2 = 0x1122334455667788\n"
			   "call kfunc#99@3\nexit\n";
	char path[] = "/tmp/check_asm_rawXXXXXX";
	struct df_object *obj = asm_test_assemble(text, "raw.s");
	uint8_t got[sizeof(want) + 8];
	FILE *f;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(df_prog_write_raw(&obj->progs[0], path), 0);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(got, 1, sizeof(got), f), sizeof(want));
	fclose(f);
	unlink(path);
	ck_assert_mem_eq(got, want, sizeof(want));
	df_object_free(obj);
}
END_TEST

/* ------------------------------------------------------------ directives */

START_TEST(test_directives)
{
	const char *text =
		"; leading comment\n"
		"# hash comment\n"
		".license \"Dual BSD/GPL\"\n"
		".map counts percpu_hash key=4 value=16 max=128 flags=1\n"
		".map progs prog_array key=4 value=4 max=8\n"
		".map raw 27 max=1 value=0 key=0\n"
		".kfunc bpf_a 1\n"
		".kfunc bpf_b 3 id=100\n"
		".kfunc bpf_c 12\n"
		".prog first \"xdp\"\n"
		"\tr1 = map[progs]\n"
		"\tcall bpf_a\n"
		"\tcall bpf_c#101\n"
		"\tcall bpf_b#100\n"
		"\tr0 = 2\n"
		"\texit\n"
		".prog second \"kprobe/sys_open\"\n"
		".type tracepoint\n"
		".func second 1\n"
		"\tr0 = 0\n"
		"\texit\n"
		".prog third\n"
		"\texit\n";
	struct df_object *obj = asm_test_assemble(text, "dir.s");
	struct df_prog *p;
	uint32_t t;

	ck_assert_str_eq(obj->license, "Dual BSD/GPL");
	ck_assert_uint_eq(obj->map_cnt, 3);
	ck_assert_str_eq(obj->maps[0].name, "counts");
	ck_assert_int_eq(df_map_type_by_name("percpu_hash", &t), 0);
	ck_assert_uint_eq(obj->maps[0].type, t);
	ck_assert_uint_eq(obj->maps[0].key_size, 4);
	ck_assert_uint_eq(obj->maps[0].value_size, 16);
	ck_assert_uint_eq(obj->maps[0].max_entries, 128);
	ck_assert_uint_eq(obj->maps[0].flags, 1);
	ck_assert_int_eq(obj->maps[0].origin, DF_MAP_ASM);
	ck_assert_uint_eq(obj->maps[2].type, 27);
	ck_assert_uint_eq(obj->maps[2].max_entries, 1);
	ck_assert_uint_eq(obj->prog_cnt, 3);

	p = &obj->progs[0];
	ck_assert_str_eq(p->name, "first");
	ck_assert_str_eq(p->section, "xdp");
	ck_assert_int_eq(df_prog_type_by_name("xdp", &t), 0);
	ck_assert_uint_eq(p->type, t);
	ck_assert_uint_eq(p->map_ref_cnt, 1);
	ck_assert_uint_eq(p->map_refs[0].pc, 0);
	ck_assert_uint_eq(p->map_refs[0].map, 1);
	ck_assert_str_eq(df_prog_map_at(p, 0)->name, "progs");
	/* ids count from 1, id= sets one, the next continues after it */
	ck_assert_int_eq(p->insns[2].imm, 1);
	ck_assert_int_eq(p->insns[3].imm, 101);
	ck_assert_int_eq(p->insns[4].imm, 100);
	ck_assert_uint_eq(p->kfunc_cnt, 3);
	ck_assert_str_eq(df_prog_kfunc_at(p, 2)->name, "bpf_a");
	ck_assert_int_eq(df_prog_kfunc_at(p, 2)->arg_cnt, 1);
	ck_assert_str_eq(df_prog_kfunc_at(p, 3)->name, "bpf_c");
	ck_assert_int_eq(df_prog_kfunc_at(p, 3)->arg_cnt, 12);
	ck_assert_str_eq(df_prog_kfunc_at(p, 4)->name, "bpf_b");
	ck_assert_uint_eq(p->func_cnt, 1);
	ck_assert_str_eq(p->funcs[0].name, "first");
	ck_assert_int_eq(p->funcs[0].arg_cnt, -1);
	ck_assert_int_eq(p->funcs[0].linkage, DF_LINKAGE_GLOBAL);
	ck_assert_uint_eq(p->funcs[0].len, 7);

	p = &obj->progs[1];
	ck_assert_str_eq(p->section, "kprobe/sys_open");
	ck_assert_int_eq(df_prog_type_by_name("tracepoint", &t), 0);
	ck_assert_uint_eq(p->type, t);
	ck_assert_uint_eq(p->func_cnt, 1);
	ck_assert_int_eq(p->funcs[0].arg_cnt, 1);
	ck_assert_int_eq(p->funcs[0].linkage, DF_LINKAGE_GLOBAL);
	ck_assert_uint_eq(p->lines[0].line, 20);
	ck_assert_str_eq(p->lines[0].text, "r0 = 0");
	ck_assert_str_eq(p->lines[0].file, "dir.s");
	ck_assert_uint_eq(p->lines[0].col, 2);

	ck_assert_str_eq(obj->progs[2].section, "third");
	df_object_free(obj);
}
END_TEST

/* Text before any .prog is a program named after the file. */
START_TEST(test_implicit_prog)
{
	struct df_object *obj = asm_test_assemble(".map m hash key=4 value=4 max=1\n"
					 "r0 = 0\nexit\n", "some/dir/xdp.s");
	uint32_t t;

	ck_assert_uint_eq(obj->prog_cnt, 1);
	ck_assert_str_eq(obj->progs[0].name, "xdp");
	ck_assert_str_eq(obj->progs[0].section, "xdp");
	ck_assert_int_eq(df_prog_type_by_name("xdp", &t), 0);
	ck_assert_uint_eq(obj->progs[0].type, t);
	ck_assert_str_eq(obj->progs[0].lines[1].text, "exit");
	df_object_free(obj);

	/* only directives before the first .prog: no empty program */
	obj = asm_test_assemble(".license \"GPL\"\n.prog p \"tc\"\nexit\n", "x.s");
	ck_assert_uint_eq(obj->prog_cnt, 1);
	ck_assert_str_eq(obj->progs[0].name, "p");
	df_object_free(obj);

	/* a .func at the first instruction names the entry */
	obj = asm_test_assemble(".func main 1\nr0 = 0\nexit\n", "x.s");
	ck_assert_str_eq(obj->progs[0].name, "main");
	ck_assert_str_eq(obj->progs[0].funcs[0].name, "main");
	ck_assert_int_eq(obj->progs[0].funcs[0].arg_cnt, 1);
	df_object_free(obj);

	/* the kernel log's prefixes, including the ld_imm64 gap in pcs */
	obj = asm_test_assemble("0: (b7) r0 = 0\n1: (18) r1 = 0x100000000\n3: (95) exit\n", "log");
	ck_assert_uint_eq(obj->progs[0].insn_cnt, 4);
	ck_assert_str_eq(obj->progs[0].name, "log");
	df_object_free(obj);
}
END_TEST

/* ------------------------------------------------------------ labels */

START_TEST(test_labels)
{
	const char *text =
		".prog p \"tc\"\n"
		"start:\n"
		"\tr0 = 0\n"
		"\tif r1 == 0x0 goto out\n"		/* pc 1, forward */
		"\tr2 = subprog[cb]\n"			/* pc 2..3 */
		"\tgotol out\n"				/* pc 4 */
		"loop: r0 += 1\n"			/* pc 5, label and insn */
		"\tif r0 < 10 goto loop\n"		/* pc 6, backward to itself-1 */
		"\tgoto start\n"			/* pc 7, backward */
		"out:\n"
		".LBB0_1:\n"
		"\tcall helper\n"			/* pc 8 */
		"\tmay_goto .LBB0_1\n"			/* pc 9 */
		"\texit\n"				/* pc 10 */
		".func cb 2\n"
		"\tr0 = 0\n"				/* pc 11 */
		"\texit\n"
		".func helper 0 global\n"
		"\tcall cb\n"				/* pc 13 */
		"\texit\n";
	struct df_object *obj = asm_test_assemble(text, "labels.s");
	struct df_prog *p = &obj->progs[0];

	ck_assert_int_eq(p->insns[1].off, 8 - 1 - 1);
	ck_assert_int_eq(p->insns[2].imm, 11 - 2 - 1);
	ck_assert_int_eq(p->insns[4].imm, 8 - 4 - 1);
	ck_assert_int_eq(p->insns[6].off, 5 - 6 - 1);
	ck_assert_int_eq(p->insns[7].off, 0 - 7 - 1);
	ck_assert_int_eq(p->insns[8].src_reg, DF_PSEUDO_CALL);
	ck_assert_int_eq(p->insns[8].imm, 13 - 8 - 1);
	ck_assert_int_eq(p->insns[9].off, 8 - 9 - 1);
	ck_assert_int_eq(p->insns[13].imm, 11 - 13 - 1);
	ck_assert_uint_eq(p->func_cnt, 3);
	ck_assert_str_eq(p->funcs[1].name, "cb");
	ck_assert_uint_eq(p->funcs[1].start, 11);
	ck_assert_uint_eq(p->funcs[1].len, 2);
	ck_assert_int_eq(p->funcs[1].arg_cnt, 2);
	ck_assert_int_eq(p->funcs[1].linkage, DF_LINKAGE_STATIC);
	ck_assert_str_eq(p->funcs[2].name, "helper");
	ck_assert_int_eq(p->funcs[2].linkage, DF_LINKAGE_GLOBAL);
	ck_assert_uint_eq(p->funcs[0].len, 11);
	ck_assert_int_eq(df_prog_check(p), 0);
	df_object_free(obj);
}
END_TEST

/* Labels are per program: the same name in two programs is fine. */
START_TEST(test_label_scope)
{
	struct df_object *obj = asm_test_assemble(".prog a\nl: goto l\n.prog b\nr0 = 0\nl: exit\n", "s.s");

	ck_assert_int_eq(obj->progs[0].insns[0].off, -1);
	ck_assert_uint_eq(obj->progs[1].insn_cnt, 2);
	df_object_free(obj);
}
END_TEST

/* ------------------------------------------------------------ stack arguments */


START_TEST(test_stack_args)
{
	struct df_object *obj = asm_test_assemble(SUM12, "sum12.s");
	struct df_prog *p = &obj->progs[0];

	ck_assert_uint_eq(p->insn_cnt, 22);
	ck_assert_uint_eq(p->func_cnt, 2);
	ck_assert_str_eq(p->funcs[1].name, "sum12");
	ck_assert_int_eq(p->funcs[1].arg_cnt, 12);
	ck_assert_uint_eq(p->funcs[1].start, 15);
	ck_assert_int_eq(p->insns[13].imm, 15 - 13 - 1);
	ck_assert_int_eq(p->insns[5].code, DF_ST | DF_MEM | DF_DW);
	ck_assert_int_eq(p->insns[5].dst_reg, DF_REG_PARAMS);
	ck_assert_int_eq(p->insns[11].code, DF_STX | DF_MEM | DF_DW);
	ck_assert_int_eq(p->insns[11].off, -48);
	ck_assert_int_eq(p->insns[12].off, -56);
	ck_assert_int_eq(p->insns[19].src_reg, DF_REG_PARAMS);
	ck_assert_int_eq(p->insns[19].off, 56);
	ck_assert_int_eq(df_prog_check(p), 0);
	df_object_free(obj);
}
END_TEST

/* ------------------------------------------------------------ errors */

struct bad {
	const char *text;
	unsigned line, col;
	const char *msg;
};

static const struct bad bad[] = {
	{ "r1 = x1", 1, 6, "expected register, number, memory operand or ld_imm64 operand, got 'x1'" },
	{ "r12 = 1", 1, 1, "expected register r0..r10 or w0..w10, got 'r12'" },
	{ "w11 = 1", 1, 1, "got 'w11'" },
	{ "r1 += w2", 1, 7, "expected 64-bit register r0..r10, got 'w2'" },
	{ "w1 = r2", 1, 6, "expected 32-bit register w0..w10, got 'r2'" },
	{ "r1 = 0x1ffffffffffffffff", 1, 6, "fits in 64 bits" },
	{ "r1 += 0x100000000", 1, 7, "expected 32-bit immediate" },
	{ "r1 = *(u64 *)(r10 -40000)", 1, 20, "expected offset -32768..32767, got '40000'" },
	{ "goto pc+40000", 1, 8, "expected jump offset" },
	{ "gotol pc+3000000000", 1, 9, "expected jump offset" },
	{ "r0 = 0\ngoto nowhere\nexit", 2, 6, "expected label defined in this program, got 'nowhere'" },
	{ "foo:\nr0 = 0\nfoo:\nexit", 3, 1, "duplicate label 'foo' (first defined at line 1)" },
	{ "call no_such_helper#5", 1, 6, "expected helper or kfunc declared with .kfunc, got 'no_such_helper'" },
	{ "call bpf_map_lookup_elem#2", 1, 26, "expected helper id 1, got '2'" },
	{ "call undefined_thing\nexit", 1, 6, "expected helper, kfunc declared with .kfunc or label, got 'undefined_thing'" },
	{ "r1 = map[nomap]", 1, 10, "expected map declared with .map, fd:N or idx:N, got 'nomap'" },
	{ ".func f 13\nexit", 1, 9, "expected argument count 0..12, got '13'" },
	{ "r0 = 0\n.func f 3\n", 2, 7, "expected an instruction after .func f, got end of file" },
	{ "*(u32 *)(r11 -8) = r1", 1, 10, "stack-argument store" },
	{ "*(u64 *)(r11 +8) = r1", 1, 10, "stack-argument store" },
	{ "r1 = *(u64 *)(r11 -8)", 1, 15, "stack-argument load" },
	{ "r1 = *(u64 *)(r11 +12)", 1, 15, "stack-argument load" },
	{ "r11 = 5", 1, 1, "r11 only in stack-argument loads and stores" },
	{ "lock *(u64 *)(r11 -8) += r1", 1, 15, "r11 only in stack-argument" },
	{ "r1 = 5 junk", 1, 8, "expected end of instruction, got 'junk'" },
	{ "5: r1 = 5", 1, 1, "expected pc 0, got '5'" },
	{ "(b4) r1 = 5", 1, 1, "expected opcode (b7) of this instruction, got '(b4)'" },
	{ "(zz) r1 = 5", 1, 1, "expected opcode (xx)" },
	{ ".bogus", 1, 1, "expected directive .license, .map, .kfunc, .prog, .type or .func, got '.bogus'" },
	{ ".map m hash key=4 value=8\nexit", 1, 26, "expected max=, got end of line" },
	{ ".map m nosuchtype key=4 value=8 max=1", 1, 8, "expected map type" },
	{ ".map m hash key=4 value=8 max=99999999999", 1, 31, "expected number 0..4294967295" },
	{ ".prog p\n.prog q\nexit", 1, 1, "expected instructions in program 'p', got '.prog'" },
	{ ".prog a\nexit\n.prog a\nexit", 3, 1, "duplicate program 'a'" },
	{ ".kfunc k 13", 1, 10, "expected argument count 0..12, got '13'" },
	{ ".kfunc k 1\n.kfunc k 1", 2, 8, "duplicate kfunc 'k'" },
	{ ".kfunc k 1 id=5\n.kfunc j 1 id=5", 2, 12, "duplicate kfunc id 5" },
	{ ".map m hash key=4 value=8 max=1\n.map m hash key=4 value=8 max=1", 2, 6, "duplicate map 'm'" },
	{ ".prog main\n.func other 1\nexit", 2, 7, "expected the program's name 'main'" },
	{ ".func f 2 weird\nexit", 1, 11, "expected static or global, got 'weird'" },
	{ ".license GPL", 1, 10, "expected quoted string, got 'GPL'" },
	{ ".license \"GPL\"\n.license \"GPL\"", 2, 9, "duplicate .license" },
	{ ".type nosuch", 1, 7, "expected program type" },
	{ "r1 = -r2", 1, 7, "expected the destination register, got 'r2'" },
	{ "w1 = (s32)w2", 1, 7, "expected s8 or s16, got 's32'" },
	{ "r1 = atomic64_fetch_add((u32 *)(r1 +0), r1)", 1, 6, "expected (u64 *) with atomic64_" },
	{ "r0 = atomic64_cmpxchg((u64 *)(r1 +0), r1, r2)", 1, 39, "expected r0, got 'r1'" },
	{ "r2 = atomic64_fetch_add((u64 *)(r1 +0), r3)", 1, 41, "expected the destination register" },
	{ "if r1 ~ r2 goto pc+1", 1, 7, "expected comparison" },
	{ "if r1 == w2 goto pc+1", 1, 10, "expected 64-bit register r0..r10, got 'w2'" },
	{ "if r1 == r2 pc+1", 1, 13, "expected 'goto', got 'pc'" },
	{ "lock *(u16 *)(r1 +0) += r2", 1, 8, "expected access size u32 or u64, got 'u16'" },
	{ "r1 = *(s64 *)(r1 +0)", 1, 8, "expected access size" },
	{ "*(s8 *)(r1 +0) = r2", 1, 3, "expected access size u8, u16, u32 or u64" },
	{ "r1 = be16 r2", 1, 11, "expected the destination register, got 'r2'" },
	{ "r0 = *(u64 *)skb[1]", 1, 8, "expected access size u8, u16 or u32, got 'u64'" },
	{ "r1 = *(u8 *)skb[1]", 1, 1, "expected r0 for a packet load, got 'r1'" },
	{ "r1 = *(u64 *)(w2 +0)", 1, 15, "expected 64-bit base register" },
	{ "call", 1, 5, "expected helper, kfunc or label, got end of line" },
	{ "r1 = map[fd:1][1]+0", 1, 16, "expected 0, got '1'" },
	{ "r1 = map[fd:1][0]", 1, 18, "expected '+OFFSET', got end of line" },
	{ "exit\n.func g 2", 2, 7, "expected an instruction after .func g" },
	{ "r1 = 5 ll\nw1 = 5 ll", 2, 1, "expected 64-bit register r0..r10, got 'w1'" },
	{ "r1 = subprog[nolabel]\nexit", 1, 14, "expected label defined in this program, got 'nolabel'" },
	{ "r1 = addr_space_cast(r2, 70000, 1)", 1, 26, "expected address space 0..65535" },
	{ "; only a comment\n", 1, 1, "expected an instruction, got end of file" },
	{ "r1 = 5 ? 3", 1, 8, "expected end of instruction, got '?'" },
	{ "\tr1 = *(u64 *)(r10 -8", 1, 22, "expected ')', got end of line" },
};

START_TEST(test_errors)
{
	const struct bad *b = &bad[_i];
	struct df_object *obj = (struct df_object *)1;
	char want[64];
	char *nl;
	int err;

	asm_test_msgs[0] = 0;
	err = df_asm(b->text, strlen(b->text), "bad.s", &obj);
	ck_assert_int_eq(err, -EINVAL);
	ck_assert_ptr_null(obj);
	nl = strchr(asm_test_msgs, '\n');
	ck_assert_msg(nl && !nl[1], "'%s': expected one line, got '%s'", b->text, asm_test_msgs);
	snprintf(want, sizeof(want), "bad.s:%u:%u: error: ", b->line, b->col);
	ck_assert_msg(!strncmp(asm_test_msgs, want, strlen(want)), "'%s': expected '%s...', got '%s'",
		      b->text, want, asm_test_msgs);
	ck_assert_msg(strstr(asm_test_msgs, b->msg), "'%s': expected '%s' in '%s'", b->text, b->msg, asm_test_msgs);
}
END_TEST

/* Errors through df_object_open_mem, which picks the assembler for text. */
START_TEST(test_open_mem_text)
{
	const char *text = "r0 = 0\nexit\n";
	struct df_object *obj;

	ck_assert_int_eq(df_object_open_mem(text, strlen(text), "mem.s", NULL, &obj), 0);
	ck_assert_int_eq(obj->kind, DF_INPUT_ASM);
	ck_assert_uint_eq(obj->progs[0].insn_cnt, 2);
	df_object_free(obj);
	asm_test_msgs[0] = 0;
	ck_assert_int_eq(df_object_open_mem("r0 = 0\nexot\n", 12, "mem.s", NULL, &obj), -EINVAL);
	ck_assert_str_eq(asm_test_msgs, "mem.s:2:1: error: expected instruction, got 'exot'\n");
}
END_TEST

/* ------------------------------------------------------------ size */

START_TEST(test_million_lines)
{
	static const char *const forms[] = {
		"\tr1 = *(u64 *)(r10 -8)\n", "\tr2 += r3\n", "\tw1 = 7\n",
		"\tif r1 == 0x0 goto pc+1\n", "\t*(u32 *)(r10 -4) = 7\n",
		"\tr0 = 0x1122334455667788\n", "\tcall bpf_map_lookup_elem#1\n",
		"\tlock *(u64 *)(r1 +0) += r2\n",
	};
	const uint32_t lines = 1000000;
	size_t cap = (size_t)lines * 32, len = 0;
	char *text = malloc(cap);
	struct df_object *obj;
	uint32_t i, slots = 0;

	ck_assert_ptr_nonnull(text);
	for (i = 0; i < lines - 1; i++) {
		const char *f = forms[i % DF_ARRAY_SIZE(forms)];
		size_t n = strlen(f);

		memcpy(text + len, f, n);
		len += n;
		slots += i % DF_ARRAY_SIZE(forms) == 5 ? 2 : 1;
	}
	memcpy(text + len, "\texit\n", 6);
	len += 6;
	ck_assert_int_eq(df_asm(text, len, "big.s", &obj), 0);
	ck_assert_uint_eq(obj->progs[0].insn_cnt, slots + 1);
	ck_assert_uint_eq(obj->progs[0].line_cnt, lines);
	ck_assert_uint_eq(obj->progs[0].lines[lines - 1].line, lines);
	ck_assert_str_eq(obj->progs[0].lines[lines - 1].text, "exit");
	ck_assert_int_eq(obj->progs[0].insns[slots].code, DF_JMP | DF_EXIT);
	df_object_free(obj);
	free(text);
}
END_TEST

static Suite *asm_suite(void)
{
	Suite *s = suite_create("asm");
	TCase *tc = tcase_create("asm");

	tcase_add_checked_fixture(tc, asm_test_setup, asm_test_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_golden, 0, (int)DF_ARRAY_SIZE(golden));
	tcase_add_test(tc, test_raw_bytes);
	tcase_add_test(tc, test_directives);
	tcase_add_test(tc, test_implicit_prog);
	tcase_add_test(tc, test_labels);
	tcase_add_test(tc, test_label_scope);
	tcase_add_test(tc, test_stack_args);
	tcase_add_loop_test(tc, test_errors, 0, (int)DF_ARRAY_SIZE(bad));
	tcase_add_test(tc, test_open_mem_text);
	tcase_add_test(tc, test_million_lines);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(asm_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/* Disassembler: golden text per instruction form, whole-program dumps. */
#include "internal.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

#define I(c, d, s, o, i) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }
#define Z I(0, 0, 0, 0, 0)
#define EXIT_INSN I(0x95, 0, 0, 0, 0)
#define CONFORMANCE SHARED_DIR "/conformance"

static struct df_map test_maps[] = {
	{ .name = "counters", .type = 2, .key_size = 4, .value_size = 8,
	  .max_entries = 16 },
	{ .name = ".rodata", .type = 2, .key_size = 4, .value_size = 32,
	  .max_entries = 1, .flags = 0x80 },
};

static struct df_kfunc test_kfuncs[] = {
	{ .name = "bpf_task_acquire", .btf_id = 1234, .arg_cnt = 1 },
};

static struct df_object test_obj = {
	.path = "t.o",
	.license = "GPL",
	.maps = test_maps,
	.map_cnt = 2,
};

struct golden {
	struct df_insn in[2];
	const char *text;
};

static const struct golden golden[] = {
	/* ALU64 reg / imm, every operator */
	{ { I(0x0f, 1, 2, 0, 0) }, "r1 += r2" },
	{ { I(0x07, 1, 0, 0, -8) }, "r1 += -8" },
	{ { I(0x1f, 1, 2, 0, 0) }, "r1 -= r2" },
	{ { I(0x27, 1, 0, 0, 3) }, "r1 *= 3" },
	{ { I(0x3f, 1, 2, 0, 0) }, "r1 /= r2" },
	{ { I(0x47, 1, 0, 0, 1) }, "r1 |= 1" },
	{ { I(0x57, 1, 0, 0, 255) }, "r1 &= 255" },
	{ { I(0x67, 1, 0, 0, 2) }, "r1 <<= 2" },
	{ { I(0x7f, 1, 2, 0, 0) }, "r1 >>= r2" },
	{ { I(0xc7, 1, 0, 0, 2) }, "r1 s>>= 2" },
	{ { I(0x9f, 1, 2, 0, 0) }, "r1 %= r2" },
	{ { I(0xaf, 1, 2, 0, 0) }, "r1 ^= r2" },
	{ { I(0xbf, 1, 2, 0, 0) }, "r1 = r2" },
	{ { I(0xb7, 1, 0, 0, 7) }, "r1 = 7" },
	{ { I(0xb7, 1, 0, 0, -1) }, "r1 = -1" },
	/* ALU32 */
	{ { I(0x0c, 1, 2, 0, 0) }, "w1 += w2" },
	{ { I(0xb4, 1, 0, 0, 7) }, "w1 = 7" },
	{ { I(0xbc, 0, 9, 0, 0) }, "w0 = w9" },
	{ { I(0xc4, 1, 0, 0, 31) }, "w1 s>>= 31" },
	/* signed div/mod */
	{ { I(0x3f, 1, 2, 1, 0) }, "r1 s/= r2" },
	{ { I(0x97, 1, 0, 1, 3) }, "r1 s%= 3" },
	{ { I(0x3c, 1, 2, 1, 0) }, "w1 s/= w2" },
	{ { I(0x94, 1, 0, 1, -3) }, "w1 s%= -3" },
	/* neg */
	{ { I(0x87, 1, 0, 0, 0) }, "r1 = -r1" },
	{ { I(0x84, 1, 0, 0, 0) }, "w1 = -w1" },
	/* movsx */
	{ { I(0xbf, 1, 2, 8, 0) }, "r1 = (s8)r2" },
	{ { I(0xbf, 1, 2, 16, 0) }, "r1 = (s16)r2" },
	{ { I(0xbf, 1, 2, 32, 0) }, "r1 = (s32)r2" },
	{ { I(0xbc, 1, 2, 8, 0) }, "w1 = (s8)w2" },
	{ { I(0xbc, 1, 2, 16, 0) }, "w1 = (s16)w2" },
	/* addr_space_cast */
	{ { I(0xbf, 1, 2, 1, 1) }, "r1 = addr_space_cast(r2, 0, 1)" },
	{ { I(0xbf, 1, 2, 1, 1 << 16) }, "r1 = addr_space_cast(r2, 1, 0)" },
	/* byte swap */
	{ { I(0xdc, 1, 0, 0, 16) }, "r1 = be16 r1" },
	{ { I(0xdc, 1, 0, 0, 32) }, "r1 = be32 r1" },
	{ { I(0xdc, 1, 0, 0, 64) }, "r1 = be64 r1" },
	{ { I(0xd4, 1, 0, 0, 16) }, "r1 = le16 r1" },
	{ { I(0xd4, 1, 0, 0, 32) }, "r1 = le32 r1" },
	{ { I(0xd4, 1, 0, 0, 64) }, "r1 = le64 r1" },
	{ { I(0xd7, 1, 0, 0, 16) }, "r1 = bswap16 r1" },
	{ { I(0xd7, 1, 0, 0, 32) }, "r1 = bswap32 r1" },
	{ { I(0xd7, 1, 0, 0, 64) }, "r1 = bswap64 r1" },
	/* ld_imm64 */
	{ { I(0x18, 1, 0, 0, 0x1234), Z }, "r1 = 0x1234" },
	{ { I(0x18, 1, 0, 0, -1), I(0, 0, 0, 0, -1) }, "r1 = 0xffffffffffffffff" },
	{ { I(0x18, 2, 0, 0, 0), I(0, 0, 0, 0, 1) }, "r2 = 0x100000000" },
	{ { I(0x18, 1, 1, 0, 7), Z }, "r1 = map[fd:7]" },
	{ { I(0x18, 1, 2, 0, 7), I(0, 0, 0, 0, 16) }, "r1 = map[fd:7][0]+16" },
	{ { I(0x18, 1, 5, 0, 0), Z }, "r1 = map[counters]" },
	{ { I(0x18, 1, 5, 0, 1), Z }, "r1 = map[.rodata]" },
	{ { I(0x18, 1, 5, 0, 9), Z }, "r1 = map[idx:9]" },
	{ { I(0x18, 1, 6, 0, 1), I(0, 0, 0, 0, 8) }, "r1 = map[.rodata][0]+8" },
	{ { I(0x18, 1, 6, 0, 9), I(0, 0, 0, 0, 8) }, "r1 = map[idx:9][0]+8" },
	{ { I(0x18, 1, 3, 0, 55), Z }, "r1 = btf_id[55]" },
	{ { I(0x18, 1, 3, 0, 55), I(0, 0, 0, 0, 2) }, "r1 = btf_id[55][2]" },
	{ { I(0x18, 2, 4, 0, 5), Z }, "r2 = subprog[pc+5]" },
	{ { I(0x18, 2, 4, 0, -5), Z }, "r2 = subprog[pc-5]" },
	/* legacy packet loads */
	{ { I(0x30, 0, 0, 0, 12) }, "r0 = *(u8 *)skb[12]" },
	{ { I(0x28, 0, 0, 0, 12) }, "r0 = *(u16 *)skb[12]" },
	{ { I(0x20, 0, 0, 0, 12) }, "r0 = *(u32 *)skb[12]" },
	{ { I(0x48, 0, 1, 0, 4) }, "r0 = *(u16 *)skb[r1 + 4]" },
	/* loads and stores */
	{ { I(0x79, 1, 10, -8, 0) }, "r1 = *(u64 *)(r10 -8)" },
	{ { I(0x61, 1, 2, 4, 0) }, "r1 = *(u32 *)(r2 +4)" },
	{ { I(0x69, 1, 2, 0, 0) }, "r1 = *(u16 *)(r2 +0)" },
	{ { I(0x71, 1, 2, 1, 0) }, "r1 = *(u8 *)(r2 +1)" },
	{ { I(0x91, 1, 2, 4, 0) }, "r1 = *(s8 *)(r2 +4)" },
	{ { I(0x89, 1, 2, 4, 0) }, "r1 = *(s16 *)(r2 +4)" },
	{ { I(0x81, 1, 2, 4, 0) }, "r1 = *(s32 *)(r2 +4)" },
	{ { I(0x7b, 10, 1, -8, 0) }, "*(u64 *)(r10 -8) = r1" },
	{ { I(0x73, 3, 1, 2, 0) }, "*(u8 *)(r3 +2) = r1" },
	{ { I(0x62, 10, 0, -4, 7) }, "*(u32 *)(r10 -4) = 7" },
	{ { I(0x6a, 10, 0, -2, -7) }, "*(u16 *)(r10 -2) = -7" },
	/* stack arguments */
	{ { I(0x7b, 11, 6, -8, 0) }, "*(u64 *)(r11 -8) = r6" },
	{ { I(0x7a, 11, 0, -16, 5) }, "*(u64 *)(r11 -16) = 5" },
	{ { I(0x79, 1, 11, 8, 0) }, "r1 = *(u64 *)(r11 +8)" },
	/* atomics */
	{ { I(0xdb, 1, 2, 0, 0x00) }, "lock *(u64 *)(r1 +0) += r2" },
	{ { I(0xdb, 1, 2, 8, 0x40) }, "lock *(u64 *)(r1 +8) |= r2" },
	{ { I(0xdb, 1, 2, 0, 0x50) }, "lock *(u64 *)(r1 +0) &= r2" },
	{ { I(0xc3, 1, 2, -4, 0xa0) }, "lock *(u32 *)(r1 -4) ^= r2" },
	{ { I(0xdb, 1, 2, 0, 0x01) }, "r2 = atomic64_fetch_add((u64 *)(r1 +0), r2)" },
	{ { I(0xdb, 1, 2, 0, 0x41) }, "r2 = atomic64_fetch_or((u64 *)(r1 +0), r2)" },
	{ { I(0xdb, 1, 2, 0, 0x51) }, "r2 = atomic64_fetch_and((u64 *)(r1 +0), r2)" },
	{ { I(0xdb, 1, 2, 0, 0xa1) }, "r2 = atomic64_fetch_xor((u64 *)(r1 +0), r2)" },
	{ { I(0xc3, 1, 2, 0, 0x01) }, "w2 = atomic_fetch_add((u32 *)(r1 +0), w2)" },
	{ { I(0xdb, 1, 2, 0, 0xe1) }, "r2 = atomic64_xchg((u64 *)(r1 +0), r2)" },
	{ { I(0xc3, 1, 2, 0, 0xe1) }, "w2 = atomic_xchg((u32 *)(r1 +0), w2)" },
	{ { I(0xdb, 1, 2, 0, 0xf1) }, "r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)" },
	{ { I(0xc3, 1, 2, 0, 0xf1) }, "w0 = atomic_cmpxchg((u32 *)(r1 +0), w0, w2)" },
	{ { I(0xdb, 0, 1, 0, 0x100) }, "r0 = load_acquire((u64 *)(r1 +0))" },
	{ { I(0xd3, 0, 1, 0, 0x100) }, "w0 = load_acquire((u8 *)(r1 +0))" },
	{ { I(0xcb, 0, 1, 2, 0x100) }, "w0 = load_acquire((u16 *)(r1 +2))" },
	{ { I(0xdb, 1, 2, 0, 0x110) }, "store_release((u64 *)(r1 +0), r2)" },
	{ { I(0xc3, 1, 2, 0, 0x110) }, "store_release((u32 *)(r1 +0), w2)" },
	/* calls */
	{ { I(0x85, 0, 0, 0, 1) }, "call bpf_map_lookup_elem#1" },
	{ { I(0x85, 0, 0, 0, 181) }, "call bpf_loop#181" },
	{ { I(0x85, 0, 0, 0, 5000) }, "call 5000" },
	{ { I(0x85, 0, 1, 0, 3) }, "call pc+3" },
	{ { I(0x85, 0, 1, 0, -7) }, "call pc-7" },
	{ { I(0x85, 0, 2, 0, 1234) }, "call bpf_task_acquire#1234" },
	{ { I(0x85, 0, 2, 0, 99) }, "call kfunc#99" },
	{ { I(0x85, 0, 2, 3, 1234) }, "call kfunc#1234@3" },
	{ { EXIT_INSN }, "exit" },
	/* jumps */
	{ { I(0x05, 0, 0, 3, 0) }, "goto pc+3" },
	{ { I(0x05, 0, 0, -1, 0) }, "goto pc-1" },
	{ { I(0x06, 0, 0, 0, 300) }, "gotol pc+300" },
	{ { I(0xe5, 0, 0, 2, 0) }, "may_goto pc+2" },
	{ { I(0x0d, 1, 0, 0, 0) }, "gotox r1" },
	{ { I(0x15, 1, 0, 3, 0) }, "if r1 == 0x0 goto pc+3" },
	{ { I(0x55, 1, 0, 3, -1) }, "if r1 != 0xffffffff goto pc+3" },
	{ { I(0x6d, 1, 2, -4, 0) }, "if r1 s> r2 goto pc-4" },
	{ { I(0xc6, 1, 0, 2, 5) }, "if w1 s< 0x5 goto pc+2" },
	{ { I(0x45, 1, 0, 1, 1) }, "if r1 & 0x1 goto pc+1" },
	{ { I(0x2d, 1, 2, 0, 0) }, "if r1 > r2 goto pc+0" },
	{ { I(0x3e, 1, 2, 1, 0) }, "if w1 >= w2 goto pc+1" },
	{ { I(0xa5, 1, 0, 1, 9) }, "if r1 < 0x9 goto pc+1" },
	{ { I(0xbd, 1, 2, 1, 0) }, "if r1 <= r2 goto pc+1" },
	{ { I(0x75, 1, 0, 1, 0) }, "if r1 s>= 0x0 goto pc+1" },
	{ { I(0xde, 1, 2, 1, 0) }, "if w1 s<= w2 goto pc+1" },
};

static struct df_prog *golden_prog(struct df_insn *insns, uint32_t cnt)
{
	static struct df_prog prog;

	memset(&prog, 0, sizeof(prog));
	prog.section = "test";
	prog.insns = insns;
	prog.insn_cnt = cnt;
	prog.kfuncs = test_kfuncs;
	prog.kfunc_cnt = 1;
	prog.obj = &test_obj;
	return &prog;
}

START_TEST(test_golden)
{
	const struct golden *g = &golden[_i];
	struct df_insn in[2] = { g->in[0], g->in[1] };
	uint32_t cnt = df_insn_is_ldimm64(&in[0]) ? 2 : 1;
	struct df_prog *prog = golden_prog(in, cnt);
	char buf[128], why[128];
	int n;

	ck_assert_msg(!df_insn_check(in, cnt, 0, why, sizeof(why)),
		      "golden case %d '%s' is not valid: %s", _i, g->text, why);
	n = df_insn_snprint(buf, sizeof(buf), prog, in, cnt, 0);
	ck_assert_str_eq(buf, g->text);
	ck_assert_int_eq(n, (int)strlen(g->text));
}
END_TEST

START_TEST(test_snprint_truncation)
{
	struct df_insn in = I(0xdb, 1, 2, 0, 0xf1);
	const char *full = "r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)";
	char buf[10];
	int n;

	n = df_insn_snprint(buf, sizeof(buf), NULL, &in, 1, 0);
	ck_assert_int_eq(n, (int)strlen(full));
	ck_assert_str_eq(buf, "r0 = atom");
	ck_assert_int_eq(df_insn_snprint(NULL, 0, NULL, &in, 1, 0), n);
	/* Without a program, map and kfunc names are not known. */
	{
		struct df_insn m[2] = { I(0x18, 1, 5, 0, 0), Z };
		struct df_insn k = I(0x85, 0, 2, 0, 1234);
		char b[64];

		df_insn_snprint(b, sizeof(b), NULL, m, 2, 0);
		ck_assert_str_eq(b, "r1 = map[idx:0]");
		df_insn_snprint(b, sizeof(b), NULL, &k, 1, 0);
		ck_assert_str_eq(b, "call kfunc#1234");
	}
}
END_TEST

START_TEST(test_snprint_invalid)
{
	struct df_insn bad[] = { I(0xff, 1, 2, 3, 4), I(0x18, 1, 0, 0, 0) };
	char buf[128];

	df_insn_snprint(buf, sizeof(buf), NULL, bad, 2, 0);
	ck_assert_str_eq(buf, "invalid insn (code 0xff dst 1 src 2 off 3 imm 4)");
	/* A truncated ld_imm64 must not read past the program. */
	df_insn_snprint(buf, sizeof(buf), NULL, bad, 2, 1);
	ck_assert_str_eq(buf, "invalid insn (code 0x18 dst 1 src 0 off 0 imm 0)");
	df_insn_snprint(buf, sizeof(buf), NULL, bad, 2, 2);
	ck_assert_str_eq(buf, "invalid pc 2");
}
END_TEST

/* ------------------------------------------------------------------ */

static struct df_insn dump_insns[] = {
	I(0xb7, 1, 0, 0, 0),		/* 0 */
	I(0x18, 2, 0, 0, 5), Z,		/* 1 */
	I(0x18, 3, 5, 0, 0), Z,		/* 3 */
	I(0x85, 0, 1, 0, 1),		/* 5: call 7 */
	EXIT_INSN,			/* 6 */
	I(0x85, 0, 2, 0, 1234),		/* 7: add_one */
	I(0x79, 0, 11, 8, 0),		/* 8 */
	EXIT_INSN,			/* 9 */
};

static struct df_func dump_funcs[] = {
	{ .name = "entry", .start = 0, .arg_cnt = 1, .linkage = DF_LINKAGE_GLOBAL },
	{ .name = "add_one", .start = 7, .arg_cnt = 6, .linkage = DF_LINKAGE_STATIC },
};

static struct df_line dump_lines[] = {
	{ .pc = 0, .line = 10, .file = "t.c", .text = "int x = 0;" },
	{ .pc = 5, .line = 12, .file = "t.c", .text = "return add_one(x);" },
	{ .pc = 8, .line = 3, .file = "t.c", .text = NULL },
};

static struct df_prog *dump_prog(void)
{
	static struct df_prog prog;

	memset(&prog, 0, sizeof(prog));
	prog.name = "entry";
	prog.section = "xdp";
	prog.type = 6;
	prog.insns = dump_insns;
	prog.insn_cnt = DF_ARRAY_SIZE(dump_insns);
	prog.funcs = dump_funcs;
	prog.func_cnt = 2;
	prog.kfuncs = test_kfuncs;
	prog.kfunc_cnt = 1;
	prog.lines = dump_lines;
	prog.line_cnt = 3;
	prog.obj = &test_obj;
	test_obj.progs = &prog;
	test_obj.prog_cnt = 1;
	return &prog;
}

static char *dump_to_string(const struct df_prog *prog,
			    const struct df_dump_opts *opts)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(df_prog_dump(f, prog, opts), 0);
	fclose(f);
	return text;
}

START_TEST(test_dump_default)
{
	char *text = dump_to_string(dump_prog(), NULL);

	ck_assert_str_eq(text,
		"entry:\n"
		"; int x = 0; [t.c:10]\n"
		"   0: (b7) r1 = 0\n"
		"   1: (18) r2 = 0x5\n"
		"   3: (18) r3 = map[counters]\n"
		"; return add_one(x); [t.c:12]\n"
		"   5: (85) call pc+1\n"
		"   6: (95) exit\n"
		"add_one:\n"
		"   7: (85) call bpf_task_acquire#1234\n"
		"; [t.c:3]\n"
		"   8: (79) r0 = *(u64 *)(r11 +8)\n"
		"   9: (95) exit\n");
	free(text);
}
END_TEST

START_TEST(test_dump_asm)
{
	DF_OPTS(df_dump_opts, opts, .no_prefix = true, .no_lines = true,
		.directives = true);
	char *text = dump_to_string(dump_prog(), &opts);

	ck_assert_str_eq(text,
		".license \"GPL\"\n"
		".map counters array key=4 value=8 max=16\n"
		".map .rodata array key=4 value=32 max=1 flags=0x80\n"
		".kfunc bpf_task_acquire 1 id=1234\n"
		".prog entry \"xdp\"\n"
		".type xdp\n"
		".func entry 1 global\n"
		"\tr1 = 0\n"
		"\tr2 = 0x5 ll\n"
		"\tr3 = map[counters]\n"
		"\tcall pc+1\n"
		"\texit\n"
		".func add_one 6 static\n"
		"\tcall bpf_task_acquire#1234\n"
		"\tr0 = *(u64 *)(r11 +8)\n"
		"\texit\n");
	free(text);
}
END_TEST

START_TEST(test_dump_old_opts)
{
	/* A caller built against a smaller struct: only no_prefix is seen. */
	struct df_dump_opts opts = { .sz = offsetof(struct df_dump_opts, no_lines),
				     .no_prefix = true, .no_lines = true,
				     .directives = true };
	char *text = dump_to_string(dump_prog(), &opts);

	ck_assert_ptr_nonnull(strstr(text, "; int x = 0; [t.c:10]\n\tr1 = 0\n"));
	ck_assert_ptr_null(strstr(text, ".prog"));
	free(text);
}
END_TEST

START_TEST(test_object_dump)
{
	DF_OPTS(df_dump_opts, opts, .no_prefix = true, .directives = true);
	struct df_insn second_insns[] = { I(0x85, 0, 2, 0, 1234), EXIT_INSN };
	struct df_prog progs[2], *list[2] = { &progs[0], &progs[1] };
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	progs[0] = *dump_prog();
	memset(&progs[1], 0, sizeof(progs[1]));
	progs[1].name = "second";
	progs[1].section = "tc";
	progs[1].type = 3;
	progs[1].insns = second_insns;
	progs[1].insn_cnt = 2;
	progs[1].kfuncs = test_kfuncs;
	progs[1].kfunc_cnt = 1;
	progs[1].obj = &test_obj;
	f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(df_object_dump(f, &test_obj, list, 2, &opts), 0);
	fclose(f);
	/* Object-level directives once, first; each kfunc declared once. */
	ck_assert_str_eq(text,
		".license \"GPL\"\n"
		".map counters array key=4 value=8 max=16\n"
		".map .rodata array key=4 value=32 max=1 flags=0x80\n"
		".kfunc bpf_task_acquire 1 id=1234\n"
		".prog entry \"xdp\"\n"
		".type xdp\n"
		".func entry 1 global\n"
		"; int x = 0; [t.c:10]\n"
		"\tr1 = 0\n"
		"\tr2 = 0x5 ll\n"
		"\tr3 = map[counters]\n"
		"; return add_one(x); [t.c:12]\n"
		"\tcall pc+1\n"
		"\texit\n"
		".func add_one 6 static\n"
		"\tcall bpf_task_acquire#1234\n"
		"; [t.c:3]\n"
		"\tr0 = *(u64 *)(r11 +8)\n"
		"\texit\n"
		"\n"
		".prog second \"tc\"\n"
		".type sched_cls\n"
		"\tcall bpf_task_acquire#1234\n"
		"\texit\n");
	free(text);
}
END_TEST

/* ------------------------------------------------------------------ */

/*
 * Conformance programs the encoding check rejects on purpose, with the
 * reason (docs/isa.md lists them).
 */
static const struct {
	const char *test;
	const char *why;
} expected_invalid[] = {
	{ "callx", "callx (call through a register, opcode 0x8d) is not supported" },
};

static char *log_text;
static size_t log_len;

static int capture(enum df_print_level level, const char *fmt, va_list ap)
{
	char line[512];
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	char *p = realloc(log_text, log_len + (size_t)n + 1);

	if (!p)
		return 0;
	log_text = p;
	memcpy(log_text + log_len, line, (size_t)n + 1);
	log_len += (size_t)n;
	return n;
}

static const char *invalid_reason(const char *test)
{
	size_t i;

	for (i = 0; i < DF_ARRAY_SIZE(expected_invalid); i++)
		if (!strcmp(expected_invalid[i].test, test))
			return expected_invalid[i].why;
	return NULL;
}

static int read_prog(const char *path, struct df_insn **insns, uint32_t *cnt)
{
	FILE *f = fopen(path, "rb");
	long size;

	if (!f)
		return -errno;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	if (size <= 0 || size % 8) {
		fclose(f);
		return -EINVAL;
	}
	*insns = malloc((size_t)size);
	if (!*insns || fread(*insns, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		free(*insns);
		return -EIO;
	}
	fclose(f);
	*cnt = (uint32_t)(size / 8);
	return 0;
}

START_TEST(test_conformance)
{
	DIR *d = opendir(CONFORMANCE);
	unsigned int progs = 0, rejected = 0, insns_seen = 0;
	struct dirent *e;

	ck_assert_msg(d != NULL, "conformance data missing at %s", CONFORMANCE);
	df_set_print(capture);
	while ((e = readdir(d))) {
		char path[1024], buf[256];
		struct df_insn *insns = NULL;
		struct df_prog prog;
		const char *why;
		uint32_t cnt = 0, pc;
		int err;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/prog.bin", CONFORMANCE, e->d_name);
		if (access(path, R_OK))
			continue;
		ck_assert_int_eq(read_prog(path, &insns, &cnt), 0);
		progs++;
		memset(&prog, 0, sizeof(prog));
		prog.section = e->d_name;
		prog.insns = insns;
		prog.insn_cnt = cnt;
		for (pc = 0; pc < cnt; pc += df_insn_slots(&insns[pc])) {
			int n = df_insn_snprint(buf, sizeof(buf), &prog, insns, cnt, pc);

			insns_seen++;
			ck_assert_msg(n > 0 && (size_t)n < sizeof(buf) && buf[0],
				      "%s pc %u: empty text", e->d_name, pc);
			ck_assert_msg(!strstr(buf, "BUG") && !strstr(buf, "invalid") &&
				      !strstr(buf, "unknown"),
				      "%s pc %u: '%s'", e->d_name, pc, buf);
		}
		log_len = 0;
		if (log_text)
			log_text[0] = 0;
		err = df_prog_check(&prog);
		why = invalid_reason(e->d_name);
		if (why) {
			rejected++;
			ck_assert_msg(err == -EINVAL, "%s: expected to be rejected",
				      e->d_name);
			ck_assert_msg(log_text && strstr(log_text, why),
				      "%s: expected '%s', got '%s'", e->d_name, why,
				      log_text ? log_text : "");
		} else {
			ck_assert_msg(err == 0, "%s: %s", e->d_name,
				      log_text ? log_text : "rejected");
		}
		free(insns);
	}
	closedir(d);
	df_set_print(NULL);
	free(log_text);
	log_text = NULL;
	printf("conformance: %u programs, %u insns printed, %u rejected as expected\n",
	       progs, insns_seen, rejected);
	ck_assert_uint_ge(progs, 313);
	ck_assert_uint_eq(rejected, DF_ARRAY_SIZE(expected_invalid));
}
END_TEST

static Suite *disasm_suite(void)
{
	Suite *s = suite_create("disasm");
	TCase *tc = tcase_create("print");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_golden, 0, DF_ARRAY_SIZE(golden));
	tcase_add_test(tc, test_snprint_truncation);
	tcase_add_test(tc, test_snprint_invalid);
	tcase_add_test(tc, test_dump_default);
	tcase_add_test(tc, test_dump_asm);
	tcase_add_test(tc, test_dump_old_opts);
	tcase_add_test(tc, test_object_dump);
	tcase_add_test(tc, test_conformance);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(disasm_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Register liveness: the use/def table instruction by instruction, the
 * kernel's "Live regs before insn" listing on programs whose kernel log
 * is known, the lattice laws, and the engine's fixpoint against the
 * kernel's per-instruction algorithm on every corpus program and on a
 * generated 1,000,000-instruction program.
 */
#define _XOPEN_SOURCE 700
#include "internal.h"
#include "solver_test.h"
#include "liveness.h"

#include <check.h>
#include <ftw.h>
#include <stdio.h>

#define LO(r)	((uint32_t)1 << (r))
#define HI(r)	((uint32_t)1 << ((r) + 16))
#define R64(r)	(LO(r) | HI(r))
#define ALL	0x03ff03ffu

static void solve(const struct df_prog *p)
{
	ck_assert_int_eq(df_solver_new(p, cfg, &df_regs_analysis, NULL, &sol), 0);
	ck_assert_msg(!df_solve(sol), "solve: %s", diag);
}

/* ---------------------------------------------------------------- use/def */

static const struct {
	const char *text;	/* the instruction is at pc 0 */
	uint32_t use, kill;	/* transfer({}), and what transfer(all) clears */
} table[] = {
	{ "w1 = w2", LO(2), R64(1) },
	{ "r1 = r2", R64(2), R64(1) },
	{ "w1 = (s8)w2", LO(2), R64(1) },
	{ "r1 = (s16)r2", R64(2), R64(1) },
	{ "r1 = 5", 0, R64(1) },
	{ "w1 += 3", LO(1), HI(1) },
	{ "w1 += w2", LO(1) | LO(2), HI(1) },
	{ "r1 += r2", R64(1) | R64(2), 0 },
	{ "r1 = -r1", R64(1), 0 },
	{ "r1 = be16 r1", R64(1), 0 },
	{ "r1 = r10", 0, R64(1) },
	{ "r1 = 0x100000000 ll", 0, R64(1) },
	{ "r1 = *(u32 *)(r2 +0)", R64(2), R64(1) },
	{ "r1 = *(s16 *)(r2 +0)", R64(2), R64(1) },
	{ "r1 = *(u64 *)(r10 -8)", 0, R64(1) },
	{ "*(u32 *)(r10 -4) = r1", LO(1), 0 },
	{ "*(u64 *)(r1 +0) = r2", R64(1) | R64(2), 0 },
	{ "*(u32 *)(r3 -4) = 7", R64(3), 0 },
	{ "*(u64 *)(r11 -8) = r1", R64(1), 0 },
	{ "r6 = *(u64 *)(r11 +8)", 0, R64(6) },
	{ "lock *(u64 *)(r1 +0) += r2", R64(1) | R64(2), 0 },
	{ "lock *(u32 *)(r1 +0) += w2", R64(1) | LO(2), 0 },
	{ "r2 = atomic64_fetch_add((u64 *)(r1 +0), r2)", R64(1) | R64(2), 0 },
	{ "w2 = atomic_fetch_or((u32 *)(r1 +0), w2)", R64(1) | LO(2), HI(2) },
	{ "r2 = atomic64_xchg((u64 *)(r1 +0), r2)", R64(1) | R64(2), 0 },
	{ "r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)", R64(0) | R64(1) | R64(2), 0 },
	{ "w0 = atomic_cmpxchg((u32 *)(r1 +0), w0, w2)", LO(0) | R64(1) | LO(2), HI(0) },
	{ "r0 = load_acquire((u64 *)(r1 +0))", R64(1), R64(0) },
	{ "w0 = load_acquire((u8 *)(r1 +0))", R64(1), R64(0) },
	{ "store_release((u32 *)(r1 +0), w2)", R64(1) | LO(2), 0 },
	{ "store_release((u64 *)(r1 +0), r2)", R64(1) | R64(2), 0 },
	{ "r0 = *(u8 *)skb[12]", ALL, 0 },
	{ "r0 = *(u16 *)skb[r1 + 4]", ALL, 0 },
	{ "if w1 > w2 goto pc+0", LO(1) | LO(2), 0 },
	{ "if r1 > r2 goto pc+0", R64(1) | R64(2), 0 },
	{ "if r1 & 0x1 goto pc+0", R64(1), 0 },
	{ "goto pc+0", 0, 0 },
	{ "may_goto pc+0", 0, 0 },
	{ "exit", R64(0), 0 },
	{ "call bpf_map_lookup_elem", R64(1) | R64(2), R64(0) | R64(3) | R64(4) | R64(5) },
	{ "call bpf_get_prandom_u32", 0, R64(0) | R64(1) | R64(2) | R64(3) | R64(4) | R64(5) },
	{ "call bpf_trace_printk", R64(1) | R64(2), R64(0) | R64(3) | R64(4) | R64(5) },
	{ ".kfunc k2 2\ncall k2", R64(1) | R64(2), R64(0) | R64(3) | R64(4) | R64(5) },
	{ ".kfunc k7 7\ncall k7", 0x003e003e, R64(0) },
	{ "call kfunc#1234", 0x003e003e, R64(0) },
	{ "call f\nexit\n.func f 1\nr0 = r1", 0x003e003e, R64(0) },
};

START_TEST(use_def)
{
	for (size_t i = 0; i < DF_ARRAY_SIZE(table); i++) {
		char text[256];
		struct df_prog *p;
		struct df_ctx c = { .context = UINT32_MAX };
		uint32_t none = 0, all = ALL, out;

		snprintf(text, sizeof(text), "%s\nexit\n", table[i].text);
		p = load(text);
		c.prog = p;
		c.cfg = cfg;
		df_regs_analysis.transfer(&c, 0, &none, &out);
		ck_assert_msg(out == table[i].use, "%s: use %08x, want %08x",
			      table[i].text, out, table[i].use);
		df_regs_analysis.transfer(&c, 0, &all, &out);
		ck_assert_msg((ALL & ~out) == table[i].kill, "%s: kill %08x, want %08x",
			      table[i].text, ALL & ~out, table[i].kill);
		teardown();
	}
}
END_TEST

START_TEST(zext)
{
	struct df_prog *p = load("w1 = w2\nr1 += 1\nw3 = w1\nw0 = w3\nexit\n");
	bool z;

	solve(p);
	ck_assert_int_eq(df_regs_zext(sol, 0, &z), 0);
	ck_assert(z);		/* r1's upper half is read by the 64-bit add */
	ck_assert_int_eq(df_regs_zext(sol, 2, &z), 0);
	ck_assert(!z);		/* w3 is only read as w3 */
	ck_assert_int_eq(df_regs_zext(sol, 3, &z), 0);
	ck_assert(z);		/* exit reads all of r0 */
	ck_assert_int_eq(df_regs_zext(sol, 1, &z), 0);
	ck_assert(!z);
}
END_TEST

/* ---------------------------------------------------------------- kernel listings */

/* Two listings from kernel verifier logs (level 2), as the kernel printed them. */
static const char loops_asm[] =
	"w6 = 10\nl1: r1 = 0xffff88810bbb5565 ll\nw2 = 2\ncall bpf_trace_printk\n"
	"w6 += -1\nif w6 != 0x0 goto l1\nw6 = 5\nl2: r1 = 0xffff88810bbb5567 ll\n"
	"w2 = 2\ncall bpf_trace_printk\nw6 += -1\nif w6 != 0x0 goto l2\nw0 = 0\nexit\n";
static const char *const loops_live[] = {
	"  0: ..........", "  1: ......6...", "  3: .1....6...", "  4: .12...6...",
	"  5: ......6...", "  6: ......6...", "  7: ..........", "  8: ......6...",
	" 10: .1....6...", " 11: .12...6...", " 12: ......6...", " 13: ......6...",
	" 14: ..........", " 15: 0.........",
};

static const char calls_asm[] =
	"r1 = 0\n*(u32 *)(r10 -4) = r1\nr2 = r10\nr2 += -4\n"
	"r1 = 0xffff8cb747b16000 ll\ncall bpf_map_lookup_elem\nr6 = r0\n"
	"if r6 == 0x0 goto pc+6\nr1 = 5\nr2 = 3\ncall pc+5\nr0 <<= 32\n"
	"r0 s>>= 32\n*(u64 *)(r6 +0) = r0\nr0 = 0\nexit\n"
	".func f 2\nr0 = r2\nr0 += r1\nexit\n";
static const char *const calls_live[] = {
	"  0: .......... (b7) r1 = 0",
	"  1: .1........ (63) *(u32 *)(r10 -4) = r1",
	"  2: .......... (bf) r2 = r10",
	"  3: ..2....... (07) r2 += -4",
	"  4: ..2....... (18) r1 = 0xffff8cb747b16000",
	"  6: .12....... (85) call bpf_map_lookup_elem#1",
	"  7: 0..345.... (bf) r6 = r0",
	"  8: ...3456... (15) if r6 == 0x0 goto pc+6",
	"  9: ...3456... (b7) r1 = 5",
	" 10: .1.3456... (b7) r2 = 3",
	" 11: .123456... (85) call pc+5",
	" 12: 0.....6... (67) r0 <<= 32",
	" 13: 0.....6... (c7) r0 s>>= 32",
	" 14: 0.....6... (7b) *(u64 *)(r6 +0) = r0",
	" 15: .......... (b7) r0 = 0",
	" 16: 0......... (95) exit",
	" 17: .12....... (bf) r0 = r2",
	" 18: 01........ (0f) r0 += r1",
	" 19: 0......... (95) exit",
};

static void dump_matches(const char *const *want, size_t n, size_t prefix)
{
	char *buf = NULL, *line, *save;
	size_t len = 0, i = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_int_eq(df_regs_dump(f, sol), 0);
	fclose(f);
	line = strtok_r(buf, "\n", &save);
	ck_assert_str_eq(line, "Live regs before insn:");
	while ((line = strtok_r(NULL, "\n", &save))) {
		ck_assert_uint_lt(i, n);
		ck_assert_msg(!strncmp(line, want[i], prefix ? prefix : strlen(want[i])) &&
			      (prefix || !line[strlen(want[i])]),
			      "line %zu: '%s', want '%s'", i, line, want[i]);
		i++;
	}
	ck_assert_uint_eq(i, n);
	free(buf);
}

START_TEST(kernel_listings)
{
	uint16_t m;

	solve(load(loops_asm));
	dump_matches(loops_live, DF_ARRAY_SIZE(loops_live), 15);
	ck_assert_int_eq(df_regs_live_before(sol, 4, &m), 0);
	ck_assert_uint_eq(m, 0x46);
	ck_assert_int_eq(df_regs_live_before(sol, 2, &m), -EINVAL);
	teardown();
	solve(load(calls_asm));
	dump_matches(calls_live, DF_ARRAY_SIZE(calls_live), 0);
}
END_TEST

START_TEST(unreached)
{
	static const char *const want[] = {
		"  0: .......... (b7) r0 = 0", "  1: 0......... (95) exit",
		"  2: .......... (b7) r0 = 1", "  3: .......... (95) exit",
	};
	uint16_t m;

	solve(load("r0 = 0\nexit\nr0 = 1\nexit\n"));
	ck_assert_int_eq(df_regs_live_before(sol, 2, &m), -ENOENT);
	/* the kernel computes liveness only from the entry: unreached code shows nothing */
	ck_assert_int_eq(df_regs_live_before(sol, 3, &m), -ENOENT);
	dump_matches(want, 4, 0);
}
END_TEST

START_TEST(laws)
{
	static const uint32_t smp[] = {
		0, LO(1), R64(1), R64(0) | LO(3), ALL, LO(9) | HI(9) | LO(4),
	};
	struct df_prog *p = load(calls_asm);
	struct df_ctx c = { .prog = p, .cfg = cfg, .context = UINT32_MAX };

	ck_assert_int_eq(df_check_laws(&df_regs_analysis, &c, smp, DF_ARRAY_SIZE(smp)), 0);
	teardown();
	p = load(loops_asm);
	c.prog = p;
	ck_assert_int_eq(df_check_laws(&df_regs_analysis, &c, smp, DF_ARRAY_SIZE(smp)), 0);
}
END_TEST

/* ---------------------------------------------------------------- against the kernel's algorithm */

static uint32_t isucc(const struct df_prog *p, uint32_t i, uint32_t *s)
{
	const struct df_insn *in = &p->insns[i];
	uint32_t n = 0;

	if (df_insn_is_exit(in))
		return 0;
	if (!((DF_CLASS(in->code) == DF_JMP || DF_CLASS(in->code) == DF_JMP32) &&
	      DF_OP(in->code) == DF_JA))
		s[n++] = i + df_insn_slots(in);
	if (df_insn_jump_target(in, i) >= 0)
		s[n++] = (uint32_t)df_insn_jump_target(in, i);
	return n;
}

/* Postorder per subprogram from its start, then in/out to a fixpoint (§3.12). */
static uint32_t *kernel_live(const struct df_prog *p, const struct df_cfg *g)
{
	uint32_t n = p->insn_cnt, *in = calloc(n, 4), *po = malloc(n * 4);
	uint32_t *stack = malloc(n * 4), cnt = 0, s[2];
	uint8_t *st = calloc(n, 1);
	struct df_ctx c = { .prog = p, .cfg = g, .context = UINT32_MAX };
	bool changed = true;

	for (uint32_t k = 0; k < g->subprog_cnt; k++) {
		uint32_t sp = 1;

		stack[0] = g->subprogs[k].start;
		st[stack[0]] = 1;
		while (sp) {
			uint32_t top = stack[sp - 1], m;

			if (st[top] == 2) {
				po[cnt++] = top;
				sp--;
				continue;
			}
			m = isucc(p, top, s);
			for (uint32_t j = 0; j < m; j++) {
				if (!st[s[j]]) {
					st[s[j]] = 1;
					stack[sp++] = s[j];
				}
			}
			st[top] = 2;
		}
	}
	while (changed) {
		changed = false;
		for (uint32_t k = 0; k < cnt; k++) {
			uint32_t i = po[k], out = 0, m = isucc(p, i, s), ni;

			for (uint32_t j = 0; j < m; j++)
				out |= in[s[j]];
			df_regs_analysis.transfer(&c, i, &out, &ni);
			if (ni != in[i]) {
				in[i] = ni;
				changed = true;
			}
		}
	}
	free(po);
	free(stack);
	free(st);
	return in;
}

static int got_cb(void *cookie, const struct df_ctx *c, uint32_t pc,
		  const void *before, const void *after)
{
	((uint32_t *)cookie)[pc] |= *(const uint32_t *)before;
	return 0;
}

/* Compares every instruction; returns how many were checked. */
static uint32_t compare(const struct df_prog *p, const char *what)
{
	uint32_t *want = kernel_live(p, cfg), *got = calloc(p->insn_cnt, 4), n = 0;
	uint32_t *all = malloc(p->insn_cnt * 4);

	solve(p);
	for (uint32_t i = 0; i < df_solver_context_cnt(sol); i++)
		ck_assert_int_eq(df_solver_walk(sol, i, got_cb, got), 0);
	ck_assert_int_eq(df_regs_live_all(sol, all), 0);
	for (uint32_t pc = 0; pc < p->insn_cnt; pc += df_insn_slots(&p->insns[pc]), n++) {
		uint16_t m;
		int err = df_regs_live_before(sol, pc, &m);

		ck_assert_msg(got[pc] == want[pc], "%s: pc %u: %08x, kernel %08x",
			      what, pc, got[pc], want[pc]);
		/* the one-pass answer is the per-pc query's */
		ck_assert_msg(err ? !all[pc] : all[pc] == (m | DF_REGS_REACHED),
			      "%s: pc %u: all %08x, query %d %04x", what, pc, all[pc], err, m);
	}
	free(want);
	free(got);
	free(all);
	df_solver_free(sol);
	sol = NULL;
	return n;
}

static uint32_t corpus_progs, corpus_insns;

static int corpus_file(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	struct df_object *o;

	if (type != FTW_F || strstr(path, "/invalid/") || strstr(path, ".md"))
		return 0;
	if (df_object_open(path, NULL, &o))
		return 0;
	for (uint32_t i = 0; i < o->prog_cnt; i++) {
		struct df_prog *p = &o->progs[i];
		char what[512];

		if (p->err || df_cfg_build(p, &cfg))
			continue;
		snprintf(what, sizeof(what), "%s:%s", path, p->name);
		corpus_insns += compare(p, what);
		corpus_progs++;
		df_cfg_free(cfg);
		cfg = NULL;
	}
	df_object_free(o);
	return 0;
}

START_TEST(corpus)
{
	df_set_print(NULL);
	ck_assert_int_eq(nftw(SHARED_DIR "/corpus", corpus_file, 16, FTW_PHYS), 0);
	df_set_print(capture);
	printf("regs: %u corpus programs, %u instructions match the kernel's algorithm\n",
	       corpus_progs, corpus_insns);
	ck_assert_uint_gt(corpus_progs, 100);
}
END_TEST

static bool chained(uint32_t s, uint32_t subs)
{
	return s > 0 && (s - 1) % 7 != 6 && s + 1 < subs;
}

#define INSN(c, d, s, o, i) \
	((struct df_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

/*
 * 1,000 subprograms of 1,000 slots: loops, branches, atomics, helper calls;
 * main calls the head of each group of 7, each calls the next in its group.
 */
START_TEST(million)
{
	uint32_t n = 1000000, subs = 1000, per = n / subs, seed = 7;
	struct df_insn *in = calloc(n, sizeof(*in));
	struct df_prog *p;

	obj = df_object_new("big.o", DF_INPUT_RAW);
	p = df_object_add_prog(obj);
	p->name = df_strdup("big");
	p->section = df_strdup("xdp");
	for (uint32_t s = 0; s < subs; s++) {
		uint32_t base = s * per, end = base + per - 1;

		for (uint32_t i = base; i < end; i++) {
			uint32_t k, r = (seed = seed * 1103515245u + 12345u) >> 8;

			k = r % 100;
			if (k < 40)
				in[i] = INSN(DF_ALU64 | DF_ADD | DF_X, r % 10, (r >> 8) % 10, 0, 0);
			else if (k < 55)
				in[i] = INSN(DF_ALU | DF_MOV | DF_K, r % 10, 0, 0, 1);
			else if (k < 65)
				in[i] = INSN(DF_STX | DF_MEM | DF_DW, 10, r % 10, -8, 0);
			else if (k < 72)
				in[i] = INSN(DF_LDX | DF_MEM | DF_W, r % 10, 10, -8, 0);
			else if (k < 75)
				in[i] = INSN(DF_STX | DF_ATOMIC | DF_W, 10, r % 10, -16, DF_ADD | DF_FETCH);
			else if (k < 80)
				in[i] = INSN(DF_JMP | DF_CALL, 0, 0, 0, 1 + r % 5);
			else if (k < 82 && chained(s, subs))
				in[i] = INSN(DF_JMP | DF_CALL, 0, DF_PSEUDO_CALL, 0,
					     (int32_t)(end + 1 - i - 1));
			else if (k < 92 && i > base + 8)
				in[i] = INSN(DF_JMP | DF_JGT | DF_X, r % 10, (r >> 4) % 10,
					     -(int16_t)(1 + r % 8), 0);
			else if (k < 99 && i + 10 < end)
				in[i] = INSN(DF_JMP32 | DF_JNE | DF_K, r % 10, 0, (int16_t)(r % 9), 3);
			else
				in[i] = INSN(DF_ALU64 | DF_MOV | DF_X, 0, r % 10, 0, 0);
		}
		in[end] = INSN(DF_JMP | DF_EXIT, 0, 0, 0, 0);
		if (chained(s, subs))
			in[base + 1] = INSN(DF_JMP | DF_CALL, 0, DF_PSEUDO_CALL, 0,
					    (int32_t)(end - base - 1));
	}
	for (uint32_t g = 0; g * 7 + 1 < subs; g++)
		in[1 + 6 * g] = INSN(DF_JMP | DF_CALL, 0, DF_PSEUDO_CALL, 0,
				     (int32_t)((g * 7 + 1) * per - (1 + 6 * g) - 1));
	p->insns = in;
	p->insn_cnt = n;
	diag[0] = 0;
	ck_assert_msg(!df_prog_check(p), "%s", diag);
	ck_assert_msg(!df_cfg_build(p, &cfg), "%s", diag);
	ck_assert_uint_eq(compare(p, "generated"), n);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("regs");
	TCase *t = tcase_create("regs");

	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_set_timeout(t, 300);
	tcase_add_test(t, use_def);
	tcase_add_test(t, zext);
	tcase_add_test(t, kernel_listings);
	tcase_add_test(t, unreached);
	tcase_add_test(t, laws);
	tcase_add_test(t, corpus);
	tcase_add_test(t, million);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}

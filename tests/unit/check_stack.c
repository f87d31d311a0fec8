/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Half-slot stack liveness run through the engine: every scenario of §7.A
 * and the call rules of §3.8 and §3.9 (the arithmetic of §3.7 and the
 * notation of §6.3 are check_halves.c).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack_int.h"
#include "internal.h"

/* ---------------------------------------------------------------- engine */

struct run {
	struct df_object *obj;
	struct df_pipeline *p;
	const struct df_solver *st, *at;
};

static char last_msg[2048];

/* Keeps every message of a run. */
static int capture(enum df_print_level l, const char *fmt, va_list ap)
{
	size_t n = strlen(last_msg);

	(void)l;
	vsnprintf(last_msg + n, sizeof(last_msg) - n, fmt, ap);
	return 0;
}

static int run_text(const char *text, struct run *r)
{
	int err;

	memset(r, 0, sizeof(*r));
	err = df_asm(text, strlen(text), "t", &r->obj);
	ck_assert_msg(!err, "assembly failed");
	err = df_pipeline_new(&r->obj->progs[0], NULL, &r->p);
	ck_assert_int_eq(err, 0);
	err = df_pipeline_run(r->p, "stack");
	if (err)
		return err;
	r->st = df_pipeline_solver(r->p, "stack");
	r->at = df_pipeline_solver(r->p, "argtrack");
	ck_assert_ptr_nonnull(r->st);
	ck_assert_ptr_nonnull(r->at);
	return 0;
}

static void run_ok(const char *text, struct run *r)
{
	ck_assert_int_eq(run_text(text, r), 0);
}

static void done(struct run *r)
{
	df_pipeline_free(r->p);
	df_object_free(r->obj);
}

static uint32_t inst(const struct run *r, uint32_t callsite, uint32_t depth)
{
	for (uint32_t i = 0; i < df_stack_instance_cnt(r->st); i++) {
		struct df_stack_instance in;

		ck_assert_int_eq(df_stack_instance(r->st, i, &in), 0);
		if (in.callsite == callsite && in.depth == depth)
			return i;
	}
	ck_abort_msg("no instance (d%u,cs%u)", depth, callsite);
	return 0;
}

enum which { USE, DEF, LIVE };

/* One mask of (callsite, depth) at pc, frames from depth down to 0, as the listing prints it. */
static const char *mask(const struct run *r, uint32_t cs, uint32_t depth,
			uint32_t pc, enum which w)
{
	static char buf[8][2048];
	static int k;
	uint32_t i = inst(r, cs, depth);
	size_t used = 0;

	k = (k + 1) % 8;
	buf[k][0] = '\0';
	for (uint32_t f = depth + 1; f-- > 0;) {
		struct df_halves m[3];
		char one[1024];

		ck_assert_int_eq(df_stack_masks(r->st, i, pc, f, &m[USE], &m[DEF], &m[LIVE]), 0);
		if (df_halves_empty(&m[w]))
			continue;
		df_halves_snprint(one, sizeof(one), f, &m[w]);
		used += (size_t)snprintf(buf[k] + used, sizeof(buf[k]) - used, "%s%s",
					 used ? " " : "", one);
	}
	return buf[k];
}

#define USE0(r, pc)	mask(r, 0, 0, pc, USE)
#define DEF0(r, pc)	mask(r, 0, 0, pc, DEF)
#define LB0(r, pc)	mask(r, 0, 0, pc, LIVE)

static struct df_arg reg_at(const struct run *r, uint32_t ctx, uint32_t pc, int loc)
{
	struct df_argtrack_state s;

	ck_assert_int_eq(df_state_before(r->at, ctx, pc, &s), 0);
	return s.loc[loc];
}

static const char *argstr(struct df_arg a)
{
	static char buf[4][64];
	static int k;

	k = (k + 1) % 4;
	df_arg_snprint(buf[k], sizeof(buf[k]), &a);
	return buf[k];
}

START_TEST(a1_read_then_write)
{
	struct run r;

	run_ok("r1 = *(u64 *)(r10 -8)\n*(u64 *)(r10 -8) = r1\nr0 = 0\nexit\n", &r);
	ck_assert_str_eq(USE0(&r, 0), "fp0-8");
	ck_assert_str_eq(DEF0(&r, 1), "fp0-8");
	ck_assert_str_eq(LB0(&r, 0), "fp0-8");
	for (int pc = 1; pc <= 3; pc++)
		ck_assert_str_eq(LB0(&r, pc), "");
	done(&r);
}
END_TEST

START_TEST(a2_write_kills)
{
	struct run r;

	run_ok("*(u64 *)(r10 -8) = 0\nr0 = *(u64 *)(r10 -8)\nexit\n", &r);
	ck_assert_str_eq(DEF0(&r, 0), "fp0-8");
	ck_assert_str_eq(USE0(&r, 1), "fp0-8");
	ck_assert_str_eq(LB0(&r, 0), "");
	ck_assert_str_eq(LB0(&r, 1), "fp0-8");
	done(&r);
}
END_TEST

START_TEST(a3_two_addresses)
{
	struct run r;

	run_ok("call bpf_get_prandom_u32\nr1 = r10\nr1 += -8\nif r0 == 0x0 goto pc+1\n"
	       "r1 += -8\n*(u64 *)(r1 +0) = 0\nr0 = *(u64 *)(r10 -8)\n"
	       "r0 = *(u64 *)(r10 -16)\nexit\n", &r);
	ck_assert_str_eq(argstr(reg_at(&r, 0, 5, 1)), "fp0-16|fp0-8");
	ck_assert_str_eq(DEF0(&r, 5), "");
	ck_assert_str_eq(USE0(&r, 6), "fp0-8");
	ck_assert_str_eq(USE0(&r, 7), "fp0-16");
	ck_assert_str_eq(LB0(&r, 5), "fp0-8 fp0-16");
	done(&r);
}
END_TEST

START_TEST(a4_helper_key)
{
	struct run r;

	run_ok(".map m hash key=4 value=8 max=1\n"
	       "*(u32 *)(r10 -8) = 0\nr2 = r10\nr2 += -8\nr1 = map[m]\n"
	       "call bpf_map_lookup_elem\nr0 = 0\nexit\n", &r);
	ck_assert_str_eq(DEF0(&r, 0), "fp0-8h");
	ck_assert_str_eq(USE0(&r, 5), "fp0-8h");
	for (int pc = 0; pc <= 7; pc++)
		if (pc != 4)
			ck_assert_msg(!strstr(LB0(&r, pc), "fp0-4h"), "near half live at %d", pc);
	done(&r);
}
END_TEST

START_TEST(a5_callee_writes_caller)
{
	struct run r;

	run_ok("r1 = r10\nr1 += -8\ncall pc+3\nr0 = *(u64 *)(r10 -8)\nr0 = 0\nexit\n"
	       ".func sub 1 static\n*(u64 *)(r1 +0) = 42\nr0 = 0\nexit\n", &r);
	ck_assert_str_eq(mask(&r, 2, 1, 6, DEF), "fp0-8");
	ck_assert_str_eq(USE0(&r, 3), "fp0-8");
	ck_assert_str_eq(LB0(&r, 2), "fp0-8");
	ck_assert_str_eq(DEF0(&r, 2), "");
	done(&r);
}
END_TEST

START_TEST(a6_two_instances)
{
	struct run r;

	run_ok("*(u64 *)(r10 -8) = 1\n*(u64 *)(r10 -16) = 2\nr1 = r10\nr1 += -8\n"
	       "call pc+5\nr1 = r10\nr1 += -16\ncall pc+2\nr0 = 0\nexit\n"
	       ".func sub 1 static\nr0 = *(u64 *)(r1 +0)\nexit\n", &r);
	ck_assert_str_eq(mask(&r, 4, 1, 10, USE), "fp0-8");
	ck_assert_str_eq(mask(&r, 7, 1, 10, USE), "fp0-16");
	ck_assert_str_eq(USE0(&r, 4), "fp0-8");
	ck_assert_str_eq(USE0(&r, 7), "fp0-16");
	ck_assert_str_eq(LB0(&r, 5), "fp0-16");
	done(&r);
}
END_TEST

START_TEST(a7_two_levels)
{
	struct run r;

	run_ok("*(u64 *)(r10 -32) = 0\nr1 = r10\nr1 += -32\ncall pc+2\nr0 = 0\nexit\n"
	       ".func sub1 1 static\ncall pc+1\nexit\n"
	       ".func sub2 1 static\nr0 = *(u64 *)(r1 +0)\nexit\n", &r);
	ck_assert_str_eq(mask(&r, 6, 2, 8, USE), "fp0-32");
	ck_assert_str_eq(mask(&r, 3, 1, 6, USE), "fp0-32");
	ck_assert_str_eq(USE0(&r, 3), "fp0-32");
	done(&r);
}
END_TEST

START_TEST(a8_constant_arith)
{
	struct run r;

	run_ok("r1 = r10\nr1 += -16\nr1 += -8\ncall pc+2\nr0 = 0\nexit\n"
	       ".func sub 1 static\nr2 = *(u64 *)(r1 +0)\nr3 = *(u64 *)(r1 -8)\nr0 = 0\nexit\n", &r);
	ck_assert_str_eq(argstr(reg_at(&r, 0, 3, 1)), "fp0-24");
	ck_assert_str_eq(mask(&r, 3, 1, 6, USE), "fp0-24");
	ck_assert_str_eq(mask(&r, 3, 1, 7, USE), "fp0-32");
	ck_assert_str_eq(USE0(&r, 3), "fp0-24 fp0-32");
	done(&r);
}
END_TEST

START_TEST(a9_variable_offset)
{
	struct run r;

	run_ok("call bpf_get_prandom_u32\nr0 &= 0x38\nr1 = r10\nr1 += -64\nr1 += r0\n"
	       "r2 = *(u64 *)(r1 +0)\n*(u64 *)(r1 +0) = 0\nr0 = 0\nexit\n", &r);
	ck_assert_str_eq(argstr(reg_at(&r, 0, 5, 1)), "fp0 ?");
	ck_assert_str_eq(USE0(&r, 5), "fp0-8..-512");
	ck_assert_str_eq(DEF0(&r, 6), "");
	ck_assert_str_eq(USE0(&r, 6), "");
	done(&r);
}
END_TEST

START_TEST(a10_spill_fill)
{
	struct run r;

	run_ok("r1 = r10\nr1 += -16\n*(u64 *)(r10 -8) = r1\nr2 = *(u64 *)(r10 -8)\n"
	       "r0 = *(u64 *)(r2 +0)\nexit\n", &r);
	ck_assert_str_eq(DEF0(&r, 2), "fp0-8");
	ck_assert_str_eq(USE0(&r, 3), "fp0-8");
	ck_assert_str_eq(argstr(reg_at(&r, 0, 4, 2)), "fp0-16");
	ck_assert_str_eq(USE0(&r, 4), "fp0-16");
	done(&r);
	/* a 4-byte spill holds no pointer */
	run_ok("r1 = r10\nr1 += -16\n*(u32 *)(r10 -8) = r1\nr2 = *(u64 *)(r10 -8)\n"
	       "r0 = *(u64 *)(r2 +0)\nexit\n", &r);
	ck_assert_str_eq(argstr(reg_at(&r, 0, 4, 2)), "_");
	ck_assert_str_eq(USE0(&r, 4), "");
	done(&r);
}
END_TEST

START_TEST(a11_widening)
{
	struct run r;

	run_ok("r1 = r10\nr1 += -8\nr2 = 0\nr0 = *(u64 *)(r1 +0)\nr1 += -8\nr2 += 1\n"
	       "if r2 < 0x8 goto pc-4\nr0 = 0\nexit\n", &r);
	ck_assert_str_eq(argstr(reg_at(&r, 0, 3, 1)), "fp0 ?");
	ck_assert_str_eq(USE0(&r, 3), "fp0-8..-512");
	done(&r);
}
END_TEST

START_TEST(a12_maybe_stack)
{
	struct run r;

	run_ok(".map m array key=4 value=8 max=1\n"
	       "*(u32 *)(r10 -4) = 0\nr2 = r10\nr2 += -4\nr1 = map[m]\n"
	       "call bpf_map_lookup_elem\nif r0 == 0x0 goto pc+8\nr6 = r0\n"
	       "call bpf_get_prandom_u32\nr1 = r10\nr1 += -16\nif r0 != 0x0 goto pc+1\n"
	       "r1 = r6\n*(u64 *)(r1 +0) = 0\nr0 = *(u64 *)(r10 -16)\nr0 = 0\nexit\n", &r);
	ck_assert_str_eq(DEF0(&r, 0), "fp0-4h");
	ck_assert_str_eq(USE0(&r, 5), "fp0-4h");
	ck_assert_str_eq(argstr(reg_at(&r, 0, 13, 1)), "fp0-16|fp0+0");
	ck_assert_str_eq(DEF0(&r, 13), "");
	ck_assert_str_eq(USE0(&r, 14), "fp0-16");
	done(&r);
}
END_TEST

START_TEST(a13_half_write_full_read)
{
	struct run r;

	run_ok("*(u32 *)(r10 -8) = 0\nr0 = *(u64 *)(r10 -8)\nexit\n", &r);
	ck_assert_str_eq(DEF0(&r, 0), "fp0-8h");
	ck_assert_str_eq(USE0(&r, 1), "fp0-8");
	ck_assert_str_eq(LB0(&r, 0), "fp0-4h");
	done(&r);
}
END_TEST

START_TEST(a14_narrow_writes)
{
	struct run r;

	run_ok("*(u16 *)(r10 -8) = 0\n*(u16 *)(r10 -6) = 0\nr0 = *(u32 *)(r10 -8)\nexit\n", &r);
	ck_assert_str_eq(DEF0(&r, 0), "");
	ck_assert_str_eq(DEF0(&r, 1), "");
	ck_assert_str_eq(USE0(&r, 2), "fp0-8h");
	ck_assert_str_eq(LB0(&r, 0), "fp0-8h");
	done(&r);
	run_ok("*(u8 *)(r10 -8) = 0\n*(u8 *)(r10 -7) = 0\n*(u8 *)(r10 -6) = 0\n"
	       "*(u8 *)(r10 -5) = 0\nr0 = *(u32 *)(r10 -8)\nexit\n", &r);
	for (int pc = 0; pc < 4; pc++)
		ck_assert_str_eq(DEF0(&r, pc), "");
	ck_assert_str_eq(LB0(&r, 0), "fp0-8h");
	done(&r);
}
END_TEST

START_TEST(a15_both_branches)
{
	struct run r;

	run_ok("call bpf_get_prandom_u32\nif r0 == 0x0 goto pc+2\n*(u64 *)(r10 -8) = 1\n"
	       "goto pc+1\n*(u64 *)(r10 -8) = 2\nr0 = *(u64 *)(r10 -8)\nexit\n", &r);
	ck_assert_str_eq(LB0(&r, 1), "");
	done(&r);
	run_ok("call bpf_get_prandom_u32\nif r0 == 0x0 goto pc+2\n*(u64 *)(r10 -8) = 1\n"
	       "goto pc+1\nr1 = 2\nr0 = *(u64 *)(r10 -8)\nexit\n", &r);
	ck_assert_str_eq(LB0(&r, 1), "fp0-8");
	ck_assert_str_eq(LB0(&r, 0), "fp0-8");
	done(&r);
}
END_TEST

START_TEST(a16_second_word)
{
	struct run r;

	run_ok("r0 = *(u64 *)(r10 -264)\nr0 = *(u64 *)(r10 -260)\nexit\n", &r);
	ck_assert_str_eq(USE0(&r, 0), "fp0-264");
	ck_assert_str_eq(USE0(&r, 1), "fp0-256h fp0-260h");
	done(&r);
}
END_TEST

static const char a17[] =
	"*(u64 *)(r10 -16) = 0\nr1 = 4\nr2 = subprog[cb]\nr3 = r10\nr3 += -16\nr4 = 0\n"
	"call bpf_loop\nr0 = 0\nexit\n"
	".func cb 2 static\nr0 = *(u64 *)(r2 +0)\nr0 = 0\nexit\n";

START_TEST(a17_callback)
{
	struct run r;
	uint32_t pcs[2] = { 7, 10 }, cs[2] = { 0, 7 };

	run_ok(a17, &r);
	ck_assert_str_eq(mask(&r, 7, 1, 10, USE), "fp0-16");
	ck_assert_str_eq(USE0(&r, 7), "fp0-16");
	/* inside cb, main's fp-16 is judged at the callsite itself */
	ck_assert(df_stack_alive(r.st, pcs, cs, 1, 0, 3));
	ck_assert(df_stack_alive(r.st, pcs, cs, 1, 0, 2));
	ck_assert(!df_stack_alive(r.st, pcs, cs, 1, 0, 1));
	pcs[1] = 11;
	ck_assert(df_stack_alive(r.st, pcs, cs, 1, 0, 3));
	done(&r);
}
END_TEST

START_TEST(a18_unknown_callback)
{
	struct run r;
	static const char text[] =
		"call bpf_get_prandom_u32\nr2 = subprog[cb1]\nif r0 == 0x0 goto pc+2\n"
		"r2 = subprog[cb2]\nr1 = 4\nr3 = r10\nr3 += -8\nr4 = 0\ncall bpf_loop\n"
		"r0 = 0\nexit\n"
		".func cb1 2 static\nr0 = 0\nexit\n"
		".func cb2 2 static\nr0 = 1\nexit\n";
	/* depth 2: two static callers pass a stack pointer down */
	static const char deep[] =
		"r1 = r10\nr1 += -8\ncall f1\nr0 = 0\nexit\n"
		".func f1 1 static\nr1 = r10\ncall f2\nr0 = 0\nexit\n"
		".func f2 1 static\ncall bpf_get_prandom_u32\nr2 = subprog[cb1]\n"
		"if r0 == 0x0 goto pc+2\nr2 = subprog[cb2]\nr3 = r1\nr3 = r10\nr1 = 4\nr4 = 0\n"
		"call bpf_loop\nr0 = 0\nexit\n"
		".func cb1 2 static\nr0 = 0\nexit\n"
		".func cb2 2 static\nr0 = 1\nexit\n";

	run_ok(text, &r);
	ck_assert_str_eq(USE0(&r, 10), "fp0-8..-512");
	done(&r);
	run_ok(deep, &r);
	ck_assert_str_eq(mask(&r, 6, 2, 19, USE), "fp2-8..-512 fp1-8..-512 fp0-8..-512");
	done(&r);
}
END_TEST

START_TEST(a19_iterators)
{
	struct run r;

	run_ok(".kfunc bpf_iter_num_new 3\n.kfunc bpf_iter_num_next 1\n"
	       ".kfunc bpf_iter_num_destroy 1\n"
	       "r1 = r10\nr1 += -24\nr2 = 0\nr3 = 10\ncall bpf_iter_num_new\n"
	       "r1 = r10\nr1 += -24\ncall bpf_iter_num_next\nif r0 != 0x0 goto pc-4\n"
	       "r1 = r10\nr1 += -24\ncall bpf_iter_num_destroy\nr0 = 0\nexit\n", &r);
	ck_assert_str_eq(DEF0(&r, 4), "fp0-24");
	ck_assert_str_eq(USE0(&r, 7), "fp0-24");
	ck_assert_str_eq(USE0(&r, 11), "fp0-24");
	done(&r);
}
END_TEST

START_TEST(a20_atomics)
{
	struct run r;

	run_ok("r1 = r10\nr1 += -8\nr2 = 5\nstore_release((u64 *)(r1 +0), r2)\n"
	       "lock *(u64 *)(r10 -8) += r2\nr0 = load_acquire((u64 *)(r1 +0))\nexit\n", &r);
	ck_assert_str_eq(DEF0(&r, 3), "fp0-8");
	ck_assert_str_eq(USE0(&r, 4), "fp0-8");
	ck_assert_str_eq(DEF0(&r, 4), "");
	ck_assert_str_eq(USE0(&r, 5), "fp0-8");
	ck_assert_str_eq(argstr(reg_at(&r, 0, 6, 0)), "_");
	done(&r);
}
END_TEST

START_TEST(a21_stack_arg)
{
	struct run r;

	run_ok("*(u64 *)(r10 -8) = 7\nr1 = 1\nr2 = 2\nr3 = 3\nr4 = 4\nr5 = 5\nr6 = r10\n"
	       "r6 += -8\n*(u64 *)(r11 -8) = r6\ncall pc+1\nexit\n"
	       ".func f6 6 static\nr6 = *(u64 *)(r11 +8)\nr0 = *(u64 *)(r6 +0)\nexit\n", &r);
	ck_assert_str_eq(mask(&r, 9, 1, 12, USE), "fp0-8");
	ck_assert_str_eq(USE0(&r, 9), "fp0-8");
	ck_assert_str_eq(argstr(df_argtrack_entry(r.at, 1)->loc[DF_ARG_SA0]), "fp0-8");
	done(&r);
}
END_TEST

START_TEST(a22_register_dump)
{
	struct df_object *obj;
	struct df_pipeline *p;
	static const char text[] = "r6 = r1\nr0 = 0\nr0 = *(u64 *)(r6 +0)\nexit\n";
	static const uint16_t want[] = { 1u << 1, 1u << 6, 1u << 6, 1u << 0 };
	uint16_t m;

	ck_assert_int_eq(df_asm(text, strlen(text), "t", &obj), 0);
	ck_assert_int_eq(df_pipeline_new(&obj->progs[0], NULL, &p), 0);
	ck_assert_int_eq(df_pipeline_run(p, "regs"), 0);
	for (uint32_t pc = 0; pc < 4; pc++) {
		ck_assert_int_eq(df_regs_live_before(df_pipeline_solver(p, "regs"), pc, &m), 0);
		ck_assert_uint_eq(m, want[pc]);
	}
	df_pipeline_free(p);
	df_object_free(obj);
}
END_TEST

/* ---------------------------------------------------------------- §3.8, §3.9 */

START_TEST(rule_map_sizes)
{
	struct run r;
	int64_t sz;

	run_ok(".map m hash key=12 value=24 max=1\n.map n hash key=4 value=40 max=1\n"
	       "r1 = map[m]\nr2 = r10\nr2 += -16\nr3 = r10\nr3 += -48\nr4 = 0\n"
	       "call bpf_map_update_elem\n"
	       "call bpf_get_prandom_u32\nr1 = map[m]\nif r0 == 0x0 goto pc+2\nr1 = map[n]\n"
	       "r2 = r10\nr2 += -16\ncall bpf_map_lookup_elem\nr0 = 0\nexit\n", &r);
	ck_assert_int_eq(df_call_stack_access(r.at, 7, 1, &sz), 0);
	ck_assert_int_eq(sz, 12);
	ck_assert_int_eq(df_call_stack_access(r.at, 7, 2, &sz), 0);
	ck_assert_int_eq(sz, 24);
	ck_assert_int_eq(df_call_stack_access(r.at, 7, 0, &sz), 0);
	ck_assert_int_eq(sz, DF_ACCESS_UNKNOWN);
	ck_assert_str_eq(USE0(&r, 7), "fp0-8h fp0-16 fp0-32..-48");
	/* unknown map: the largest key of the program */
	ck_assert_int_eq(df_call_stack_access(r.at, 16, 1, &sz), 0);
	ck_assert_int_eq(sz, 12);
	ck_assert_int_eq(df_call_stack_access(r.at, 8, 0, &sz), 0);
	ck_assert_int_eq(sz, DF_ACCESS_UNKNOWN);
	done(&r);
}
END_TEST

START_TEST(rule_sized_and_uninit)
{
	struct run r;

	/* read n = constant size; written buffer defines; non-constant write defines nothing */
	run_ok("r1 = r10\nr1 += -16\nr2 = 16\ncall bpf_get_current_comm\n"
	       "r1 = r10\nr1 += -32\nr2 = 8\nr3 = 0\ncall bpf_probe_read_kernel\n"
	       "r1 = r10\nr1 += -40\nr2 = 8\ncall bpf_trace_printk\n"
	       "call bpf_get_prandom_u32\nr2 = r0\nr1 = r10\nr1 += -64\ncall bpf_get_current_comm\n"
	       "r1 = r10\nr1 += -64\nr2 = r0\ncall bpf_trace_printk\nr0 = 0\nexit\n", &r);
	ck_assert_str_eq(DEF0(&r, 3), "fp0-8 fp0-16");
	ck_assert_str_eq(USE0(&r, 3), "");
	ck_assert_str_eq(DEF0(&r, 8), "fp0-32");
	ck_assert_str_eq(USE0(&r, 12), "fp0-40");
	ck_assert_str_eq(DEF0(&r, 17), "");
	ck_assert_str_eq(USE0(&r, 17), "");
	/* a non-constant read size reads 512 bytes, clipped to the frame */
	ck_assert_str_eq(USE0(&r, 21), "fp0-8..-64");
	done(&r);
}
END_TEST

START_TEST(rule_unknown_call)
{
	struct run r;

	/* a helper outside the table reads every frame */
	run_ok("r1 = r10\nr1 += -8\ncall 150\nr0 = 0\nexit\n", &r);
	ck_assert_str_eq(USE0(&r, 2), "fp0-8..-512");
	done(&r);
	/* an argument kind without a size reads up to the frame pointer */
	run_ok("r1 = r10\nr1 += -8\nr2 = 8\nr3 = r10\nr3 += -24\ncall bpf_probe_read_kernel\n"
	       "r0 = 0\nexit\n", &r);
	ck_assert_str_eq(USE0(&r, 5), "fp0-8..-24");
	ck_assert_str_eq(DEF0(&r, 5), "fp0-8");
	done(&r);
}
END_TEST

START_TEST(rule_no_stack_pointer_no_follow)
{
	struct run r;

	run_ok("r1 = 1\ncall pc+2\nr0 = 0\nexit\n.func sub 1 static\n"
	       "r0 = *(u64 *)(r10 -8)\nexit\n", &r);
	/* the callee is its own root at depth 0 */
	ck_assert_str_eq(mask(&r, 4, 0, 4, USE), "fp0-8");
	ck_assert_str_eq(USE0(&r, 1), "");
	done(&r);
}
END_TEST

START_TEST(rule_shared_instance_merge)
{
	struct run r;
	/*
	 * g runs at (d2, cs10) reached through both calls of f, with r1 = fp0-8
	 * and fp0-16: the variants merge (may_read union, must_write
	 * intersection), and each caller imports the summary as it stood then.
	 */
	static const char text[] =
		"r1 = r10\nr1 += -8\nr2 = 1\ncall f\nr1 = r10\nr1 += -16\nr2 = 0\ncall f\n"
		"r0 = *(u64 *)(r10 -8)\nexit\n"
		".func f 2 static\ncall g\nexit\n"
		".func g 2 static\nif r2 == 0x0 goto pc+1\n*(u64 *)(r1 +0) = 0\n"
		"r0 = *(u64 *)(r1 -8)\nexit\n";

	run_ok(text, &r);
	ck_assert_uint_eq(df_solver_context_cnt(r.at), 5);
	ck_assert_uint_eq(df_stack_instance_cnt(r.st), 4);
	ck_assert_str_eq(mask(&r, 10, 2, 13, DEF), "");
	ck_assert_str_eq(mask(&r, 10, 2, 14, USE), "fp0-16 fp0-24");
	ck_assert_str_eq(mask(&r, 10, 2, 12, LIVE), "fp0-16 fp0-24");
	/* calls are followed in instruction postorder: cs7 before cs3 */
	ck_assert_str_eq(mask(&r, 7, 1, 10, USE), "fp0-24");
	ck_assert_str_eq(mask(&r, 3, 1, 10, USE), "fp0-16 fp0-24");
	ck_assert_str_eq(USE0(&r, 7), "fp0-24");
	ck_assert_str_eq(USE0(&r, 3), "fp0-16 fp0-24");
	done(&r);
}
END_TEST

START_TEST(rule_alive_query)
{
	struct run r;
	struct df_halves h;
	uint32_t pcs[2] = { 2, 6 }, cs[2] = { 0, 2 };

	run_ok("r1 = r10\nr1 += -8\ncall pc+3\nr0 = *(u64 *)(r10 -16)\nr0 = 0\nexit\n"
	       ".func sub 1 static\nr0 = *(u64 *)(r1 +0)\nr0 = 0\nexit\n", &r);
	/* in the callee before 6: fp0-8 read by the callee, fp0-16 after the return */
	ck_assert(df_stack_alive(r.st, pcs, cs, 1, 0, 0));
	ck_assert(df_stack_alive(r.st, pcs, cs, 1, 0, 2));
	ck_assert(!df_stack_alive(r.st, pcs, cs, 1, 0, 4));
	/* all halves at once: fp0-8 and fp0-16, both halves of each */
	df_stack_alive_mask(r.st, pcs, cs, 1, 0, &h);
	ck_assert_uint_eq(h.w[0], 0xf);
	ck_assert_uint_eq(h.w[1], 0);
	pcs[1] = 7;
	ck_assert(!df_stack_alive(r.st, pcs, cs, 1, 0, 0));
	ck_assert(df_stack_alive(r.st, pcs, cs, 1, 0, 3));
	df_stack_alive_mask(r.st, pcs, cs, 1, 0, &h);
	ck_assert_uint_eq(h.w[0], 0xc);
	/* a frame whose instance is unknown is alive */
	cs[1] = 3;
	ck_assert(df_stack_alive(r.st, pcs, cs, 1, 0, 4));
	df_stack_alive_mask(r.st, pcs, cs, 1, 0, &h);
	ck_assert(h.w[0] == UINT64_MAX && h.w[1] == UINT64_MAX);
	done(&r);
}
END_TEST

START_TEST(rule_complexity_limit)
{
	/* main and f1..f6 each call the next level 4 times: 21845 reaches of 8 frames */
	char *text = malloc(1 << 16);
	size_t n = 0;
	struct run r;
	df_print_fn old;

	n += (size_t)sprintf(text + n, "r6 = r10\nr6 += -8\n");
	for (int i = 1; i <= 7; i++) {
		for (int k = 0; k < 4; k++)
			n += (size_t)sprintf(text + n, "r1 = r6\ncall f%d\n", i);
		n += (size_t)sprintf(text + n, "r0 = 0\nexit\n.func f%d 1 static\nr6 = r1\n", i);
	}
	n += (size_t)sprintf(text + n, "r0 = *(u64 *)(r1 +0)\nexit\n");
	ck_assert_uint_lt(n, 1 << 16);
	last_msg[0] = '\0';
	old = df_set_print(capture);
	ck_assert_int_eq(run_text(text, &r), -E2BIG);
	df_set_print(old);
	ck_assert_msg(strstr(last_msg, "liveness analysis exceeded complexity limit (10001 calls)"),
		      "message: %s", last_msg);
	done(&r);
	free(text);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("stack");
	TCase *e = tcase_create("scenarios"), *u = tcase_create("rules");

	{
		const TTest *t[] = {
			a1_read_then_write, a2_write_kills, a3_two_addresses, a4_helper_key,
			a5_callee_writes_caller, a6_two_instances, a7_two_levels, a8_constant_arith,
			a9_variable_offset, a10_spill_fill, a11_widening, a12_maybe_stack,
			a13_half_write_full_read, a14_narrow_writes, a15_both_branches, a16_second_word,
			a17_callback, a18_unknown_callback, a19_iterators, a20_atomics, a21_stack_arg,
			a22_register_dump,
		};

		for (size_t i = 0; i < DF_ARRAY_SIZE(t); i++)
			tcase_add_test(e, t[i]);
	}
	{
		const TTest *t[] = {
			rule_map_sizes, rule_sized_and_uninit, rule_unknown_call,
			rule_no_stack_pointer_no_follow, rule_shared_instance_merge, rule_alive_query,
			rule_complexity_limit,
		};

		for (size_t i = 0; i < DF_ARRAY_SIZE(t); i++)
			tcase_add_test(u, t[i]);
	}
	tcase_set_timeout(u, 60);
	suite_add_tcase(s, e);
	suite_add_tcase(s, u);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	df_set_print(NULL);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

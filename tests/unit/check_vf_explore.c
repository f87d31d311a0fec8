/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The walk, calls and df_verify() where the verdict fixtures do not reach:
 * hand-built programs (encoding and CFG errors without printing), limits,
 * the log levels, callbacks, may_goto, global functions, kfuncs, legacy
 * packet loads, references, per-subprogram results and the prototype
 * table.
 */
#include "vf.h"

#include <check.h>
#include <stdio.h>

static char printed[4096];

static int capture(enum df_print_level level, const char *fmt, va_list ap)
{
	size_t n = strlen(printed);

	(void)level;
	return vsnprintf(printed + n, sizeof(printed) - n, fmt, ap);
}

static void setup(void)
{
	printed[0] = 0;
	df_set_print(capture);
}

static void teardown(void)
{
	df_set_print(NULL);
}

struct run {
	struct df_object *obj;
	struct df_verify_result *res;
	char *log;
	size_t log_len;
};

/* Assemble text and verify its program prog (NULL: the first) with opts (log captured). */
static void run(struct run *r, const char *text, const char *prog, struct df_verify_opts *opts)
{
	DF_OPTS(df_verify_opts, def);
	const struct df_prog *p;
	FILE *log = NULL;

	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(df_asm(text, strlen(text), "t.s", &r->obj), 0);
	p = prog ? df_object_find_prog(r->obj, prog) : &r->obj->progs[0];
	ck_assert_ptr_nonnull(p);
	if (!opts)
		opts = &def;
	if (opts->log_level) {
		log = open_memstream(&r->log, &r->log_len);
		ck_assert_ptr_nonnull(log);
		opts->log = log;
	}
	ck_assert_int_eq(df_verify(p, opts, &r->res), 0);
	if (log)
		fclose(log);
	ck_assert_ptr_nonnull(r->res);
}

static void done(struct run *r)
{
	df_verify_result_free(r->res);
	df_object_free(r->obj);
	free(r->log);
}

static void ck_verdict(const struct run *r, enum df_verdict v, long pc, const char *msg)
{
	ck_assert_msg(r->res->verdict == v, "verdict %s, message '%s'",
		      df_verdict_name(r->res->verdict), r->res->msg);
	ck_assert_int_eq(r->res->err_pc, pc);
	ck_assert_str_eq(r->res->msg, msg);
}

static void expect(const char *text, enum df_verdict v, long pc, const char *msg)
{
	struct run r;

	run(&r, text, NULL, NULL);
	ck_verdict(&r, v, pc, msg);
	done(&r);
}

#define ACCEPT(text) expect(text, DF_VERDICT_ACCEPT, -1, "")

/* ---------------------------------------------------------------- before the walk */

START_TEST(verdict_names)
{
	ck_assert_str_eq(df_verdict_name(DF_VERDICT_ACCEPT), "accept");
	ck_assert_str_eq(df_verdict_name(DF_VERDICT_REJECT), "reject");
	ck_assert_str_eq(df_verdict_name(DF_VERDICT_UNSUPPORTED), "unsupported");
	ck_assert_str_eq(df_verdict_name(DF_VERDICT_LIMIT), "limit");
	ck_assert_str_eq(df_verdict_name((enum df_verdict)42), "unknown");
	df_verify_result_free(NULL);
}
END_TEST

static struct df_verify_result *verify_insns(const struct df_insn *insns, uint32_t n)
{
	struct df_prog p = { .name = "raw", .insns = (struct df_insn *)insns, .insn_cnt = n };
	struct df_verify_result *res = NULL;

	ck_assert_int_eq(df_verify(&p, NULL, &res), 0);
	ck_assert_ptr_nonnull(res);
	return res;
}

/* Encoding and CFG errors are verdicts with the kernel's words, and nothing is printed. */
START_TEST(program_errors)
{
	static const struct df_insn bad_op[] = {
		{ .code = 0xb7, .dst_reg = 0 }, { .code = 0xff }, { .code = 0x95 },
	};
	static const struct df_insn jump_out[] = {
		{ .code = 0x05, .off = 4 }, { .code = 0x95 },
	};
	static const struct df_insn fall_off[] = { { .code = 0xb7 } };
	static const struct df_insn recursion[] = {
		{ .code = 0x85, .src_reg = 1, .imm = 1 }, { .code = 0x95 },
		{ .code = 0x85, .src_reg = 1, .imm = -1 }, { .code = 0x95 },
	};
	struct df_verify_result *res;
	struct df_prog loaded = { .name = "x", .insns = (struct df_insn *)fall_off,
				  .insn_cnt = 1, .err = -EINVAL,
				  .err_msg = "unresolved relocation" };

	res = verify_insns(bad_op, 3);
	ck_assert_int_eq(res->verdict, DF_VERDICT_REJECT);
	ck_assert_int_eq(res->err_pc, 1);
	ck_assert_str_eq(res->msg, "(ff) invalid opcode 0xff");
	df_verify_result_free(res);
	res = verify_insns(jump_out, 2);
	ck_assert_int_eq(res->err_pc, 0);
	ck_assert_str_eq(res->msg, "jump out of range from insn 0 to 5");
	df_verify_result_free(res);
	res = verify_insns(fall_off, 1);
	ck_assert_str_eq(res->msg, "last insn is not an exit or jmp");
	df_verify_result_free(res);
	res = verify_insns(recursion, 4);
	ck_assert_int_eq(res->err_pc, 2);
	ck_assert_str_eq(res->msg, "recursive call from func#1() to func#1()");
	df_verify_result_free(res);
	ck_assert_str_eq(printed, "");
	ck_assert_int_eq(df_verify(&loaded, NULL, &res), 0);
	ck_assert_int_eq(res->verdict, DF_VERDICT_REJECT);
	ck_assert_str_eq(res->msg, "unresolved relocation");
	df_verify_result_free(res);
	ck_assert_int_eq(df_verify(NULL, NULL, &res), -EINVAL);
}
END_TEST

/* ---------------------------------------------------------------- limits */

START_TEST(insn_limit)
{
	DF_OPTS(df_verify_opts, o, .insn_limit = 100);
	struct run r;

	/* the counter keeps the states apart, so the loop unrolls to the limit */
	run(&r, "r0 = 0\nloop: r0 += 1\nif r0 < 1000 goto loop\nexit\n", NULL, &o);
	ck_assert_int_eq(r.res->verdict, DF_VERDICT_LIMIT);
	ck_assert_str_eq(r.res->msg, "BPF program is too large. Processed 101 insn");
	ck_assert_uint_eq(r.res->stats.processed, 101);
	done(&r);
	run(&r, "r0 = 0\nloop: r0 += 1\nif r0 < 10 goto loop\nexit\n", NULL, NULL);
	ck_verdict(&r, DF_VERDICT_ACCEPT, -1, "");
	ck_assert_uint_eq(r.res->stats.processed, 1 + 10 * 2 + 1);
	done(&r);
}
END_TEST

/* More pending paths than the kernel allows. */
START_TEST(pending_paths)
{
	size_t cap = 9000 * 32 + 64, n = 0;
	char *text = malloc(cap);

	n += (size_t)snprintf(text + n, cap - n, "call bpf_get_prandom_u32\n");
	for (int i = 0; i < 8200; i++)
		n += (size_t)snprintf(text + n, cap - n, "if r0 == %d goto out\n", i);
	snprintf(text + n, cap - n, "out: r0 = 0\nexit\n");
	expect(text, DF_VERDICT_LIMIT, 8193, "The sequence of 8193 jumps is too complex.");
	free(text);
}
END_TEST

/* ---------------------------------------------------------------- the log */

START_TEST(log_levels)
{
	static const char text[] =
		"call bpf_get_prandom_u32\n"
		"if r0 == 0x0 goto bad\n"
		"exit\n"
		"bad: r1 = *(u64 *)(r10 -8)\n"
		"exit\n";
	DF_OPTS(df_verify_opts, o1, .log_level = 1);
	DF_OPTS(df_verify_opts, o2, .log_level = 2);
	struct run r;

	run(&r, text, NULL, NULL);
	ck_assert_int_eq(r.res->verdict, DF_VERDICT_REJECT);
	ck_assert_int_eq(r.res->err_pc, 3);
	done(&r);
	/* level 1: the path (the jump, then its target), the state, the message */
	run(&r, text, NULL, &o1);
	ck_assert_ptr_nonnull(strstr(r.log, "0: (85) call bpf_get_prandom_u32#7\n"
				     "1: (15) if r0 == 0x0 goto pc+1\n"
				     "3: (79) r1 = *(u64 *)(r10 -8)\n"));
	ck_assert_ptr_null(strstr(r.log, "2: (95) exit"));
	ck_assert_ptr_nonnull(strstr(r.log, r.res->msg));
	done(&r);
	/* level 2: every insn with its state, the resumed branch */
	run(&r, text, NULL, &o2);
	ck_assert_ptr_nonnull(strstr(r.log, "2: (95) exit ; "));
	ck_assert_ptr_nonnull(strstr(r.log, "from 1 to 3: "));
	done(&r);
}
END_TEST

/* ---------------------------------------------------------------- calls */

START_TEST(helpers)
{
	expect("r1 = 0\nr2 = 0\nr3 = 0\nr4 = 0\nr5 = 0\ncall bpf_snprintf\nr0 = 0\nexit\n",
	       DF_VERDICT_UNSUPPORTED, 5, "unsupported: helper bpf_snprintf#165");
	expect(".map h hash key=4 value=4 max=1\n.prog p \"tc\"\n"
	       "r2 = map[h]\nr3 = 0\ncall bpf_tail_call\nr0 = 0\nexit\n",
	       DF_VERDICT_REJECT, 3, "cannot pass map_type 1 into func bpf_tail_call#12");
	expect(".map h hash key=4 value=4 max=1\n.prog p \"tc\"\n"
	       "r1 = map[h]\nr2 = 0\ncall bpf_map_lookup_elem\nr0 = 0\nexit\n",
	       DF_VERDICT_REJECT, 3, "R2 type=scalar expected=fp, pkt, pkt_meta, map_key, "
	       "map_value, mem");
	expect(".prog p \"tc\"\nr1 = 0\ncall bpf_skb_pull_data\nr0 = 0\nexit\n",
	       DF_VERDICT_REJECT, 1, "R1 type=scalar expected=ctx");
	/* a size of zero where the helper needs bytes */
	expect("r1 = r10\nr1 += -8\nr2 = 0\ncall bpf_get_current_comm\nr0 = 0\nexit\n",
	       DF_VERDICT_REJECT, 3, "R2 invalid zero-sized read: u64=[0,0]");
	/* written memory becomes readable */
	ACCEPT("r1 = r10\nr1 += -16\nr2 = 16\ncall bpf_get_current_comm\n"
	       "r0 = *(u64 *)(r10 -8)\nexit\n");
	/* csum_diff takes NULL with a zero size */
	ACCEPT(".prog p \"tc\"\nr1 = 0\nr2 = 0\nr3 = r10\nr3 += -8\n*(u64 *)(r10 -8) = 0\n"
	       "r4 = 8\nr5 = 0\ncall bpf_csum_diff\nexit\n");
}
END_TEST

#define SK_BODY \
	"r2 = r10\nr2 += -40\n*(u64 *)(r10 -8) = 0\n*(u64 *)(r10 -16) = 0\n" \
	"*(u64 *)(r10 -24) = 0\n*(u64 *)(r10 -32) = 0\n*(u64 *)(r10 -40) = 0\n" \
	"r3 = 12\nr4 = 0\nr5 = 0\ncall bpf_sk_lookup_tcp\n"
#define SK_LOOKUP ".prog p \"tc\"\n" SK_BODY

START_TEST(references)
{
	expect(SK_LOOKUP "r0 = 0\nexit\n", DF_VERDICT_REJECT, 12,
	       "Unreleased reference id=1 alloc_insn=10");
	ACCEPT(SK_LOOKUP "if r0 == 0x0 goto out\nr1 = r0\ncall bpf_sk_release\n"
	       "out: r0 = 0\nexit\n");
	expect(SK_LOOKUP "r1 = r0\ncall bpf_sk_release\nr0 = 0\nexit\n", DF_VERDICT_REJECT, 12,
	       "R1 type=sock_or_null expected=sock_common, sock, tcp_sock, xdp_sock, ptr_, "
	       "trusted_ptr_");
	expect(".map pa prog_array key=4 value=4 max=1\n.prog p \"tc\"\nr7 = r1\n" SK_BODY
	       "r6 = r0\nr1 = r7\nr2 = map[pa]\nr3 = 0\ncall bpf_tail_call\n"
	       "if r6 == 0x0 goto out\nr1 = r6\ncall bpf_sk_release\nout: r0 = 0\nexit\n",
	       DF_VERDICT_REJECT, 17, "tail_call would lead to reference leak");
	/* the ring buffer: reserve, null check, submit */
	ACCEPT(".map rb ringbuf key=0 value=0 max=4096\n.prog p \"tc\"\n"
	       "r1 = map[rb]\nr2 = 8\nr3 = 0\ncall bpf_ringbuf_reserve\n"
	       "if r0 == 0x0 goto out\n*(u64 *)(r0 +0) = 1\nr1 = r0\nr2 = 0\n"
	       "call bpf_ringbuf_submit\nout: r0 = 0\nexit\n");
}
END_TEST

START_TEST(callbacks)
{
	static const char loop[] =
		".prog p \"tc\"\n"
		"r6 = 0\n*(u64 *)(r10 -8) = r6\n"
		"r1 = 4\nr2 = subprog[cb]\nr3 = r10\nr3 += -8\nr4 = 0\n"
		"call bpf_loop\n"
		"r0 = *(u64 *)(r10 -8)\n"	/* written bytes stay readable */
		"r0 = 0\nexit\n"
		".func cb 2 static\n"
		"r3 = *(u64 *)(r2 +0)\nr3 += 1\n*(u64 *)(r2 +0) = r3\nr0 = 0\nexit\n";
	static const char ptr_in_ctx[] =
		".map m array key=4 value=8 max=1\n.prog p \"tc\"\n"
		"r1 = map[m]\n*(u64 *)(r10 -8) = r1\n"
		"r1 = 1\nr2 = subprog[cb]\nr3 = r10\nr3 += -8\nr4 = 0\n"
		"call bpf_loop\nr0 = 0\nexit\n"
		".func cb 2 static\n"
		"r1 = *(u64 *)(r2 +0)\n*(u32 *)(r10 -4) = 0\nr2 = r10\nr2 += -4\n"
		"call bpf_map_lookup_elem\nr0 = 0\nexit\n";
	static const char ptr_after[] =
		".map m array key=4 value=8 max=1\n.prog p \"tc\"\n"
		"r1 = map[m]\n*(u64 *)(r10 -8) = r1\n"
		"r1 = 1\nr2 = subprog[cb]\nr3 = r10\nr3 += -8\nr4 = 0\n"
		"call bpf_loop\n"
		"r1 = *(u64 *)(r10 -8)\n*(u32 *)(r10 -12) = 0\nr2 = r10\nr2 += -12\n"
		"call bpf_map_lookup_elem\nr0 = 0\nexit\n"
		".func cb 2 static\nr0 = 0\nexit\n";

	ACCEPT(loop);
	/* the callback sees the context frame generalised, and so does the caller after */
	expect(ptr_in_ctx, DF_VERDICT_REJECT, 16, "R1 type=scalar expected=map_ptr");
	expect(ptr_after, DF_VERDICT_REJECT, 14, "R1 type=scalar expected=map_ptr");
	expect(".prog p \"tc\"\nr1 = 1\nr2 = subprog[cb]\nr3 = 0\nr4 = 0\ncall bpf_loop\n"
	       "r0 = 0\nexit\n.func cb 2 static\ncall bpf_get_prandom_u32\nexit\n",
	       DF_VERDICT_REJECT, 9,
	       "At callback return the register R0 has unknown scalar value should have "
	       "been in [0, 1]");
	expect(".map rb ringbuf key=0 value=0 max=4096\n.prog p \"tc\"\n"
	       "r1 = 1\nr2 = subprog[cb]\nr3 = 0\nr4 = 0\ncall bpf_loop\nr0 = 0\nexit\n"
	       ".func cb 2 static\nr1 = map[rb]\nr2 = 8\nr3 = 0\ncall bpf_ringbuf_reserve\n"
	       "r0 = 0\nexit\n",
	       DF_VERDICT_UNSUPPORTED, 12, "unsupported: references acquired or released "
	       "in a callback (bpf_ringbuf_reserve#131)");
}
END_TEST

START_TEST(may_goto_loops)
{
	struct run r;

	/* equal states one iteration apart: the loop converges, no infinite loop */
	run(&r, "loop: may_goto out\ncall bpf_get_prandom_u32\nif r0 == 0x0 goto skip\n"
	    "r1 = 1\nskip: goto loop\nout: r0 = 0\nexit\n", NULL, NULL);
	ck_verdict(&r, DF_VERDICT_ACCEPT, -1, "");
	ck_assert_uint_lt(r.res->stats.processed, 40);
	done(&r);
	/* a counter: each iteration differs, the loop's own bound ends it */
	run(&r, "r0 = 0\nloop: may_goto out\nr0 += 1\nif r0 < 20 goto loop\nout: exit\n",
	    NULL, NULL);
	ck_verdict(&r, DF_VERDICT_ACCEPT, -1, "");
	/* r0 = 0, 20 iterations of 3, the exit after the last, 20 budget exits */
	ck_assert_uint_eq(r.res->stats.processed, 1 + 20 * 3 + 1 + 20);
	done(&r);
}
END_TEST

START_TEST(global_functions)
{
	DF_OPTS(df_verify_opts, o, .log_level = 2);
	struct run r;

	run(&r, "r1 = 1\ncall g\nexit\n.func g 1 global\nr0 = r1\nr0 += 1\nexit\n", NULL, &o);
	ck_verdict(&r, DF_VERDICT_ACCEPT, -1, "");
	ck_assert_ptr_nonnull(strstr(r.log, "Func#1 ('g') is global and assumed valid."));
	ck_assert_ptr_nonnull(strstr(r.log, "Func#1 ('g') is safe for any args that match "
				     "its prototype"));
	done(&r);
	/* arguments are scalars to the callee */
	expect("call g\nexit\n.func g 2 global\nr0 = 0\nexit\n",
	       DF_VERDICT_REJECT, 0, "R2 !read_ok");
	expect("r1 = r10\ncall g\nexit\n.func g 1 global\nr0 = *(u64 *)(r1 +0)\nexit\n",
	       DF_VERDICT_REJECT, 3, "R1 invalid mem access 'scalar'");
	expect("r1 = 0\ncall g\nexit\n.func g 1 global\nr0 = r10\nexit\n",
	       DF_VERDICT_REJECT, 4, "At subprogram exit the register R0 is not a scalar "
	       "value (fp)");
}
END_TEST

START_TEST(subprogram_frames)
{
	struct run r;

	expect("call f\nr0 = 0\nexit\n.func f 0 static\nr0 = r10\nexit\n",
	       DF_VERDICT_REJECT, 4, "cannot return stack pointer to the caller frame");
	/* r0 unset by the callee fails where the caller reads it */
	expect("call f\nexit\n.func f 0 static\nexit\n", DF_VERDICT_REJECT, 1, "R0 !read_ok");
	ACCEPT("call f\nr0 = 0\nexit\n.func f 0 static\nexit\n");
	/* a callee's stack pointer may not outlive it in the caller's stack */
	expect("r1 = r10\nr1 += -8\ncall f\nr1 = *(u64 *)(r10 -8)\nr0 = *(u64 *)(r1 +0)\nexit\n"
	       ".func f 1 static\nr2 = r10\n*(u64 *)(r1 +0) = r2\nr0 = 0\nexit\n",
	       DF_VERDICT_REJECT, 7,
	       "cannot spill pointers to stack into stack frame of the caller");
	/* stack depths per subprogram, and the combined limit */
	run(&r, "*(u64 *)(r10 -24) = 0\ncall f\nr0 = 0\nexit\n"
	    ".func f 0 static\n*(u8 *)(r10 -100) = 0\nr0 = 0\nexit\n", NULL, NULL);
	ck_verdict(&r, DF_VERDICT_ACCEPT, -1, "");
	ck_assert_uint_eq(r.res->subprog_cnt, 2);
	ck_assert_uint_eq(r.res->subprogs[0].stack_depth, 24);
	ck_assert_uint_eq(r.res->subprogs[1].stack_depth, 104);
	ck_assert_uint_eq(r.res->subprogs[1].start, 4);
	done(&r);
	expect("*(u64 *)(r10 -264) = 0\ncall f\nr0 = 0\nexit\n"
	       ".func f 0 static\n*(u64 *)(r10 -256) = 0\nr0 = 0\nexit\n",
	       DF_VERDICT_REJECT, -1, "combined stack size of 2 calls is 528. Too large");
}
END_TEST

START_TEST(kfuncs)
{
	expect(".prog p \"tc\"\ncall kfunc#5\nr0 = 0\nexit\n", DF_VERDICT_UNSUPPORTED, 0,
	       "unsupported: kfunc kfunc#5");
	expect(".kfunc bpf_iter_num_new 3\n.prog p \"tc\"\nr1 = r10\nr1 += -8\nr2 = 0\nr3 = 1\n"
	       "call bpf_iter_num_new\nr0 = 0\nexit\n", DF_VERDICT_UNSUPPORTED, 4,
	       "unsupported: kfunc bpf_iter_num_new#1");
	/* a stack pointer argument: the kfunc may have written anything there */
	expect(".kfunc k 1\n.map m array key=4 value=8 max=1\n.prog p \"tc\"\n"
	       "r1 = map[m]\n*(u64 *)(r10 -8) = r1\nr1 = r10\nr1 += -8\ncall k\n"
	       "r1 = *(u64 *)(r10 -8)\n*(u32 *)(r10 -12) = 0\nr2 = r10\nr2 += -12\n"
	       "call bpf_map_lookup_elem\nr0 = 0\nexit\n",
	       DF_VERDICT_REJECT, 10, "R1 type=scalar expected=map_ptr");
}
END_TEST

START_TEST(legacy_packet_loads)
{
	ACCEPT(".prog p \"socket\"\nr6 = r1\nr0 = *(u8 *)skb[12]\nr0 = *(u16 *)skb[r0 + 4]\n"
	       "exit\n");
	expect(".prog p \"socket\"\nr0 = *(u8 *)skb[12]\nexit\n", DF_VERDICT_REJECT, 0,
	       "R6 !read_ok");
	expect(".prog p \"socket\"\nr6 = 0\nr0 = *(u8 *)skb[12]\nexit\n", DF_VERDICT_REJECT, 1,
	       "at the time of BPF_LD_ABS|IND R6 != pointer to skb");
	expect(".prog p \"xdp\"\nr6 = r1\nr0 = *(u8 *)skb[12]\nexit\n", DF_VERDICT_REJECT, 1,
	       "BPF_LD_[ABS|IND] instructions not allowed for this program type");
	/* r1-r5 are clobbered */
	expect(".prog p \"socket\"\nr6 = r1\nr2 = 1\nr0 = *(u8 *)skb[12]\nr0 = r2\nexit\n",
	       DF_VERDICT_REJECT, 3, "R2 !read_ok");
}
END_TEST

START_TEST(ld_imm64_kinds)
{
	ACCEPT(".map m array key=4 value=16 max=1\n.prog p \"tc\"\n"
	       "r1 = map[m][0]+8\nr0 = *(u64 *)(r1 +0)\nr0 = 0\nexit\n");
	expect(".map m array key=4 value=16 max=1\n.prog p \"tc\"\n"
	       "r1 = map[m][0]+8\nr0 = *(u64 *)(r1 +8)\nexit\n", DF_VERDICT_REJECT, 2,
	       "invalid access to map value, value_size=16 off=16 size=8");
	expect("r1 = btf_id[5]\nr0 = 0\nexit\n", DF_VERDICT_UNSUPPORTED, 0,
	       "unsupported: ld_imm64 of a kernel variable (btf_id)");
}
END_TEST

/* ---------------------------------------------------------------- the prototype table */

START_TEST(proto_table)
{
	/* every helper the shared corpus and the fixtures call is complete */
	static const int32_t used[] = {
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 21, 22, 23, 25,
		26, 27, 28, 29, 30, 31, 33, 34, 36, 37, 38, 39, 41, 44, 49, 51, 53, 54, 55,
		56, 57, 58, 65, 69, 84, 85, 86, 113, 118, 130, 131, 132, 133, 181,
	};
	const struct df_helper_proto *p;

	for (size_t i = 0; i < DF_ARRAY_SIZE(used); i++) {
		const struct df_helper *h = df_helper_by_id(used[i]);

		p = df_helper_proto(used[i]);
		ck_assert_msg(h && df_helper_proto_complete(p, h->nargs), "helper %d", used[i]);
	}
	/* kinds the verifier does not model */
	ck_assert(!df_helper_proto_complete(df_helper_proto(164), 4));
	ck_assert(!df_helper_proto_complete(df_helper_proto(201), 5));
	ck_assert(!df_helper_proto_complete(df_helper_proto(99), 5));
	ck_assert_ptr_null(df_helper_proto(62));
	/* rows are sorted (binary search finds each) */
	p = df_helper_proto(181);
	ck_assert_str_eq(p->args, "afna");
	ck_assert_int_eq(p->ret, DF_RET_INTEGER);
	ck_assert(p->flags & DF_PROTO_CALLBACK);
	ck_assert(df_helper_proto(39)->flags & DF_PROTO_PKT_DATA);
	ck_assert(!(df_helper_proto(26)->flags & DF_PROTO_PKT_DATA));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vf_explore");
	TCase *tc = tcase_create("walk");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, verdict_names);
	tcase_add_test(tc, program_errors);
	tcase_add_test(tc, insn_limit);
	tcase_add_test(tc, pending_paths);
	tcase_add_test(tc, log_levels);
	tcase_add_test(tc, helpers);
	tcase_add_test(tc, references);
	tcase_add_test(tc, callbacks);
	tcase_add_test(tc, may_goto_loops);
	tcase_add_test(tc, global_functions);
	tcase_add_test(tc, subprogram_frames);
	tcase_add_test(tc, kfuncs);
	tcase_add_test(tc, legacy_packet_loads);
	tcase_add_test(tc, ld_imm64_kinds);
	tcase_add_test(tc, proto_table);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

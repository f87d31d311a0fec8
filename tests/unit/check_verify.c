/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The verifier as a whole: the pruning modes agree on every fixture and
 * every corpus program; full prunes more than regs, regs more than exact,
 * by counts derived from the checkpoint rules; programs an unsound prune
 * would accept are rejected in every mode; illegal r11 encodings; the
 * 1,000,000-instruction budget. The command is tested in check_verify_cli.c.
 */
#include "fixture.h"
#include "dirlist.h"
#include "verify.h"

#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIXTURES SRCDIR "/tests/fixtures"
#define CORPUS SHARED_DIR "/corpus"
#define NMODES 3

static const struct df_prune_mode *modes[NMODES];

static int quiet(enum df_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static struct df_verify_result *verify_limit(const struct df_prog *prog,
					     const struct df_prune_mode *mode, bool state_freq,
					     uint32_t limit)
{
	DF_OPTS(df_verify_opts, opts, .mode = mode, .state_freq = state_freq,
		.insn_limit = limit);
	struct df_verify_result *res = NULL;
	int err = df_verify(prog, &opts, &res);

	ck_assert_msg(!err && res, "%s: df_verify failed: %s", prog->name, strerror(-err));
	return res;
}

static struct df_verify_result *verify(const struct df_prog *prog,
				       const struct df_prune_mode *mode, bool state_freq)
{
	return verify_limit(prog, mode, state_freq, 0);
}

static struct df_object *assemble(const char *text, const char *name)
{
	struct df_object *obj = NULL;
	df_print_fn old = df_set_print(quiet);
	int err = df_asm(text, strlen(text), name, &obj);

	df_set_print(old);
	ck_assert_msg(!err, "%s does not assemble", name);
	return obj;
}

/* ------------------------------------------------------------------ */
/* Mode agreement                                                     */
/* ------------------------------------------------------------------ */

struct tally {
	uint32_t insn_limit;	/* 0: the default budget */
	unsigned progs;
	unsigned verdicts[NMODES][4];	/* per mode, per enum df_verdict */
	unsigned disagree;
	unsigned budget;	/* a mode hit a budget where another did not */
	char first[1400];
	char first_budget[600];
};

/*
 * The same verdict in every mode. A rejection is also the same message at
 * the same pc: paths cut by a sound prune are safe, so every mode reaches
 * the first failing path of the common depth-first order. A budget (the
 * instruction limit, or the liveness analysis a mode needs exceeding its
 * own) is not a verdict on the program: a mode that prunes less may reach
 * it where another finishes. Such programs are counted apart.
 */
static void agree(const struct df_prog *prog, const char *where, struct tally *t)
{
	struct df_verify_result *r[NMODES];
	bool same = true, budget = false;
	int m;

	t->progs++;
	for (m = 0; m < NMODES; m++) {
		r[m] = verify_limit(prog, modes[m], false, t->insn_limit);
		t->verdicts[m][r[m]->verdict]++;
		if (!m)
			continue;
		if (r[m]->verdict != r[0]->verdict &&
		    (r[m]->verdict == DF_VERDICT_LIMIT || r[0]->verdict == DF_VERDICT_LIMIT))
			budget = true;
		else if (r[m]->verdict != r[0]->verdict)
			same = false;
		else if ((r[0]->verdict == DF_VERDICT_REJECT ||
			  r[0]->verdict == DF_VERDICT_UNSUPPORTED) &&
			 (r[m]->err_pc != r[0]->err_pc || strcmp(r[m]->msg, r[0]->msg)))
			same = false;
	}
	if (budget && same && !t->budget++)
		snprintf(t->first_budget, sizeof(t->first_budget), "%s %s: %s / %s / %s: %s",
			 where, prog->name, df_verdict_name(r[0]->verdict),
			 df_verdict_name(r[1]->verdict), df_verdict_name(r[2]->verdict),
			 r[0]->verdict == DF_VERDICT_LIMIT ? r[0]->msg :
			 r[1]->verdict == DF_VERDICT_LIMIT ? r[1]->msg : r[2]->msg);
	if (!same && !t->disagree++)
		snprintf(t->first, sizeof(t->first),
			 "%s %s: exact %s (pc %lld: %s), regs %s (pc %lld: %s), full %s (pc %lld: %s)",
			 where, prog->name, df_verdict_name(r[0]->verdict),
			 (long long)r[0]->err_pc, r[0]->msg, df_verdict_name(r[1]->verdict),
			 (long long)r[1]->err_pc, r[1]->msg, df_verdict_name(r[2]->verdict),
			 (long long)r[2]->err_pc, r[2]->msg);
	for (m = 0; m < NMODES; m++)
		df_verify_result_free(r[m]);
}

static void tally_print(const char *what, const struct tally *t)
{
	int m;

	printf("%s: %u programs; modes agree on %u; a budget in some modes only: %u%s%s\n",
	       what, t->progs, t->progs - t->disagree - t->budget, t->budget,
	       t->budget ? ", first: " : "", t->first_budget);
	for (m = 0; m < NMODES; m++)
		printf("  %-5s accept %u, reject %u, unsupported %u, limit %u\n", modes[m]->name,
		       t->verdicts[m][DF_VERDICT_ACCEPT], t->verdicts[m][DF_VERDICT_REJECT],
		       t->verdicts[m][DF_VERDICT_UNSUPPORTED], t->verdicts[m][DF_VERDICT_LIMIT]);
}

static void agree_fixture_dir(const char *dir, struct tally *t, unsigned *files)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char path[1024], err[512];
		struct df_object *obj;
		struct fixture fx;
		const char *text;
		uint32_t i;

		if (n < 3 || strcmp(de->d_name + n - 2, ".t"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		ck_assert_msg(!fixture_load(path, &fx, err, sizeof(err)), "%s", err);
		text = fixture_asm(&fx);
		ck_assert_ptr_nonnull(text);
		obj = assemble(text, path);
		for (i = 0; i < obj->prog_cnt; i++)
			if (!obj->progs[i].err)
				agree(&obj->progs[i], de->d_name, t);
		df_object_free(obj);
		fixture_free(&fx);
		(*files)++;
	}
	closedir(d);
}

/*
 * Fixture programs are small: a budget of 100,000 instructions covers every
 * one that terminates and keeps the non-converging ones (v12) short.
 */
START_TEST(modes_agree_on_fixtures)
{
	struct tally t = { .insn_limit = 100000 };
	unsigned files = 0;
	df_print_fn old = df_set_print(quiet);

	agree_fixture_dir(FIXTURES, &t, &files);
	agree_fixture_dir(FIXTURES "/analysis", &t, &files);
	agree_fixture_dir(FIXTURES "/verify", &t, &files);
	df_set_print(old);
	tally_print("fixtures", &t);
	ck_assert_msg(files >= 120, "only %u fixture files", files);
	ck_assert_msg(!t.disagree, "%u of %u programs: the modes disagree; first: %s",
		      t.disagree, t.progs, t.first);
}
END_TEST

struct corpus_walk {
	struct tally t;
	unsigned objs;
};

static void agree_corpus_file(const char *path, void *cookie)
{
	struct corpus_walk *w = cookie;
	struct df_object *obj = NULL;

	if (df_object_open(path, NULL, &obj))
		return;
	for (uint32_t i = 0; i < obj->prog_cnt; i++)
		if (!obj->progs[i].err)
			agree(&obj->progs[i], path + strlen(CORPUS) + 1, &w->t);
	df_object_free(obj);
	w->objs++;
}

START_TEST(modes_agree_on_corpus)
{
	struct corpus_walk w = { 0 };
	df_print_fn old = df_set_print(quiet);

	ck_assert_int_eq(dirlist_walk(CORPUS, agree_corpus_file, &w), 0);
	df_set_print(old);
	tally_print("corpus", &w.t);
	ck_assert_msg(w.objs >= 100 && w.t.progs >= 300, "only %u objects, %u programs", w.objs,
		      w.t.progs);
	ck_assert_msg(!w.t.disagree, "%u of %u programs: the modes disagree; first: %s",
		      w.t.disagree, w.t.progs, w.t.first);
}
END_TEST

/* A corpus path that does not exist is an error, not an empty corpus. */
START_TEST(missing_corpus_path)
{
	struct corpus_walk w = { 0 };

	ck_assert_int_eq(dirlist_walk(CORPUS "/no-such-dir", agree_corpus_file, &w), -ENOENT);
	ck_assert_uint_eq(w.objs, 0);
	ck_assert_int_eq(dirlist_walk(CORPUS "/no-such.o", agree_corpus_file, &w), -ENOENT);
	ck_assert_uint_eq(w.objs, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Pruning effect                                                     */
/* ------------------------------------------------------------------ */

/*
 * n diamonds in a row. Each branches on a fresh random value; both sides
 * write r7 and the near half of slot 0 (fp-4), which the next diamond
 * overwrites before any read, so at each join both are dead, and r0 (the
 * refined branch value) is dead too. Even diamonds (R) differ in r7 only
 * (1 or 2; fp-4 = 0 on both sides), odd ones (S) in fp-4 only (0, ZERO, or
 * 1, MISC or a constant spill; r7 = 0).
 *
 *   c:    call bpf_get_prandom_u32
 *   c+1:  if r0 == 0x0 goto T           prune point (after a call)
 *   c+2:  r7 = A ; c+3: fp-4 = X ; c+4: goto J
 *   T:    r7 = B ; T+1: fp-4 = Y       prune point (jump target)
 *   J:    the next diamond's call       prune point (jump target)
 */
static char *diamonds(unsigned n)
{
	size_t len = 0;
	char *s = NULL;
	FILE *f = open_memstream(&s, &len);
	unsigned i;

	ck_assert_ptr_nonnull(f);
	fprintf(f, ".prog chain \"socket\"\n");
	for (i = 0; i < n; i++) {
		bool r = i % 2 == 0;

		fprintf(f, "\tcall bpf_get_prandom_u32#7\n\tif r0 == 0x0 goto t%u\n", i);
		fprintf(f, "\tr7 = %d\n\t*(u32 *)(r10 -4) = 0\n\tgoto j%u\n", r ? 1 : 0, i);
		fprintf(f, "t%u:\tr7 = %d\n\t*(u32 *)(r10 -4) = %d\n", i, r ? 2 : 0, r ? 0 : 1);
		fprintf(f, "j%u:\n", i);
	}
	fprintf(f, "\tr0 = 0\n\texit\n");
	fclose(f);
	return s;
}

/*
 * With a checkpoint at every prune point (state_freq), counting the
 * checkpoints the depth-first walk creates (fall-through first):
 *   - the first path: one after diamond 0's call, then the join and the
 *     after-call point of each later diamond, then the last join: 2n;
 *   - full: both sides of every diamond are equal at its join once r0, r7
 *     and the dead half are cleaned: one more checkpoint per taken side
 *     (T): 3n;
 *   - regs: R diamonds prune at the join (T: +1); an S diamond's taken
 *     side misses at J and at the next after-call point, then the next
 *     diamond's fall-through prunes at its join and its taken side misses
 *     at T before pruning at its join (+4; +2 for the last diamond):
 *     2n + n/2 + 4(n/2 - 1) + 2 with n even;
 *   - exact: every diamond behaves like an S one in regs (r0 and r7 are
 *     compared too): 2n + 4(n - 1) + 2 = 6n - 2.
 */
START_TEST(pruning_effect)
{
	static const struct {
		unsigned n, exact, regs, full;
	} cases[] = {
		{ 2, 10, 7, 6 },
		{ 8, 46, 34, 24 },
	};
	unsigned c;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char *text = diamonds(cases[c].n);
		struct df_object *obj = assemble(text, "chain.s");
		uint64_t got[NMODES];
		int m;

		for (m = 0; m < NMODES; m++) {
			struct df_verify_result *r = verify(&obj->progs[0], modes[m], true);

			ck_assert_msg(r->verdict == DF_VERDICT_ACCEPT, "%u diamonds, %s: %s: %s",
				      cases[c].n, modes[m]->name, df_verdict_name(r->verdict),
				      r->msg);
			got[m] = r->stats.total_states;
			df_verify_result_free(r);
		}
		printf("%u diamonds: total_states exact %llu, regs %llu, full %llu\n",
		       cases[c].n, (unsigned long long)got[0], (unsigned long long)got[1],
		       (unsigned long long)got[2]);
		ck_assert_uint_eq(got[0], cases[c].exact);
		ck_assert_uint_eq(got[1], cases[c].regs);
		ck_assert_uint_eq(got[2], cases[c].full);
		ck_assert(got[2] < got[1] && got[1] < got[0]);
		df_object_free(obj);
		free(text);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Soundness                                                          */
/* ------------------------------------------------------------------ */

/*
 * Each program has a safe path that runs first and reaches a join (or a
 * callee) with a state that differs from the unsafe path's only in
 * something read later. A prune there would hide the error.
 */
static const struct {
	const char *name, *text, *msg;
} unsound[] = {
	{ "live register holds the pointer",
	  ".map m array key=4 value=8 max=1\n.prog t \"socket\"\n"
	  "\t*(u32 *)(r10 -4) = 0\n\tr2 = r10\n\tr2 += -4\n\tr1 = map[m]\n"
	  "\tcall bpf_map_lookup_elem#1\n\tif r0 == 0x0 goto out\n\tr6 = r0\n"
	  "\tcall bpf_get_prandom_u32#7\n\tif r0 == 0x0 goto bad\n\tgoto join\n"
	  "bad:\tr6 = 0\njoin:\tr0 = 0\n\tr1 = 0\n\tr0 = *(u64 *)(r6 +0)\nout:\tr0 = 0\n\texit\n",
	  "R6 invalid mem access 'scalar'" },
	{ "caller's register read after the callee returns",
	  ".map m array key=4 value=8 max=1\n.prog t \"socket\"\n"
	  "\t*(u32 *)(r10 -4) = 0\n\tr2 = r10\n\tr2 += -4\n\tr1 = map[m]\n"
	  "\tcall bpf_map_lookup_elem#1\n\tif r0 == 0x0 goto out\n\tr7 = r0\n"
	  "\tcall bpf_get_prandom_u32#7\n\tif r0 == 0x0 goto bad\n\tgoto join\n"
	  "bad:\tr7 = 8\njoin:\tcall f\n\tr0 = *(u64 *)(r7 +0)\nout:\tr0 = 0\n\texit\n"
	  ".func f 0 static\n\tr0 = 0\n\tr1 = 1\n\tif r1 > 0x0 goto l\nl:\tr0 = 1\n\texit\n",
	  "R7 invalid mem access 'scalar'" },
	{ "caller's stack read after the callee returns",
	  ".prog t \"socket\"\n"
	  "\t*(u64 *)(r10 -16) = 0\n\tr1 = r10\n\tr1 += -16\n\t*(u64 *)(r10 -8) = r1\n"
	  "\tcall bpf_get_prandom_u32#7\n\tif r0 == 0x0 goto bad\n\tgoto join\n"
	  "bad:\tr1 = 4\n\t*(u64 *)(r10 -8) = r1\njoin:\tcall f\n\tr1 = *(u64 *)(r10 -8)\n"
	  "\tr0 = *(u64 *)(r1 +0)\n\texit\n"
	  ".func f 0 static\n\tr0 = 0\n\tr1 = 1\n\tif r1 > 0x0 goto l\nl:\tr0 = 1\n\texit\n",
	  "R1 invalid mem access 'scalar'" },
	{ "incoming stack argument read in a nested callee",
	  ".prog t \"tc\"\n"
	  "\tcall bpf_get_prandom_u32#7\n\tr6 = r10\n\tr6 += -8\n\t*(u64 *)(r10 -8) = 0\n"
	  "\tif r0 == 0x0 goto bad\n\t*(u64 *)(r11 -8) = r6\n\tgoto join\n"
	  "bad:\t*(u64 *)(r11 -8) = 1\njoin:\tr1 = 0\n\tr2 = 0\n\tr3 = 0\n\tr4 = 0\n\tr5 = 0\n"
	  "\tcall f6\n\texit\n"
	  ".func f6 6 static\n\tr6 = *(u64 *)(r11 +8)\n\tr0 = *(u64 *)(r6 +0)\n\texit\n",
	  "R6 invalid mem access 'scalar'" },
	{ "uninitialised stack half read after a join",
	  ".prog t \"socket\"\n"
	  "\tcall bpf_get_prandom_u32#7\n\t*(u32 *)(r10 -8) = 0\n\tif r0 == 0x0 goto join\n"
	  "\t*(u32 *)(r10 -4) = 1\n\tr0 = 0\njoin:\tr0 = 0\n\tr0 = *(u64 *)(r10 -8)\n\texit\n",
	  "invalid read from stack off -8+4 size 8" },
	{ "null check on one path only, copy dereferenced",
	  ".map m hash key=4 value=8 max=4\n.prog t \"socket\"\n"
	  "\t*(u32 *)(r10 -4) = 0\n\tr2 = r10\n\tr2 += -4\n\tr1 = map[m]\n"
	  "\tcall bpf_map_lookup_elem#1\n\tr6 = r0\n\tcall bpf_get_prandom_u32#7\n"
	  "\tif r0 == 0x0 goto join\n\tif r6 == 0x0 goto out\njoin:\tr0 = 0\n"
	  "\tr0 = *(u64 *)(r6 +0)\nout:\tr0 = 0\n\texit\n",
	  "R6 invalid mem access 'map_value_or_null'" },
};

START_TEST(unsound_prune_rejected)
{
	df_print_fn old = df_set_print(quiet);
	unsigned i = (unsigned)_i;
	struct df_object *obj = assemble(unsound[i].text, "unsound.s");
	int m, freq;

	for (m = 0; m < NMODES; m++)
		for (freq = 0; freq < 2; freq++) {
			struct df_verify_result *r = verify(&obj->progs[0], modes[m], freq);

			ck_assert_msg(r->verdict == DF_VERDICT_REJECT &&
				      strstr(r->msg, unsound[i].msg),
				      "%s, mode %s%s: %s: %s (expected '%s')", unsound[i].name,
				      modes[m]->name, freq ? ", state_freq" : "",
				      df_verdict_name(r->verdict), r->msg, unsound[i].msg);
			df_verify_result_free(r);
		}
	df_object_free(obj);
	df_set_print(old);
}
END_TEST

/* ------------------------------------------------------------------ */
/* r11 encodings the assembler refuses (B10), and the budget          */
/* ------------------------------------------------------------------ */

#define B10_PROG \
	".prog b10 \"tc\"\n\tr1 = 1\n\tr2 = 2\n\tr3 = 3\n\tr4 = 4\n\tr5 = 5\n" \
	"\t*(u64 *)(r11 -8) = r1\n\tcall f6\n\texit\n" \
	".func f6 6 static\n\tr0 = *(u64 *)(r11 +8)\n\texit\n"
#define B10_STORE 5	/* *(u64 *)(r11 -8) = r1 */
#define B10_LOAD 8	/* r0 = *(u64 *)(r11 +8) */

/* Semantics §7.B10: every other form that names r11 is rejected at its pc. */
START_TEST(illegal_r11_forms)
{
	static const struct {
		const char *what;
		uint32_t pc;
		struct df_insn insn;
	} forms[] = {
		{ "*(u32 *)(r11 -8) = w1", B10_STORE,
		  { .code = DF_STX | DF_MEM | DF_W, .dst_reg = 11, .src_reg = 1, .off = -8 } },
		{ "r0 = *(u64 *)(r11 -8)", B10_LOAD,
		  { .code = DF_LDX | DF_MEM | DF_DW, .dst_reg = 0, .src_reg = 11, .off = -8 } },
		{ "*(u64 *)(r11 +8) = r1", B10_STORE,
		  { .code = DF_STX | DF_MEM | DF_DW, .dst_reg = 11, .src_reg = 1, .off = 8 } },
		{ "r0 = *(u64 *)(r11 +12)", B10_LOAD,
		  { .code = DF_LDX | DF_MEM | DF_DW, .dst_reg = 0, .src_reg = 11, .off = 12 } },
		{ "*(u64 *)(r11 -12) = 0", B10_STORE,
		  { .code = DF_ST | DF_MEM | DF_DW, .dst_reg = 11, .off = -12 } },
		{ "r11 = 1", B10_STORE,
		  { .code = DF_ALU64 | DF_MOV | DF_K, .dst_reg = 11, .imm = 1 } },
		{ "r1 = r11", B10_LOAD,
		  { .code = DF_ALU64 | DF_MOV | DF_X, .dst_reg = 1, .src_reg = 11 } },
		{ "lock *(u64 *)(r11 -8) += r1", B10_STORE,
		  { .code = DF_STX | DF_ATOMIC | DF_DW, .dst_reg = 11, .src_reg = 1, .off = -8,
		    .imm = DF_ADD } },
		{ "r0 = *(s32 *)(r11 +8)", B10_LOAD,
		  { .code = DF_LDX | DF_MEMSX | DF_W, .dst_reg = 0, .src_reg = 11, .off = 8 } },
	};
	df_print_fn old = df_set_print(quiet);
	unsigned i;
	int m;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct df_object *obj = assemble(B10_PROG, "b10.s");
		struct df_prog *prog = &obj->progs[0];

		for (m = 0; m < NMODES; m++) {
			struct df_verify_result *r = verify(prog, modes[m], false);

			ck_assert_msg(r->verdict == DF_VERDICT_ACCEPT, "legal form: %s", r->msg);
			df_verify_result_free(r);
		}
		prog->insns[forms[i].pc] = forms[i].insn;
		for (m = 0; m < NMODES; m++) {
			struct df_verify_result *r = verify(prog, modes[m], false);

			ck_assert_msg(r->verdict == DF_VERDICT_REJECT && r->err_pc == forms[i].pc &&
				      r->msg[0], "%s, mode %s: %s at pc %lld: %s", forms[i].what,
				      modes[m]->name, df_verdict_name(r->verdict),
				      (long long)r->err_pc, r->msg);
			df_verify_result_free(r);
		}
		df_object_free(obj);
	}
	df_set_print(old);
}
END_TEST

/*
 * The default budget: processed instructions past 1,000,000 stop the walk.
 * 24 diamonds, each setting its own bit of r6 on one side: 2^24 paths that
 * never prune, each about 70 instructions long. The last jump is decided by
 * r6's value, which makes it precise: otherwise the paths would prune.
 */
START_TEST(default_limit)
{
	size_t len = 0;
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);
	struct df_verify_result *r;
	struct df_object *obj;
	int i;

	ck_assert_ptr_nonnull(f);
	fprintf(f, ".prog paths \"socket\"\n\tr6 = 0\n");
	for (i = 0; i < 24; i++)
		fprintf(f, "\tcall bpf_get_prandom_u32#7\n\tif r0 == 0x0 goto j%d\n"
			"\tr6 |= %d\nj%d:\n", i, 1 << i, i);
	fprintf(f, "\tif r6 == 0x1000000 goto out\nout:\tr0 = r6\n\texit\n");
	fclose(f);
	obj = assemble(text, "paths.s");
	r = verify(&obj->progs[0], &df_prune_full, false);
	ck_assert_int_eq(r->verdict, DF_VERDICT_LIMIT);
	ck_assert_str_eq(r->msg, "BPF program is too large. Processed 1000001 insn");
	ck_assert_uint_eq(r->stats.processed, 1000001);
	df_verify_result_free(r);
	df_object_free(obj);
	free(text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verify");
	TCase *lib = tcase_create("library");
	TCase *limit = tcase_create("limit");
	TCase *corpus = tcase_create("corpus");
	SRunner *sr;
	int failed;

	modes[0] = &df_prune_exact;
	modes[1] = &df_prune_regs;
	modes[2] = &df_prune_full;
	tcase_set_timeout(lib, 300);
	tcase_add_test(lib, modes_agree_on_fixtures);
	tcase_add_test(lib, pruning_effect);
	tcase_add_loop_test(lib, unsound_prune_rejected, 0,
			    (int)(sizeof(unsound) / sizeof(unsound[0])));
	tcase_add_test(lib, illegal_r11_forms);
	suite_add_tcase(s, lib);
	tcase_set_timeout(limit, 600);
	tcase_add_test(limit, default_limit);
	suite_add_tcase(s, limit);
	tcase_set_timeout(corpus, 1800);
	tcase_add_test(corpus, modes_agree_on_corpus);
	tcase_add_test(corpus, missing_corpus_path);
	suite_add_tcase(s, corpus);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfdf verify, run as a program: usage errors and exit codes, the verdict
 * and rejection lines, --stats against the library's figures, JSON and CSV
 * shapes, the log, --compare on assembled objects and on the whole corpus.
 */
#include "verify.h"
#include "cli_test.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CORPUS SHARED_DIR "/corpus"
#define NMODES 3
#define PLUGIN BUILDDIR "/tests/plugins/.libs/prune_stack.so"

/* ------------------------------------------------------------------ */
/* bpfdf verify                                                       */
/* ------------------------------------------------------------------ */

static char tmpdir[] = "/tmp/check-verify-XXXXXX";

static const char ok_s[] =
	".prog ok1 \"socket\"\n\tr0 = 0\n\texit\n"
	".prog ok2 \"socket\"\n\tcall bpf_get_prandom_u32#7\n\tif r0 == 0x0 goto l\n"
	"\tr0 = 0\nl:\t*(u64 *)(r10 -8) = r0\n\tr0 = *(u64 *)(r10 -8)\n\texit\n";
static const char bad_s[] =
	".prog bad \"socket\"\n\tr0 = *(u64 *)(r10 -8)\n\texit\n";
static const char args_s[] =
	".prog args \"tc\"\n\tr1 = 1\n\tr2 = 2\n\tr3 = 3\n\tr4 = 4\n\tr5 = 5\n"
	"\t*(u64 *)(r11 -8) = 6\n\tcall f6\n\texit\n"
	".func f6 6 static\n\tr0 = *(u64 *)(r11 +8)\n\t*(u64 *)(r10 -16) = r0\n"
	"\tr0 = *(u64 *)(r10 -16)\n\texit\n";

/* Write NAME.s and assemble it to NAME.o in tmpdir. */
static void make_obj(const char *name, const char *text)
{
	char path[700];
	struct cli_run r;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.s", tmpdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	r = cli_run("asm %s/%s.s -o %s/%s.o", tmpdir, name, tmpdir, name);
	ck_assert_msg(r.status == 0, "asm %s: %s", name, r.err);
	cli_run_free(&r);
}

static void cli_setup(void)
{
	strcpy(tmpdir, "/tmp/check-verify-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	make_obj("ok", ok_s);
	make_obj("bad", bad_s);
	make_obj("args", args_s);
}

static void cli_teardown(void)
{
	static const char *const files[] = {
		"ok.s", "ok.o", "bad.s", "bad.o", "args.s", "args.o",
	};
	char path[700];
	unsigned i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, files[i]);
		unlink(path);
	}
	rmdir(tmpdir);
}

/* A strict JSON checker (RFC 8259 grammar). */
/* Fields of one CSV record (RFC 4180 quoting); -1 when malformed. */
static int csv_fields(const char *line, size_t n)
{
	int fields = 1;
	bool quoted = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (quoted) {
			if (line[i] == '"' && i + 1 < n && line[i + 1] == '"')
				i++;
			else if (line[i] == '"')
				quoted = false;
		} else if (line[i] == '"') {
			quoted = true;
		} else if (line[i] == ',') {
			fields++;
		}
	}
	return quoted ? -1 : fields;
}

/* Every line has the header's field count; returns the number of records. */
static int csv_check(const char *text, int want_fields)
{
	int records = 0;

	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);

		ck_assert_msg(csv_fields(text, n) == want_fields, "CSV line with %d fields, not %d: %.*s",
			      csv_fields(text, n), want_fields, (int)n, text);
		records++;
		text += n + (nl ? 1 : 0);
	}
	return records - 1;
}

START_TEST(cli_usage_errors)
{
	static const char *const bad[] = {
		"verify",
		"verify --prune nosuchmode %s/ok.o",
		"verify --log-level 7 %s/ok.o",
		"verify --input-size 0 %s/ok.o",
		"verify --input-size x %s/ok.o",
		"verify %s/ok.o %s/bad.o",
		"verify --compare --prune full %s/ok.o %s/bad.o",
		"verify --format yaml %s/ok.o",
		"verify --bogus %s/ok.o",
		"verify --prog nosuchprog %s/ok.o",
		"verify --prune-plugin /nonexistent/mode.so %s/ok.o",
		"verify /nonexistent/file.o",
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cli_run r = cli_run(bad[i], tmpdir, tmpdir);

		ck_assert_msg(r.status == 2, "'%s': exit %d, stderr: %s", bad[i], r.status, r.err);
		ck_assert_msg(r.err[0], "'%s': no message on stderr", bad[i]);
		cli_run_free(&r);
	}
}
END_TEST

START_TEST(cli_help)
{
	struct cli_run r = cli_run("verify --help");

	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "--compare"));
	ck_assert_ptr_nonnull(strstr(r.out, "Exit status"));
	cli_run_free(&r);
	r = cli_run("--help");
	ck_assert_ptr_nonnull(strstr(r.out, "verify"));
	cli_run_free(&r);
}
END_TEST

START_TEST(cli_verdicts_and_exit_codes)
{
	struct cli_run r = cli_run("verify %s/ok.o", tmpdir);
	char want[800];

	ck_assert_msg(r.status == 0, "exit %d: %s%s", r.status, r.out, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "ok1: accept\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "ok2: accept\n"));
	cli_run_free(&r);
	r = cli_run("verify --prog ok2 --prune exact %s/ok.o", tmpdir);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "ok2: accept\n");
	cli_run_free(&r);
	r = cli_run("verify %s/bad.o", tmpdir);
	ck_assert_int_eq(r.status, 1);
	snprintf(want, sizeof(want), "bad: reject\n%s/bad.o: section 'socket': pc 0: "
		 "invalid read from stack R10 off=-8 size=8\n", tmpdir);
	ck_assert_str_eq(r.out, want);
	cli_run_free(&r);
	r = cli_run("verify --interpreted %s/args.o", tmpdir);
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.out, "stack args are not supported in non-JITed programs"));
	cli_run_free(&r);
	r = cli_run("verify %s/args.o", tmpdir);
	ck_assert_int_eq(r.status, 0);
	cli_run_free(&r);
}
END_TEST

/* --stats prints what the library measured, in the kernel's words. */
START_TEST(cli_stats)
{
	struct cli_run r = cli_run("verify --stats --state-freq %s/args.o", tmpdir);
	struct df_object *obj = NULL;
	struct df_verify_result *res;
	unsigned long long processed, per_insn, total, peak;
	char path[700], want[200];
	const char *p;

	ck_assert_msg(r.status == 0, "exit %d: %s%s", r.status, r.out, r.err);
	p = strstr(r.out, "processed ");
	ck_assert_msg(p && sscanf(p, "processed %llu insns (limit 1000000) max_states_per_insn %llu "
				  "total_states %llu peak_states %llu mark_read 0", &processed,
				  &per_insn, &total, &peak) == 4, "%s", r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "verification time "));
	ck_assert_ptr_nonnull(strstr(r.out, "prune hits "));
	snprintf(path, sizeof(path), "%s/args.o", tmpdir);
	ck_assert_int_eq(df_object_open(path, NULL, &obj), 0);
	{
		DF_OPTS(df_verify_opts, opts, .state_freq = true);

		ck_assert_int_eq(df_verify(&obj->progs[0], &opts, &res), 0);
	}
	ck_assert_uint_eq(processed, res->stats.processed);
	ck_assert_uint_eq(total, res->stats.total_states);
	ck_assert_uint_eq(peak, res->stats.peak_states);
	ck_assert_uint_eq(per_insn, res->stats.max_states_per_insn);
	ck_assert_uint_eq(res->subprog_cnt, 2);
	snprintf(want, sizeof(want), "stack depth %u+%u\n", res->subprogs[0].stack_depth,
		 res->subprogs[1].stack_depth);
	ck_assert_msg(strstr(r.out, want), "no '%s' in %s", want, r.out);
	ck_assert_uint_eq(res->subprogs[1].stack_depth, 16);
	df_verify_result_free(res);
	df_object_free(obj);
	cli_run_free(&r);
}
END_TEST

START_TEST(cli_json_and_csv)
{
	struct cli_run r = cli_run("verify --format json %s/ok.o", tmpdir);

	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(json_valid(r.out), "invalid JSON: %s", r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "\"name\":\"ok2\""));
	ck_assert_ptr_nonnull(strstr(r.out, "\"verdict\":\"accept\""));
	ck_assert_ptr_nonnull(strstr(r.out, "\"total_states\":"));
	cli_run_free(&r);
	r = cli_run("verify --format json --log-level 2 %s/bad.o", tmpdir);
	ck_assert_int_eq(r.status, 1);
	ck_assert_msg(json_valid(r.out), "invalid JSON (the log must go to stderr): %s", r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "\"pc\":0"));
	ck_assert_ptr_nonnull(strstr(r.out, "\"verdict\":\"reject\""));
	cli_run_free(&r);
	r = cli_run("verify --format csv %s/ok.o", tmpdir);
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq(csv_check(r.out, 13), 2);
	ck_assert_ptr_nonnull(strstr(r.out, "file,program,section,mode,verdict,pc,message,"));
	cli_run_free(&r);
	r = cli_run("verify --format csv %s/bad.o", tmpdir);
	ck_assert_int_eq(r.status, 1);
	ck_assert_int_eq(csv_check(r.out, 13), 1);
	cli_run_free(&r);
}
END_TEST

START_TEST(cli_verbose_log)
{
	struct cli_run quiet_r = cli_run("verify %s/bad.o", tmpdir), r;

	r = cli_run("verify -v %s/bad.o", tmpdir);
	ck_assert_int_eq(r.status, 1);
	ck_assert_msg(strlen(r.out) > strlen(quiet_r.out), "-v adds nothing: %s", r.out);
	cli_run_free(&r);
	r = cli_run("verify --log-level 2 --state-freq %s/ok.o", tmpdir);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, "safe"), "no prune in the level 2 log: %s", r.out);
	cli_run_free(&r);
	cli_run_free(&quiet_r);
}
END_TEST

START_TEST(cli_compare)
{
	struct cli_run r = cli_run("verify --compare %s/ok.o %s/bad.o %s/args.o", tmpdir, tmpdir, tmpdir);
	const char *p;
	unsigned rows = 0;

	ck_assert_msg(r.status == 1, "exit %d: %s", r.status, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "Verdict (exact)"));
	ck_assert_ptr_nonnull(strstr(r.out, "Verdict (full)"));
	ck_assert_ptr_nonnull(strstr(r.out, "States (regs)"));
	ck_assert_ptr_nonnull(strstr(r.out, "4 programs; accepted: exact 3, regs 3, full 3; "
					   "verdicts agree on 4 of 4"));
	for (p = r.out; (p = strstr(p, tmpdir)); p++)
		rows++;
	ck_assert_uint_eq(rows, 4);
	cli_run_free(&r);
	r = cli_run("verify --compare %s/ok.o %s/args.o", tmpdir, tmpdir);
	ck_assert_int_eq(r.status, 0);
	cli_run_free(&r);
	r = cli_run("verify --compare --format csv %s/ok.o %s/bad.o", tmpdir, tmpdir);
	ck_assert_int_eq(r.status, 1);
	ck_assert_int_eq(csv_check(r.out, 2 + 5 * NMODES), 3);
	ck_assert_ptr_nonnull(strstr(r.out, "verdict_exact,verdict_regs,verdict_full"));
	cli_run_free(&r);
	r = cli_run("verify --compare --format json %s/ok.o %s/bad.o", tmpdir, tmpdir);
	ck_assert_int_eq(r.status, 1);
	ck_assert_msg(json_valid(r.out), "invalid JSON: %s", r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "\"modes\":[\"exact\",\"regs\",\"full\"]"));
	cli_run_free(&r);
}
END_TEST

/* A pruning mode from a plug-in (tests/plugins/prune_stack.c): selected, and a fourth column. */
START_TEST(cli_prune_plugin)
{
	struct cli_run r = cli_run("verify --format json --prune-plugin %s %s/ok.o", PLUGIN, tmpdir);

	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "\"mode\":\"stack\""));
	cli_run_free(&r);
	r = cli_run("verify --prune-plugin %s --prune regs %s/ok.o --format json", PLUGIN, tmpdir);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\"mode\":\"regs\""));
	cli_run_free(&r);
	r = cli_run("verify --compare --format csv --prune-plugin %s %s/ok.o %s/bad.o", PLUGIN, tmpdir,
		tmpdir);
	ck_assert_int_eq(r.status, 1);
	ck_assert_int_eq(csv_check(r.out, 2 + 5 * (NMODES + 1)), 3);
	ck_assert_ptr_nonnull(strstr(r.out, "verdict_full,verdict_stack,"));
	cli_run_free(&r);
}
END_TEST

/* The whole shared corpus, every mode, without a crash; one CSV row per program. */
START_TEST(cli_compare_corpus)
{
	struct cli_run r = cli_run("verify --compare --format csv $(find %s -name '*.o' -not -path "
			   "'*/invalid/*' | sort)", CORPUS);
	int rows;

	ck_assert_msg(r.status <= 1, "exit %d: %s", r.status, r.err);
	rows = csv_check(r.out, 2 + 5 * NMODES);
	printf("bpfdf verify --compare on the corpus: %d programs\n", rows);
	ck_assert_msg(rows >= 300, "%d rows", rows);
	cli_run_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verify-cli");
	TCase *tc = tcase_create("cli");
	TCase *corpus = tcase_create("corpus");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 1800);
	tcase_add_unchecked_fixture(tc, cli_setup, cli_teardown);
	tcase_add_test(tc, cli_usage_errors);
	tcase_add_test(tc, cli_help);
	tcase_add_test(tc, cli_verdicts_and_exit_codes);
	tcase_add_test(tc, cli_stats);
	tcase_add_test(tc, cli_json_and_csv);
	tcase_add_test(tc, cli_verbose_log);
	tcase_add_test(tc, cli_compare);
	tcase_add_test(tc, cli_prune_plugin);
	suite_add_tcase(s, tc);
	tcase_set_timeout(corpus, 1800);
	tcase_add_unchecked_fixture(corpus, cli_setup, cli_teardown);
	tcase_add_test(corpus, cli_compare_corpus);
	suite_add_tcase(s, corpus);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

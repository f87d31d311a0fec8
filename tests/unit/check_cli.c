/* SPDX-License-Identifier: BSD-2-Clause */
/* The bpfdf command: exit codes, help, JSON well-formedness, error lines. */
#include "cli_test.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXAMPLES SRCDIR "/examples"
#define CORPUS SHARED_DIR "/corpus"

START_TEST(json_validator_rejects)
{
	ck_assert(json_valid("{\"a\":[1,2,{\"b\":null}],\"c\":\"x\\n\"}"));
	ck_assert(!json_valid("{\"a\":[1,2,]}"));
	ck_assert(!json_valid("{\"a\":1,}"));
	ck_assert(!json_valid("{\"a\" 1}"));
	ck_assert(!json_valid("[\"unterminated]"));
	ck_assert(!json_valid("{} {}"));
}
END_TEST

START_TEST(help_and_version)
{
	struct cli_run r = cli_run("--help");

	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "disasm"));
	ck_assert_ptr_nonnull(strstr(r.out, "Exit status"));
	cli_run_free(&r);
	r = cli_run("--version");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "bpfdf "));
	cli_run_free(&r);
	for (const char *const *c = (const char *const[]){ "list", "disasm", "asm", "cfg", NULL };
	     *c; c++) {
		char args[64];

		snprintf(args, sizeof(args), "%s --help", *c);
		r = cli_run("%s", args);
		ck_assert_int_eq(r.status, 0);
		ck_assert_ptr_nonnull(strstr(r.out, "Usage: bpfdf"));
		cli_run_free(&r);
	}
}
END_TEST

START_TEST(usage_errors_exit_2)
{
	static const char *const cases[] = {
		"",
		"frobnicate",
		"disasm",
		"disasm --bogus-flag " EXAMPLES "/stack_args.s",
		"disasm --format yaml " EXAMPLES "/stack_args.s",
		"disasm --input pdf " EXAMPLES "/stack_args.s",
		"disasm /nonexistent/file.o",
		"list a b",
		"disasm --prog no_such_prog " EXAMPLES "/stack_args.s",
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cli_run r = cli_run("%s", cases[i]);

		ck_assert_msg(r.status == 2, "'bpfdf %s' exited %d, want 2", cases[i], r.status);
		ck_assert_msg(r.err[0] != 0, "'bpfdf %s' printed no error", cases[i]);
		cli_run_free(&r);
	}
}
END_TEST

START_TEST(rejected_input_exit_1)
{
	char path[] = "/tmp/bpfdf-cli-badXXXXXX";
	int fd = mkstemp(path);
	struct cli_run r;

	ck_assert(fd >= 0);
	ck_assert_int_eq(write(fd, "\tr1 = \n", 7), 7);
	close(fd);
	{
		char args[256];

		snprintf(args, sizeof(args), "disasm %s", path);
		r = cli_run("%s", args);
	}
	ck_assert_int_eq(r.status, 1);
	/* one line, naming the file, the line and the column */
	ck_assert_ptr_nonnull(strstr(r.err, path));
	ck_assert_ptr_nonnull(strstr(r.err, ":1:"));
	ck_assert_ptr_nonnull(strchr(r.err, '\n'));
	ck_assert_ptr_null(strchr(strchr(r.err, '\n') + 1, '\n'));
	cli_run_free(&r);
	unlink(path);

	r = cli_run("disasm " CORPUS "/invalid/badsymsize.o");
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "badsymsize.o"));
	cli_run_free(&r);
}
END_TEST

/*
 * Every malformed object exits 1 with a line naming it. Two files of
 * invalid/ are well-formed objects (they troubled a verifier, not a
 * loader; docs/loader.md) and load.
 */
START_TEST(invalid_corpus_exit_1)
{
	static const char *const well_formed[] = {
		"ef2e42c0bfcf4dab6b9c3926759365b6dfa73634",
		"timeout-29db93548c671165313b314d4f83a3eefa24df37",
	};
	static const char *const names[] = {
		"58087ea4ff41695f3186d628a3250b26dc8d237a",
		"662b334a22904023c13f11008e072076a4f4d215",
		"806cc077e56f0ec32236c99055714f63649e7a38",
		"ab3408afd06d68dd7e73bf21bde38350d9751a78",
		"af99e766f6ba44fd7f2135c3e325c817224b99a3",
		"badsymsize.o",
		"c049438cf649269921736e7306231385350dea58",
		"dac31099c3bb5b6395908c82cc8540e77a6a1849",
		"invalid-lddw.o",
	};
	char args[512];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct cli_run r;

		snprintf(args, sizeof(args), "disasm %s/invalid/%s", CORPUS, names[i]);
		r = cli_run("%s", args);
		ck_assert_msg(r.status == 1, "%s exited %d", names[i], r.status);
		ck_assert_msg(strstr(r.err, names[i]), "%s: error does not name the file: %s",
			      names[i], r.err);
		cli_run_free(&r);
	}
	for (i = 0; i < sizeof(well_formed) / sizeof(well_formed[0]); i++) {
		struct cli_run r;

		snprintf(args, sizeof(args), "disasm %s/invalid/%s", CORPUS, well_formed[i]);
		r = cli_run("%s", args);
		ck_assert_msg(r.status == 0, "%s exited %d: %s", well_formed[i], r.status, r.err);
		cli_run_free(&r);
	}
}
END_TEST

START_TEST(json_outputs_are_valid)
{
	static const char *const cases[] = {
		"list --format json " EXAMPLES "/stack_args.s",
		"disasm --format json " EXAMPLES "/stack_args.s",
		"cfg --format json " EXAMPLES "/stack_args.s",
		"list --format json " CORPUS "/linux/sockex1_kern.o",
		"disasm --format json " CORPUS "/linux/sockex1_kern.o",
		"cfg --format json " CORPUS "/linux/sockex1_kern.o",
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cli_run r = cli_run("%s", cases[i]);

		ck_assert_msg(r.status == 0, "'bpfdf %s' exited %d: %s", cases[i], r.status, r.err);
		ck_assert_msg(json_valid(r.out), "'bpfdf %s' printed invalid JSON", cases[i]);
		ck_assert_ptr_nonnull(strstr(r.out, "\"programs\""));
		cli_run_free(&r);
	}
}
END_TEST

START_TEST(asm_then_list)
{
	char out[] = "/tmp/bpfdf-cli-objXXXXXX";
	char args[512];
	struct cli_run r;
	int fd = mkstemp(out);

	ck_assert(fd >= 0);
	close(fd);
	snprintf(args, sizeof(args), "asm %s/stack_args.s -o %s", EXAMPLES, out);
	r = cli_run("%s", args);
	ck_assert_msg(r.status == 0, "asm failed: %s", r.err);
	cli_run_free(&r);
	snprintf(args, sizeof(args), "list %s", out);
	r = cli_run("%s", args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "func sum12"));
	ck_assert_ptr_nonnull(strstr(r.out, "args 12"));
	ck_assert_ptr_nonnull(strstr(r.out, "static"));
	cli_run_free(&r);
	snprintf(args, sizeof(args), "disasm --no-lines %s", out);
	r = cli_run("%s", args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "*(u64 *)(r11 -56) = 12"));
	ck_assert_ptr_nonnull(strstr(r.out, "r6 = *(u64 *)(r11 +56)"));
	cli_run_free(&r);
	unlink(out);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, json_validator_rejects);
	tcase_add_test(tc, help_and_version);
	tcase_add_test(tc, usage_errors_exit_2);
	tcase_add_test(tc, rejected_input_exit_1);
	tcase_add_test(tc, invalid_corpus_exit_1);
	tcase_add_test(tc, json_outputs_are_valid);
	tcase_add_test(tc, asm_then_list);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cli_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

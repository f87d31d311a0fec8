/* SPDX-License-Identifier: BSD-2-Clause */
/* Runs every fixture in tests/fixtures, and tests the fixture parser itself. */
#include "fixture.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURE_DIR SRCDIR "/tests/fixtures"

static char **paths;
static int path_cnt;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* FIXTURE=NAME runs only DIR/NAME.t. */
static void discover(const char *dir)
{
	const char *only = getenv("FIXTURE");
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "check_fixtures: cannot open %s\n", dir);
		exit(EXIT_FAILURE);
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char **np;

		if (n < 3 || strcmp(de->d_name + n - 2, ".t"))
			continue;
		if (only && (strncmp(de->d_name, only, n - 2) || strlen(only) != n - 2))
			continue;
		np = realloc(paths, (path_cnt + 1) * sizeof(*paths));
		if (!np || asprintf(&np[path_cnt], "%s/%s", dir, de->d_name) < 0)
			exit(EXIT_FAILURE);
		paths = np;
		path_cnt++;
	}
	closedir(d);
	if (path_cnt)
		qsort(paths, path_cnt, sizeof(*paths), cmp_str);
}

START_TEST(fixture)
{
	struct fixture fx;
	char err[512], *report = NULL;
	int failed;

	ck_assert_msg(!fixture_load(paths[_i], &fx, err, sizeof(err)), "%s", err);
	failed = fixture_run(&fx, &report);
	ck_assert_msg(!failed, "%s", report ? report : "(no report)");
	free(report);
	fixture_free(&fx);
}
END_TEST

START_TEST(found_fixtures)
{
	ck_assert_msg(getenv("FIXTURE") || path_cnt >= 25,
		      "only %d fixtures in %s", path_cnt, FIXTURE_DIR);
	ck_assert_msg(path_cnt >= 1, "no fixture selected in %s", FIXTURE_DIR);
}
END_TEST

static int parse(const char *text, char *err, size_t len)
{
	struct fixture fx;
	int ret = fixture_parse(text, strlen(text), "t.t", &fx, err, len);

	if (!ret)
		fixture_free(&fx);
	return ret;
}

START_TEST(parser)
{
	char err[256];

	ck_assert_int_eq(parse("# note\n\n-- asm\nexit\n-- expect error\nx\n", err,
			       sizeof(err)), 0);
	ck_assert_int_eq(parse("-- asm\nexit\n-- expect cfg main\nrpo 0\n", err,
			       sizeof(err)), 0);
	ck_assert_int_eq(parse("-- asm\nexit\n-- expect liveness\n", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t.t:3: unknown section 'expect liveness'");
	ck_assert_int_eq(parse("-- asm\nexit\n-- expected cfg\n", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t.t:3: unknown section 'expected cfg'");
	ck_assert_int_eq(parse("hello\n-- asm\nexit\n", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "t.t:1: text before the first section"));
	ck_assert_int_eq(parse("-- asm\nexit\n", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no '-- expect' section"));
	ck_assert_int_eq(parse("-- expect cfg\n", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no '-- asm' section"));
	ck_assert_int_eq(parse("-- asm\n-- asm\n-- expect cfg\n", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "more than one"));
	ck_assert_int_eq(parse("-- asm x\nexit\n-- expect cfg\n", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "t.t:1: '-- asm' takes no arguments"));
}
END_TEST

/* The runner must report a wrong expectation, not pass it. */
START_TEST(runner_detects_mismatch)
{
	static const char *bad[] = {
		"-- asm\nr0 = 0\nexit\n-- expect cfg\nsubprog 0 - [0,2) main\nrpo 0\n"
		"block 0 [0,1)\ntopo 0\ndepth 1\n",
		"-- asm\nr0 = 0\nexit\n-- expect error\nlast insn is not an exit or jmp\n",
		"-- asm\nr0 = 0\n-- expect error\nno such message\n",
		"-- asm\nr0 = 0\nexit\n-- expect cfg nosuchprog\ndepth 1\n",
		"-- asm\nr0 = 0\nexit\n-- expect regs\n1: ..........\n",
		"-- asm\nr0 = *(u64 *)(r10 -8)\nexit\n-- expect stack\n"
		"stack use/def subprog#0 bad (d0,cs0):\n0: (79) r0 = *(u64 *)(r10 -8) ; use: fp0-16\n",
		"-- asm\nr0 = *(u64 *)(r10 -8)\nexit\n-- expect stack\n"
		"stack use/def subprog#0 bad (d0,cs0):\nlive 1: fp0-8\n",
		"-- asm\nr1 = r10\nexit\n-- expect argtrack\n1: r1=fp0-8\n",
		"-- asm\nr0 = 0\nexit\n-- expect analyze-error\ncomplexity\n",
		"-- asm\nr0 = 0\nexit\n-- expect verdict\nreject\n",
		"-- asm\nr0 = *(u64 *)(r10 -8)\nexit\n-- expect verdict\naccept\n",
		"-- asm\nexit\n-- expect verdict\nreject\npc 0: R1 !read_ok\n",
		"-- asm\nr0 = 0\nexit\n-- expect verdict\nmode full\naccept\nlog 1: safe\n",
		"-- asm\nr0 = 0\nexit\n-- expect verdict\naccept\nsubprog 0 stack_depth=8\n",
		"-- asm\nr0 = 0\nexit\n-- expect verdict\nmode nosuchmode\naccept\n",
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fixture fx;
		char err[256], *report = NULL;

		ck_assert_int_eq(fixture_parse(bad[i], strlen(bad[i]), "bad.t", &fx,
					       err, sizeof(err)), 0);
		ck_assert_int_eq(fixture_run(&fx, &report), 1);
		ck_assert_ptr_nonnull(report);
		ck_assert_ptr_nonnull(strstr(report, "bad.t:"));
		free(report);
		fixture_free(&fx);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fixtures");
	TCase *unit = tcase_create("runner");
	TCase *tc = tcase_create("fixtures");
	SRunner *sr;
	int failed;

	discover(FIXTURE_DIR);
	discover(FIXTURE_DIR "/analysis");
	discover(FIXTURE_DIR "/verify");
	tcase_add_test(unit, found_fixtures);
	tcase_add_test(unit, parser);
	tcase_add_test(unit, runner_detects_mismatch);
	suite_add_tcase(s, unit);
	tcase_add_loop_test(tc, fixture, 0, path_cnt);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	while (path_cnt)
		free(paths[--path_cnt]);
	free(paths);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

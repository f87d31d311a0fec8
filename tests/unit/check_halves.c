/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Half-slot arithmetic of §3.7 (which halves an access of a size at an
 * offset reads or fully writes) and the notation of §6.3.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack_int.h"
#include "internal.h"

static const char *halves(uint32_t frame, struct df_halves h)
{
	static char buf[4][1024];
	static int k;

	k = (k + 1) % 4;
	df_halves_snprint(buf[k], sizeof(buf[k]), frame, &h);
	return buf[k];
}

static void ck_access(int64_t off, int64_t bytes, const char *use, const char *def)
{
	struct df_halves u = { { 0, 0 } }, d = { { 0, 0 } };

	df_halves_access(&u, &d, off, bytes);
	ck_assert_str_eq(halves(0, u), use);
	ck_assert_str_eq(halves(0, d), def);
}

START_TEST(arith_read8)		{ ck_access(-8, 8, "fp0-8", ""); } END_TEST
START_TEST(arith_read4_far)	{ ck_access(-8, 4, "fp0-8h", ""); } END_TEST
START_TEST(arith_read4_near)	{ ck_access(-4, 4, "fp0-4h", ""); } END_TEST
START_TEST(arith_read2)		{ ck_access(-6, 2, "fp0-8h", ""); } END_TEST
START_TEST(arith_read4_unaligned) { ck_access(-6, 4, "fp0-8", ""); } END_TEST
START_TEST(arith_write8)	{ ck_access(-8, -8, "", "fp0-8"); } END_TEST
START_TEST(arith_write4_far)	{ ck_access(-8, -4, "", "fp0-8h"); } END_TEST
START_TEST(arith_write4_near)	{ ck_access(-4, -4, "", "fp0-4h"); } END_TEST

START_TEST(arith_write2)
{
	ck_access(-8, -2, "", "");
	ck_access(-6, -2, "", "");
}
END_TEST

START_TEST(arith_write1)
{
	for (int off = -1; off >= -16; off--)
		ck_access(off, -1, "", "");
}
END_TEST

START_TEST(arith_write8_unaligned)
{
	struct df_halves u = { { 0, 0 } }, d = { { 0, 0 } };

	df_halves_access(&u, &d, -12, -8);
	ck_assert_uint_eq(d.w[0], 0x6);
	ck_assert_str_eq(halves(0, d), "fp0-8h fp0-12h");
}
END_TEST

START_TEST(arith_read_second_word)
{
	struct df_halves u = { { 0, 0 } }, d = { { 0, 0 } };

	df_halves_access(&u, &d, -264, 8);
	ck_assert_uint_eq(u.w[0], 0);
	ck_assert_uint_eq(u.w[1], 0x3);
	ck_assert_str_eq(halves(0, u), "fp0-264");
}
END_TEST

START_TEST(arith_unknown_size)
{
	ck_access(-16, DF_ACCESS_UNKNOWN, "fp0-8 fp0-16", "");
	ck_access(-512, DF_ACCESS_UNKNOWN, "fp0-8..-512", "");
}
END_TEST

START_TEST(arith_not_stack)
{
	ck_access(0, 8, "", "");
	ck_access(8, -8, "", "");
	/* clipped to the 512-byte frame */
	ck_access(-520, 16, "fp0-512", "");
}
END_TEST

START_TEST(print_notation)
{
	struct df_halves h = { { 0, 0 } };

	df_halves_set_range(&h, 0, 5);		/* three full slots */
	ck_assert_str_eq(halves(2, h), "fp2-8..-24");
	df_halves_set_range(&h, 8, 9);
	df_halves_set_range(&h, 13, 13);
	ck_assert_str_eq(halves(0, h), "fp0-8..-24 fp0-40 fp0-56h");
	h = (struct df_halves){ { 0, 0 } };
	df_halves_set_range(&h, 0, 3);		/* two full slots: no run */
	df_halves_set_range(&h, 126, 126);
	ck_assert_str_eq(halves(1, h), "fp1-8 fp1-16 fp1-508h");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("halves");
	TCase *a = tcase_create("arith");
	const TTest *t[] = {
		arith_read8, arith_read4_far, arith_read4_near, arith_read2,
		arith_read4_unaligned, arith_write8, arith_write4_far, arith_write4_near,
		arith_write2, arith_write1, arith_write8_unaligned, arith_read_second_word,
		arith_unknown_size, arith_not_stack, print_notation,
	};

	for (size_t i = 0; i < DF_ARRAY_SIZE(t); i++)
		tcase_add_test(a, t[i]);
	suite_add_tcase(s, a);
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

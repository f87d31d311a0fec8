/* SPDX-License-Identifier: BSD-2-Clause */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "asm_test.h"

char asm_test_msgs[8192];

static int capture(enum df_print_level level, const char *fmt, va_list ap)
{
	size_t n = strlen(asm_test_msgs);

	if (level != DF_WARN)
		return 0;
	return vsnprintf(asm_test_msgs + n, sizeof(asm_test_msgs) - n, fmt, ap);
}

void asm_test_setup(void)
{
	asm_test_msgs[0] = 0;
	df_set_print(capture);
}

void asm_test_teardown(void)
{
	df_set_print(NULL);
}

struct df_object *asm_test_assemble(const char *text, const char *name)
{
	struct df_object *obj = NULL;
	int err;

	asm_test_msgs[0] = 0;
	err = df_asm(text, strlen(text), name, &obj);
	ck_assert_msg(!err, "assembling '%s' failed (%d): %s", text, err, asm_test_msgs);
	ck_assert_str_eq(asm_test_msgs, "");
	return obj;
}

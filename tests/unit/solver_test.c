/* SPDX-License-Identifier: BSD-2-Clause */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>

#include "solver_test.h"

char diag[8192];
struct df_object *obj;
struct df_cfg *cfg;
struct df_solver *sol;

int capture(enum df_print_level level, const char *fmt, va_list ap)
{
	size_t n = strlen(diag);

	if (level != DF_WARN || n + 1 >= sizeof(diag))
		return 0;
	return vsnprintf(diag + n, sizeof(diag) - n, fmt, ap);
}

struct df_prog *load(const char *text)
{
	struct df_prog *p;

	diag[0] = 0;
	df_set_print(capture);
	ck_assert_msg(!df_asm(text, strlen(text), "t.s", &obj), "df_asm: %s", diag);
	p = &obj->progs[0];
	ck_assert_msg(!df_prog_check(p), "check: %s", diag);
	ck_assert_msg(!df_cfg_build(p, &cfg), "cfg: %s", diag);
	return p;
}

void teardown(void)
{
	df_solver_free(sol);
	sol = NULL;
	df_cfg_free(cfg);
	cfg = NULL;
	df_object_free(obj);
	obj = NULL;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the engine, plug-in and register-liveness tests. */
#ifndef SOLVER_TEST_H
#define SOLVER_TEST_H

#include "internal.h"

extern char diag[8192];		/* warnings printed since the last load() */
extern struct df_object *obj;
extern struct df_cfg *cfg;
extern struct df_solver *sol;

/* A print callback appending the library's warnings to diag. */
int capture(enum df_print_level level, const char *fmt, va_list ap);
/* Assemble text, check it and build its CFG (obj, cfg); the test fails otherwise. */
struct df_prog *load(const char *text);
/* Free sol, cfg and obj. */
void teardown(void);

#endif

// SPDX-License-Identifier: BSD-2-Clause
/*
 * The registry of analyses by name: the built-in ones, registered on first
 * use, and those added by df_analysis_register() or loaded from plug-ins.
 */
#include "engine_int.h"
#include "argtrack.h"
#include "liveness.h"

static const struct df_analysis **reg;
static uint32_t reg_cnt;
static bool builtins_done;

static int add(const struct df_analysis *a)
{
	int err = df_analysis_check(a, NULL);

	if (err)
		return err;
	for (uint32_t i = 0; i < reg_cnt; i++) {
		if (!strcmp(reg[i]->name, a->name)) {
			df_warn("analysis '%s' is already registered\n", a->name);
			return -EEXIST;
		}
	}
	if (df_array_push(reg, reg_cnt))
		return -ENOMEM;
	reg[reg_cnt++] = a;
	return 0;
}

static void builtins(void)
{
	static const struct df_analysis *const all[] = {
		&df_regs_analysis,
		&df_argtrack_analysis,
		&df_stack_analysis,
	};

	if (builtins_done)
		return;
	builtins_done = true;
	for (size_t i = 0; i < DF_ARRAY_SIZE(all); i++)
		add(all[i]);
}

int df_analysis_register(const struct df_analysis *a)
{
	builtins();
	return add(a);
}

const struct df_analysis *df_analysis_find(const char *name)
{
	builtins();
	for (uint32_t i = 0; name && i < reg_cnt; i++)
		if (df_name_eq(reg[i]->name, name))
			return reg[i];
	return NULL;
}

uint32_t df_analysis_cnt(void)
{
	builtins();
	return reg_cnt;
}

const struct df_analysis *df_analysis_at(uint32_t i)
{
	builtins();
	return i < reg_cnt ? reg[i] : NULL;
}

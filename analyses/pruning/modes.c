// SPDX-License-Identifier: BSD-2-Clause
/*
 * Pruning modes: the three built-in ones and those loaded from plug-ins.
 * exact and regs share df_states_equal() and differ only in what they
 * clean, so that comparing their state counts measures what each liveness
 * result buys: exact cleans nothing, regs turns dead registers into
 * NOT_INIT. full, the kernel's configuration, also poisons dead stack
 * halves and compares with df_states_equal_precise(): a scalar no decision
 * depended on (precise.c) covers any scalar.
 */
#include "vf.h"

#include <stdarg.h>
#include <stdio.h>

static void clean_none(const struct df_prune_ctx *c, struct df_vstate *st)
{
	(void)c;
	(void)st;
}

static void clean_full(const struct df_prune_ctx *c, struct df_vstate *st)
{
	df_clean_regs(c, st);
	df_clean_stack(c, st);
}

const struct df_prune_mode df_prune_exact = {
	.sz = sizeof(struct df_prune_mode),
	.name = "exact",
	.requires = "",
	.summary = "no liveness: states are compared as they are",
	.clean = clean_none,
	.equal = df_states_equal,
};

const struct df_prune_mode df_prune_regs = {
	.sz = sizeof(struct df_prune_mode),
	.name = "regs",
	.requires = "regs",
	.summary = "dead registers are ignored (register liveness)",
	.clean = df_clean_regs,
	.equal = df_states_equal,
};

const struct df_prune_mode df_prune_full = {
	.sz = sizeof(struct df_prune_mode),
	.name = "full",
	.requires = "regs stack",
	.summary = "dead registers and stack halves are ignored (register and "
		   "half-slot stack liveness), imprecise scalars too (precision tracking)",
	.clean = clean_full,
	.equal = df_states_equal_precise,
};

static const struct df_prune_mode *const builtin[] = {
	&df_prune_exact, &df_prune_regs, &df_prune_full,
};

/* Modes loaded from plug-ins, after the built-in ones. */
static const struct df_prune_mode **loaded;
static uint32_t loaded_cnt;

uint32_t df_prune_mode_cnt(void)
{
	return DF_ARRAY_SIZE(builtin) + loaded_cnt;
}

const struct df_prune_mode *df_prune_mode_at(uint32_t i)
{
	if (i < DF_ARRAY_SIZE(builtin))
		return builtin[i];
	i -= DF_ARRAY_SIZE(builtin);
	return i < loaded_cnt ? loaded[i] : NULL;
}

const struct df_prune_mode *df_prune_mode_find(const char *name)
{
	for (uint32_t i = 0; name && i < df_prune_mode_cnt(); i++)
		if (!strcmp(df_prune_mode_at(i)->name, name))
			return df_prune_mode_at(i);
	return NULL;
}

/* Warnings start with the plug-in's path when there is one. */
static void DF_PRINTF(2, 3) mode_warn(const char *origin, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	df_warn("%s%sprune mode %s", origin ? origin : "", origin ? ": " : "", msg);
}

/* Each word of requires must name a known analysis. */
static int check_requires(const char *origin, const struct df_prune_mode *m)
{
	const char *p = m->requires ? m->requires : "";

	while (*p) {
		size_t n = strcspn(p, " ");
		char word[64];

		if (n) {
			snprintf(word, sizeof(word), "%.*s", (int)n, p);
			if (n >= sizeof(word) || !df_analysis_find(word)) {
				mode_warn(origin, "'%s' requires unknown analysis '%.*s'\n",
					  m->name, (int)n, p);
				return -ENOENT;
			}
		}
		p += n;
		p += strspn(p, " ");
	}
	return 0;
}

static int check_mode(const char *origin, const struct df_prune_mode *m)
{
	size_t min = offsetof(struct df_prune_mode, equal) + sizeof(m->equal);
	const char *name = m->sz >= min && m->name ? m->name : "?";

	if (m->sz < min) {
		mode_warn(origin, "'%s': descriptor size %zu is too small (at least %zu)\n",
			  name, m->sz, min);
		return -EINVAL;
	}
	for (size_t i = sizeof(*m); i < m->sz; i++) {
		if (((const unsigned char *)m)[i]) {
			mode_warn(origin, "'%s': descriptor uses fields this libdataflow does "
				  "not know (size %zu > %zu)\n", name, m->sz, sizeof(*m));
			return -EINVAL;
		}
	}
	if (!m->name || !m->name[0]) {
		mode_warn(origin, "descriptor lacks a name\n");
		return -EINVAL;
	}
	if (!m->equal) {
		mode_warn(origin, "'%s': descriptor lacks equal()\n", name);
		return -EINVAL;
	}
	if (df_prune_mode_find(m->name)) {
		mode_warn(origin, "'%s' is already registered\n", name);
		return -EEXIST;
	}
	return check_requires(origin, m);
}

int vf_prune_mode_register(const struct df_prune_mode *m, const char *origin)
{
	int err;

	if (!m)
		return -EINVAL;
	err = check_mode(origin, m);
	if (err)
		return err;
	if (df_array_push(loaded, loaded_cnt))
		return -ENOMEM;
	loaded[loaded_cnt++] = m;
	return 0;
}

int df_prune_mode_load(const char *path, const struct df_prune_mode **out)
{
	const struct df_prune_mode *m;
	void *h;
	int err;

	if (out)
		*out = NULL;
	if (!path)
		return -EINVAL;
	m = df_plugin_sym(path, DF_PRUNE_PLUGIN_SYMBOL, "a pruning-mode", &h);
	if (!m)
		return -ENOENT;
	err = vf_prune_mode_register(m, path);
	if (err) {
		df_plugin_reject(path, h);
		return err;
	}
	if (out)
		*out = m;
	return 0;
}

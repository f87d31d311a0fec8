// SPDX-License-Identifier: BSD-2-Clause
/* Analyses loaded from shared objects (docs/tutorial-plugin.md). */
#include "engine_int.h"

#include <dlfcn.h>

void *df_plugin_sym(const char *path, const char *symbol, const char *what, void **handle)
{
	void *h, *sym;

	*handle = NULL;
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();

		df_warn("%s: cannot load plug-in: %s\n", path, why ? why : "unknown error");
		return NULL;
	}
	sym = dlsym(h, symbol);
	if (!sym) {
		df_warn("%s: not %s plug-in: it does not export '%s'\n", path, what, symbol);
		dlclose(h);
		return NULL;
	}
	*handle = h;
	return sym;
}

void df_plugin_reject(const char *path, void *handle)
{
	df_warn("%s: plug-in rejected\n", path);
	dlclose(handle);
}

int df_plugin_load(const char *path, const struct df_analysis **out)
{
	const struct df_analysis *a;
	void *h;
	int err;

	if (out)
		*out = NULL;
	if (!path)
		return -EINVAL;
	a = df_plugin_sym(path, DF_PLUGIN_SYMBOL, "an analysis", &h);
	if (!a)
		return -ENOENT;
	err = df_analysis_check(a, NULL);
	if (!err)
		err = df_analysis_register(a);
	if (err) {
		df_plugin_reject(path, h);
		return err;
	}
	if (out)
		*out = a;
	return 0;
}

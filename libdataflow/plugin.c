// SPDX-License-Identifier: BSD-2-Clause
/* Analyses loaded from shared objects (docs/tutorial-plugin.md). */
#include "engine_int.h"

#include <dlfcn.h>

int df_plugin_load(const char *path, const struct df_analysis **out)
{
	const struct df_analysis *a;
	void *h;
	int err;

	if (out)
		*out = NULL;
	if (!path)
		return -EINVAL;
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();

		df_warn("%s: cannot load plug-in: %s\n", path, why ? why : "unknown error");
		return -ENOENT;
	}
	a = dlsym(h, DF_PLUGIN_SYMBOL);
	if (!a) {
		df_warn("%s: not an analysis plug-in: it does not export '%s'\n",
			path, DF_PLUGIN_SYMBOL);
		dlclose(h);
		return -ENOENT;
	}
	err = df_analysis_check(a, NULL);
	if (!err)
		err = df_analysis_register(a);
	if (err) {
		df_warn("%s: plug-in rejected\n", path);
		dlclose(h);
		return err;
	}
	if (out)
		*out = a;
	return 0;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/* Raw bytecode (8-byte little-endian instructions) and the post-load check. */
#include "internal.h"

#include <stdio.h>

/*
 * Check a freshly loaded program; an invalid one keeps its diagnostic as
 * err_msg (printed once) and the object still loads.
 */
int df_prog_check_load(struct df_prog *prog)
{
	char why[256];
	long pc;
	int err = df_prog_check_why(prog, &pc, why, sizeof(why));

	if (err != -EINVAL)
		return err;
	df_prog_fail(prog, err, pc, "%s", why);
	return prog->err_msg ? 0 : -ENOMEM;
}

static const char *base_name(const char *path, size_t *len)
{
	const char *b = strrchr(path, '/'), *dot;

	b = b ? b + 1 : path;
	dot = strrchr(b, '.');
	*len = dot && dot != b ? (size_t)(dot - b) : strlen(b);
	return b;
}

int df_raw_open(struct df_object *obj, const void *data, size_t len)
{
	struct df_prog *prog;
	const char *base;
	size_t n;
	int err;

	if (!len) {
		df_err_at(obj->path, NULL, -1, "empty file: no instructions");
		return -EINVAL;
	}
	if (len % sizeof(struct df_insn)) {
		df_err_at(obj->path, NULL, -1,
			  "size %zu is not a multiple of 8: not raw BPF bytecode", len);
		return -EINVAL;
	}
	if (len / sizeof(struct df_insn) > UINT32_MAX) {
		df_err_at(obj->path, NULL, -1, "too many instructions");
		return -E2BIG;
	}
	prog = df_object_add_prog(obj);
	if (!prog)
		return -ENOMEM;
	base = base_name(obj->path, &n);
	prog->name = n ? df_strndup(base, n) : df_strdup("prog");
	prog->insns = malloc(len);
	if (!prog->name || !prog->insns)
		return -ENOMEM;
	memcpy(prog->insns, data, len);
	prog->insn_cnt = (uint32_t)(len / sizeof(struct df_insn));
	err = df_prog_add_func(prog, prog->name, 0, 0, -1, DF_LINKAGE_UNKNOWN, 0);
	if (!err)
		err = df_prog_check_load(prog);
	return err;
}

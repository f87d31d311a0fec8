/* SPDX-License-Identifier: BSD-2-Clause */
/* Raw bytecode (8-byte little-endian instructions) and the post-load check. */
#include "internal.h"

#include <stdio.h>

/*
 * df_prog_check() prints its diagnostic; to keep it as the program's
 * err_msg without printing it twice, the first warning is captured and
 * re-issued through df_prog_fail().
 */
static char captured[512];
static df_print_fn outer_print;

static int capture(enum df_print_level level, const char *fmt, va_list ap)
{
	if (level == DF_WARN && !captured[0]) {
		vsnprintf(captured, sizeof(captured), fmt, ap);
		return 0;
	}
	return outer_print ? outer_print(level, fmt, ap) : 0;
}

int df_prog_check_load(struct df_prog *prog)
{
	const char *file = prog->obj && prog->obj->path ? prog->obj->path : "<input>";
	char prefix[600], *msg;
	size_t n;
	long pc = -1;
	int err;

	captured[0] = 0;
	outer_print = df_set_print(capture);
	err = df_prog_check(prog);
	df_set_print(outer_print);
	outer_print = NULL;
	if (!err)
		return 0;
	msg = captured;
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = 0;
	if (prog->section)
		snprintf(prefix, sizeof(prefix), "%s: section '%s': ", file, prog->section);
	else
		snprintf(prefix, sizeof(prefix), "%s: ", file);
	if (!strncmp(msg, prefix, strlen(prefix)))
		msg += strlen(prefix);
	if (!strncmp(msg, "pc ", 3)) {
		char *end;

		pc = strtol(msg + 3, &end, 10);
		if (end != msg + 3 && !strncmp(end, ": ", 2))
			msg = end + 2;
		else
			pc = -1;
	}
	df_prog_fail(prog, err, pc, "%s", msg[0] ? msg : "invalid program");
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

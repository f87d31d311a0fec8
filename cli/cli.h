/* SPDX-License-Identifier: BSD-2-Clause */
/* The bpfdf command line: shared option handling, selection and JSON. */
#ifndef BPFDF_CLI_H
#define BPFDF_CLI_H

#include "dataflow.h"

#include <getopt.h>
#include <stdio.h>

/* Documented exit codes. */
enum {
	EXIT_OK = 0,
	EXIT_REJECTED = 1,	/* the input was rejected: a bad program */
	EXIT_USAGE = 2,		/* usage or I/O error */
};

enum cli_format { FMT_TEXT, FMT_JSON };

/* Options every command that reads a program accepts. */
struct cli_input {
	const char *path;
	const char *prog;	/* --prog NAME */
	const char *type;	/* --type TYPE */
	enum df_input_kind kind;	/* --input elf|raw|asm */
	enum cli_format format;		/* text, or json */
	unsigned format_idx;		/* --format as an index into the command's formats */
};

/* A command's options and help, for cli_parse(). */
struct cli_cmd {
	const char *name;
	bool input_opts;		/* takes --prog, --type, --input, --format */
	/* --format values, text first; NULL: text and json */
	const char *const *formats;
	const char *shortopts;		/* the command's own, e.g. "anL" */
	const struct option *longopts;	/* the command's own, {0}-terminated, or NULL */
	/* one of the command's own options: 0, or an exit code to stop with */
	int (*opt)(void *cookie, int opt, const char *arg);
	void (*help)(void);
};

/*
 * Parse argv: the command's options, the shared input options, --help,
 * and exactly one FILE (in->path). Returns -1 to go on, or the exit code
 * to return (EXIT_OK after --help).
 */
int cli_parse(const struct cli_cmd *cmd, int argc, char **argv,
	      struct cli_input *in, void *cookie);

/* Open in->path; returns an exit code. */
int cli_open(const struct cli_input *in, struct df_object **obj);

/*
 * The programs a command works on: the one named by --prog, or all.
 * Programs that failed to load are skipped with their diagnostic already
 * printed; *bad counts them. Returns an exit code.
 */
int cli_select(const struct cli_input *in, struct df_object *obj,
	       struct df_prog ***progs, uint32_t *cnt, uint32_t *bad);

/* The final status: rejected when a program failed or loading reported problems. */
int cli_status(int rc, uint32_t bad, const struct df_object *obj);

void cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
extern const char *cli_progname;

/* JSON writer: enough for our output, strings escaped per RFC 8259. */
struct json {
	FILE *f;
	int depth;
	bool need_comma[32];
};
void json_begin(struct json *j, FILE *f);
void json_end(struct json *j);
void json_obj_open(struct json *j, const char *key);	/* key NULL inside arrays */
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_int(struct json *j, const char *key, long long val);
void json_uint(struct json *j, const char *key, unsigned long long val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);

/* Type names for printing; "unknown" instead of NULL. */
const char *cli_prog_type(uint32_t type);
const char *cli_map_type(uint32_t type);

/* Commands */
int cmd_disasm(int argc, char **argv);
int cmd_asm(int argc, char **argv);
int cmd_cfg(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_verify(int argc, char **argv);

#endif

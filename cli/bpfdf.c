/* SPDX-License-Identifier: BSD-2-Clause */
/* bpfdf: command dispatch and the options shared by all commands. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

const char *cli_progname = "bpfdf";

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "list", cmd_list, "list the programs, functions and maps of an object" },
	{ "disasm", cmd_disasm, "disassemble in kernel verifier-log syntax" },
	{ "asm", cmd_asm, "assemble text into a BPF ELF object or raw bytecode" },
	{ "cfg", cmd_cfg, "print subprograms, basic blocks, edges and the call graph" },
	{ "analyze", cmd_analyze, "run dataflow analyses and annotate the disassembly" },
	{ "verify", cmd_verify, "verify every path of each program; pruning statistics" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: bpfdf COMMAND [OPTIONS] FILE\n"
		"       bpfdf COMMAND --help\n"
		"\n"
		"Static analysis of eBPF bytecode. FILE is a BPF ELF object (clang -target bpf),\n"
		"raw bytecode (8-byte little-endian instructions) or assembly text.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\n"
		"Options shared by the commands that read a program:\n"
		"  -p, --prog NAME     only the program NAME (function or section name)\n"
		"  -t, --type TYPE     program type instead of the one guessed from the section\n"
		"  -I, --input KIND    elf, raw or asm instead of guessing from the content\n"
		"  -f, --format FMT    text (default) or json\n"
		"\n"
		"Exit status: 0 success, 1 the input was rejected (bad program or object),\n"
		"2 usage or I/O error.\n");
}

void cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s%s%s: ", cli_progname, cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s %s%s--help'.\n", cli_progname, cmd ? cmd : "",
		cmd ? " " : "");
}

static const char *const text_json[] = { "text", "json", NULL };

static int input_opt(const struct cli_cmd *cmd, struct cli_input *in, int opt,
		     const char *arg)
{
	const char *const *formats = cmd->formats ? cmd->formats : text_json;
	unsigned i;

	switch (opt) {
	case 'p':
		in->prog = arg;
		return 0;
	case 't':
		in->type = arg;
		return 0;
	case 'I':
		if (!strcmp(arg, "elf"))
			in->kind = DF_INPUT_ELF;
		else if (!strcmp(arg, "raw"))
			in->kind = DF_INPUT_RAW;
		else if (!strcmp(arg, "asm"))
			in->kind = DF_INPUT_ASM;
		else {
			fprintf(stderr, "%s: unknown input kind '%s' (elf, raw or asm)\n",
				cli_progname, arg);
			return EXIT_USAGE;
		}
		return 0;
	case 'f':
		for (i = 0; formats[i]; i++) {
			if (strcmp(arg, formats[i]))
				continue;
			in->format_idx = i;
			in->format = strcmp(arg, "json") ? FMT_TEXT : FMT_JSON;
			return 0;
		}
		fprintf(stderr, "%s %s: unknown format '%s' (", cli_progname, cmd->name, arg);
		for (i = 0; formats[i]; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", formats[i]);
		fprintf(stderr, ")\n");
		return EXIT_USAGE;
	}
	return EXIT_USAGE;
}

static const struct option input_longopts[] = {
	{ "prog", required_argument, NULL, 'p' },
	{ "type", required_argument, NULL, 't' },
	{ "input", required_argument, NULL, 'I' },
	{ "format", required_argument, NULL, 'f' },
};

int cli_parse(const struct cli_cmd *cmd, int argc, char **argv,
	      struct cli_input *in, void *cookie)
{
	struct option opts[32];
	char shortopts[64];
	size_t n = 0, i;
	int c, rc;

	snprintf(shortopts, sizeof(shortopts), "h%s%s", cmd->input_opts ? "p:t:I:f:" : "",
		 cmd->shortopts ? cmd->shortopts : "");
	if (cmd->input_opts)
		for (i = 0; i < sizeof(input_longopts) / sizeof(input_longopts[0]); i++)
			opts[n++] = input_longopts[i];
	for (i = 0; cmd->longopts && cmd->longopts[i].name && n < 30; i++)
		opts[n++] = cmd->longopts[i];
	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n] = (struct option){ 0 };

	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		if (c == 'h') {
			cmd->help();
			return EXIT_OK;
		}
		if (c == '?')
			return EXIT_USAGE;
		if (cmd->input_opts && strchr("ptIf", c))
			rc = input_opt(cmd, in, c, optarg);
		else
			rc = cmd->opt ? cmd->opt(cookie, c, optarg) : EXIT_USAGE;
		if (rc)
			return rc;
	}
	if (optind != argc - 1) {
		cli_usage_error(cmd->name, "expected one FILE");
		return EXIT_USAGE;
	}
	in->path = argv[optind];
	return -1;
}

int cli_open(const struct cli_input *in, struct df_object **obj)
{
	DF_OPTS(df_open_opts, opts, .kind = in->kind, .prog_type = in->type);
	int err;

	err = df_object_open(in->path, &opts, obj);
	if (!err)
		return EXIT_OK;
	switch (-err) {
	case ENOENT:
	case EACCES:
	case EISDIR:
	case EIO:
	case ENOMEM:
		return EXIT_USAGE;
	default:
		return EXIT_REJECTED;
	}
}

int cli_select(const struct cli_input *in, struct df_object *obj,
	       struct df_prog ***progs, uint32_t *cnt, uint32_t *bad)
{
	struct df_prog **v;
	uint32_t i, n = 0;

	*progs = NULL;
	*cnt = 0;
	*bad = 0;
	if (in->prog) {
		struct df_prog *p = df_object_find_prog(obj, in->prog);

		if (!p) {
			fprintf(stderr, "%s: no program '%s' in %s; it has:", cli_progname,
				in->prog, obj->path);
			for (i = 0; i < obj->prog_cnt; i++)
				fprintf(stderr, " %s", obj->progs[i].name);
			fprintf(stderr, "\n");
			return EXIT_USAGE;
		}
		if (p->err) {
			fprintf(stderr, "%s: program '%s' could not be loaded: %s\n",
				obj->path, p->name, p->err_msg ? p->err_msg : strerror(-p->err));
			*bad = 1;
			return EXIT_REJECTED;
		}
		v = malloc(sizeof(*v));
		if (!v)
			return EXIT_USAGE;
		v[0] = p;
		*progs = v;
		*cnt = 1;
		return EXIT_OK;
	}
	v = calloc(obj->prog_cnt ? obj->prog_cnt : 1, sizeof(*v));
	if (!v)
		return EXIT_USAGE;
	for (i = 0; i < obj->prog_cnt; i++) {
		if (obj->progs[i].err) {
			(*bad)++;
			continue;
		}
		v[n++] = &obj->progs[i];
	}
	*progs = v;
	*cnt = n;
	if (!n) {
		fprintf(stderr, "%s: no program could be loaded\n", obj->path);
		return EXIT_REJECTED;
	}
	return EXIT_OK;
}

const char *cli_prog_type(uint32_t type)
{
	const char *s = df_prog_type_name(type);

	return s ? s : "unknown";
}

const char *cli_map_type(uint32_t type)
{
	const char *s = df_map_type_name(type);

	return s ? s : "unknown";
}

int cli_status(int rc, uint32_t bad, const struct df_object *obj)
{
	if (!rc && (bad || (obj && obj->warn_cnt)))
		return EXIT_REJECTED;
	return rc;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("bpfdf %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	cli_usage_error(NULL, "unknown command '%s'", argv[1]);
	return EXIT_USAGE;
}

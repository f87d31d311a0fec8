/* SPDX-License-Identifier: BSD-2-Clause */
/* bpfdf asm: assembly text to a BPF ELF object or raw bytecode. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
	printf("Usage: bpfdf asm [OPTIONS] FILE\n"
	       "\n"
	       "Assemble FILE (the syntax of the kernel verifier log, see\n"
	       "docs/asm-syntax.md) into a BPF ELF object with BTF for its functions,\n"
	       "or into raw bytecode.\n"
	       "\n"
	       "  -o, --output OUT    output file (default: FILE with .o, or .bin with --raw)\n"
	       "  -r, --raw           write raw 8-byte instructions of one program\n"
	       "  -p, --prog NAME     with --raw: the program to write (default: the only one)\n");
}

static char *default_output(const char *in, const char *ext)
{
	const char *slash = strrchr(in, '/');
	const char *dot = strrchr(in, '.');
	size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - in) : strlen(in);
	char *out = malloc(stem + strlen(ext) + 1);

	if (!out)
		return NULL;
	memcpy(out, in, stem);
	strcpy(out + stem, ext);
	return out;
}

struct asm_args {
	struct cli_input *in;
	const char *out;
	bool raw;
};

static int asm_opt(void *cookie, int opt, const char *arg)
{
	struct asm_args *a = cookie;

	switch (opt) {
	case 'o':
		a->out = arg;
		return 0;
	case 'r':
		a->raw = true;
		return 0;
	case 'p':
		a->in->prog = arg;
		return 0;
	}
	return EXIT_USAGE;
}

int cmd_asm(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "raw", no_argument, NULL, 'r' },
		{ "prog", required_argument, NULL, 'p' },
		{ 0 }
	};
	static const struct cli_cmd cmd = {
		.name = "asm", .shortopts = "o:rp:", .longopts = longopts,
		.opt = asm_opt, .help = help,
	};
	struct cli_input in = { .kind = DF_INPUT_ASM };
	struct asm_args args = { .in = &in };
	const char *out;
	char *def = NULL;
	struct df_object *obj;
	struct df_prog *prog = NULL;
	bool raw;
	int rc, err;

	rc = cli_parse(&cmd, argc, argv, &in, &args);
	if (rc >= 0)
		return rc;
	out = args.out;
	raw = args.raw;
	if (!out) {
		def = default_output(in.path, raw ? ".bin" : ".o");
		if (!def)
			return EXIT_USAGE;
		if (!strcmp(def, in.path)) {
			cli_usage_error("asm", "output would overwrite the input; use -o");
			free(def);
			return EXIT_USAGE;
		}
		out = def;
	}
	rc = cli_open(&in, &obj);
	if (rc) {
		free(def);
		return rc;
	}
	if (raw) {
		if (in.prog) {
			prog = df_object_find_prog(obj, in.prog);
			if (!prog)
				fprintf(stderr, "%s: no program '%s'\n", in.path, in.prog);
		} else if (obj->prog_cnt == 1) {
			prog = &obj->progs[0];
		} else {
			fprintf(stderr, "%s: %u programs; choose one with --prog for --raw\n",
				in.path, obj->prog_cnt);
		}
		err = prog ? df_prog_write_raw(prog, out) : -EINVAL;
		rc = prog ? (err ? EXIT_USAGE : EXIT_OK) : EXIT_USAGE;
	} else {
		err = df_object_write_elf(obj, out);
		rc = err ? EXIT_USAGE : EXIT_OK;
	}
	df_object_free(obj);
	free(def);
	return rc;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/* bpfdf disasm: kernel verifier-log syntax, text or JSON. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void dump_json(struct json *j, const struct df_prog *p)
{
	char buf[256];
	uint32_t pc, li = 0;

	json_obj_open(j, NULL);
	json_str(j, "name", p->name);
	json_str(j, "section", p->section);
	json_str(j, "type", cli_prog_type(p->type));
	json_uint(j, "insn_cnt", p->insn_cnt);
	json_arr_open(j, "insns");
	for (pc = 0; pc < p->insn_cnt; pc += df_insn_slots(&p->insns[pc])) {
		const struct df_func *f = df_prog_func_at(p, pc);

		while (li < p->line_cnt && p->lines[li].pc < pc)
			li++;
		df_insn_snprint(buf, sizeof(buf), p, p->insns, p->insn_cnt, pc);
		json_obj_open(j, NULL);
		json_uint(j, "pc", pc);
		json_uint(j, "code", p->insns[pc].code);
		json_str(j, "text", buf);
		if (f && f->start == pc)
			json_str(j, "func", f->name);
		if (li < p->line_cnt && p->lines[li].pc == pc) {
			json_obj_open(j, "line");
			json_str(j, "file", p->lines[li].file);
			json_uint(j, "line", p->lines[li].line);
			json_uint(j, "col", p->lines[li].col);
			json_str(j, "text", p->lines[li].text);
			json_obj_close(j);
		}
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}

static void help(void)
{
	printf("Usage: bpfdf disasm [OPTIONS] FILE\n"
	       "\n"
	       "Disassemble every program of FILE (or the one named by --prog) in the\n"
	       "kernel verifier-log syntax, with function labels and, when the object\n"
	       "has BTF line info, source lines.\n"
	       "\n"
	       "  -p, --prog NAME     only this program\n"
	       "  -f, --format FMT    text (default) or json\n"
	       "  -a, --asm           print assembler directives too, so that\n"
	       "                      'bpfdf asm' reads the output back\n"
	       "  -n, --no-opcodes    omit the \"pc: (op)\" prefix (ld_imm64 then ends in 'll')\n"
	       "  -L, --no-lines      omit source lines\n"
	       "  -t, --type TYPE     program type instead of the guessed one\n"
	       "  -I, --input KIND    elf, raw or asm instead of guessing\n"
	       "\n"
	       "Programs that could not be loaded are reported on stderr; the exit status\n"
	       "is then 1.\n");
}

static int disasm_opt(void *cookie, int opt, const char *arg)
{
	struct df_dump_opts *dopts = cookie;

	switch (opt) {
	case 'a':
		dopts->directives = true;
		return 0;
	case 'n':
		dopts->no_prefix = true;
		return 0;
	case 'L':
		dopts->no_lines = true;
		return 0;
	}
	return EXIT_USAGE;
}

int cmd_disasm(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "asm", no_argument, NULL, 'a' },
		{ "no-opcodes", no_argument, NULL, 'n' },
		{ "no-lines", no_argument, NULL, 'L' },
		{ 0 }
	};
	static const struct cli_cmd cmd = {
		.name = "disasm", .input_opts = true, .shortopts = "anL",
		.longopts = longopts, .opt = disasm_opt, .help = help,
	};
	DF_OPTS(df_dump_opts, dopts);
	struct cli_input in = { 0 };
	struct df_object *obj;
	struct df_prog **progs;
	uint32_t i, cnt, bad;
	int rc;

	rc = cli_parse(&cmd, argc, argv, &in, &dopts);
	if (rc >= 0)
		return rc;
	rc = cli_open(&in, &obj);
	if (rc)
		return rc;
	rc = cli_select(&in, obj, &progs, &cnt, &bad);
	if (in.format == FMT_JSON) {
		struct json j;

		json_begin(&j, stdout);
		json_obj_open(&j, NULL);
		json_str(&j, "file", obj->path);
		json_arr_open(&j, "programs");
		for (i = 0; i < cnt; i++)
			dump_json(&j, progs[i]);
		json_arr_close(&j);
		json_obj_close(&j);
		json_end(&j);
	} else if (dopts.directives) {
		df_object_dump(stdout, obj, progs, cnt, &dopts);
	} else {
		for (i = 0; i < cnt; i++) {
			const struct df_prog *p = progs[i];

			printf("%s; program %s, section %s, type %s, %u insns\n",
			       i ? "\n" : "", p->name, p->section ? p->section : "-",
			       cli_prog_type(p->type), p->insn_cnt);
			df_prog_dump(stdout, p, &dopts);
		}
	}
	rc = cli_status(rc, bad, obj);
	free(progs);
	df_object_free(obj);
	return rc;
}

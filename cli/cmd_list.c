/* SPDX-License-Identifier: BSD-2-Clause */
/* bpfdf list: programs, functions and maps of an object. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char *linkage_name(enum df_linkage l)
{
	switch (l) {
	case DF_LINKAGE_STATIC: return "static";
	case DF_LINKAGE_GLOBAL: return "global";
	default: return "unknown";
	}
}

static const char *origin_name(enum df_map_origin o)
{
	switch (o) {
	case DF_MAP_BTF: return "btf";
	case DF_MAP_LEGACY: return "legacy";
	case DF_MAP_DATA: return "data";
	default: return "asm";
	}
}

static const char *kind_name(enum df_input_kind k)
{
	switch (k) {
	case DF_INPUT_ELF: return "elf";
	case DF_INPUT_RAW: return "raw";
	case DF_INPUT_ASM: return "asm";
	default: return "auto";
	}
}

static void print_text(const struct df_object *obj)
{
	uint32_t i, k;

	printf("%s: %s object, license %s, %u program%s, %u map%s\n", obj->path,
	       kind_name(obj->kind), obj->license ? obj->license : "(none)",
	       obj->prog_cnt, obj->prog_cnt == 1 ? "" : "s", obj->map_cnt,
	       obj->map_cnt == 1 ? "" : "s");
	for (i = 0; i < obj->prog_cnt; i++) {
		const struct df_prog *p = &obj->progs[i];

		printf("prog %s  section %s  type %s  insns %u", p->name,
		       p->section ? p->section : "-", cli_prog_type(p->type),
		       p->insn_cnt);
		if (p->err)
			printf("  error: %s", p->err_msg ? p->err_msg : strerror(-p->err));
		printf("\n");
		for (k = 0; k < p->func_cnt; k++) {
			const struct df_func *f = &p->funcs[k];

			printf("  func %s  pc %u  len %u  args ", f->name ? f->name : "-",
			       f->start, f->len);
			if (f->arg_cnt < 0)
				printf("?");
			else
				printf("%d", f->arg_cnt);
			printf("  %s\n", linkage_name(f->linkage));
		}
		for (k = 0; k < p->kfunc_cnt; k++) {
			const struct df_kfunc *kf = &p->kfuncs[k];

			printf("  kfunc %s  id %d  args %d\n", kf->name ? kf->name : "-",
			       kf->btf_id, kf->arg_cnt);
		}
		if (p->map_ref_cnt)
			printf("  map references %u\n", p->map_ref_cnt);
	}
	for (i = 0; i < obj->map_cnt; i++) {
		const struct df_map *m = &obj->maps[i];

		printf("map %u %s  type %s  key %u  value %u  max %u  flags 0x%x  (%s)\n", i,
		       m->name ? m->name : "-", cli_map_type(m->type), m->key_size,
		       m->value_size, m->max_entries, m->flags, origin_name(m->origin));
	}
}

static void print_json(const struct df_object *obj)
{
	struct json j;
	uint32_t i, k;

	json_begin(&j, stdout);
	json_obj_open(&j, NULL);
	json_str(&j, "file", obj->path);
	json_str(&j, "kind", kind_name(obj->kind));
	json_str(&j, "license", obj->license);
	json_uint(&j, "warnings", obj->warn_cnt);
	json_arr_open(&j, "programs");
	for (i = 0; i < obj->prog_cnt; i++) {
		const struct df_prog *p = &obj->progs[i];

		json_obj_open(&j, NULL);
		json_str(&j, "name", p->name);
		json_str(&j, "section", p->section);
		json_str(&j, "type", cli_prog_type(p->type));
		json_uint(&j, "insns", p->insn_cnt);
		if (p->err)
			json_str(&j, "error", p->err_msg ? p->err_msg : strerror(-p->err));
		json_arr_open(&j, "funcs");
		for (k = 0; k < p->func_cnt; k++) {
			const struct df_func *f = &p->funcs[k];

			json_obj_open(&j, NULL);
			json_str(&j, "name", f->name);
			json_uint(&j, "start", f->start);
			json_uint(&j, "len", f->len);
			json_int(&j, "args", f->arg_cnt);
			json_str(&j, "linkage", linkage_name(f->linkage));
			json_obj_close(&j);
		}
		json_arr_close(&j);
		json_arr_open(&j, "kfuncs");
		for (k = 0; k < p->kfunc_cnt; k++) {
			json_obj_open(&j, NULL);
			json_str(&j, "name", p->kfuncs[k].name);
			json_int(&j, "btf_id", p->kfuncs[k].btf_id);
			json_int(&j, "args", p->kfuncs[k].arg_cnt);
			json_obj_close(&j);
		}
		json_arr_close(&j);
		json_arr_open(&j, "map_refs");
		for (k = 0; k < p->map_ref_cnt; k++) {
			json_obj_open(&j, NULL);
			json_uint(&j, "pc", p->map_refs[k].pc);
			json_uint(&j, "map", p->map_refs[k].map);
			json_obj_close(&j);
		}
		json_arr_close(&j);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_arr_open(&j, "maps");
	for (i = 0; i < obj->map_cnt; i++) {
		const struct df_map *m = &obj->maps[i];

		json_obj_open(&j, NULL);
		json_str(&j, "name", m->name);
		json_str(&j, "type", cli_map_type(m->type));
		json_uint(&j, "key_size", m->key_size);
		json_uint(&j, "value_size", m->value_size);
		json_uint(&j, "max_entries", m->max_entries);
		json_uint(&j, "flags", m->flags);
		json_str(&j, "origin", origin_name(m->origin));
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_obj_close(&j);
	json_end(&j);
}

static void help(void)
{
	printf("Usage: bpfdf list [--format text|json] [--input KIND] [--type TYPE] FILE\n"
	       "\n"
	       "List the programs of FILE with their section, type, size, functions\n"
	       "(argument counts and linkage from BTF), kfuncs and map references,\n"
	       "then the maps. Programs that could not be loaded are listed with the\n"
	       "reason. Exit status 0 when the object could be read.\n");
}

int cmd_list(int argc, char **argv)
{
	static const struct cli_cmd cmd = { .name = "list", .input_opts = true, .help = help };
	struct cli_input in = { 0 };
	struct df_object *obj;
	int rc;

	rc = cli_parse(&cmd, argc, argv, &in, NULL);
	if (rc >= 0)
		return rc;
	rc = cli_open(&in, &obj);
	if (rc)
		return rc;
	if (in.format == FMT_JSON)
		print_json(obj);
	else
		print_text(obj);
	df_object_free(obj);
	return EXIT_OK;
}

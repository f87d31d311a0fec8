/* SPDX-License-Identifier: BSD-2-Clause */
/* bpfdf cfg: subprograms, basic blocks, edges and the call graph. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char *subprog_kind(enum df_subprog_kind k)
{
	switch (k) {
	case DF_SUBPROG_MAIN: return "main";
	case DF_SUBPROG_CALLED: return "called";
	default: return "callback";
	}
}

static void cfg_json(struct json *j, const struct df_prog *p, const struct df_cfg *g)
{
	uint32_t i, k;

	json_obj_open(j, NULL);
	json_str(j, "name", p->name);
	json_str(j, "section", p->section);
	json_uint(j, "insn_cnt", p->insn_cnt);
	json_uint(j, "max_call_depth", g->max_call_depth);
	json_arr_open(j, "subprogs");
	for (i = 0; i < g->subprog_cnt; i++) {
		const struct df_subprog *s = &g->subprogs[i];

		json_obj_open(j, NULL);
		json_uint(j, "id", i);
		json_str(j, "name", s->name);
		json_str(j, "kind", subprog_kind(s->kind));
		json_uint(j, "start", s->start);
		json_uint(j, "end", s->end);
		json_int(j, "args", s->arg_cnt);
		json_uint(j, "first_block", s->first_block);
		json_uint(j, "block_cnt", s->block_cnt);
		json_arr_open(j, "rpo");
		for (k = 0; k < s->rpo_cnt; k++)
			json_uint(j, NULL, s->rpo[k]);
		json_arr_close(j);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_arr_open(j, "blocks");
	for (i = 0; i < g->block_cnt; i++) {
		const struct df_block *b = &g->blocks[i];

		json_obj_open(j, NULL);
		json_uint(j, "id", i);
		json_uint(j, "start", b->start);
		json_uint(j, "end", b->end);
		json_uint(j, "subprog", b->subprog);
		json_bool(j, "reachable", b->reachable);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_arr_open(j, "edges");
	for (i = 0; i < g->edge_cnt; i++) {
		const struct df_edge *e = &g->edges[i];

		json_obj_open(j, NULL);
		json_uint(j, "from", e->from);
		json_uint(j, "to", e->to);
		json_str(j, "kind", df_edge_kind_name(e->kind));
		json_bool(j, "back", e->back);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_arr_open(j, "calls");
	for (i = 0; i < g->call_cnt; i++) {
		const struct df_call *c = &g->calls[i];

		json_obj_open(j, NULL);
		json_uint(j, "pc", c->pc);
		json_uint(j, "caller", c->caller);
		json_uint(j, "callee", c->callee);
		json_bool(j, "callback", c->callback);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_arr_open(j, "topo");
	for (i = 0; i < g->subprog_cnt; i++)
		json_uint(j, NULL, g->topo[i]);
	json_arr_close(j);
	json_obj_close(j);
}

static void help(void)
{
	printf("Usage: bpfdf cfg [OPTIONS] FILE\n"
	       "\n"
	       "Build the control-flow graph of each program and print its subprograms,\n"
	       "basic blocks, edges (fallthrough, taken, call, return; back edges marked),\n"
	       "unreachable blocks and the call graph in topological order. The kernel's\n"
	       "checks at this stage (jump out of a subprogram, last insn not exit or jmp,\n"
	       "recursion, call chain deeper than 8 frames) reject the program with exit 1.\n"
	       "\n"
	       "  -p, --prog NAME     only this program\n"
	       "  -f, --format FMT    text (default) or json\n"
	       "  -t, --type TYPE     program type instead of the guessed one\n"
	       "  -I, --input KIND    elf, raw or asm instead of guessing\n");
}

int cmd_cfg(int argc, char **argv)
{
	static const struct cli_cmd cmd = { .name = "cfg", .input_opts = true, .help = help };
	struct cli_input in = { 0 };
	struct df_object *obj;
	struct df_prog **progs;
	uint32_t i, cnt, bad;
	struct json j;
	int rc;

	rc = cli_parse(&cmd, argc, argv, &in, NULL);
	if (rc >= 0)
		return rc;
	rc = cli_open(&in, &obj);
	if (rc)
		return rc;
	rc = cli_select(&in, obj, &progs, &cnt, &bad);
	if (in.format == FMT_JSON) {
		json_begin(&j, stdout);
		json_obj_open(&j, NULL);
		json_str(&j, "file", obj->path);
		json_arr_open(&j, "programs");
	}
	for (i = 0; i < cnt; i++) {
		struct df_cfg *g;

		if (df_cfg_build(progs[i], &g)) {
			bad++;
			continue;
		}
		if (in.format == FMT_JSON) {
			cfg_json(&j, progs[i], g);
		} else {
			printf("%s; program %s, section %s\n", i ? "\n" : "", progs[i]->name,
			       progs[i]->section ? progs[i]->section : "-");
			df_cfg_dump(stdout, g);
		}
		df_cfg_free(g);
	}
	if (in.format == FMT_JSON) {
		json_arr_close(&j);
		json_obj_close(&j);
		json_end(&j);
	}
	rc = cli_status(rc, bad, obj);
	free(progs);
	df_object_free(obj);
	return rc;
}

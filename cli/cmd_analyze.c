/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfdf analyze: run dataflow analyses over each program and print the
 * disassembly annotated per instruction, the kernel's stack use/def and
 * register-liveness listings, plug-in states, the engine's events.
 */
#include "cli.h"
#include "annotate.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAMES 32
#define DEFAULT_ANALYSES "regs,argtrack,stack"

struct analyze {
	struct cli_input in;
	const char *names[MAX_NAMES];
	uint32_t name_cnt;
	char *list;		/* strdup of the -a argument, names point into it */
	bool trace;
	struct json j;
	FILE *out;
};

static void help(void)
{
	printf("Usage: bpfdf analyze [OPTIONS] FILE\n"
	       "\n"
	       "Run dataflow analyses (default: " DEFAULT_ANALYSES ") over each program\n"
	       "and print the disassembly annotated per instruction: live registers, the\n"
	       "arg-tracking values that change, stack use/def/live-before in half-slots;\n"
	       "then one stack use/def block per instance and the kernel's register\n"
	       "liveness listing. Other analyses print their state before each insn.\n"
	       "\n"
	       "  -a, --analyses LIST  comma-separated analysis names\n"
	       "  -P, --plugin PATH    load an analysis from a shared object (repeatable)\n"
	       "  -T, --trace          print the engine's events, one per line\n"
	       "  -p, --prog NAME      only this program\n"
	       "  -f, --format FMT     text (default) or json\n"
	       "  -t, --type TYPE      program type instead of the guessed one\n"
	       "  -I, --input KIND     elf, raw or asm instead of guessing\n"
	       "\n"
	       "Exit status: 0 success, 1 a program was rejected (invalid program, analysis\n"
	       "over its complexity budget), 2 usage or I/O error.\n");
}

static void list_known(FILE *f)
{
	uint32_t i, n = df_analysis_cnt();

	fprintf(f, "known analyses:");
	for (i = 0; i < n; i++)
		fprintf(f, "%s %s", i ? "," : "", df_analysis_at(i)->name);
	fprintf(f, "\n");
}

static int add_names(struct analyze *az, const char *arg)
{
	char *p, *save = NULL, *tok;

	free(az->list);
	az->list = strdup(arg);
	if (!az->list)
		return EXIT_USAGE;
	az->name_cnt = 0;
	for (p = az->list; (tok = strtok_r(p, ",", &save)); p = NULL) {
		if (az->name_cnt == MAX_NAMES) {
			cli_usage_error("analyze", "more than %d analyses", MAX_NAMES);
			return EXIT_USAGE;
		}
		az->names[az->name_cnt++] = tok;
	}
	if (!az->name_cnt) {
		cli_usage_error("analyze", "no analysis named in '%s'", arg);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static bool selected(const struct analyze *az, const char *name)
{
	uint32_t i;

	for (i = 0; i < az->name_cnt; i++)
		if (!strcmp(az->names[i], name))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Trace                                                              */
/* ------------------------------------------------------------------ */

static const char *event_name(enum df_event_kind k)
{
	static const char *const names[] = {
		[DF_EV_VISIT] = "visit", [DF_EV_TRANSFER] = "transfer",
		[DF_EV_JOIN] = "join", [DF_EV_WIDEN] = "widen", [DF_EV_CALL] = "call",
		[DF_EV_RETURN] = "return", [DF_EV_CONVERGED] = "converged",
		[DF_EV_BUDGET] = "budget",
	};

	return (unsigned)k < sizeof(names) / sizeof(names[0]) && names[k] ? names[k] : "?";
}

static void trace_event(void *cookie, const struct df_ctx *c, const struct df_event *ev)
{
	struct analyze *az = cookie;
	const struct df_analysis *a = df_solver_analysis(c->solver);
	/* JSON owns stdout: events go to stderr then. */
	FILE *f = az->in.format == FMT_JSON ? stderr : az->out;

	fprintf(f, "trace %s #%llu %s ctx %u block %u pc ", a->name,
		(unsigned long long)ev->step, event_name(ev->kind), ev->context, ev->block);
	/* A join into an entry block comes from the boundary, not an insn. */
	if (ev->pc == UINT32_MAX)
		fprintf(f, "entry");
	else
		fprintf(f, "%u", ev->pc);
	if (ev->kind == DF_EV_JOIN || ev->kind == DF_EV_WIDEN)
		fprintf(f, "->%u", ev->to_pc);
	if (ev->old_state && ev->new_state && a->print) {
		char *o = an_state_str(c, ev->old_state), *n = an_state_str(c, ev->new_state);

		fprintf(f, ": %s -> %s", o ? o : "?", n ? n : "?");
		free(o);
		free(n);
	}
	if (ev->kind == DF_EV_JOIN || ev->kind == DF_EV_WIDEN)
		fprintf(f, "%s", ev->changed ? " (changed)" : " (unchanged)");
	fputc('\n', f);
}

/* ------------------------------------------------------------------ */
/* Text                                                               */
/* ------------------------------------------------------------------ */

struct run {
	struct analyze *az;
	const struct df_prog *prog;
	const struct df_cfg *cfg;
	const struct df_solver *regs, *args, *stack;
};

static void text_insn(const struct run *r, uint32_t pc)
{
	struct df_halves use[DF_MAX_CALL_FRAMES], def[DF_MAX_CALL_FRAMES],
		live[DF_MAX_CALL_FRAMES];
	char insn[160], buf[2048];
	FILE *f = r->az->out;
	int col;

	an_insn_str(insn, sizeof(insn), r->prog, pc);
	col = fprintf(f, "%5u: %s", pc, insn);
	fprintf(f, "%*s;", col < 47 ? 47 - col : 1, "");
	if (r->regs) {
		uint16_t m;

		if (df_regs_live_before(r->regs, pc, &m))
			fprintf(f, " regs: unreached");
		else {
			an_regs_str(buf, m);
			fprintf(f, " regs: %s", buf);
		}
	}
	if (r->args) {
		struct df_argtrack_state *b = malloc(sizeof(*b)), *a = malloc(sizeof(*a));

		if (b && a && !an_args_at(r->args, pc, false, false, 0, 0, b) &&
		    !an_args_at(r->args, pc, true, false, 0, 0, a)) {
			an_args_changes(buf, sizeof(buf), b, a);
			if (buf[0])
				fprintf(f, " args: %s", buf);
		}
		free(a);
		free(b);
	}
	if (r->stack && an_stack_at(r->stack, r->cfg, pc, use, def, live)) {
		an_halves_frames(buf, sizeof(buf), use, DF_MAX_CALL_FRAMES);
		if (buf[0])
			fprintf(f, " use: %s", buf);
		an_halves_frames(buf, sizeof(buf), def, DF_MAX_CALL_FRAMES);
		if (buf[0])
			fprintf(f, " def: %s", buf);
		an_halves_frames(buf, sizeof(buf), live, DF_MAX_CALL_FRAMES);
		if (buf[0])
			fprintf(f, " live: %s", buf);
	}
	fputc('\n', f);
}

struct walk_out {
	struct analyze *az;
	bool json;
};

static int walk_state(void *cookie, const struct df_ctx *c, uint32_t pc,
		      const void *before, const void *after)
{
	struct walk_out *w = cookie;
	char insn[160], *s = an_state_str(c, before);

	(void)after;
	if (!s)
		return -ENOMEM;
	if (w->json) {
		json_obj_open(&w->az->j, NULL);
		json_uint(&w->az->j, "pc", pc);
		json_str(&w->az->j, "before", s);
		json_obj_close(&w->az->j);
	} else {
		int col;

		an_insn_str(insn, sizeof(insn), c->prog, pc);
		col = fprintf(w->az->out, "%5u: %s", pc, insn);
		fprintf(w->az->out, "%*s; %s\n", col < 47 ? 47 - col : 1, "", s);
	}
	free(s);
	return 0;
}

/* An analysis without a dedicated printer: its state before each insn, per context. */
static int generic_states(struct analyze *az, const struct df_solver *s, bool json)
{
	struct walk_out w = { az, json };
	uint32_t c, n = df_solver_context_cnt(s);
	int err;

	for (c = 0; c < n; c++) {
		struct df_context_info ci;

		if (df_solver_context(s, c, &ci))
			continue;
		if (json) {
			json_obj_open(&az->j, NULL);
			json_uint(&az->j, "context", c);
			json_uint(&az->j, "subprog", ci.subprog);
			json_uint(&az->j, "depth", ci.depth);
			json_uint(&az->j, "callsite", ci.callsite);
			json_arr_open(&az->j, "states");
		} else {
			fprintf(az->out, "%s context %u (subprog#%u, d%u, cs%u):\n",
				df_solver_analysis(s)->name, c, ci.subprog, ci.depth,
				ci.callsite);
		}
		err = df_solver_walk(s, c, walk_state, &w);
		if (json) {
			json_arr_close(&az->j);
			json_obj_close(&az->j);
		}
		if (err)
			return err;
	}
	return 0;
}

static bool builtin(const char *name)
{
	return !strcmp(name, "regs") || !strcmp(name, "argtrack") || !strcmp(name, "stack");
}

static int text_prog(struct run *r, struct df_pipeline *p)
{
	struct analyze *az = r->az;
	uint32_t pc, i;
	int err;

	fprintf(az->out, "; program %s, section %s\n", r->prog->name,
		r->prog->section ? r->prog->section : "-");
	if (r->regs || r->args || r->stack)
		for (pc = 0; pc < r->prog->insn_cnt;
		     pc += df_insn_slots(&r->prog->insns[pc]))
			text_insn(r, pc);
	if (r->stack) {
		err = an_stack_listing(az->out, r->prog, r->cfg, r->stack);
		if (err)
			return err;
	}
	if (r->regs) {
		err = df_regs_dump(az->out, r->regs);
		if (err)
			return err;
	}
	for (i = 0; i < az->name_cnt; i++) {
		if (builtin(az->names[i]))
			continue;
		err = generic_states(az, df_pipeline_solver(p, az->names[i]), false);
		if (err)
			return err;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* JSON                                                               */
/* ------------------------------------------------------------------ */

static void json_halves(struct json *j, const char *key, const struct df_halves *h,
			uint32_t nframes)
{
	uint32_t f, b;

	json_arr_open(j, key);
	for (f = nframes; f-- > 0;) {
		if (!h[f].w[0] && !h[f].w[1])
			continue;
		json_obj_open(j, NULL);
		json_uint(j, "frame", f);
		json_arr_open(j, "halves");
		for (b = 0; b < DF_HALVES; b++)
			if (h[f].w[b / 64] & (1ull << (b % 64)))
				json_uint(j, NULL, b);
		json_arr_close(j);
		json_obj_close(j);
	}
	json_arr_close(j);
}

static void json_args(struct json *j, const char *key, const struct df_argtrack_state *b,
		      const struct df_argtrack_state *a)
{
	unsigned l;

	json_obj_open(j, key);
	for (l = 0; l < DF_ARG_NLOCS; l++) {
		char name[16], val[64];

		if (df_arg_equal(&a->loc[l], &b->loc[l]))
			continue;
		df_arg_loc_snprint(name, sizeof(name), l);
		df_arg_snprint(val, sizeof(val), &a->loc[l]);
		json_str(j, name, val);
	}
	json_obj_close(j);
}

static void json_insn(const struct run *r, uint32_t pc)
{
	struct df_halves use[DF_MAX_CALL_FRAMES], def[DF_MAX_CALL_FRAMES],
		live[DF_MAX_CALL_FRAMES];
	struct json *j = &r->az->j;
	char insn[160];

	json_obj_open(j, NULL);
	json_uint(j, "pc", pc);
	an_insn_str(insn, sizeof(insn), r->prog, pc);
	json_str(j, "insn", insn);
	if (r->regs) {
		uint16_t m;
		int reg;

		if (df_regs_live_before(r->regs, pc, &m)) {
			json_null(j, "live_regs");
		} else {
			json_arr_open(j, "live_regs");
			for (reg = 0; reg < 10; reg++)
				if (m & (1u << reg))
					json_uint(j, NULL, (unsigned)reg);
			json_arr_close(j);
		}
	}
	if (r->args) {
		struct df_argtrack_state *b = malloc(sizeof(*b)), *a = malloc(sizeof(*a));

		if (b && a && !an_args_at(r->args, pc, false, false, 0, 0, b) &&
		    !an_args_at(r->args, pc, true, false, 0, 0, a))
			json_args(j, "args_changed", b, a);
		free(a);
		free(b);
	}
	if (r->stack && an_stack_at(r->stack, r->cfg, pc, use, def, live)) {
		json_halves(j, "stack_use", use, DF_MAX_CALL_FRAMES);
		json_halves(j, "stack_def", def, DF_MAX_CALL_FRAMES);
		json_halves(j, "stack_live_before", live, DF_MAX_CALL_FRAMES);
	}
	json_obj_close(j);
}

static void json_instances(const struct run *r)
{
	struct json *j = &r->az->j;
	uint32_t i, n = df_stack_instance_cnt(r->stack), pc, fr;

	json_arr_open(j, "stack_instances");
	for (i = 0; i < n; i++) {
		struct df_halves use[DF_MAX_CALL_FRAMES], def[DF_MAX_CALL_FRAMES],
			live[DF_MAX_CALL_FRAMES];
		struct df_stack_instance in;
		const struct df_subprog *sp;

		if (df_stack_instance(r->stack, i, &in) || in.subprog >= r->cfg->subprog_cnt ||
		    in.depth >= DF_MAX_CALL_FRAMES)
			continue;
		sp = &r->cfg->subprogs[in.subprog];
		json_obj_open(j, NULL);
		json_uint(j, "subprog", in.subprog);
		json_str(j, "name", sp->name);
		json_uint(j, "depth", in.depth);
		json_uint(j, "callsite", in.callsite);
		json_arr_open(j, "insns");
		for (pc = sp->start; pc < sp->end; pc += df_insn_slots(&r->prog->insns[pc])) {
			bool reached = false;

			for (fr = 0; fr <= in.depth; fr++) {
				memset(&use[fr], 0, sizeof(use[fr]));
				memset(&def[fr], 0, sizeof(def[fr]));
				memset(&live[fr], 0, sizeof(live[fr]));
				if (!df_stack_masks(r->stack, i, pc, fr, &use[fr], &def[fr],
						    &live[fr]))
					reached = true;
			}
			if (!reached)
				continue;
			json_obj_open(j, NULL);
			json_uint(j, "pc", pc);
			json_halves(j, "use", use, in.depth + 1);
			json_halves(j, "def", def, in.depth + 1);
			json_halves(j, "live_before", live, in.depth + 1);
			json_obj_close(j);
		}
		json_arr_close(j);
		json_obj_close(j);
	}
	json_arr_close(j);
}

static int json_prog(struct run *r, struct df_pipeline *p)
{
	struct analyze *az = r->az;
	struct json *j = &az->j;
	uint32_t pc, i;
	int err = 0;

	json_obj_open(j, NULL);
	json_str(j, "name", r->prog->name);
	json_str(j, "section", r->prog->section);
	json_uint(j, "insn_cnt", r->prog->insn_cnt);
	json_arr_open(j, "analyses");
	for (i = 0; i < az->name_cnt; i++)
		json_str(j, NULL, az->names[i]);
	json_arr_close(j);
	json_arr_open(j, "insns");
	for (pc = 0; pc < r->prog->insn_cnt; pc += df_insn_slots(&r->prog->insns[pc]))
		json_insn(r, pc);
	json_arr_close(j);
	if (r->stack)
		json_instances(r);
	json_arr_open(j, "states");
	for (i = 0; i < az->name_cnt && !err; i++) {
		if (builtin(az->names[i]))
			continue;
		json_obj_open(j, NULL);
		json_str(j, "analysis", az->names[i]);
		json_arr_open(j, "contexts");
		err = generic_states(az, df_pipeline_solver(p, az->names[i]), true);
		json_arr_close(j);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
	return err;
}

/* ------------------------------------------------------------------ */
/* Driver                                                             */
/* ------------------------------------------------------------------ */

/* Exit code of one program: 0, EXIT_REJECTED or EXIT_USAGE. */
static int analyze_prog(struct analyze *az, const struct df_prog *prog)
{
	DF_OPTS(df_solver_opts, opts);
	struct df_pipeline *p = NULL;
	struct run r = { .az = az, .prog = prog };
	uint32_t i;
	int err;

	if (az->trace) {
		opts.trace = trace_event;
		opts.trace_cookie = az;
	}
	err = df_pipeline_new(prog, &opts, &p);
	for (i = 0; !err && i < az->name_cnt; i++)
		err = df_pipeline_run(p, az->names[i]);
	if (err) {
		df_pipeline_free(p);
		if (err == -ENOMEM) {
			fprintf(stderr, "%s: out of memory\n", cli_progname);
			return EXIT_USAGE;
		}
		return EXIT_REJECTED;
	}
	r.cfg = df_pipeline_cfg(p);
	if (selected(az, "regs"))
		r.regs = df_pipeline_solver(p, "regs");
	if (selected(az, "argtrack"))
		r.args = df_pipeline_solver(p, "argtrack");
	if (selected(az, "stack"))
		r.stack = df_pipeline_solver(p, "stack");
	err = az->in.format == FMT_JSON ? json_prog(&r, p) : text_prog(&r, p);
	df_pipeline_free(p);
	if (err) {
		fprintf(stderr, "%s: %s: %s\n", cli_progname, prog->name, strerror(-err));
		return err == -ENOMEM ? EXIT_USAGE : EXIT_REJECTED;
	}
	return EXIT_OK;
}

static int analyze_opt(void *cookie, int opt, const char *arg)
{
	struct analyze *az = cookie;

	switch (opt) {
	case 'a':
		return add_names(az, arg);
	case 'P':
		if (df_plugin_load(arg, NULL)) {
			fprintf(stderr, "%s analyze: cannot load plug-in %s\n", cli_progname, arg);
			return EXIT_USAGE;
		}
		return 0;
	case 'T':
		az->trace = true;
		return 0;
	}
	return EXIT_USAGE;
}

static int parse_args(struct analyze *az, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "analyses", required_argument, NULL, 'a' },
		{ "plugin", required_argument, NULL, 'P' },
		{ "trace", no_argument, NULL, 'T' },
		{ 0 }
	};
	static const struct cli_cmd cmd = {
		.name = "analyze", .input_opts = true, .shortopts = "a:P:T",
		.longopts = longopts, .opt = analyze_opt, .help = help,
	};
	uint32_t i;
	int rc;

	rc = cli_parse(&cmd, argc, argv, &az->in, az);
	if (rc >= 0)
		return rc == EXIT_OK ? -1 : rc;
	if (!az->name_cnt && (rc = add_names(az, DEFAULT_ANALYSES)))
		return rc;
	for (i = 0; i < az->name_cnt; i++) {
		if (df_analysis_find(az->names[i]))
			continue;
		fprintf(stderr, "%s analyze: unknown analysis '%s'; ", cli_progname,
			az->names[i]);
		list_known(stderr);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cmd_analyze(int argc, char **argv)
{
	struct analyze az = { .out = stdout };
	struct df_object *obj = NULL;
	struct df_prog **progs = NULL;
	uint32_t i, cnt = 0, bad = 0;
	int rc, prc;

	rc = parse_args(&az, argc, argv);
	if (rc) {
		free(az.list);
		return rc < 0 ? EXIT_OK : rc;
	}
	rc = cli_open(&az.in, &obj);
	if (rc) {
		free(az.list);
		return rc;
	}
	rc = cli_select(&az.in, obj, &progs, &cnt, &bad);
	if (az.in.format == FMT_JSON) {
		json_begin(&az.j, stdout);
		json_obj_open(&az.j, NULL);
		json_str(&az.j, "file", obj->path);
		json_arr_open(&az.j, "programs");
	}
	for (i = 0; i < cnt; i++) {
		if (az.in.format == FMT_TEXT && i)
			fputc('\n', stdout);
		prc = analyze_prog(&az, progs[i]);
		if (prc > rc)
			rc = prc;
	}
	if (az.in.format == FMT_JSON) {
		json_arr_close(&az.j);
		json_obj_close(&az.j);
		json_end(&az.j);
	}
	rc = cli_status(rc, bad, obj);
	free(progs);
	free(az.list);
	df_object_free(obj);
	return rc;
}

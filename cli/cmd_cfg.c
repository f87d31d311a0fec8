/* SPDX-License-Identifier: BSD-2-Clause */
/* bpfdf cfg: subprograms, basic blocks, edges and the call graph. */
#include "cli.h"
#include "viz.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAMES 16

enum cfg_format { CF_TEXT, CF_JSON, CF_DOT, CF_SVG, CF_PNG };

struct cfg_cmd {
	struct cli_input in;
	enum cfg_format format;
	const char *out;
	const char *trace_html;
	char *list;		/* strdup of -a; names point into it */
	const char *names[MAX_NAMES];
	uint32_t name_cnt;
	struct viz_opts vo;
	bool viz_only;		/* an option that needs a picture format was given */
};

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
	       "With --format dot, svg or png, draw it: a cluster per subprogram (per\n"
	       "analysis instance with -a argtrack or stack), a table per basic block with\n"
	       "one row per instruction and the facts of the analyses before it, edges\n"
	       "styled by kind, unreachable blocks grey, a rejected program's failing\n"
	       "instruction red with its message.\n"
	       "\n"
	       "  -p, --prog NAME        only this program\n"
	       "  -f, --format FMT       text (default), json, dot, svg or png\n"
	       "  -a, --analyses LIST    annotate with regs, argtrack, stack (comma-separated)\n"
	       "  -o, --output OUT       write to OUT (several programs: OUT with the\n"
	       "                         program name before the extension)\n"
	       "      --subprog NAME     only this subprogram (name or id)\n"
	       "      --range PC1-PC2    only the instructions PC1..PC2\n"
	       "      --collapse         a block as one line \"b3: pc0..pcN (n insns)\"\n"
	       "      --trace-html OUT   the engine's timeline of the analysis named by -a\n"
	       "                         as one self-contained HTML page\n"
	       "  -t, --type TYPE        program type instead of the guessed one\n"
	       "  -I, --input KIND       elf, raw or asm instead of guessing\n"
	       "\n"
	       "Pictures (svg, png, the timeline) are limited to %d blocks and %d rows.\n",
	       VIZ_MAX_NODES, VIZ_MAX_ROWS);
}

enum { OPT_SUBPROG = 256, OPT_RANGE, OPT_COLLAPSE, OPT_TRACE_HTML };

static int parse_range(struct cfg_cmd *c, const char *arg)
{
	char *end;
	unsigned long lo, hi;

	lo = strtoul(arg, &end, 10);
	if (end == arg || *end != '-')
		goto bad;
	arg = end + 1;
	hi = strtoul(arg, &end, 10);
	if (end == arg || *end || lo > hi || hi > UINT32_MAX)
		goto bad;
	c->vo.range = true;
	c->vo.range_lo = (uint32_t)lo;
	c->vo.range_hi = (uint32_t)hi;
	return EXIT_OK;
bad:
	cli_usage_error("cfg", "--range wants PC1-PC2 with PC1 <= PC2");
	return EXIT_USAGE;
}

static int parse_names(struct cfg_cmd *c, const char *arg)
{
	char *p, *save = NULL, *tok;

	free(c->list);
	c->list = strdup(arg);
	if (!c->list)
		return EXIT_USAGE;
	c->name_cnt = 0;
	for (p = c->list; (tok = strtok_r(p, ",", &save)); p = NULL) {
		if (c->name_cnt == MAX_NAMES) {
			cli_usage_error("cfg", "more than %d analyses", MAX_NAMES);
			return EXIT_USAGE;
		}
		c->names[c->name_cnt++] = tok;
	}
	if (!c->name_cnt) {
		cli_usage_error("cfg", "no analysis named in '%s'", arg);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int opt(void *cookie, int o, const char *arg)
{
	struct cfg_cmd *c = cookie;

	switch (o) {
	case 'a':
		c->viz_only = true;
		return parse_names(c, arg);
	case 'o':
		c->out = arg;
		return EXIT_OK;
	case OPT_SUBPROG:
		c->vo.subprog = arg;
		c->viz_only = true;
		return EXIT_OK;
	case OPT_RANGE:
		c->viz_only = true;
		return parse_range(c, arg);
	case OPT_COLLAPSE:
		c->vo.collapse = true;
		c->viz_only = true;
		return EXIT_OK;
	case OPT_TRACE_HTML:
		c->trace_html = arg;
		return EXIT_OK;
	}
	return EXIT_USAGE;
}

/* OUT, or with several programs OUT with ".NAME" before its extension. */
static char *out_path(const char *out, const char *prog, bool several)
{
	const char *slash = strrchr(out, '/'), *dot = strrchr(out, '.');
	size_t base;
	char *p;

	if (!several)
		return strdup(out);
	if (!dot || (slash && dot < slash) || dot == (slash ? slash + 1 : out))
		dot = out + strlen(out);
	base = (size_t)(dot - out);
	p = malloc(strlen(out) + strlen(prog) + 2);
	if (p)
		sprintf(p, "%.*s.%s%s", (int)base, out, prog, dot);
	return p;
}

static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		fprintf(stderr, "%s: cannot write %s: %s\n", cli_progname, path, strerror(errno));
	return f;
}

static int close_out(FILE *f, const char *path)
{
	if (f == stdout)
		return fflush(f) ? EXIT_USAGE : EXIT_OK;
	if (fclose(f)) {
		fprintf(stderr, "%s: cannot write %s: %s\n", cli_progname, path, strerror(errno));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* One program as DOT, SVG, PNG or the timeline page; returns an exit code. */
static int draw(struct cfg_cmd *c, const struct df_prog *p, bool several, FILE *dot_out)
{
	const char *fmt = c->format == CF_PNG ? "png" : "svg";
	char *path = NULL, *data = NULL;
	struct viz *v = NULL;
	size_t len = 0;
	FILE *f;
	int err, rc = EXIT_OK;

	if (c->trace_html) {
		path = out_path(c->trace_html, p->name, several);
		if (!path)
			return EXIT_USAGE;
		f = open_out(path);
		if (!f) {
			free(path);
			return EXIT_USAGE;
		}
		err = viz_trace_html(p, c->names[0], &c->vo, f);
		rc = close_out(f, path);
		if (err) {
			remove(path);
			rc = err == -E2BIG || err == -EINVAL ? EXIT_REJECTED : EXIT_USAGE;
		}
		free(path);
		return rc;
	}
	err = viz_build(p, &c->vo, &v);
	if (err)
		return err == -EINVAL ? EXIT_USAGE : EXIT_REJECTED;
	if (viz_rejected(v))
		rc = EXIT_REJECTED;
	if (c->format == CF_DOT) {
		if (viz_write_dot(v, dot_out)) {
			fprintf(stderr, "%s: cannot write the DOT output\n", cli_progname);
			rc = EXIT_USAGE;
		}
		viz_free(v);
		return rc;
	}
	err = viz_render(v, fmt, &data, &len);
	viz_free(v);
	if (err)
		return err == -ENOMEM ? EXIT_USAGE : EXIT_REJECTED;
	if (c->out) {
		path = out_path(c->out, p->name, several);
		f = path ? open_out(path) : NULL;
	} else {
		f = stdout;
	}
	if (!f) {
		free(path);
		free(data);
		return EXIT_USAGE;
	}
	if (fwrite(data, 1, len, f) != len)
		rc = EXIT_USAGE;
	if (close_out(f, path) != EXIT_OK)
		rc = EXIT_USAGE;
	free(path);
	free(data);
	return rc;
}

static int check_opts(struct cfg_cmd *c)
{
	bool picture = c->format >= CF_DOT;

	c->vo.sz = sizeof(c->vo);
	c->vo.analyses = c->names;
	c->vo.analysis_cnt = c->name_cnt;
	if (c->trace_html) {
		if (c->name_cnt != 1) {
			cli_usage_error("cfg", "--trace-html wants one analysis: -a NAME");
			return EXIT_USAGE;
		}
		if (c->format != CF_TEXT || c->out) {
			cli_usage_error("cfg", "--trace-html writes its own page; drop --format and -o");
			return EXIT_USAGE;
		}
		return -1;
	}
	if (!picture && (c->viz_only || c->out)) {
		cli_usage_error("cfg", "-a, -o, --subprog, --range and --collapse need"
				       " --format dot, svg or png (or --trace-html)");
		return EXIT_USAGE;
	}
	return -1;
}

int cmd_cfg(int argc, char **argv)
{
	static const char *const formats[] = { "text", "json", "dot", "svg", "png", NULL };
	static const struct option longopts[] = {
		{ "analyses", required_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ "subprog", required_argument, NULL, OPT_SUBPROG },
		{ "range", required_argument, NULL, OPT_RANGE },
		{ "collapse", no_argument, NULL, OPT_COLLAPSE },
		{ "trace-html", required_argument, NULL, OPT_TRACE_HTML },
		{ 0 },
	};
	static const struct cli_cmd cmd = {
		.name = "cfg", .input_opts = true, .formats = formats, .shortopts = "a:o:",
		.longopts = longopts, .opt = opt, .help = help,
	};
	struct cfg_cmd c = { 0 };
	struct df_object *obj;
	struct df_prog **progs;
	uint32_t i, cnt, bad;
	FILE *dot_out = stdout;
	struct json j;
	int rc, prc;

	rc = cli_parse(&cmd, argc, argv, &c.in, &c);
	c.format = (enum cfg_format)c.in.format_idx;
	if (rc < 0)
		rc = check_opts(&c);
	if (rc >= 0) {
		free(c.list);
		return rc;
	}
	rc = cli_open(&c.in, &obj);
	if (rc) {
		free(c.list);
		return rc;
	}
	rc = cli_select(&c.in, obj, &progs, &cnt, &bad);
	if (!c.trace_html && (c.format == CF_SVG || c.format == CF_PNG) && cnt > 1 && !c.out) {
		fprintf(stderr, "%s: %u programs: choose one with --prog or name an output with -o\n",
			obj->path, cnt);
		rc = EXIT_USAGE;
		cnt = 0;
	}
	if (c.format == CF_DOT && c.out && cnt) {
		dot_out = open_out(c.out);
		if (!dot_out) {
			rc = EXIT_USAGE;
			cnt = 0;
		}
	}
	if (c.format == CF_JSON) {
		json_begin(&j, stdout);
		json_obj_open(&j, NULL);
		json_str(&j, "file", obj->path);
		json_arr_open(&j, "programs");
	}
	for (i = 0; i < cnt; i++) {
		struct df_cfg *g;

		if (c.trace_html || c.format >= CF_DOT) {
			prc = draw(&c, progs[i], cnt > 1, dot_out);
			if (prc == EXIT_REJECTED)
				bad++;
			else if (prc > rc)
				rc = prc;
			continue;
		}
		if (df_cfg_build(progs[i], &g)) {
			bad++;
			continue;
		}
		if (c.format == CF_JSON) {
			cfg_json(&j, progs[i], g);
		} else {
			printf("%s; program %s, section %s\n", i ? "\n" : "", progs[i]->name,
			       progs[i]->section ? progs[i]->section : "-");
			df_cfg_dump(stdout, g);
		}
		df_cfg_free(g);
	}
	if (c.format == CF_JSON) {
		json_arr_close(&j);
		json_obj_close(&j);
		json_end(&j);
	}
	if (dot_out != stdout && dot_out && close_out(dot_out, c.out))
		rc = EXIT_USAGE;
	rc = cli_status(rc, bad, obj);
	free(progs);
	free(c.list);
	df_object_free(obj);
	return rc;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CFG pictures: the DOT output read back with libcgraph (nodes, edges and
 * their kinds, clusters, annotations), golden DOT files, well-formed SVG,
 * rejected programs, size limits and partial views, the timeline page.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>

#include "dataflow.h"
#include "liveness.h"
#include "viz.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			if (len)
				*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

/* The program of a fixture file (docs/fixtures.md): its "-- asm" section. */
static struct df_object *fixture(const char *name)
{
	char path[512], *text, *asm_, *end;
	struct df_object *obj = NULL;

	snprintf(path, sizeof(path), SRCDIR "/tests/fixtures/%s.t", name);
	text = slurp(path, NULL);
	ck_assert_msg(text, "cannot read %s", path);
	asm_ = strstr(text, "-- asm\n");
	ck_assert_ptr_nonnull(asm_);
	asm_ += 7;
	end = strstr(asm_, "\n-- ");
	if (end)
		end[1] = '\0';
	ck_assert_int_eq(df_asm(asm_, strlen(asm_), name, &obj), 0);
	free(text);
	return obj;
}

static struct df_object *assemble(const char *text, const char *name)
{
	struct df_object *obj = NULL;

	ck_assert_int_eq(df_asm(text, strlen(text), name, &obj), 0);
	return obj;
}

static char *dot_of(struct viz *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(viz_write_dot(v, f), 0);
	fclose(f);
	return buf;
}

static char *dot_with(const struct df_prog *p, const struct viz_opts *o)
{
	struct viz *v;
	char *s;

	ck_assert_int_eq(viz_build(p, o, &v), 0);
	s = dot_of(v);
	viz_free(v);
	return s;
}

static const char *attr(void *obj, const char *name)
{
	char *s = agget(obj, (char *)name);

	return s ? s : "";
}

/* ------------------------------------------------------ structure */

static const char *const shapes[] = {
	"if_else", "subprog_call", "nested_loops", "unreachable_code", "unreachable_loop",
	"callback_bpf_loop", "two_call_sites", "stack_args_12", "while_loop", "may_goto",
	"do_while", "gotol", "ldimm64_blocks", "jump_offset_zero", "call_chain",
};

START_TEST(test_structure)
{
	struct df_object *obj = fixture(shapes[_i]);
	const struct df_prog *p = &obj->progs[0];
	struct df_cfg *g;
	char *dot, name[32];
	Agraph_t *ag, *sg;
	Agnode_t *n;
	Agedge_t *e;
	uint32_t i, kinds = 0, callbacks = 0, expect_cb = 0, clusters = 0;

	ck_assert_int_eq(df_cfg_build(p, &g), 0);
	dot = dot_with(p, NULL);
	ag = agmemread(dot);
	ck_assert_msg(ag, "DOT of %s does not parse", shapes[_i]);
	ck_assert_int_eq(agnnodes(ag), g->block_cnt);
	for (n = agfstnode(ag); n; n = agnxtnode(ag, n))
		for (e = agfstout(ag, n); e; e = agnxtout(ag, e)) {
			if (!strcmp(attr(e, "kind"), "callback"))
				callbacks++;
			else
				kinds++;
		}
	for (i = 0; i < g->call_cnt; i++)
		expect_cb += g->calls[i].callback;
	ck_assert_uint_eq(kinds, g->edge_cnt);
	ck_assert_uint_eq(callbacks, expect_cb);
	/* every CFG edge, with its kind and back-edge mark */
	for (i = 0; i < g->edge_cnt; i++) {
		const struct df_edge *ce = &g->edges[i];
		Agnode_t *t, *h;
		bool found = false;

		snprintf(name, sizeof(name), "b%u", ce->from);
		t = agnode(ag, name, 0);
		snprintf(name, sizeof(name), "b%u", ce->to);
		h = agnode(ag, name, 0);
		ck_assert(t && h);
		for (e = agfstout(ag, t); e && !found; e = agnxtout(ag, e))
			found = aghead(e) == h &&
				!strcmp(attr(e, "kind"), df_edge_kind_name(ce->kind)) &&
				!strcmp(attr(e, "back"), ce->back ? "true" : "");
		ck_assert_msg(found, "%s: edge %u -> %u %s%s missing", shapes[_i], ce->from,
			      ce->to, df_edge_kind_name(ce->kind), ce->back ? " back" : "");
	}
	/* a cluster per subprogram holding exactly its blocks */
	for (sg = agfstsubg(ag); sg; sg = agnxtsubg(sg)) {
		uint32_t s = (uint32_t)atoi(attr(sg, "subprog"));

		ck_assert_uint_lt(s, g->subprog_cnt);
		ck_assert_int_eq(agnnodes(sg), g->subprogs[s].block_cnt);
		for (n = agfstnode(sg); n; n = agnxtnode(sg, n)) {
			uint32_t b = (uint32_t)atoi(attr(n, "block"));

			ck_assert_uint_eq(g->blocks[b].subprog, s);
			ck_assert_str_eq(attr(n, "unreachable"),
					 g->blocks[b].reachable ? "" : "true");
		}
		clusters++;
	}
	ck_assert_uint_eq(clusters, g->subprog_cnt);
	agclose(ag);
	free(dot);
	df_cfg_free(g);
	df_object_free(obj);
}
END_TEST

START_TEST(test_taken_label)
{
	struct df_object *obj = assemble("\tr1 = 1\n\tr6 = 2\n\tif r1 > r6 goto l\n\tr0 = 0\n"
					 "l:\n\tif w1 s< 0x5 goto m\nm:\n\texit\n", "cond");
	char *dot = dot_with(&obj->progs[0], NULL);
	Agraph_t *ag = agmemread(dot);
	Agnode_t *n;
	Agedge_t *e;
	uint32_t hits = 0;

	ck_assert_ptr_nonnull(ag);
	for (n = agfstnode(ag); n; n = agnxtnode(ag, n))
		for (e = agfstout(ag, n); e; e = agnxtout(ag, e)) {
			if (strcmp(attr(e, "kind"), "taken"))
				continue;
			hits += !strcmp(attr(e, "label"), "r1 > r6") ||
				!strcmp(attr(e, "label"), "w1 s< 0x5");
		}
	ck_assert_uint_eq(hits, 2);
	agclose(ag);
	free(dot);
	df_object_free(obj);
}
END_TEST

/* ------------------------------------------------------ annotations */

static const char *const all3[] = { "regs", "argtrack", "stack" };

START_TEST(test_annotations)
{
	struct df_object *obj = fixture("analysis/a05_callee_writes_caller");
	const struct df_prog *p = &obj->progs[0];
	struct viz_opts o = { .sz = sizeof(o), .analyses = all3, .analysis_cnt = 3 };
	struct df_pipeline *pl;
	const struct df_solver *regs;
	char *dot = dot_with(p, &o), want[64];
	Agraph_t *ag = agmemread(dot), *sg;
	Agnode_t *n;
	uint32_t pc, clusters = 0;
	bool sub_def = false;

	ck_assert_ptr_nonnull(ag);
	ck_assert_int_eq(df_pipeline_new(p, NULL, &pl), 0);
	ck_assert_int_eq(df_pipeline_run(pl, "regs"), 0);
	regs = df_pipeline_solver(pl, "regs");
	/* every row carries the live registers the solver reports */
	for (pc = 0; pc < p->insn_cnt; pc++) {
		uint16_t m;
		int r;
		bool found = false;

		ck_assert_int_eq(df_regs_live_before(regs, pc, &m), 0);
		snprintf(want, sizeof(want), "<TD ALIGN=\"RIGHT\">%u</TD>", pc);
		for (n = agfstnode(ag); n && !found; n = agnxtnode(ag, n)) {
			const char *lab = attr(n, "label"), *row = strstr(lab, want), *end;
			char cols[11];

			if (!row)
				continue;
			end = strstr(row, "</TR>");
			for (r = 0; r < 10; r++)
				cols[r] = m & (1u << r) ? (char)('0' + r) : '.';
			cols[10] = '\0';
			snprintf(want, sizeof(want), ">%s<", cols);
			row = strstr(row, want);
			found = row && row < end;
		}
		ck_assert_msg(found, "pc %u: live registers missing", pc);
	}
	for (sg = agfstsubg(ag); sg; sg = agnxtsubg(sg)) {
		const char *lab = attr(sg, "label");

		clusters++;
		if (!strcmp(lab, "sub (callsite 2, depth 1), 1 arg"))
			for (n = agfstnode(sg); n; n = agnxtnode(sg, n))
				sub_def |= strstr(attr(n, "label"), "r1=fp0-8") &&
					   strstr(attr(n, "label"), "fp0-8</TD>");
	}
	ck_assert_uint_eq(clusters, 2);
	ck_assert_msg(sub_def, "the callee's arg tracking and stack def are not shown");
	df_pipeline_free(pl);
	agclose(ag);
	free(dot);
	df_object_free(obj);
}
END_TEST

/* One golden file per annotation kind; the actual output lands in the build tree. */
static const struct golden {
	const char *fixture;
	const char *analysis;	/* NULL: plain */
	const char *file;
} goldens[] = {
	{ "subprog_call", NULL, "plain.dot" },
	{ "while_loop", "regs", "regs.dot" },
	{ "analysis/a05_callee_writes_caller", "argtrack", "argtrack.dot" },
	{ "analysis/a05_callee_writes_caller", "stack", "stack.dot" },
};

START_TEST(test_golden)
{
	const struct golden *gd = &goldens[_i];
	struct df_object *obj = fixture(gd->fixture);
	struct viz_opts o = { .sz = sizeof(o), .analyses = &gd->analysis,
			      .analysis_cnt = gd->analysis ? 1 : 0 };
	char *dot = dot_with(&obj->progs[0], &o), path[512], *want;
	FILE *f;

	snprintf(path, sizeof(path), SRCDIR "/tests/data/viz/%s", gd->file);
	want = slurp(path, NULL);
	if (!want || strcmp(want, dot)) {
		snprintf(path, sizeof(path), BUILDDIR "/tests/viz-%s.actual", gd->file);
		f = fopen(path, "w");
		if (f) {
			fputs(dot, f);
			fclose(f);
		}
	}
	ck_assert_msg(want, "missing golden file %s", gd->file);
	ck_assert_msg(!strcmp(want, dot), "%s differs; actual output in %s", gd->file, path);
	free(want);
	free(dot);
	df_object_free(obj);
}
END_TEST

/* ------------------------------------------------------ SVG */

/*
 * Well-formedness as far as SVG from graphviz needs: balanced tags, quoted
 * attributes, known entity syntax, one root element.
 */
static bool xml_well_formed(const char *s, char *why, size_t len)
{
	const char *stack[256];
	size_t slen[256];
	int depth = 0, roots = 0;

	while (*s) {
		if (*s == '&') {
			size_t n = strspn(s + 1, "#xabcdefABCDEFghijklmnopqrstuvwyzGHIJKLMNOPQRSTUVWXYZ0123456789");

			if (!n || s[1 + n] != ';')
				return snprintf(why, len, "bad entity near '%.20s'", s), false;
			s += n + 2;
			continue;
		}
		if (*s != '<') {
			if (!depth && !strchr(" \t\r\n", *s))
				return snprintf(why, len, "text outside the root: '%.20s'", s), false;
			s++;
			continue;
		}
		if (!strncmp(s, "<!--", 4)) {
			const char *e = strstr(s + 4, "-->");

			if (!e)
				return snprintf(why, len, "unterminated comment"), false;
			s = e + 3;
		} else if (!strncmp(s, "<?", 2) || !strncmp(s, "<!", 2)) {
			const char *e = strchr(s, '>');

			if (!e)
				return snprintf(why, len, "unterminated declaration"), false;
			s = e + 1;
		} else if (s[1] == '/') {
			size_t n = strcspn(s + 2, " \t\r\n>");

			if (!depth || n != slen[depth - 1] || strncmp(s + 2, stack[depth - 1], n))
				return snprintf(why, len, "unbalanced '%.20s'", s), false;
			depth--;
			s = strchr(s, '>');
			if (!s)
				return snprintf(why, len, "unterminated end tag"), false;
			s++;
		} else {
			const char *name = s + 1, *p;
			size_t n = strcspn(name, " \t\r\n/>");

			if (!n)
				return snprintf(why, len, "empty tag name"), false;
			for (p = name + n; *p && *p != '>' && !(*p == '/' && p[1] == '>');) {
				if (strchr(" \t\r\n", *p)) {
					p++;
					continue;
				}
				p += strcspn(p, "= \t\r\n>");
				if (*p != '=' || (p[1] != '"' && p[1] != '\''))
					return snprintf(why, len, "unquoted attribute in '%.30s'", name), false;
				p = strchr(p + 2, p[1]);
				if (!p)
					return snprintf(why, len, "unterminated attribute"), false;
				p++;
			}
			if (!*p)
				return snprintf(why, len, "unterminated tag"), false;
			if (!depth)
				roots++;
			if (*p == '/') {
				s = p + 2;
				continue;
			}
			if (depth == 256)
				return snprintf(why, len, "too deep"), false;
			stack[depth] = name;
			slen[depth++] = n;
			s = p + 1;
		}
	}
	if (depth)
		return snprintf(why, len, "%d unclosed elements", depth), false;
	if (roots != 1)
		return snprintf(why, len, "%d root elements", roots), false;
	return true;
}

START_TEST(test_xml_checker)
{
	char why[128];

	ck_assert(xml_well_formed("<?xml version=\"1.0\"?><!-- c --><a x=\"1\"><b/>t &amp; u</a>",
				  why, sizeof(why)));
	ck_assert(!xml_well_formed("<a><b></a></b>", why, sizeof(why)));
	ck_assert(!xml_well_formed("<a x=1></a>", why, sizeof(why)));
	ck_assert(!xml_well_formed("<a>&bad</a>", why, sizeof(why)));
	ck_assert(!xml_well_formed("<a></a><b></b>", why, sizeof(why)));
	ck_assert(!xml_well_formed("<a>", why, sizeof(why)));
}
END_TEST

START_TEST(test_svg)
{
	const char *fx[] = { "subprog_call", "analysis/a05_callee_writes_caller",
			     "callback_bpf_loop", "unreachable_code" };
	struct df_object *obj = fixture(fx[_i]);
	struct viz_opts o = { .sz = sizeof(o), .analyses = all3, .analysis_cnt = 3 };
	struct viz *v;
	char *svg, why[128];
	size_t len;

	ck_assert_int_eq(viz_build(&obj->progs[0], &o, &v), 0);
	ck_assert_int_eq(viz_render(v, "svg", &svg, &len), 0);
	ck_assert_uint_eq(strlen(svg), len);
	ck_assert_msg(xml_well_formed(svg, why, sizeof(why)), "%s: %s", fx[_i], why);
	ck_assert_ptr_nonnull(strstr(svg, "<svg"));
	free(svg);
	ck_assert_int_eq(viz_render(v, "png", &svg, &len), 0);
	ck_assert_uint_gt(len, 8);
	ck_assert_int_eq(memcmp(svg, "\x89PNG", 4), 0);
	free(svg);
	viz_free(v);
	df_object_free(obj);
}
END_TEST

/* ------------------------------------------------------ rejected, large, partial */

START_TEST(test_rejected_cfg)
{
	struct df_object *obj = fixture("err_recursion");
	df_print_fn old = df_set_print(NULL);
	struct viz *v;
	char *dot;

	ck_assert_int_eq(viz_build(&obj->progs[0], NULL, &v), 0);
	df_set_print(old);
	ck_assert_ptr_nonnull(viz_rejected(v));
	ck_assert_ptr_nonnull(strstr(viz_rejected(v), "pc 3: recursive call from f() to f()"));
	dot = dot_of(v);
	/* the failing row is red and followed by the message */
	ck_assert_ptr_nonnull(strstr(dot, "<TD ALIGN=\"RIGHT\" BGCOLOR=\"#ffb0b0\">3</TD>"));
	ck_assert_ptr_nonnull(strstr(dot, "recursive call from f() to f()</B>"));
	free(dot);
	viz_free(v);
	df_object_free(obj);
}
END_TEST

static struct df_object *many_blocks(uint32_t n)
{
	size_t cap = (size_t)n * 48 + 64, len = 0;
	char *text = malloc(cap);
	struct df_object *obj;
	uint32_t i;

	ck_assert_ptr_nonnull(text);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"\tif r1 == 0x%x goto l%u\nl%u:\n", i, i, i);
	snprintf(text + len, cap - len, "\tr0 = 0\n\texit\n");
	obj = assemble(text, "big");
	free(text);
	return obj;
}

START_TEST(test_too_large)
{
	struct df_object *obj = many_blocks(VIZ_MAX_NODES + 10);
	struct viz_opts o = { .sz = sizeof(o), .collapse = true };
	struct viz *v;
	char *data = NULL;
	size_t len;

	ck_assert_int_eq(viz_build(&obj->progs[0], &o, &v), 0);
	ck_assert_uint_eq(viz_node_cnt(v), VIZ_MAX_NODES + 11);
	ck_assert(!viz_fits_picture(v));
	ck_assert_int_eq(viz_render(v, "svg", &data, &len), -E2BIG);
	ck_assert_ptr_null(data);
	viz_free(v);
	o.range = true;
	o.range_lo = 100;
	o.range_hi = 199;
	ck_assert_int_eq(viz_build(&obj->progs[0], &o, &v), 0);
	ck_assert_uint_eq(viz_node_cnt(v), 100);
	ck_assert(viz_fits_picture(v));
	viz_free(v);
	df_object_free(obj);
}
END_TEST

START_TEST(test_partial)
{
	struct df_object *obj = fixture("subprog_call");
	struct viz_opts o = { .sz = sizeof(o), .subprog = "f" };
	struct viz *v;
	char *dot;

	ck_assert_int_eq(viz_build(&obj->progs[0], &o, &v), 0);
	ck_assert_uint_eq(viz_node_cnt(v), 1);
	viz_free(v);
	o.subprog = "nosuch";
	ck_assert_int_eq(viz_build(&obj->progs[0], &o, &v), -EINVAL);
	o.subprog = NULL;
	o.range = true;
	o.range_lo = 1;
	o.range_hi = 2;
	ck_assert_int_eq(viz_build(&obj->progs[0], &o, &v), 0);
	ck_assert_uint_eq(viz_node_cnt(v), 2);
	ck_assert_uint_eq(viz_row_cnt(v), 2);
	viz_free(v);
	o.range = false;
	o.collapse = true;
	dot = dot_with(&obj->progs[0], &o);
	ck_assert_ptr_nonnull(strstr(dot, "b0: 0..1 (2 insns)"));
	ck_assert_ptr_nonnull(strstr(dot, "b2: 4..5 (2 insns)"));
	free(dot);
	df_object_free(obj);
}
END_TEST

/* ------------------------------------------------------ timeline */

START_TEST(test_trace_html)
{
	struct df_object *obj = fixture("if_else");
	char *html = NULL, why[128];
	size_t len = 0;
	FILE *f = open_memstream(&html, &len);
	const char *svg, *svg_end;
	uint32_t b;

	ck_assert_int_eq(viz_trace_html(&obj->progs[0], "regs", NULL, f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(html, "<!DOCTYPE html>"));
	/* self-contained: no external resources */
	ck_assert_ptr_null(strstr(html, "<script src"));
	ck_assert_ptr_null(strstr(html, "<link"));
	ck_assert_ptr_null(strstr(html, "url("));
	ck_assert_ptr_null(strstr(html, "xlink:href=\"http"));
	svg = strstr(html, "<svg");
	svg_end = strstr(html, "</svg>");
	ck_assert(svg && svg_end);
	{
		char *part = strndup(svg, (size_t)(svg_end + 6 - svg));

		ck_assert_msg(xml_well_formed(part, why, sizeof(why)), "inline SVG: %s", why);
		free(part);
	}
	for (b = 0; b < 4; b++) {
		char id[32];

		snprintf(id, sizeof(id), "<g id=\"b%u\" class=\"node\">", b);
		ck_assert_msg(strstr(html, id), "block %u has no SVG group", b);
	}
	/* backward: the first visit is the exit block b3, later b0 */
	ck_assert_ptr_nonnull(strstr(html, "class=\"ev-visit\"><span class=\"what\">visit b3"));
	ck_assert_ptr_nonnull(strstr(html, "class=\"ev-visit\"><span class=\"what\">visit b0"));
	ck_assert_ptr_nonnull(strstr(html, "class=\"ev-converged\""));
	free(html);
	df_object_free(obj);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("viz");
	TCase *tc = tcase_create("viz");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_structure, 0, sizeof(shapes) / sizeof(shapes[0]));
	tcase_add_test(tc, test_taken_label);
	tcase_add_test(tc, test_annotations);
	tcase_add_loop_test(tc, test_golden, 0, sizeof(goldens) / sizeof(goldens[0]));
	tcase_add_test(tc, test_xml_checker);
	tcase_add_loop_test(tc, test_svg, 0, 4);
	tcase_add_test(tc, test_rejected_cfg);
	tcase_add_test(tc, test_too_large);
	tcase_add_test(tc, test_partial);
	tcase_add_test(tc, test_trace_html);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

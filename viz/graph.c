/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The graphviz graph of a CFG, built with libcgraph: a cluster per
 * instance, a node per basic block (an HTML-like label), edges by kind.
 * Custom attributes (kind, back, unreachable, block) let readers of the
 * DOT text find what the styles stand for.
 */
#include "viz_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct edge_style {
	const char *color, *style;
};

static const struct edge_style styles[] = {
	[DF_EDGE_FALLTHROUGH] = { "black", "solid" },
	[DF_EDGE_TAKEN] = { "#1a7f37", "solid" },
	[DF_EDGE_CALL] = { "#1f4fd1", "dashed" },
	[DF_EDGE_RETURN] = { "#8a2be2", "dashed" },
};

static void set(void *obj, const char *name, const char *val)
{
	agsafeset(obj, (char *)name, (char *)val, "");
}

static void set_html(Agraph_t *g, void *obj, const char *name, const char *html)
{
	char *h = agstrdup_html(g, (char *)html);

	agsafeset(obj, (char *)name, h, "");
	agstrfree(g, h);
}

void viz_inst_label(const struct viz *v, const struct viz_inst *in, struct sbuf *out)
{
	const struct df_subprog *s = &v->cfg->subprogs[in->subprog];

	if (s->name)
		sb_puts(out, s->name);
	else
		sb_printf(out, "subprog#%u", in->subprog);
	if (in->keyed)
		sb_printf(out, " (callsite %u, depth %u)", in->callsite, in->depth);
	if (s->arg_cnt >= 0)
		sb_printf(out, ", %d arg%s", s->arg_cnt, s->arg_cnt == 1 ? "" : "s");
	else
		sb_puts(out, ", args unknown");
}

struct builder {
	struct viz *v;
	Agnode_t ***node;	/* per instance, per block of its subprogram */
	struct sbuf sb;
};

static Agnode_t *node_at(const struct builder *b, uint32_t inst, uint32_t block)
{
	const struct viz *v = b->v;
	const struct df_subprog *s;

	if (inst == UINT32_MAX || !b->node[inst])
		return NULL;
	s = &v->cfg->subprogs[v->inst[inst].subprog];
	if (block < s->first_block ||
	    block >= s->first_block + s->block_cnt)
		return NULL;
	return b->node[inst][block - s->first_block];
}

static void add_edge(struct builder *b, Agnode_t *t, Agnode_t *h, const char *kind,
		     const struct edge_style *st, bool back, const char *label)
{
	Agedge_t *e = agedge(b->v->g, t, h, NULL, 1);

	if (!e)
		return;
	set(e, "kind", kind);
	if (back) {
		set(e, "back", "true");
		set(e, "color", "#d1242f");
		set(e, "style", "bold");
	} else {
		set(e, "color", st->color);
		set(e, "style", st->style);
	}
	if (label && *label) {
		set(e, "label", label);
		set(e, "fontcolor", st->color);
	}
}

/* The instance a call at pc from instance caller enters, or UINT32_MAX. */
static uint32_t callee_inst(const struct viz *v, uint32_t caller, uint32_t callee, uint32_t pc)
{
	const struct viz_inst *c = &v->inst[caller];
	uint32_t i;

	if (!c->keyed)
		return callee < v->inst_cnt ? callee : UINT32_MAX;
	for (i = 0; i < v->inst_cnt; i++) {
		const struct viz_inst *in = &v->inst[i];

		if (in->subprog == callee && in->callsite == pc && in->depth == c->depth + 1)
			return i;
	}
	/* global subprograms are analysed once, as roots */
	for (i = 0; i < v->inst_cnt; i++) {
		const struct viz_inst *in = &v->inst[i];

		if (in->subprog == callee && !in->depth)
			return i;
	}
	return UINT32_MAX;
}

static int add_nodes(struct builder *b, uint32_t i, Agraph_t *sg)
{
	struct viz *v = b->v;
	struct viz_inst *in = &v->inst[i];
	const struct df_subprog *s = &v->cfg->subprogs[in->subprog];
	char name[48];
	uint32_t k;

	b->node[i] = calloc(s->block_cnt ? s->block_cnt : 1, sizeof(**b->node));
	if (!b->node[i])
		return -ENOMEM;
	for (k = 0; k < s->block_cnt; k++) {
		uint32_t blk = s->first_block + k;
		Agnode_t *n;

		if (!viz_block_rows(v, blk))
			continue;
		if (in->keyed)
			snprintf(name, sizeof(name), "i%u_b%u", i, blk);
		else
			snprintf(name, sizeof(name), "b%u", blk);
		n = agnode(sg, name, 1);
		if (!n)
			return -ENOMEM;
		b->node[i][k] = n;
		v->node_cnt++;
		set(n, "id", name);
		snprintf(name, sizeof(name), "%u", blk);
		set(n, "block", name);
		if (!v->cfg->blocks[blk].reachable) {
			set(n, "unreachable", "true");
			set(n, "fontcolor", "#6e6e6e");
		}
		sb_reset(&b->sb);
		viz_block_label(v, in, blk, &b->sb);
		if (b->sb.oom)
			return -ENOMEM;
		set_html(v->g, n, "label", b->sb.s);
	}
	return 0;
}

static void add_call(struct builder *b, uint32_t i, uint32_t blk, uint32_t to, uint32_t pc,
		     bool callback)
{
	const struct viz *v = b->v;
	const struct df_cfg *g = v->cfg;
	uint32_t callee = g->blocks[to].subprog, j, x, k;
	const struct df_subprog *s = &g->subprogs[callee];
	Agnode_t *from = node_at(b, i, blk), *ret;

	j = callee_inst(v, i, callee, pc);
	if (j == UINT32_MAX || !v->inst[j].shown)
		return;
	if (from && node_at(b, j, to))
		add_edge(b, from, node_at(b, j, to), callback ? "callback" : "call",
			 &styles[DF_EDGE_CALL], false, callback ? "callback" : NULL);
	if (callback || pc + 1 >= g->prog->insn_cnt)
		return;
	ret = node_at(b, i, g->block_of[pc + 1]);
	if (!ret)
		return;
	for (x = s->first_block; x < s->first_block + s->block_cnt; x++) {
		const struct df_block *xb = &g->blocks[x];

		for (k = 0; k < xb->succ_cnt; k++) {
			const struct df_edge *e = &g->edges[xb->succ[k]];

			if (e->kind == DF_EDGE_RETURN && e->to == g->block_of[pc + 1] &&
			    node_at(b, j, x))
				add_edge(b, node_at(b, j, x), ret, "return",
					 &styles[DF_EDGE_RETURN], false, NULL);
		}
	}
}

static void add_edges(struct builder *b, uint32_t i)
{
	const struct viz *v = b->v;
	const struct df_cfg *g = v->cfg;
	const struct df_subprog *s = &g->subprogs[v->inst[i].subprog];
	uint32_t blk, k;
	char cond[64];

	for (blk = s->first_block; blk < s->first_block + s->block_cnt; blk++) {
		const struct df_block *bb = &g->blocks[blk];
		Agnode_t *from = node_at(b, i, blk);

		for (k = 0; k < bb->succ_cnt; k++) {
			const struct df_edge *e = &g->edges[bb->succ[k]];
			Agnode_t *to;

			switch (e->kind) {
			case DF_EDGE_FALLTHROUGH:
			case DF_EDGE_TAKEN:
				to = node_at(b, i, e->to);
				if (!from || !to)
					break;
				cond[0] = '\0';
				if (e->kind == DF_EDGE_TAKEN)
					viz_cond_label(&g->prog->insns[bb->end - 1], cond,
						       sizeof(cond));
				add_edge(b, from, to, df_edge_kind_name(e->kind),
					 &styles[e->kind], e->back, cond);
				break;
			case DF_EDGE_CALL:
				add_call(b, i, blk, e->to, bb->end - 1, false);
				break;
			case DF_EDGE_RETURN:
				break;
			}
		}
	}
	for (k = 0; k < g->call_cnt; k++) {
		const struct df_call *c = &g->calls[k];

		if (c->callback && c->caller == v->inst[i].subprog)
			add_call(b, i, g->block_of[c->pc], g->subprogs[c->callee].first_block,
				 c->pc, true);
	}
}

static int rejected_graph(struct viz *v, struct sbuf *sb)
{
	Agnode_t *n = agnode(v->g, "listing", 1);

	if (!n)
		return -ENOMEM;
	set(n, "id", "listing");
	viz_listing_label(v, sb);
	if (sb->oom)
		return -ENOMEM;
	set_html(v->g, n, "label", sb->s);
	v->node_cnt = 1;
	return 0;
}

int viz_graph(struct viz *v)
{
	struct builder b = { .v = v };
	uint32_t i;
	int err = 0;

	v->g = agopen((char *)(v->prog->name ? v->prog->name : "prog"), Agdirected, NULL);
	if (!v->g)
		return -ENOMEM;
	set(v->g, "fontname", "monospace");
	set(v->g, "labelloc", "t");
	sb_printf(&b.sb, "program %s, section %s", v->prog->name,
		  v->prog->section ? v->prog->section : "-");
	if (v->err_msg)
		sb_printf(&b.sb, "\nrejected: %s", v->err_msg);
	set(v->g, "label", b.sb.s ? b.sb.s : "");
	agattr(v->g, AGNODE, "shape", "plain");
	agattr(v->g, AGNODE, "fontname", "monospace");
	agattr(v->g, AGNODE, "fontsize", "10");
	agattr(v->g, AGEDGE, "fontname", "monospace");
	agattr(v->g, AGEDGE, "fontsize", "9");
	sb_reset(&b.sb);
	if (!v->cfg) {
		err = rejected_graph(v, &b.sb);
		sb_free(&b.sb);
		return err;
	}
	b.node = calloc(v->inst_cnt ? v->inst_cnt : 1, sizeof(*b.node));
	if (!b.node) {
		sb_free(&b.sb);
		return -ENOMEM;
	}
	for (i = 0; i < v->inst_cnt && !err; i++) {
		char name[32];
		Agraph_t *sg;

		if (!v->inst[i].shown)
			continue;
		snprintf(name, sizeof(name), "cluster_%u", i);
		sg = agsubg(v->g, name, 1);
		if (!sg) {
			err = -ENOMEM;
			break;
		}
		sb_reset(&b.sb);
		viz_inst_label(v, &v->inst[i], &b.sb);
		set(sg, "label", b.sb.s);
		set(sg, "style", "rounded");
		set(sg, "color", "#8c959f");
		snprintf(name, sizeof(name), "%u", v->inst[i].subprog);
		set(sg, "subprog", name);
		err = add_nodes(&b, i, sg);
	}
	for (i = 0; i < v->inst_cnt && !err; i++)
		if (v->inst[i].shown)
			add_edges(&b, i);
	for (i = 0; i < v->inst_cnt; i++)
		free(b.node[i]);
	free(b.node);
	sb_free(&b.sb);
	return err;
}

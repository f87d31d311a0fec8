/* SPDX-License-Identifier: BSD-2-Clause */
/* Internals of the CFG pictures: the graph being built and its labels. */
#ifndef BPFDF_VIZ_INT_H
#define BPFDF_VIZ_INT_H

#include "viz.h"
#include "argtrack.h"
#include "liveness.h"

#include <graphviz/cgraph.h>

/* A growable string. */
struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};
void sb_putn(struct sbuf *b, const char *s, size_t n);
void sb_puts(struct sbuf *b, const char *s);
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s with & < > " escaped for HTML and graphviz HTML-like labels. */
void sb_html(struct sbuf *b, const char *s);
void sb_reset(struct sbuf *b);
void sb_free(struct sbuf *b);

/*
 * What a cluster stands for: a subprogram, or one analysis instance of it
 * (callsite, depth) with the arg-tracking contexts of that key.
 */
struct viz_inst {
	uint32_t subprog;
	bool keyed;
	uint32_t callsite, depth;
	uint32_t stack_inst;	/* index in the stack solver, or UINT32_MAX */
	uint32_t *ctx;		/* argtrack contexts of this key */
	uint32_t ctx_cnt;
	bool shown;
};

enum viz_annot {
	VIZ_AN_REGS = 1,
	VIZ_AN_ARGS = 2,
	VIZ_AN_STACK = 4,
};

struct viz {
	const struct df_prog *prog;
	struct viz_opts opts;
	unsigned annot;
	struct df_cfg *own_cfg;
	struct df_pipeline *pl;
	const struct df_cfg *cfg;
	const struct df_solver *regs, *args, *stack;
	struct viz_inst *inst;
	uint32_t inst_cnt;
	char *err_msg;		/* rejection message */
	long err_pc;		/* its pc, or -1 */
	Agraph_t *g;
	uint32_t node_cnt, row_cnt;
	bool node_ids;		/* SVG ids "b<block>" (one instance per block) */
};

/* Library messages are collected while a build step runs. */
void viz_capture_begin(void);
/* The collected text (malloc'd, without the trailing newline), or NULL. */
char *viz_capture_end(void);
/* The pc a library message names ("pc N: ..."), or -1. */
long viz_msg_pc(const char *msg);

/* labels.c */
/* The HTML-like label of block b in instance in (the whole table). */
void viz_block_label(struct viz *v, const struct viz_inst *in, uint32_t b,
		     struct sbuf *out);
/* The rejected program's instructions as one table, the failing one marked. */
void viz_listing_label(struct viz *v, struct sbuf *out);
/* The condition under which the taken edge of the jump at pc is followed. */
void viz_cond_label(const struct df_insn *insn, char *buf, size_t len);
/* Rows of block b drawn under the options (its pcs inside --range). */
uint32_t viz_block_rows(const struct viz *v, uint32_t b);
bool viz_pc_shown(const struct viz *v, uint32_t pc);

/* graph.c */
int viz_graph(struct viz *v);
/* The cluster label of an instance. */
void viz_inst_label(const struct viz *v, const struct viz_inst *in, struct sbuf *out);

#endif

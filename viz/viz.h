/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Annotated CFG pictures (docs/viz.md): a program's control-flow graph as a
 * graphviz graph, one cluster per subprogram (or per analysis instance),
 * one HTML-like table per basic block with a row per instruction and the
 * facts of the chosen analyses; DOT, SVG and PNG output; the engine's
 * timeline as a self-contained HTML page.
 */
#ifndef BPFDF_VIZ_H
#define BPFDF_VIZ_H

#include "dataflow.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Larger pictures are refused: dot needs minutes for them (docs/viz.md). */
#define VIZ_MAX_NODES	300
#define VIZ_MAX_ROWS	3000
/* above this many blocks, pictures are laid out with bounded passes and straight edges */
#define VIZ_FAST_LAYOUT_NODES	60

struct viz_opts {
	size_t sz;
	/* analyses whose facts annotate the rows: "regs", "argtrack", "stack" */
	const char *const *analyses;
	uint32_t analysis_cnt;
	const char *subprog;	/* only this subprogram (name or id), or NULL */
	bool range;		/* only pcs range_lo..range_hi (inclusive) */
	uint32_t range_lo, range_hi;
	bool collapse;		/* a block as one line "pc0..pcN (n insns)" */
};

struct viz;

/*
 * Build the annotated graph of prog: its CFG, the analyses through a
 * pipeline, the graph. A program whose CFG or an analysis is rejected
 * still gives a graph: the failing instruction highlighted and the
 * message shown; viz_rejected() then returns that message. Returns 0,
 * -EINVAL for an unknown annotation or subprogram (with a message),
 * -ENOMEM.
 */
int viz_build(const struct df_prog *prog, const struct viz_opts *opts, struct viz **out);
void viz_free(struct viz *v);

/* The library's message when the program was rejected, else NULL. */
const char *viz_rejected(const struct viz *v);
/* Blocks (graph nodes) and instruction rows drawn. */
uint32_t viz_node_cnt(const struct viz *v);
uint32_t viz_row_cnt(const struct viz *v);
/* Whether the graph is small enough for viz_render(). */
bool viz_fits_picture(const struct viz *v);

/* The graph as DOT text (agwrite). */
int viz_write_dot(struct viz *v, FILE *f);
/*
 * Lay out with dot and render as "svg" or "png" into a malloc'd buffer.
 * -E2BIG (with a message naming --subprog, --range and --collapse) when
 * the graph does not fit a picture.
 */
int viz_render(struct viz *v, const char *format, char **data, size_t *len);

/*
 * The engine's timeline of analysis name over prog as one HTML page: the
 * CFG as inline SVG, the numbered steps, the states before and after each
 * visit. Returns 0 (also for a rejected program, whose page says so),
 * -E2BIG when the CFG does not fit a picture, -EINVAL for an unknown
 * analysis.
 */
int viz_trace_html(const struct df_prog *prog, const char *name,
		   const struct viz_opts *opts, FILE *f);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/* DOT text through agwrite; SVG and PNG through libgvc's dot layout. */
#include "viz_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/gvc.h>

int viz_write_dot(struct viz *v, FILE *f)
{
	if (agwrite(v->g, f) || fflush(f))
		return -EIO;
	return 0;
}

/*
 * One graphviz context for the process, never freed: graphviz 2.43's pango
 * text plugin caches a pointer to the last font name, which lives in the
 * context's font dictionary; freeing the context between two renders leaves
 * that pointer dangling (a use-after-free inside graphviz).
 */
static GVC_t *context(void)
{
	static GVC_t *gvc;

	if (!gvc)
		gvc = gvContext();
	return gvc;
}

int viz_render(struct viz *v, const char *format, char **data, size_t *len)
{
	GVC_t *gvc;
	char *out = NULL;
	unsigned int n = 0;
	int err = 0;

	*data = NULL;
	*len = 0;
	if (!viz_fits_picture(v)) {
		fprintf(stderr,
			"%s: %u blocks, %u instruction rows: too large to render as a picture"
			" (limit %u blocks, %u rows); show part of it with --subprog NAME,"
			" --range PC1-PC2 or --collapse, or write --format dot\n",
			v->prog->name, v->node_cnt, v->row_cnt, VIZ_MAX_NODES, VIZ_MAX_ROWS);
		return -E2BIG;
	}
	gvc = context();
	if (!gvc)
		return -ENOMEM;
	/*
	 * dot's network-simplex and crossing-minimisation passes and spline
	 * routing can take minutes on a few hundred blocks (Cilium's
	 * from_netdev: over 60 s); bounded passes and straight edges keep
	 * large pictures to seconds. Small graphs keep curved edges.
	 */
	if (v->node_cnt > VIZ_FAST_LAYOUT_NODES) {
		agsafeset(v->g, "splines", "line", "");
		agsafeset(v->g, "nslimit", "1", "");
		agsafeset(v->g, "mclimit", "0.1", "");
	}
	if (gvLayout(gvc, v->g, "dot")) {
		fprintf(stderr, "%s: graphviz could not lay out the graph\n", v->prog->name);
		return -EINVAL;
	}
	if (gvRenderData(gvc, v->g, format, &out, &n) || !out) {
		fprintf(stderr, "%s: graphviz could not render %s\n", v->prog->name, format);
		err = -EINVAL;
	} else {
		*data = malloc((size_t)n + 1);
		if (*data) {
			memcpy(*data, out, n);
			(*data)[n] = '\0';
			*len = n;
		} else {
			err = -ENOMEM;
		}
	}
	if (out)
		gvFreeRenderData(out);
	gvFreeLayout(gvc, v->g);
	return err;
}

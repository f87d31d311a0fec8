/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Call graph: topological order (callees first), recursion and the depth of
 * call chains in frames. Pseudo calls and callback references are both
 * edges: a callback runs in a frame of its own below the helper's caller.
 */
#include "internal.h"

#include <stdio.h>

enum { WHITE, GREY, BLACK };

static const char *subprog_name(const struct df_cfg *cfg, uint32_t s,
				char *buf, size_t len)
{
	if (cfg->subprogs[s].name)
		return cfg->subprogs[s].name;
	snprintf(buf, len, "func#%u", s);
	return buf;
}

/*
 * Follow a deepest chain from the main program and report the call that
 * enters the first frame beyond the limit.
 */
static void report_too_deep(const struct df_cfg *cfg, const uint32_t *first,
			    const uint32_t *depth)
{
	uint32_t cur = 0, frames = 1, k;

	for (k = 1; k < cfg->subprog_cnt; k++)
		if (depth[k] > depth[cur])
			cur = k;
	while (frames <= DF_MAX_CALL_FRAMES) {
		for (k = first[cur]; k < first[cur + 1]; k++)
			if (depth[cfg->calls[k].callee] + 1 == depth[cur])
				break;
		if (k == first[cur + 1])
			return;
		frames++;
		if (frames > DF_MAX_CALL_FRAMES) {
			df_cfg_err(cfg, cfg->calls[k].pc,
				   "the call stack of %u frames is too deep", frames);
			return;
		}
		cur = cfg->calls[k].callee;
	}
}

int df_cfg_callgraph(struct df_cfg *cfg)
{
	uint32_t S = cfg->subprog_cnt, i, r, cnt = 0;
	uint32_t *first, *it, *stack, *depth, small[64];	/* small: up to 14 subprograms */
	uint8_t *color;
	size_t size;
	int err = -ENOMEM;

	/* one zeroed block for the scratch arrays: first[S + 1], it, stack, depth, color[S] */
	size = ((size_t)S * 4 + 1) * sizeof(uint32_t) + S;
	first = size <= sizeof(small) ? memset(small, 0, size) : df_zalloc(1, size);
	cfg->topo = malloc((size_t)S * sizeof(*cfg->topo));
	if (!first || !cfg->topo)
		goto out;
	it = first + S + 1;
	stack = it + S;
	depth = stack + S;
	color = (uint8_t *)(depth + S);
	/* calls are sorted by pc and subprograms are pc ranges */
	for (i = 0; i < cfg->call_cnt; i++)
		first[cfg->calls[i].caller + 1]++;
	for (i = 0; i < S; i++) {
		first[i + 1] += first[i];
		it[i] = first[i];
	}
	for (r = 0; r < S; r++) {
		uint32_t top = 0;

		if (color[r] != WHITE)
			continue;
		stack[top++] = r;
		color[r] = GREY;
		while (top) {
			uint32_t u = stack[top - 1];
			const struct df_call *c;

			if (it[u] == first[u + 1]) {
				uint32_t k, d = 0;

				for (k = first[u]; k < first[u + 1]; k++)
					if (depth[cfg->calls[k].callee] > d)
						d = depth[cfg->calls[k].callee];
				depth[u] = d + 1;
				color[u] = BLACK;
				cfg->topo[cnt++] = u;
				top--;
				continue;
			}
			c = &cfg->calls[it[u]++];
			if (color[c->callee] == WHITE) {
				color[c->callee] = GREY;
				stack[top++] = c->callee;
			} else if (color[c->callee] == GREY) {
				char a[32], b[32];

				df_cfg_err(cfg, c->pc, "recursive call from %s() to %s()",
					   subprog_name(cfg, c->caller, a, sizeof(a)),
					   subprog_name(cfg, c->callee, b, sizeof(b)));
				err = -EINVAL;
				goto out;
			}
		}
	}
	for (i = 0; i < S; i++)
		if (depth[i] > cfg->max_call_depth)
			cfg->max_call_depth = depth[i];
	if (cfg->max_call_depth > DF_MAX_CALL_FRAMES) {
		report_too_deep(cfg, first, depth);
		err = -EINVAL;
		goto out;
	}
	err = 0;
out:
	if (first != small)
		free(first);
	return err;
}

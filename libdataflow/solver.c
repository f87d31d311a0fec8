// SPDX-License-Identifier: BSD-2-Clause
/* Solver descriptors, options, creation, destruction and accessors. */
#include "engine_int.h"

#define DEFAULT_STEPS		10000000ull
#define DEFAULT_CONTEXTS	10000u
#define DEFAULT_WIDEN_DELAY	2u

/* ------------------------------------------------------------ descriptors */

int df_analysis_check(const struct df_analysis *a, struct df_analysis *copy)
{
	size_t min = offsetof(struct df_analysis, transfer) + sizeof(a->transfer);
	const char *name = a && a->sz >= min && a->name ? a->name : "?";
	const char *miss = NULL;

	if (!a || a->sz < min) {
		df_warn("analysis '%s': descriptor size %zu is too small (at least %zu)\n",
			name, a ? a->sz : 0, min);
		return -EINVAL;
	}
	if (a->sz > sizeof(*a)) {
		const unsigned char *p = (const unsigned char *)a;

		for (size_t i = sizeof(*a); i < a->sz; i++) {
			if (p[i]) {
				df_warn("analysis '%s': descriptor uses fields this "
					"libdataflow does not know (size %zu > %zu)\n",
					name, a->sz, sizeof(*a));
				return -EINVAL;
			}
		}
	}
	if (!a->name || !a->name[0])
		miss = "a name";
	else if (!a->state_size)
		miss = "state_size";
	else if (!a->bottom)
		miss = "bottom()";
	else if (!a->boundary)
		miss = "boundary()";
	else if (!a->join)
		miss = "join()";
	else if (!a->transfer)
		miss = "transfer()";
	if (miss) {
		df_warn("analysis '%s': descriptor lacks %s\n", name, miss);
		return -EINVAL;
	}
	if (a->dir != DF_FORWARD && a->dir != DF_BACKWARD) {
		df_warn("analysis '%s': invalid direction %d\n", name, (int)a->dir);
		return -EINVAL;
	}
	if (copy) {
		memset(copy, 0, sizeof(*copy));
		memcpy(copy, a, a->sz < sizeof(*a) ? a->sz : sizeof(*a));
		copy->sz = sizeof(*copy);
	}
	return 0;
}

/* ------------------------------------------------------------ lifecycle */

static int find_deps(struct df_solver *s, const struct df_solver_opts *o)
{
	const char *const *r = s->a.requires;

	if (o && o->dep_cnt) {
		s->deps = df_arena_zalloc(&s->arena, o->dep_cnt * sizeof(*s->deps));
		if (!s->deps)
			return -ENOMEM;
		memcpy(s->deps, o->deps, o->dep_cnt * sizeof(*s->deps));
		s->dep_cnt = o->dep_cnt;
	}
	for (; r && *r; r++) {
		const struct df_solver *d = df_solver_dep(s, *r);

		if (!d) {
			df_prog_err(s->prog, -1, "analysis '%s' requires '%s', "
				    "which was not run first", s->a.name, *r);
			return -ENOENT;
		}
		if (!d->solved || d->err) {
			df_prog_err(s->prog, -1, "analysis '%s' requires '%s', "
				    "which has no results", s->a.name, *r);
			return -ENOENT;
		}
	}
	return 0;
}

static int check_opts(struct df_solver *s, const struct df_solver_opts *o)
{
	int mode = s->a.ctx_mode == DF_CTX_DEFAULT ? DF_CTX_NONE : (int)s->a.ctx_mode;

	if (o) {
		memcpy(&s->o, o, o->sz < sizeof(*o) ? o->sz : sizeof(*o));
		if (o->sz >= offsetof(struct df_solver_opts, call_depth) &&
		    o->ctx_mode != DF_CTX_DEFAULT)
			mode = (int)o->ctx_mode;
	}
	s->o.sz = sizeof(s->o);
	if (mode < DF_CTX_NONE || mode > DF_CTX_CALLSITE_DEPTH) {
		df_warn("analysis '%s': invalid context mode %d\n", s->a.name, mode);
		return -EINVAL;
	}
	s->mode = mode;
	if (mode == DF_CTX_CALLSITE_DEPTH && s->backward) {
		df_warn("analysis '%s': callsite-depth contexts need a forward analysis\n",
			s->a.name);
		return -EINVAL;
	}
	if (!s->o.call_depth)
		s->o.call_depth = DF_MAX_CALL_FRAMES;
	if (s->o.call_depth > DF_MAX_CALL_FRAMES) {
		df_warn("analysis '%s': call depth %u out of range 1..%d\n",
			s->a.name, s->o.call_depth, DF_MAX_CALL_FRAMES);
		return -EINVAL;
	}
	if (!s->o.widen_delay)
		s->o.widen_delay = DEFAULT_WIDEN_DELAY;
	if (!s->o.max_steps)
		s->o.max_steps = DEFAULT_STEPS;
	if (!s->o.max_contexts)
		s->o.max_contexts = DEFAULT_CONTEXTS;
	s->interproc = mode == DF_CTX_INSENSITIVE || mode == DF_CTX_CALLSTRING;
	return 0;
}

/* Programs up to this size get their solver and its first arrays in one piece. */
#define SMALL_INSNS	512u
#define SMALL_ROOM	(32u << 10)

/*
 * Room for what solving a small program allocates (the scratch, the
 * layout, a context, the worklist, the states before calls), or 0: one
 * allocation of a few kilobytes costs less than one for each array.
 */
static size_t small_room(const struct df_prog *prog, const struct df_cfg *g, size_t ssz,
			 uint32_t dep_cnt)
{
	size_t nb = (size_t)g->block_cnt + 1, calls = 0, n;

	if (prog->insn_cnt > SMALL_INSNS || ssz > SMALL_ROOM)
		return 0;
	for (uint32_t pc = 0; pc < prog->insn_cnt; pc++)
		calls += df_is_call(&prog->insns[pc]);
	/* df_layout(): blk[], sub[] and counts; roots, exits, calls; flows */
	n = nb * (sizeof(struct df_blk) + 4 * sizeof(uint32_t)) +
	    ((size_t)g->subprog_cnt + 1) * sizeof(struct df_ssub) + 16;
	n += (3 * nb + 3 + calls) * sizeof(uint32_t) + 16;
	n += ((size_t)g->edge_cnt + 1) * sizeof(uint32_t) + 16;
	/* deps, four contexts, the heap and the interning table (first sizes) */
	n += dep_cnt * sizeof(void *) + 4 * sizeof(struct df_sctx) + 64 * sizeof(uint64_t) +
	     64 * sizeof(uint32_t) + 4 * 16;
	/* one context's arrays (see df_ctx_new()), a level's two states and calls[] */
	n += 2 * sizeof(uint64_t) + (nb + 2) * ssz + 2 * nb * sizeof(uint32_t) + 32;
	n += (2 + calls) * ssz + 32;
	/* the solve and query scratch */
	n += 10 * ssz + 16;
	return n <= SMALL_ROOM ? (n + 15) & ~(size_t)15 : 0;
}

int df_solver_new(const struct df_prog *prog, const struct df_cfg *cfg,
		  const struct df_analysis *a, const struct df_solver_opts *opts,
		  struct df_solver **out)
{
	struct df_analysis copy;
	struct df_solver *s;
	size_t room;
	struct df_ctx c = { .prog = prog, .cfg = cfg, .context = DF_NONE };
	int err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!prog || !cfg || cfg->prog != prog)
		return -EINVAL;
	err = df_analysis_check(a, &copy);
	if (err)
		return err;
	/* a small program's arena starts in room allocated with the solver */
	room = small_room(prog, cfg, copy.state_size, opts ? opts->dep_cnt : 0);
	s = malloc(sizeof(*s) + (room ? room + 15 : 0));
	if (!s)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	if (room)
		df_arena_init(&s->arena, s + 1, room + 15);
	/* the solve scratch, then the query scratch: one piece, not cleared (states are large) */
	s->wa = df_arena_alloc(&s->arena, 10 * copy.state_size);
	if (!s->wa) {
		free(s);
		return -ENOMEM;
	}
	s->prog = prog;
	s->cfg = cfg;
	s->orig = a;
	s->a = copy;
	s->ssz = s->a.state_size;
	s->backward = s->a.dir == DF_BACKWARD;
	err = check_opts(s, opts);
	if (!err)
		err = find_deps(s, opts);
	if (!err)
		err = df_layout(s);
	if (err)
		goto fail;
	for (int i = 0; i < 4; i++)
		s->q[i] = s->wa + (6 + i) * s->ssz;
	s->wb = s->wa + s->ssz;
	s->tmp = s->wb + s->ssz;
	s->old = s->tmp + s->ssz;
	s->acc = s->old + s->ssz;
	s->cret = s->acc + s->ssz;
	if (s->a.init) {
		c.solver = s;
		err = s->a.init(&c, &s->priv);
		if (err) {
			df_prog_err(prog, -1, "analysis '%s': init failed: %s",
				    s->a.name, strerror(err < 0 ? -err : err));
			err = err < 0 ? err : -err;
			s->a.fini = NULL;
			goto fail;
		}
	}
	*out = s;
	return 0;
fail:
	df_solver_free(s);
	return err;
}

void df_solver_free(struct df_solver *s)
{
	if (!s)
		return;
	if (s->a.fini)
		s->a.fini(s->priv);
	free(s->dep);
	free(s->dtab);
	df_arena_free(&s->arena);
	free(s);
}

const struct df_analysis *df_solver_analysis(const struct df_solver *s)
{
	return s ? s->orig : NULL;
}

const struct df_prog *df_solver_prog(const struct df_solver *s)
{
	return s ? s->prog : NULL;
}

const struct df_cfg *df_solver_cfg(const struct df_solver *s)
{
	return s ? s->cfg : NULL;
}

void *df_solver_priv(const struct df_solver *s)
{
	return s ? s->priv : NULL;
}

const struct df_solver *df_solver_dep(const struct df_solver *s, const char *name)
{
	for (uint32_t i = 0; s && name && i < s->dep_cnt; i++)
		if (s->deps[i] && df_name_eq(s->deps[i]->a.name, name))
			return s->deps[i];
	return NULL;
}

uint64_t df_solver_steps(const struct df_solver *s)
{
	return s ? s->steps : 0;
}

// SPDX-License-Identifier: BSD-2-Clause
/*
 * Lattice law checks on sample states: join commutative, associative and
 * idempotent, bottom its identity, join's "changed" truthful, and, given a
 * program, transfer monotone on the ordered sample pairs.
 */
#include "engine_int.h"

struct laws {
	const struct df_analysis *a;
	const struct df_ctx *c;
	const uint8_t *smp;
	size_t ssz;
	uint8_t *x, *y, *z;
};

static const void *sample(const struct laws *l, size_t i)
{
	return l->smp + i * l->ssz;
}

static bool eq(const struct laws *l, const void *p, const void *q)
{
	return l->a->equal ? l->a->equal(l->c, p, q) : !memcmp(p, q, l->ssz);
}

static void state_str(const struct laws *l, const void *st, char *buf, size_t len)
{
	FILE *f;

	buf[0] = 0;
	if (!l->a->print)
		return;
	f = fmemopen(buf, len, "w");
	if (!f)
		return;
	l->a->print(l->c, st, f);
	fclose(f);
	buf[len - 1] = 0;
}

static int fail(const struct laws *l, const char *law, size_t i, size_t j,
		const void *got, const void *want)
{
	char g[256], w[256];

	state_str(l, got, g, sizeof(g));
	state_str(l, want, w, sizeof(w));
	df_warn("analysis '%s': %s fails on samples %zu and %zu%s%s%s%s\n",
		l->a->name, law, i, j, g[0] ? ": got " : "", g,
		w[0] ? ", expected " : "", w);
	return -EINVAL;
}

/* x := p ⊔ q; returns join's "changed". */
static bool join(const struct laws *l, void *x, const void *p, const void *q)
{
	memcpy(x, p, l->ssz);
	return l->a->join(l->c, x, q);
}

static int lattice(struct laws *l, size_t n)
{
	const struct df_analysis *a = l->a;

	for (size_t i = 0; i < n; i++) {
		if (join(l, l->x, sample(l, i), sample(l, i)) ||
		    !eq(l, l->x, sample(l, i)))
			return fail(l, "idempotence (s ⊔ s = s, unchanged)", i, i,
				    l->x, sample(l, i));
		a->bottom(l->c, l->y);
		join(l, l->x, l->y, sample(l, i));
		if (!eq(l, l->x, sample(l, i)))
			return fail(l, "bottom identity (⊥ ⊔ s = s)", i, i, l->x,
				    sample(l, i));
		if (join(l, l->x, sample(l, i), l->y) || !eq(l, l->x, sample(l, i)))
			return fail(l, "bottom identity (s ⊔ ⊥ = s, unchanged)", i,
				    i, l->x, sample(l, i));
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			bool ch = join(l, l->x, sample(l, i), sample(l, j));

			join(l, l->y, sample(l, j), sample(l, i));
			if (!eq(l, l->x, l->y))
				return fail(l, "commutativity", i, j, l->x, l->y);
			if (ch == eq(l, l->x, sample(l, i)))
				return fail(l, "join's changed result", i, j, l->x,
					    sample(l, i));
			for (size_t k = 0; k < n; k++) {
				join(l, l->x, sample(l, i), sample(l, j));
				a->join(l->c, l->x, sample(l, k));
				join(l, l->z, sample(l, j), sample(l, k));
				join(l, l->y, sample(l, i), l->z);
				if (!eq(l, l->x, l->y)) {
					df_warn("analysis '%s': associativity fails "
						"on samples %zu, %zu and %zu\n",
						a->name, i, j, k);
					return -EINVAL;
				}
			}
		}
	}
	return 0;
}

/* p ⊑ q  iff  p ⊔ q = q */
static bool leq(struct laws *l, const void *p, const void *q, void *scratch)
{
	join(l, scratch, q, p);
	return eq(l, scratch, q);
}

static int monotone(struct laws *l, size_t n)
{
	const struct df_prog *prog = l->c->prog;
	uint8_t *tx = l->x, *ty = l->y;

	for (uint32_t pc = 0; pc < prog->insn_cnt;
	     pc += df_insn_slots(&prog->insns[pc])) {
		for (size_t i = 0; i < n; i++) {
			for (size_t j = 0; j < n; j++) {
				if (i == j || !leq(l, sample(l, i), sample(l, j), l->z))
					continue;
				l->a->transfer(l->c, pc, sample(l, i), tx);
				l->a->transfer(l->c, pc, sample(l, j), ty);
				if (!leq(l, tx, ty, l->z)) {
					df_warn("analysis '%s': transfer at pc %u is "
						"not monotone on samples %zu <= %zu\n",
						l->a->name, pc, i, j);
					return -EINVAL;
				}
			}
		}
	}
	return 0;
}

int df_check_laws(const struct df_analysis *a, const struct df_ctx *c,
		  const void *samples, size_t n)
{
	struct df_ctx dummy = { .context = DF_NONE };
	struct laws l = { .c = c ? c : &dummy, .smp = samples };
	struct df_analysis full;
	int err = df_analysis_check(a, &full);

	if (err)
		return err;
	if (!samples && n)
		return -EINVAL;
	l.a = &full;
	l.ssz = full.state_size;
	l.x = malloc(3 * l.ssz);
	if (!l.x)
		return -ENOMEM;
	l.y = l.x + l.ssz;
	l.z = l.y + l.ssz;
	err = lattice(&l, n);
	if (!err && l.c->prog)
		err = monotone(&l, n);
	free(l.x);
	return err;
}

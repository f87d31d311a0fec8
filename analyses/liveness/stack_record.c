/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The recording pass of the stack liveness (semantics §3.6-§3.8): each
 * reached instruction, with its converged arg-tracking in-state, adds to
 * may_read ("use") and must_write ("def") of the frames it may touch.
 *
 * Half h of a frame is [r10 - 4(h+1), r10 - 4h); 128 halves per frame.
 * A read marks every half it touches, a write defines only the halves it
 * covers entirely, and only through a pointer with exactly one offset.
 * Offset-imprecise reads take the whole frame; imprecise pointers take
 * every frame of their mask (writes included, as the kernel does).
 */
#include "stack_int.h"
#include "internal.h"

void df_halves_access(struct df_halves *use, struct df_halves *def,
		      int64_t fp_off, int64_t bytes)
{
	int64_t dist = -fp_off, lo, hi;

	if (fp_off >= 0 || bytes == 0)
		return;
	if (bytes == DF_ACCESS_UNKNOWN) {
		hi = (dist - 1) / 4;
		df_halves_set_range(use, 0, hi > DF_HALVES ? DF_HALVES : (int)hi);
		return;
	}
	if (bytes > 0) {
		hi = (dist - 1) / 4;
		lo = (dist - bytes) / 4;
		if (lo < 0)
			lo = 0;
		if (lo < DF_HALVES)
			df_halves_set_range(use, (int)lo, hi > DF_HALVES ? DF_HALVES : (int)hi);
		return;
	}
	bytes = -bytes;
	hi = dist / 4 - 1;
	lo = (dist - bytes + 3) / 4;
	if (dist - bytes + 3 < 0 || lo < 0)
		lo = 0;
	if (lo <= hi && lo < DF_HALVES)
		df_halves_set_range(def, (int)lo, hi > DF_HALVES ? DF_HALVES : (int)hi);
}

static __attribute__((noinline)) int vec_grow(struct df_rec_vec *v)
{
	uint32_t cap = v->cap ? 2 * v->cap : 16;
	struct df_stack_rec *r = cap > v->cap ? realloc(v->r, (size_t)cap * sizeof(*r)) : NULL;

	if (!r)
		return -ENOMEM;
	v->r = r;
	v->cap = cap;
	return 0;
}

/*
 * Add use (u0, u1) and def (d0, d1) at (frame, pc), frame <= k->depth and
 * pc in the subprogram; nothing when both are empty. Records that come in
 * pc order stay merged and sorted: finish has nothing to do for them.
 */
static inline __attribute__((always_inline)) int sink_put(struct df_rec_sink *k, uint32_t frame,
							  uint32_t pc, uint64_t u0, uint64_t u1,
							  uint64_t d0, uint64_t d1)
{
	struct df_rec_vec *v = &k->fr[frame];
	struct df_stack_rec *m;

	if (!(u0 | u1 | d0 | d1))
		return 0;
	if (v->cnt && v->r[v->cnt - 1].pc == pc) {
		m = &v->r[v->cnt - 1];
		m->may_read.w[0] |= u0;
		m->may_read.w[1] |= u1;
		m->must_write.w[0] |= d0;
		m->must_write.w[1] |= d1;
		return 0;
	}
	if (v->cnt == v->cap && vec_grow(v))
		return -ENOMEM;
	if (v->cnt && v->r[v->cnt - 1].pc > pc)
		v->unsorted = true;
	m = &v->r[v->cnt++];
	m->pc = pc;
	m->may_read = (struct df_halves){ { u0, u1 } };
	m->must_write = (struct df_halves){ { d0, d1 } };
	return 0;
}

static int sink_or(struct df_rec_sink *k, uint32_t frame, uint32_t pc,
		   const struct df_halves *use, const struct df_halves *def)
{
	return sink_put(k, frame, pc, use->w[0], use->w[1], def->w[0], def->w[1]);
}

int df_sink_or(struct df_rec_sink *k, uint32_t frame, uint32_t pc,
	       const struct df_halves *use, const struct df_halves *def)
{
	if (frame > k->depth || pc < k->start || pc - k->start >= k->insn_cnt)
		return -EINVAL;
	return sink_or(k, frame, pc, use, def);
}

static int cmp_rec(const void *a, const void *b)
{
	const struct df_stack_rec *x = a, *y = b;

	return x->pc < y->pc ? -1 : x->pc > y->pc;
}

static bool rec_empty(const struct df_stack_rec *r)
{
	return df_halves_empty(&r->may_read) && df_halves_empty(&r->must_write);
}

void df_rec_vec_finish(struct df_rec_vec *v)
{
	uint32_t n = 0;

	if (!v->unsorted)
		return;		/* sink_put() kept them sorted, merged and not empty */
	qsort(v->r, v->cnt, sizeof(*v->r), cmp_rec);
	v->unsorted = false;
	for (uint32_t i = 0; i < v->cnt; i++) {
		struct df_stack_rec *d = n ? &v->r[n - 1] : NULL;

		if (d && d->pc == v->r[i].pc) {
			for (int w = 0; w < 2; w++) {
				d->may_read.w[w] |= v->r[i].may_read.w[w];
				d->must_write.w[w] |= v->r[i].must_write.w[w];
			}
			continue;
		}
		if (n && rec_empty(&v->r[n - 1]))
			n--;
		if (n != i)
			v->r[n] = v->r[i];
		n++;
	}
	if (n && rec_empty(&v->r[n - 1]))
		n--;
	v->cnt = n;
}

int df_recs_merge(const struct df_stack_rec *a, uint32_t na,
		  const struct df_stack_rec *b, uint32_t nb,
		  struct df_stack_rec **out, uint32_t *nout)
{
	struct df_stack_rec *m;
	uint32_t i = 0, j = 0, n = 0;

	*out = NULL;
	*nout = 0;
	if (!na && !nb)
		return 0;
	m = malloc(((size_t)na + nb) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	while (i < na || j < nb) {
		struct df_stack_rec r;

		if (j == nb || (i < na && a[i].pc < b[j].pc)) {
			r = a[i++];
			r.must_write = (struct df_halves){ { 0, 0 } };
		} else if (i == na || b[j].pc < a[i].pc) {
			r = b[j++];
			r.must_write = (struct df_halves){ { 0, 0 } };
		} else {
			r = a[i++];
			for (int w = 0; w < 2; w++) {
				r.may_read.w[w] |= b[j].may_read.w[w];
				r.must_write.w[w] &= b[j].must_write.w[w];
			}
			j++;
		}
		if (!rec_empty(&r))
			m[n++] = r;
	}
	if (!n) {
		free(m);
		return 0;
	}
	*out = m;
	*nout = n;
	return 0;
}

int df_sink_read_all(struct df_rec_sink *k, uint32_t frame, uint32_t pc)
{
	if (frame > k->depth || pc < k->start || pc - k->start >= k->insn_cnt)
		return -EINVAL;
	return sink_put(k, frame, pc, UINT64_MAX, UINT64_MAX, 0, 0);
}

static int record_imprecise(struct df_rec_sink *k, uint32_t pc, uint16_t mask)
{
	if (pc < k->start || pc - k->start >= k->insn_cnt)
		return -EINVAL;
	for (uint32_t f = 0; f <= k->depth && f < 16; f++) {
		if ((mask & (1u << f)) && sink_put(k, f, pc, UINT64_MAX, UINT64_MAX, 0, 0))
			return -ENOMEM;
	}
	return 0;
}

int df_record_arg(struct df_rec_sink *k, uint32_t pc, const struct df_arg *p,
		  int64_t bytes)
{
	struct df_halves use = { { 0, 0 } }, def = { { 0, 0 } };

	if (bytes == 0)
		return 0;
	if (p->frame == DF_ARG_IMPRECISE)
		return record_imprecise(k, pc, p->mask);
	if (p->frame < 0 || (uint32_t)p->frame > k->depth)
		return 0;
	if (p->off_cnt == 0) {
		if (bytes > 0 || bytes == DF_ACCESS_UNKNOWN)
			return df_sink_read_all(k, (uint32_t)p->frame, pc);
		return 0;
	}
	if (bytes != DF_ACCESS_UNKNOWN && bytes < 0 && p->off_cnt != 1)
		return 0;
	for (int i = 0; i < p->off_cnt; i++)
		df_halves_access(&use, &def, p->off[i], bytes);
	return sink_or(k, (uint32_t)p->frame, pc, &use, &def);
}

static int size_bytes(uint8_t code)
{
	switch (DF_SIZE(code)) {
	case DF_B: return 1;
	case DF_H: return 2;
	case DF_W: return 4;
	default: return 8;
	}
}

/* df_halves_access() of one load or store (1 <= |bytes| <= 8) at fp_off, then sink_put(). */
static inline int record_one(struct df_rec_sink *k, uint32_t frame, uint32_t pc,
			     int32_t fp_off, int32_t bytes)
{
	int32_t dist = -fp_off, lo, hi;
	const struct df_halves *a, *b;

	if (fp_off >= 0)
		return 0;
	if (bytes > 0) {
		hi = (dist - 1) / 4;
		lo = (dist - bytes) / 4;
		if (lo < 0)
			lo = 0;
		if (lo >= DF_HALVES)
			return 0;
		a = &df_halves_below[hi >= DF_HALVES ? DF_HALVES : hi + 1];
		b = &df_halves_below[lo];
		return sink_put(k, frame, pc, a->w[0] & ~b->w[0], a->w[1] & ~b->w[1], 0, 0);
	}
	hi = dist / 4 - 1;
	lo = dist + bytes + 3 < 0 ? 0 : (dist + bytes + 3) / 4;
	if (lo > hi || lo >= DF_HALVES)
		return 0;
	a = &df_halves_below[hi >= DF_HALVES ? DF_HALVES : hi + 1];
	b = &df_halves_below[lo];
	return sink_put(k, frame, pc, 0, 0, a->w[0] & ~b->w[0], a->w[1] & ~b->w[1]);
}

int df_record_mem(struct df_rec_sink *k, const struct df_insn *in, uint32_t pc,
		  const struct df_arg *base)
{
	int64_t sz = size_bytes(in->code);
	struct df_arg p = *base;

	switch (DF_CLASS(in->code)) {
	case DF_STX:
		if (DF_MODE(in->code) != DF_ATOMIC || in->imm == DF_STORE_REL)
			sz = -sz;
		break;
	case DF_ST:
		sz = -sz;
		break;
	default:
		break;
	}
	if (p.frame == DF_ARG_NONE)
		return 0;
	/* the common case, one offset: what df_record_arg() does with it */
	if (p.frame >= 0 && p.off_cnt == 1 && (uint32_t)p.frame <= k->depth) {
		int32_t o = (int32_t)p.off[0] + in->off;

		if (o >= INT16_MIN && o <= INT16_MAX)
			return record_one(k, (uint32_t)p.frame, pc, o, (int32_t)sz);
	}
	if (p.off_cnt > 0) {
		for (int i = 0; i < p.off_cnt; i++) {
			if (df_arg_add(p.off[i], in->off, &p.off[i])) {
				p = df_arg_off_imprecise(p.frame);
				break;
			}
		}
	}
	return df_record_arg(k, pc, &p, sz);
}

static int read_all_frames(struct df_rec_sink *k, uint32_t pc)
{
	if (pc < k->start || pc - k->start >= k->insn_cnt)
		return -EINVAL;
	for (uint32_t f = 0; f <= k->depth; f++) {
		if (sink_put(k, f, pc, UINT64_MAX, UINT64_MAX, 0, 0))
			return -ENOMEM;
	}
	return 0;
}

/* Helper and kfunc arguments: r1..r5 are v[0..4], sa0..sa6 v[5..11]. */
static int record_call(struct df_rec_sink *k, const struct df_prog *prog,
		       const struct df_consts *consts, uint32_t pc,
		       const struct df_arg *v)
{
	const struct df_call_consts *cc = df_consts_at(consts, pc);
	int np = df_proto_nparams(prog, pc);

	for (int a = 0; a < np && a < DF_AT_CALL_VALS; a++) {
		int64_t bytes;
		int err;

		if (!df_arg_is_fp(&v[a]))
			continue;
		if (df_proto_access(prog, pc, (unsigned)a, cc, &bytes))
			err = read_all_frames(k, pc);
		else
			err = df_record_arg(k, pc, &v[a], bytes);
		if (err)
			return err;
	}
	return 0;
}

int df_record_call(struct df_rec_sink *k, const struct df_prog *prog,
		   const struct df_consts *consts, uint32_t pc, const struct df_arg *v)
{
	const struct df_insn *insn = &prog->insns[pc];
	int from, to, err;

	if (insn->src_reg == DF_PSEUDO_HELPER || insn->src_reg == DF_PSEUDO_KFUNC_CALL) {
		err = record_call(k, prog, consts, pc, v);
		if (err)
			return err;
	}
	/* a callback chosen at run time may read any frame through its context */
	if (df_callback_subprog(prog, consts, pc, &from, &to) == -2 &&
	    v[from - 1].frame != DF_ARG_NONE)
		return read_all_frames(k, pc);
	return 0;
}

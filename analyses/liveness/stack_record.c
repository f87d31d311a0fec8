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

struct df_stack_rec *df_sink_masks(struct df_rec_sink *k, uint32_t frame,
				   uint32_t pc)
{
	struct df_rec_vec *v;
	struct df_stack_rec *r;

	if (frame > k->depth || pc < k->start || pc - k->start >= k->insn_cnt)
		return NULL;
	v = &k->fr[frame];
	if (v->cnt && v->r[v->cnt - 1].pc == pc)
		return &v->r[v->cnt - 1];
	if (v->cnt == v->cap) {
		uint32_t cap = v->cap ? 2 * v->cap : 16;

		r = cap > v->cap ? realloc(v->r, (size_t)cap * sizeof(*r)) : NULL;
		if (!r)
			return NULL;
		v->r = r;
		v->cap = cap;
	}
	if (v->cnt && v->r[v->cnt - 1].pc > pc)
		v->unsorted = true;
	r = &v->r[v->cnt++];
	memset(r, 0, sizeof(*r));
	r->pc = pc;
	return r;
}

/*
 * Add use and def at (frame, pc), frame <= k->depth and pc in the
 * subprogram; nothing when both are empty (finish drops those).
 */
static int sink_or(struct df_rec_sink *k, uint32_t frame, uint32_t pc,
		   const struct df_halves *use, const struct df_halves *def)
{
	struct df_rec_vec *v = &k->fr[frame];
	struct df_stack_rec *m = v->cnt ? &v->r[v->cnt - 1] : NULL;

	if (df_halves_empty(use) && df_halves_empty(def))
		return 0;
	if ((!m || m->pc != pc) && v->cnt < v->cap) {
		if (m && m->pc > pc)
			v->unsorted = true;
		m = &v->r[v->cnt++];
		m->pc = pc;
		m->may_read = *use;
		m->must_write = *def;
		return 0;
	}
	if (!m || m->pc != pc)
		m = df_sink_masks(k, frame, pc);
	if (!m)
		return -ENOMEM;
	for (int w = 0; w < 2; w++) {
		m->may_read.w[w] |= use->w[w];
		m->must_write.w[w] |= def->w[w];
	}
	return 0;
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

	if (v->unsorted)
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
	const struct df_halves all = { { UINT64_MAX, UINT64_MAX } }, none = { { 0, 0 } };

	if (frame > k->depth || pc < k->start || pc - k->start >= k->insn_cnt)
		return -ENOMEM;	/* as df_sink_masks() */
	return sink_or(k, frame, pc, &all, &none);
}

static int record_imprecise(struct df_rec_sink *k, uint32_t pc, uint16_t mask)
{
	for (uint32_t f = 0; f <= k->depth && f < 16; f++) {
		int err;

		if (!(mask & (1u << f)))
			continue;
		err = df_sink_read_all(k, f, pc);
		if (err)
			return err;
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
		struct df_halves use = { { 0, 0 } }, def = { { 0, 0 } };

		if (o >= INT16_MIN && o <= INT16_MAX) {
			df_halves_access(&use, &def, o, sz);
			return sink_or(k, (uint32_t)p.frame, pc, &use, &def);
		}
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
	for (uint32_t f = 0; f <= k->depth; f++) {
		int err = df_sink_read_all(k, f, pc);

		if (err)
			return err;
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

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Arg tracking ("argtrack"): which registers, outgoing stack-argument slots
 * and spill slots may hold a pointer into which frame's stack, at which
 * offsets (semantics §3.2-§3.5, the kernel's compute_subprog_args()).
 *
 * Lattice: per location the value lattice of argtrack_lattice.c; a state
 * is 11 registers + 7 sa slots + 64 spill slots, joined pointwise.
 * Direction: forward. Equations: in(b) = join of out(p) over predecessors,
 * out = xfer(in) (argtrack_xfer.c). Contexts: the kernel's instances,
 * DF_CTX_CALLSITE_DEPTH. A root starts from r10 = (0, {0}) and NONE
 * elsewhere; a call is followed only when one of its entry values (r1..r5
 * and sa0..6, or the forwarded register of a callback helper) may point
 * into a stack, and the callee starts from those values in frame d+1.
 *
 * Stored (besides the engine's per-instruction states): one call record
 * per followed call, with the caller's outgoing slots (the callee's
 * incoming stack arguments) and the caller's spill slots at the call (for
 * fills through parent-frame pointers). Each state names its record, so
 * every call gets its own context, as every reach of a call is analysed
 * afresh in the kernel. And per context the access log of argtrack_log.c,
 * which the stack liveness records from.
 */
#include "argtrack_int.h"
#include "internal.h"

#include <stdio.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define AT_AVX2 1	/* the join's comparison, where the processor has it */
#endif

static struct df_argtrack_priv *priv_of(const struct df_ctx *c)
{
	return c->priv;
}

static uint32_t hash_key(uint32_t ctx, uint32_t pc)
{
	uint64_t k = ((uint64_t)ctx << 32) | pc;

	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (uint32_t)k;
}

static int hash_grow(struct df_argtrack_priv *p)
{
	uint32_t cap = p->hash_cap ? p->hash_cap * 2 : 64;
	uint32_t *h = malloc(cap * sizeof(*h));

	if (!h)
		return -ENOMEM;
	memset(h, 0xff, cap * sizeof(*h));
	for (uint32_t i = 0; i < p->rec_cnt; i++) {
		uint32_t j = hash_key(p->recs[i]->caller_ctx, p->recs[i]->pc) & (cap - 1);

		while (h[j] != UINT32_MAX)
			j = (j + 1) & (cap - 1);
		h[j] = i;
	}
	free(p->hash);
	p->hash = h;
	p->hash_cap = cap;
	return 0;
}

/* The record of (caller context, pc), created when missing; UINT32_MAX on ENOMEM. */
static uint32_t record_get(struct df_argtrack_priv *p, uint32_t ctx, uint32_t pc,
			   bool *fresh)
{
	uint32_t j;

	*fresh = false;
	if ((p->rec_cnt + 1) * 2 > p->hash_cap && hash_grow(p))
		return UINT32_MAX;
	j = hash_key(ctx, pc) & (p->hash_cap - 1);
	while (p->hash[j] != UINT32_MAX) {
		const struct df_at_record *r = p->recs[p->hash[j]];

		if (r->caller_ctx == ctx && r->pc == pc)
			return p->hash[j];
		j = (j + 1) & (p->hash_cap - 1);
	}
	if (df_array_push(p->recs, p->rec_cnt))
		return UINT32_MAX;
	p->recs[p->rec_cnt] = df_arena_zalloc(&p->arena, sizeof(struct df_at_record));
	if (!p->recs[p->rec_cnt])
		return UINT32_MAX;
	p->hash[j] = p->rec_cnt;
	*fresh = true;
	return p->rec_cnt++;
}

#define REP2(x)		x, x
#define REP16(x)	REP2(REP2(REP2(REP2(x))))
#define REP82(x)	REP16(x), REP16(x), REP16(x), REP16(x), REP16(x), REP2(x)

_Static_assert(DF_ARG_NLOCS == 82, "the templates below list every location");

/* Bottom, and the NONE-filled start of a root or an entry, copied whole. */
static const struct df_argtrack_state bottom_st = {
	.loc = { REP82({ .frame = DF_ARG_UNVISITED }) },
	.entry = DF_ARG_ENTRY_NONE,
};
static const struct df_argtrack_state none_st = {
	.loc = { REP82({ .frame = DF_ARG_NONE }) },
	.entry = DF_ARG_ENTRY_ROOT,
};

static void set_none(struct df_argtrack_state *s, uint32_t entry)
{
	memcpy(s, &none_st, sizeof(*s));
	s->entry = entry;
}

static int at_init(const struct df_ctx *c, void **out)
{
	struct df_argtrack_priv *p = df_zalloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	err = df_at_log_init(&p->log, c->prog, c->cfg);
	if (!err) {
		err = df_consts_compute_calls(c->prog, c->cfg, p->log.call_pc,
					      p->log.call_first, &p->consts);
		if (err)
			df_at_log_free(&p->log);
	}
	if (err) {
		free(p);
		return err;
	}
	p->cur_ctx = UINT32_MAX;
	p->cfg = c->cfg;
	*out = p;
	return 0;
}

static void at_fini(void *priv)
{
	struct df_argtrack_priv *p = priv;

	if (!p)
		return;
	df_consts_free(&p->consts);
	df_at_log_free(&p->log);
	free(p->recs);
	df_arena_free(&p->arena);
	free(p->hash);
	free(p);
}

static void at_bottom(const struct df_ctx *c, void *s)
{
	(void)c;
	memcpy(s, &bottom_st, sizeof(bottom_st));
}

static void at_boundary(const struct df_ctx *c, void *s)
{
	struct df_argtrack_state *st = s;

	set_none(st, DF_ARG_ENTRY_ROOT);
	st->loc[DF_REG_FP] = df_arg_single((int)c->depth, 0);
}

/* Bottom: every location UNVISITED, no entry. */
static bool is_bottom(const struct df_argtrack_state *s)
{
	if (s->entry != DF_ARG_ENTRY_NONE)
		return false;
	if (!memcmp(s, &bottom_st, sizeof(*s)))
		return true;
	for (int i = 0; i < DF_ARG_NLOCS; i++)
		if (s->loc[i].frame != DF_ARG_UNVISITED)
			return false;
	return true;
}

_Static_assert(sizeof(struct df_argtrack_state) >= 64,
	       "at_join() reads the state 64 bytes at a time");

/* Frames a value may point into, as a mask (frames 16 and up have no bit). */
static inline uint16_t frame_bits(const struct df_arg *a)
{
	if (a->frame >= 0)
		return a->frame < 16 ? (uint16_t)(1u << a->frame) : 0;
	return a->frame == DF_ARG_IMPRECISE ? a->mask : 0;
}

/* a ⊔ b == a for a visited a, without computing the join (docs/argtrack.md). */
static inline bool absorbs(const struct df_arg *a, const struct df_arg *b)
{
	if (a->frame >= 0)	/* offset-imprecise absorbs its own frame and NONE */
		return a->off_cnt == 0 && (b->frame == a->frame || b->frame == DF_ARG_NONE);
	if (a->frame != DF_ARG_IMPRECISE)
		return false;
	/* IMPRECISE absorbs NONE and whatever adds no frame to its mask */
	return b->frame == DF_ARG_NONE ||
	       ((b->frame >= 0 || b->frame == DF_ARG_IMPRECISE) && !(frame_bits(b) & ~a->mask));
}

/* dst->loc[i] := dst->loc[i] ⊔ src->loc[i], the two differing; returns whether it changed. */
static inline __attribute__((always_inline)) bool
join_loc(struct df_argtrack_state *d, const struct df_argtrack_state *s, int i)
{
	struct df_arg *a = &d->loc[i];
	const struct df_arg *b = &s->loc[i];
	struct df_arg r;

	/* a and b differ: a byte of them does */
	if (b->frame == DF_ARG_UNVISITED)
		return false;
	if (a->frame == DF_ARG_UNVISITED) {
		*a = *b;
		return true;
	}
	if (absorbs(a, b))
		return false;
	/* the last case of the join, without the call */
	if (a->frame == DF_ARG_IMPRECISE || b->frame == DF_ARG_IMPRECISE ||
	    (a->frame >= 0 && b->frame >= 0 && a->frame != b->frame))
		r = df_arg_imprecise(frame_bits(a) | frame_bits(b));
	else
		r = df_arg_join_slow(*a, *b);
	if (df_arg_same(&r, a) || df_arg_eq(&r, a))
		return false;
	*a = r;
	return true;
}

/* Bit i set: byte i of the 64 at a and b differ. */
static inline uint64_t diff64(const char *a, const char *b)
{
	uint64_t m = 0;
#ifdef __SSE2__
	for (int k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(a + 16 * k));
		__m128i y = _mm_loadu_si128((const __m128i *)(const void *)(b + 16 * k));

		m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) << (16 * k);
	}
	return ~m;
#else
	for (int i = 0; i < 64; i++)
		m |= (uint64_t)(a[i] != b[i]) << i;
	return m;
#endif
}

/* Whether the 64 bytes at a and b differ at all: most groups of a join agree. */
static inline bool differ64(const char *a, const char *b)
{
#ifdef __SSE2__
	__m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)a);
	__m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(a + 16));
	__m128i x2 = _mm_loadu_si128((const __m128i *)(const void *)(a + 32));
	__m128i x3 = _mm_loadu_si128((const __m128i *)(const void *)(a + 48));
	__m128i y0 = _mm_loadu_si128((const __m128i *)(const void *)b);
	__m128i y1 = _mm_loadu_si128((const __m128i *)(const void *)(b + 16));
	__m128i y2 = _mm_loadu_si128((const __m128i *)(const void *)(b + 32));
	__m128i y3 = _mm_loadu_si128((const __m128i *)(const void *)(b + 48));
	__m128i e = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(x0, y0), _mm_cmpeq_epi8(x1, y1)),
				  _mm_and_si128(_mm_cmpeq_epi8(x2, y2), _mm_cmpeq_epi8(x3, y3)));

	return _mm_movemask_epi8(e) != 0xffff;
#else
	return memcmp(a, b, 64) != 0;
#endif
}

#define AT_GROUPS	((sizeof(struct df_argtrack_state) + 63) / 64)
/* Where group g of a state starts: the last group ends with the state. */
#define AT_GROUP_AT(g)	((g) + 1 < AT_GROUPS ? 64 * (g) : sizeof(struct df_argtrack_state) - 64)

/* Bit g set: group g of a and b differs. */
static uint32_t differ_groups(const char *a, const char *b)
{
	uint32_t m = 0;

#pragma GCC unroll 16
	for (size_t g = 0; g < AT_GROUPS; g++)
		m |= (uint32_t)differ64(a + AT_GROUP_AT(g), b + AT_GROUP_AT(g)) << g;
	return m;
}

#ifdef AT_AVX2
/* The same, 32 bytes at a time, where the processor has them. */
__attribute__((target("avx2"))) static uint32_t differ_groups_avx2(const char *a, const char *b)
{
	uint32_t m = 0;

#pragma GCC unroll 16
	for (size_t g = 0; g < AT_GROUPS; g++) {
		const __m256i *x = (const __m256i *)(const void *)(a + AT_GROUP_AT(g));
		const __m256i *y = (const __m256i *)(const void *)(b + AT_GROUP_AT(g));
		__m256i e = _mm256_and_si256(
			_mm256_cmpeq_epi8(_mm256_loadu_si256(x), _mm256_loadu_si256(y)),
			_mm256_cmpeq_epi8(_mm256_loadu_si256(x + 1), _mm256_loadu_si256(y + 1)));

		m |= (uint32_t)(_mm256_movemask_epi8(e) != -1) << g;
	}
	return m;
}
#endif

/*
 * Join the locations with a byte that differs among bytes [off, off + 64)
 * of the state, compared from at (<= off) on; *next: the first location
 * not joined yet.
 */
static inline bool join_group(struct df_argtrack_state *d, const struct df_argtrack_state *s,
			      size_t off, size_t at, int *next)
{
	const size_t lsz = sizeof(d->loc[0]);
	uint64_t m = diff64((const char *)d + at, (const char *)s + at) >> (off - at);
	bool changed = false;

	while (m) {
		size_t byte = off + (size_t)__builtin_ctzll(m);
		int i = (int)(byte / lsz);

		if (i >= DF_ARG_NLOCS)
			break;
		if (i >= *next) {
			changed |= join_loc(d, s, i);
			*next = i + 1;
		}
		/* past location i */
		m = (i + 1) * lsz - off >= 64 ? 0 : m & ~0ull << ((i + 1) * lsz - off);
	}
	return changed;
}

/*
 * Pointwise, joining only the locations with a byte that differs (most
 * agree: states meeting at a block mostly do), each once: the join is not
 * associative, so joining a location twice could change it. Into bottom
 * (a root's first flow) the result is src itself: UNVISITED is the
 * identity and values are canonical.
 */
static bool at_join(const struct df_ctx *c, void *dst, const void *src)
{
	struct df_argtrack_state *d = dst;
	const struct df_argtrack_state *s = src;
	bool changed = false;
	uint32_t groups;
	int next = 0;

	(void)c;
	if (is_bottom(d)) {
		memcpy(d, s, sizeof(*d));
		return !is_bottom(s);
	}
#ifdef AT_AVX2
	groups = __builtin_cpu_supports("avx2") ? differ_groups_avx2(dst, src) :
						  differ_groups(dst, src);
#else
	groups = differ_groups(dst, src);
#endif
	/* locations from byte 64 * g on, compared from where group g starts */
	for (; groups; groups &= groups - 1) {
		size_t g = (size_t)__builtin_ctz(groups);

		changed |= join_group(d, s, 64 * g, AT_GROUP_AT(g), &next);
	}
	if (s->entry < d->entry) {
		d->entry = s->entry;
		changed = true;
	}
	return changed;
}

static bool at_equal(const struct df_ctx *c, const void *a, const void *b)
{
	const struct df_argtrack_state *x = a, *y = b;

	(void)c;
	if (x->entry != y->entry)
		return false;
	for (int i = 0; i < DF_ARG_NLOCS; i++)
		if (!df_arg_same(&x->loc[i], &y->loc[i]) &&
		    !df_arg_eq(&x->loc[i], &y->loc[i]))
			return false;
	return true;
}

/* Like the kernel's per-instruction dump: the locations that may hold a stack pointer. */
static void at_print(const struct df_ctx *c, const void *s, FILE *f)
{
	const struct df_argtrack_state *st = s;
	bool any = false;
	char loc[16], val[64];

	(void)c;
	for (unsigned i = 0; i < DF_ARG_NLOCS; i++) {
		if (i == DF_REG_FP || !df_arg_is_fp(&st->loc[i]))
			continue;
		df_arg_loc_snprint(loc, sizeof(loc), i);
		df_arg_snprint(val, sizeof(val), &st->loc[i]);
		fprintf(f, "%s%s=%s", any ? " " : "", loc, val);
		any = true;
	}
}

bool df_argtrack_call_vals(const struct df_prog *prog, const struct df_cfg *cfg,
			   const struct df_consts *consts, uint32_t pc,
			   const struct df_arg *regs, const struct df_arg *sa,
			   struct df_arg *args, int *callee)
{
	const struct df_insn *in = &prog->insns[pc];
	int from, to;
	bool fp = false;

	for (int i = 0; i < DF_ARG_SPILL0; i++)
		args[i] = df_arg_none();
	if (in->code == (DF_JMP | DF_CALL) && in->src_reg == DF_PSEUDO_CALL) {
		int64_t t = (int64_t)pc + in->imm + 1;

		*callee = t >= 0 && t < prog->insn_cnt ?
			(int)df_cfg_subprog_of(cfg, (uint32_t)t) : -1;
		if (*callee >= 0 && cfg->subprogs[*callee].start != (uint32_t)t)
			*callee = -1;
		for (int r = 1; r <= 5; r++)
			args[r] = regs[r - 1];
		for (int i = 0; i < DF_ARG_NSA; i++)
			args[DF_ARG_SA0 + i] = sa[i];
	} else {
		*callee = df_callback_subprog(prog, consts, pc, &from, &to);
		if (*callee < 0)
			return *callee == -2 && regs[from - 1].frame != DF_ARG_NONE;
		args[to] = regs[from - 1];
	}
	if (*callee < 0)
		return false;
	for (int i = 1; i < DF_ARG_SPILL0; i++)
		if (i != DF_REG_FP && df_arg_is_fp(&args[i]))
			fp = true;
	return fp;
}

bool df_argtrack_call_args(const struct df_prog *prog, const struct df_cfg *cfg,
			   const struct df_consts *consts, uint32_t pc,
			   const struct df_argtrack_state *at_call,
			   struct df_arg *args, int *callee)
{
	return df_argtrack_call_vals(prog, cfg, consts, pc, &at_call->loc[1],
				     &at_call->loc[DF_ARG_SA0], args, callee);
}

static uint32_t at_resolve_call(const struct df_ctx *c, uint32_t pc,
				const void *at_call, uint32_t *subprogs,
				uint32_t max)
{
	struct df_argtrack_priv *p = priv_of(c);
	struct df_arg args[DF_ARG_SPILL0];
	int callee;

	if (!max || !df_argtrack_call_args(c->prog, c->cfg, &p->consts, pc,
					   at_call, args, &callee) || callee < 0)
		return 0;
	if (c->depth + 1 >= DF_MAX_CALL_FRAMES) {
		if (!p->err) {
			p->err = -EINVAL;
			p->err_pc = pc;
		}
		return 0;
	}
	/* every followed call is one more analysis in the kernel's count */
	if (df_solver_context_cnt(c->solver) >= DF_ARGTRACK_MAX_ANALYSES) {
		if (!p->err) {
			df_prog_err(c->prog, -1, "liveness analysis exceeded complexity limit (%d calls)",
				    DF_ARGTRACK_MAX_ANALYSES + 1);
			p->err = -E2BIG;
			p->err_pc = pc;
		}
		return 0;
	}
	subprogs[0] = (uint32_t)callee;
	return 1;
}

static void at_call_into(const struct df_ctx *caller, uint32_t pc,
			 const void *at_call, const struct df_ctx *callee,
			 void *out)
{
	struct df_argtrack_priv *p = priv_of(caller);
	const struct df_argtrack_state *cs = at_call;
	struct df_argtrack_state *st = out;
	struct df_arg args[DF_ARG_SPILL0];
	struct df_at_record *r;
	uint32_t id;
	int sub;
	bool fresh;

	(void)callee;
	df_argtrack_call_args(caller->prog, caller->cfg, &p->consts, pc, cs,
			      args, &sub);
	set_none(st, DF_ARG_ENTRY_ROOT);
	for (int i = 1; i <= 5; i++)
		st->loc[i] = args[i];
	st->loc[DF_REG_FP] = df_arg_single((int)caller->depth + 1, 0);
	id = record_get(p, caller->context, pc, &fresh);
	if (id == UINT32_MAX) {
		/* out of memory: the callee still runs, without incoming values */
		p->err = p->err ? p->err : -ENOMEM;
		return;
	}
	st->entry = id;
	if (!fresh)
		return;
	r = p->recs[id];
	set_none(&r->st, id);
	for (int i = 1; i < DF_ARG_SPILL0; i++)
		r->st.loc[i] = i == DF_REG_FP ? df_arg_none() : args[i];
	memcpy(&r->st.loc[DF_ARG_SPILL0], &cs->loc[DF_ARG_SPILL0],
	       DF_ARG_NSPILL * sizeof(struct df_arg));
	r->parent = cs->entry;
	r->caller_ctx = caller->context;
	r->pc = pc;
	r->caller_depth = (int)caller->depth;
}

static const char *const no_deps[] = { NULL };

DF_API const struct df_analysis df_argtrack_analysis = {
	.sz = sizeof(struct df_analysis),
	.name = "argtrack",
	.summary = "which registers and stack slots may point into which frame's stack",
	.dir = DF_FORWARD,
	.state_size = sizeof(struct df_argtrack_state),
	.requires = no_deps,
	.ctx_mode = DF_CTX_CALLSITE_DEPTH,
	.init = at_init,
	.fini = at_fini,
	.bottom = at_bottom,
	.boundary = at_boundary,
	.join = at_join,
	.equal = at_equal,
	.print = at_print,
	.transfer = df_at_transfer,
	.resolve_call = at_resolve_call,
	.call_into = at_call_into,
	.transfer_range = df_at_transfer_range,
};

const struct df_argtrack_state *df_argtrack_entry(const struct df_solver *s,
						  uint32_t context)
{
	const struct df_argtrack_priv *p;
	struct df_context_info info;
	struct df_argtrack_state st;

	if (!s || df_solver_analysis(s) != &df_argtrack_analysis)
		return NULL;
	p = df_solver_priv(s);
	if (!p || df_solver_context(s, context, &info))
		return NULL;
	if (info.subprog >= p->cfg->subprog_cnt ||
	    df_state_before(s, context, p->cfg->subprogs[info.subprog].start, &st))
		return NULL;
	/* a root context's entry is none_st: nothing points into a frame */
	return st.entry < p->rec_cnt ? &p->recs[st.entry]->st : &none_st;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The scalar domain of the verifier: tnums, the five views of a scalar,
 * ALU transfer functions, branch outcomes and refinements.
 *
 * Property tests draw small abstract values (built from random concrete
 * sets, ranges, tnums), apply the abstract operation, and run the concrete
 * BPF semantics on members of the inputs: every concrete result must be a
 * member of the abstract result (tnum and all four ranges), a branch
 * predicted one way must go that way, and a refined direction must keep
 * every pair that takes it. The kernel's known results and the checks
 * made on a whole state are in check_vf_alu.c.
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "vf.h"

#define I(c, d, s, o, i) ((struct df_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
					    .off = (o), .imm = (i) })

static uint64_t checks;	/* concrete facts verified, printed at the end */

/* ---------------------------------------------------------------- generators */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void seed(uint64_t s)
{
	rng_state = s * 0x9e3779b97f4a7c15ull + 1;
}

static const uint64_t interesting[] = {
	0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 63, 64, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000,
	0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 0x7fffffffffffffffull,
	0x8000000000000000ull, UINT64_MAX, (uint64_t)-2, (uint64_t)-8, (uint64_t)-128,
	(uint64_t)-32768, 0xffffffff80000000ull, 0x1ffffffffull,
};

static uint64_t pick_value(uint64_t base)
{
	switch (rnd() % 8) {
	case 0:
		return interesting[rnd() % DF_ARRAY_SIZE(interesting)];
	case 1:
		return rnd();
	case 2:
		return (uint32_t)rnd();
	case 3:
		return rnd() % 40;
	case 4:
		return (uint64_t)-(int64_t)(rnd() % 40);
	default:
		/* near the cluster's base: small sets with shared bits */
		return base + (rnd() % 9) - 4 + ((rnd() & 1) ? (rnd() & 0x30) : 0);
	}
}

/* An abstract value with some of its members. */
struct aval {
	struct df_vreg r;
	uint64_t m[8];
	int n;
};

static void exact_of(struct df_vreg *r, const uint64_t *m, int n)
{
	vf_mark_known(r, m[0]);
	for (int i = 1; i < n; i++) {
		uint64_t x = m[i];

		r->var_off = vf_tnum_union(r->var_off, vf_tnum_const(x));
		r->umin = x < r->umin ? x : r->umin;
		r->umax = x > r->umax ? x : r->umax;
		r->smin = (int64_t)x < r->smin ? (int64_t)x : r->smin;
		r->smax = (int64_t)x > r->smax ? (int64_t)x : r->smax;
		r->u32min = (uint32_t)x < r->u32min ? (uint32_t)x : r->u32min;
		r->u32max = (uint32_t)x > r->u32max ? (uint32_t)x : r->u32max;
		r->s32min = (int32_t)x < r->s32min ? (int32_t)x : r->s32min;
		r->s32max = (int32_t)x > r->s32max ? (int32_t)x : r->s32max;
	}
	vf_reg_bounds_sync(r);
}

static void gen(struct aval *a, uint64_t base)
{
	uint64_t lo, hi, t;
	int mode = (int)(rnd() % 10);

	a->n = 1 + (int)(rnd() % 6);
	for (int i = 0; i < a->n; i++)
		a->m[i] = pick_value(base);
	if (mode == 0)
		a->n = 1;
	if (mode <= 4) {
		exact_of(&a->r, a->m, a->n);
	} else if (mode <= 7) {
		/* a range in one view, everything else unknown */
		lo = a->m[0];
		hi = a->n > 1 ? a->m[1] : a->m[0] + rnd() % 100;
		vf_mark_unknown(&a->r);
		switch (mode) {
		case 5:
			if (lo > hi) { t = lo; lo = hi; hi = t; }
			a->r.umin = lo;
			a->r.umax = hi;
			break;
		case 6:
			if ((int64_t)lo > (int64_t)hi) { t = lo; lo = hi; hi = t; }
			a->r.smin = (int64_t)lo;
			a->r.smax = (int64_t)hi;
			break;
		default:
			lo = (uint32_t)lo;
			hi = (uint32_t)hi;
			if (lo > hi) { t = lo; lo = hi; hi = t; }
			a->r.u32min = (uint32_t)lo;
			a->r.u32max = (uint32_t)hi;
			/* members: any upper half, low half in range */
			lo |= rnd() & ~UINT64_C(0xffffffff);
			hi |= rnd() & ~UINT64_C(0xffffffff);
			break;
		}
		a->m[0] = lo;
		a->m[1] = hi;
		a->n = 2;
		vf_reg_bounds_sync(&a->r);
	} else if (mode == 8) {
		/* a tnum with extra unknown bits */
		exact_of(&a->r, a->m, a->n);
		a->r.var_off.mask |= rnd() & rnd();
		a->r.var_off.value &= ~a->r.var_off.mask;
		vf_mark_unbounded(&a->r);
		vf_reg_bounds_sync(&a->r);
	} else {
		vf_mark_unknown(&a->r);
	}
	ck_assert(vf_reg_bounds_ok(&a->r));
	for (int i = 0; i < a->n; i++)
		ck_assert_msg(vf_reg_contains(&a->r, a->m[i]), "generator lost %#" PRIx64, a->m[i]);
}

/* A member of a: a known one, or a random value the abstract value holds. */
static uint64_t member(const struct aval *a)
{
	const struct df_vreg *r = &a->r;
	uint64_t x;

	for (int tries = 0; tries < 8; tries++) {
		switch (rnd() % 5) {
		case 0:
			x = r->var_off.value | (rnd() & r->var_off.mask);
			break;
		case 1:
			x = r->umin + (r->umax - r->umin == UINT64_MAX ? rnd() :
				       rnd() % (r->umax - r->umin + 1));
			x = (x & r->var_off.mask) | r->var_off.value;
			break;
		case 2:
			x = (rnd() & 1) ? r->umin : r->umax;
			break;
		case 3:
			x = (rnd() & 1) ? (uint64_t)r->smin : (uint64_t)r->smax;
			break;
		default:
			return a->m[rnd() % a->n];
		}
		if (vf_reg_contains(r, x))
			return x;
	}
	return a->m[rnd() % a->n];
}

static void const_aval(struct aval *a, uint64_t v)
{
	vf_mark_known(&a->r, v);
	a->m[0] = v;
	a->n = 1;
}

static const char *show(const struct df_vreg *r)
{
	static char buf[4][256];
	static int k;
	char t[64];

	k = (k + 1) % 4;
	vf_tnum_snprint(t, sizeof(t), r->var_off);
	snprintf(buf[k], sizeof(buf[k]), "var_off=%s u64=[%#" PRIx64 ",%#" PRIx64 "] s64=[%" PRId64
		 ",%" PRId64 "] u32=[%#x,%#x] s32=[%d,%d]", t, r->umin, r->umax, r->smin, r->smax,
		 r->u32min, r->u32max, r->s32min, r->s32max);
	return buf[k];
}

/* ---------------------------------------------------------------- concrete semantics */

static uint64_t bswap_bits(uint64_t x, int bits)
{
	return bits == 16 ? __builtin_bswap16((uint16_t)x) :
	       bits == 32 ? __builtin_bswap32((uint32_t)x) : __builtin_bswap64(x);
}

static uint64_t run_alu(const struct df_insn *in, uint64_t x, uint64_t y)
{
	uint8_t op = DF_OP(in->code);
	bool sgn = in->off == 1;

	if (DF_CLASS(in->code) == DF_ALU64) {
		switch (op) {
		case DF_ADD: return x + y;
		case DF_SUB: return x - y;
		case DF_MUL: return x * y;
		case DF_OR: return x | y;
		case DF_AND: return x & y;
		case DF_XOR: return x ^ y;
		case DF_LSH: return x << (y & 63);
		case DF_RSH: return x >> (y & 63);
		case DF_ARSH: return (uint64_t)((int64_t)x >> (y & 63));
		case DF_NEG: return -x;
		case DF_END: return bswap_bits(x, in->imm);
		case DF_DIV:
			if (!y)
				return 0;
			if (!sgn)
				return x / y;
			if ((int64_t)y == -1)
				return -x;
			return (uint64_t)((int64_t)x / (int64_t)y);
		case DF_MOD:
			if (!y)
				return x;
			if (!sgn)
				return x % y;
			if ((int64_t)y == -1)
				return 0;
			return (uint64_t)((int64_t)x % (int64_t)y);
		}
		return 0;
	}
	uint32_t a = (uint32_t)x, b = (uint32_t)y;

	switch (op) {
	case DF_ADD: return (uint32_t)(a + b);
	case DF_SUB: return (uint32_t)(a - b);
	case DF_MUL: return (uint32_t)(a * b);
	case DF_OR: return a | b;
	case DF_AND: return a & b;
	case DF_XOR: return a ^ b;
	case DF_LSH: return (uint32_t)(a << (b & 31));
	case DF_RSH: return a >> (b & 31);
	case DF_ARSH: return (uint32_t)((int32_t)a >> (b & 31));
	case DF_NEG: return (uint32_t)-a;
	case DF_END:
		if (DF_SRC(in->code) == DF_TO_BE)
			return bswap_bits(x, in->imm);
		return in->imm == 64 ? x : in->imm == 32 ? (uint32_t)x : (uint16_t)x;
	case DF_DIV:
		if (!b)
			return 0;
		if (!sgn)
			return a / b;
		if ((int32_t)b == -1)
			return (uint32_t)-a;
		return (uint32_t)((int32_t)a / (int32_t)b);
	case DF_MOD:
		if (!b)
			return a;
		if (!sgn)
			return a % b;
		if ((int32_t)b == -1)
			return 0;
		return (uint32_t)((int32_t)a % (int32_t)b);
	}
	return 0;
}

static bool run_jmp(uint8_t op, bool jmp32, uint64_t x, uint64_t y)
{
	if (jmp32) {
		x = (uint32_t)x;
		y = (uint32_t)y;
	}
	int64_t sx = jmp32 ? (int32_t)x : (int64_t)x, sy = jmp32 ? (int32_t)y : (int64_t)y;

	switch (op) {
	case DF_JEQ: return x == y;
	case DF_JNE: return x != y;
	case DF_JGT: return x > y;
	case DF_JGE: return x >= y;
	case DF_JLT: return x < y;
	case DF_JLE: return x <= y;
	case DF_JSET: return (x & y) != 0;
	case DF_JSGT: return sx > sy;
	case DF_JSGE: return sx >= sy;
	case DF_JSLT: return sx < sy;
	case DF_JSLE: return sx <= sy;
	}
	return false;
}

/* ---------------------------------------------------------------- ALU properties */

struct alu_case {
	uint8_t op;
	int16_t off;
	int32_t end_imm;	/* END: width */
	bool to_be;
};

#define OP(o, ...) { .op = (o), __VA_ARGS__ }
static const struct alu_case alu_cases[] = {
	OP(DF_ADD), OP(DF_SUB), OP(DF_MUL), OP(DF_DIV), OP(DF_DIV, .off = 1), OP(DF_MOD),
	OP(DF_MOD, .off = 1), OP(DF_OR), OP(DF_AND), OP(DF_XOR), OP(DF_LSH), OP(DF_RSH),
	OP(DF_ARSH), OP(DF_NEG),
	OP(DF_END, .end_imm = 16), OP(DF_END, .end_imm = 32), OP(DF_END, .end_imm = 64),
	OP(DF_END, .end_imm = 16, .to_be = true), OP(DF_END, .end_imm = 32, .to_be = true),
	OP(DF_END, .end_imm = 64, .to_be = true),
};

/* One abstract operation, then every sampled concrete pair. */
static void alu_check(const struct df_insn *in, const struct aval *d, const struct aval *s)
{
	struct df_vreg r = d->r;

	vf_scalar_alu(&r, &s->r, in);
	ck_assert_msg(r.type == DF_SCALAR && vf_reg_bounds_ok(&r), "op %#x: empty result %s",
		      in->code, show(&r));
	for (int k = 0; k < 24; k++) {
		uint64_t x = member(d), y = member(s), z = run_alu(in, x, y);

		checks++;
		if (!vf_reg_contains(&r, z))
			ck_abort_msg("insn %#x off %d imm %d: %#" PRIx64 " op %#" PRIx64 " = %#"
				     PRIx64 " not in %s\n  dst %s\n  src %s", in->code, in->off,
				     in->imm, x, y, z, show(&r), show(&d->r), show(&s->r));
	}
}

static void alu_property(int idx, bool alu64)
{
	const struct alu_case *c = &alu_cases[idx];
	uint8_t cls = alu64 ? DF_ALU64 : DF_ALU;
	struct aval d, s;

	if (c->op == DF_END && alu64 && c->to_be)
		return;	/* not an encoding: ALU64 END is the unconditional bswap */
	seed(idx * 2 + alu64);
	for (int round = 0; round < 80; round++) {
		uint64_t base = pick_value(0);
		struct df_insn in;
		int32_t imm;

		gen(&d, base);
		if (c->op == DF_NEG || c->op == DF_END) {
			in = I(cls | c->op | (c->to_be ? DF_X : DF_K), 1, 0, 0, c->end_imm);
			alu_check(&in, &d, &d);
			continue;
		}
		if (c->off == 1 && !(rnd() % 4)) {
			/* signed division: a dividend starting at the most negative value */
			uint64_t lo = alu64 ? (uint64_t)INT64_MIN : 0x80000000u;

			vf_mark_unknown(&d.r);
			if (alu64)
				d.r.smax = (int64_t)(lo + rnd() % 3);
			else
				d.r.s32max = (int32_t)(uint32_t)(lo + rnd() % 3);
			vf_reg_bounds_sync(&d.r);
			d.m[0] = lo;
			d.n = 1;
		}
		/* a register operand ... */
		gen(&s, base);
		if (c->op >= DF_LSH && c->op <= DF_RSH && (rnd() & 1))
			const_aval(&s, rnd() % (alu64 ? 64 : 32));
		if (c->op == DF_ARSH && (rnd() & 1))
			const_aval(&s, rnd() % (alu64 ? 64 : 32));
		in = I(cls | c->op | DF_X, 1, 2, c->off, 0);
		alu_check(&in, &d, &s);
		/* ... and an immediate (never 0 for DIV/MOD, in range for shifts) */
		imm = (int32_t)pick_value(base);
		if (c->op == DF_LSH || c->op == DF_RSH || c->op == DF_ARSH)
			imm = (int32_t)(rnd() % (alu64 ? 64 : 32));
		if (c->op == DF_DIV || c->op == DF_MOD) {
			static const int32_t divs[] = { -1, 1, -2, 2, 3, -7, INT32_MIN, INT32_MAX };

			if (!imm || (rnd() & 1))
				imm = divs[rnd() % DF_ARRAY_SIZE(divs)];
		}
		const_aval(&s, (uint64_t)(int64_t)imm);
		in = I(cls | c->op | DF_K, 1, 0, c->off, imm);
		alu_check(&in, &d, &s);
	}
}

/* Shifts of ranges ending next to the largest value that does not overflow. */
START_TEST(shift_edges)
{
	static const uint8_t ops[] = { DF_LSH, DF_RSH, DF_ARSH };
	struct aval d, s;

	seed(31);
	for (int w = 32; w <= 64; w += 32) {
		for (uint32_t sh = 0; sh < (uint32_t)w; sh++) {
			uint64_t edge = UINT64_C(1) << (w - 1 - sh);

			for (int k = -1; k <= 2; k++) {
				uint64_t hi = k == 2 ? edge * 2 : edge + k, lo;

				if (w == 32 && hi > UINT32_MAX)
					hi = UINT32_MAX;
				lo = rnd() % (hi + 1);

				vf_mark_unknown(&d.r);
				d.r.umin = lo;
				d.r.umax = hi;
				if (w == 32) {
					d.r.u32min = (uint32_t)lo;
					d.r.u32max = (uint32_t)hi;
				}
				vf_reg_bounds_sync(&d.r);
				ck_assert(vf_reg_bounds_ok(&d.r));
				d.m[0] = lo;
				d.m[1] = hi;
				d.n = 2;
				const_aval(&s, sh);
				for (int o = 0; o < 3; o++) {
					uint8_t cls = w == 64 ? DF_ALU64 : DF_ALU;
					struct df_insn in = I(cls | ops[o] | DF_K, 1, 0, 0,
							      (int32_t)sh);

					alu_check(&in, &d, &s);
				}
			}
		}
	}
}
END_TEST

START_TEST(alu64_sound) { alu_property(_i, true); } END_TEST
START_TEST(alu32_sound) { alu_property(_i, false); } END_TEST

/* Width changes: zero extension, truncation, sign extension (MOVSX, MEMSX). */
START_TEST(width_sound)
{
	static const uint32_t sizes[] = { 1, 2, 4 };
	struct aval a;

	seed(77);
	for (int round = 0; round < 300; round++) {
		uint32_t size = sizes[rnd() % 3], bits = size * 8;
		struct df_vreg z, t, sx, sx32;

		gen(&a, pick_value(0));
		z = t = sx = sx32 = a.r;
		vf_reg_zext32(&z);
		vf_reg_trunc(&t, size);
		vf_reg_sext(&sx, size);
		vf_reg_sext32(&sx32, size == 4 ? 2 : size);
		ck_assert(vf_reg_bounds_ok(&z) && vf_reg_bounds_ok(&t) && vf_reg_bounds_ok(&sx));
		for (int k = 0; k < 16; k++) {
			uint64_t x = member(&a), low = x & ((UINT64_C(1) << bits) - 1);
			uint64_t sign = UINT64_C(1) << (bits - 1);
			uint64_t ext = (low & sign) ? low | ~((sign << 1) - 1) : low;
			uint32_t b32 = size == 4 ? 16 : bits, sg32 = 1u << (b32 - 1);
			uint32_t low32 = (uint32_t)x & ((1u << b32) - 1);
			uint32_t ext32 = (low32 & sg32) ? low32 | ~((sg32 << 1) - 1) : low32;

			checks += 4;
			ck_assert_msg(vf_reg_contains(&z, (uint32_t)x), "zext %s", show(&a.r));
			ck_assert_msg(vf_reg_contains(&t, low), "trunc %u %s", size, show(&a.r));
			ck_assert_msg(vf_reg_contains(&sx, ext), "sext %u %#" PRIx64 " -> %s", size,
				      x, show(&sx));
			ck_assert_msg(vf_reg_contains(&sx32, ext32), "sext32 %u %#" PRIx64 " -> %s",
				      b32 / 8, x, show(&sx32));
		}
	}
}
END_TEST

/* ---------------------------------------------------------------- branch properties */

static const uint8_t jmp_ops[] = {
	DF_JEQ, DF_JNE, DF_JGT, DF_JGE, DF_JLT, DF_JLE, DF_JSET, DF_JSGT, DF_JSGE, DF_JSLT,
	DF_JSLE,
};

static void branch_check(uint8_t op, bool jmp32, const struct aval *a, const struct aval *b)
{
	struct df_vreg ta = a->r, tb = b->r, fa = a->r, fb = b->r;
	int pred = vf_scalar_branch_taken(&a->r, &b->r, op, jmp32);
	int t_dead = vf_scalar_refine(&ta, &tb, op, jmp32, true);
	int f_dead = vf_scalar_refine(&fa, &fb, op, jmp32, false);

	for (int k = 0; k < 24; k++) {
		uint64_t x = member(a), y = member(b);
		bool c = run_jmp(op, jmp32, x, y);

		checks++;
		if (pred >= 0 && pred != c)
			ck_abort_msg("op %#x%s: %#" PRIx64 " vs %#" PRIx64 " goes %d, predicted %d"
				     "\n  a %s\n  b %s", op, jmp32 ? " (32)" : "", x, y, c, pred,
				     show(&a->r), show(&b->r));
		if ((c && t_dead) || (!c && f_dead))
			ck_abort_msg("op %#x%s %s: %#" PRIx64 " vs %#" PRIx64 " called impossible"
				     "\n  a %s\n  b %s", op, jmp32 ? " (32)" : "",
				     c ? "taken" : "fall-through", x, y, show(&a->r), show(&b->r));
		const struct df_vreg *ra = c ? &ta : &fa, *rb = c ? &tb : &fb;

		if (!vf_reg_contains(ra, x) || !vf_reg_contains(rb, y))
			ck_abort_msg("op %#x%s %s lost %#" PRIx64 " vs %#" PRIx64 "\n  a %s -> %s"
				     "\n  b %s -> %s", op, jmp32 ? " (32)" : "",
				     c ? "taken" : "fall-through", x, y, show(&a->r), show(ra),
				     show(&b->r), show(rb));
	}
}

static void branch_property(int idx, bool jmp32)
{
	uint8_t op = jmp_ops[idx];
	struct aval a, b;

	seed(1000 + idx * 2 + jmp32);
	for (int round = 0; round < 120; round++) {
		uint64_t base = pick_value(0);

		gen(&a, base);
		gen(&b, base);
		branch_check(op, jmp32, &a, &b);
		const_aval(&b, (uint64_t)(int64_t)(int32_t)member(&b));	/* the K form */
		branch_check(op, jmp32, &a, &b);
		if (rnd() & 1) {
			const_aval(&b, member(&a));	/* a constant inside a */
			branch_check(op, jmp32, &a, &b);
		}

		/* the same register on both sides */
		struct df_vreg t = a.r, f = a.r;
		int pred = vf_scalar_branch_taken(&a.r, &a.r, op, jmp32);
		int t_dead = vf_scalar_refine(&t, &t, op, jmp32, true);
		int f_dead = vf_scalar_refine(&f, &f, op, jmp32, false);

		for (int k = 0; k < 8; k++) {
			uint64_t x = member(&a);
			bool c = run_jmp(op, jmp32, x, x);

			checks++;
			ck_assert(pred < 0 || pred == c);
			ck_assert(!(c ? t_dead : f_dead));
			ck_assert(vf_reg_contains(c ? &t : &f, x));
		}
	}
}

START_TEST(jmp64_sound) { branch_property(_i, false); } END_TEST
START_TEST(jmp32_sound) { branch_property(_i, true); } END_TEST

/* ---------------------------------------------------------------- tnum and sync */

START_TEST(tnum_basics)
{
	struct df_tnum t = vf_tnum_range(0, 255);
	char buf[64];

	ck_assert_uint_eq(t.value, 0);
	ck_assert_uint_eq(t.mask, 0xff);
	t = vf_tnum_range(16, 23);
	ck_assert_uint_eq(t.value, 16);
	ck_assert_uint_eq(t.mask, 7);
	ck_assert_uint_eq(vf_tnum_range(0, UINT64_MAX).mask, UINT64_MAX);
	ck_assert(vf_tnum_is_const(vf_tnum_range(9, 9)));
	ck_assert_uint_eq(vf_tnum_mul(vf_tnum_const(6), vf_tnum_const(7)).value, 42);
	ck_assert(vf_tnum_is_const(vf_tnum_mul(vf_tnum_const(6), vf_tnum_const(7))));
	t = vf_tnum_add(vf_tnum_const(1), (struct df_tnum){ 0, 2 });	/* 1 + {0,2} */
	ck_assert(vf_tnum_contains(t, 1) && vf_tnum_contains(t, 3) && !vf_tnum_contains(t, 2));
	ck_assert(vf_tnum_in(vf_tnum_unknown(), vf_tnum_const(5)));
	ck_assert(!vf_tnum_in(vf_tnum_const(5), vf_tnum_unknown()));
	ck_assert(vf_tnum_overlap((struct df_tnum){ 1, 6 }, vf_tnum_const(7)));
	ck_assert(!vf_tnum_overlap((struct df_tnum){ 1, 6 }, vf_tnum_const(6)));
	t = vf_tnum_sext((struct df_tnum){ 0x80, 0 }, 1);
	ck_assert_uint_eq(t.value, (uint64_t)-128);
	t = vf_tnum_sext((struct df_tnum){ 0, 0xff }, 1);
	ck_assert_uint_eq(t.mask, UINT64_MAX);
	t = vf_tnum_arshift(vf_tnum_const(0x80000000), 4, 32);
	ck_assert_uint_eq(t.value, 0xf8000000);
	t = vf_tnum_with_subreg(vf_tnum_unknown(), vf_tnum_const(5));
	ck_assert_uint_eq(t.value, 5);
	ck_assert_uint_eq(t.mask, 0xffffffff00000000ull);
	ck_assert_uint_eq(vf_tnum_bswap(vf_tnum_const(0x1234), 16).value, 0x3412);
	vf_tnum_snprint(buf, sizeof(buf), (struct df_tnum){ 0x10, 0xf });
	ck_assert_str_eq(buf, "(0x10; 0xf)");
	/* a known value prints alone, in decimal up to 0xffff */
	vf_tnum_snprint(buf, sizeof(buf), vf_tnum_const(0));
	ck_assert_str_eq(buf, "0");
	vf_tnum_snprint(buf, sizeof(buf), vf_tnum_const(0xffff));
	ck_assert_str_eq(buf, "65535");
	vf_tnum_snprint(buf, sizeof(buf), vf_tnum_const(0x10000));
	ck_assert_str_eq(buf, "0x10000");
}
END_TEST

/* Spread the low bits of i over the set bits of mask. */
static uint64_t deposit(uint64_t i, uint64_t mask)
{
	uint64_t r = 0;

	for (uint64_t bit = 1; mask; bit <<= 1) {
		uint64_t low = mask & -mask;

		if (i & bit)
			r |= low;
		mask &= mask - 1;
	}
	return r;
}

/* Binary tnum operations against every pair of members of small tnums. */
START_TEST(tnum_exhaustive)
{
	seed(5);
	for (int round = 0; round < 100; round++) {
		struct df_tnum a = { rnd() & 0xff, 0 }, b = { rnd() & 0xff, 0 };
		struct df_tnum add, sub, mul, and, or, xor, un, neg;
		uint64_t hi = rnd() << 8;

		a.mask = rnd() & 0x2d;
		b.mask = rnd() & 0x93;
		a.value = (a.value | hi) & ~a.mask;
		b.value &= ~b.mask;
		add = vf_tnum_add(a, b);
		sub = vf_tnum_sub(a, b);
		mul = vf_tnum_mul(a, b);
		and = vf_tnum_and(a, b);
		or = vf_tnum_or(a, b);
		xor = vf_tnum_xor(a, b);
		un = vf_tnum_union(a, b);
		neg = vf_tnum_neg(a);
		for (uint64_t i = 0; i < 16; i++) {
			uint64_t x = a.value | (deposit(i, a.mask));

			ck_assert(vf_tnum_contains(neg, -x));
			ck_assert(vf_tnum_contains(un, x));
			for (uint64_t j = 0; j < 16; j++) {
				uint64_t y = b.value | (deposit(j, b.mask));

				checks += 6;
				ck_assert(vf_tnum_contains(add, x + y));
				ck_assert(vf_tnum_contains(sub, x - y));
				ck_assert(vf_tnum_contains(mul, x * y));
				ck_assert(vf_tnum_contains(and, x & y));
				ck_assert(vf_tnum_contains(or, x | y));
				ck_assert(vf_tnum_contains(xor, x ^ y));
			}
		}
	}
}
END_TEST

START_TEST(sync_deductions)
{
	struct df_vreg r, u;

	/* u64 [10, 20] gives every view */
	vf_mark_unknown(&r);
	r.umin = 10;
	r.umax = 20;
	vf_reg_bounds_sync(&r);
	ck_assert_int_eq(r.smin, 10);
	ck_assert_int_eq(r.smax, 20);
	ck_assert_uint_eq(r.u32min, 10);
	ck_assert_uint_eq(r.u32max, 20);
	ck_assert_int_eq(r.s32min, 10);
	ck_assert_int_eq(r.s32max, 20);
	ck_assert_uint_eq(r.var_off.mask, 0x1f);

	/* s64 [-3, -1] is u64 [0xf..fd, 0xf..ff] */
	vf_mark_unknown(&r);
	r.smin = -3;
	r.smax = -1;
	vf_reg_bounds_sync(&r);
	ck_assert_uint_eq(r.umin, (uint64_t)-3);
	ck_assert_uint_eq(r.umax, UINT64_MAX);
	ck_assert_int_eq(r.s32min, -3);
	ck_assert_int_eq(r.s32max, -1);

	/* a known tnum makes everything constant */
	vf_mark_unknown(&r);
	r.var_off = vf_tnum_const(0x123456789ull);
	vf_reg_bounds_sync(&r);
	ck_assert(vf_reg_bounds_ok(&r));
	ck_assert_uint_eq(r.umin, 0x123456789ull);
	ck_assert_uint_eq(r.u32max, 0x23456789);

	/* the low half's range tightens the 64-bit one */
	vf_mark_unknown(&r);
	r.umin = 0x100000000ull;
	r.umax = 0x380000000ull;
	r.s32min = 1;
	vf_reg_bounds_sync(&r);
	ck_assert_uint_eq(r.umin, 0x100000001ull);
	ck_assert_uint_eq(r.umax, 0x37fffffffull);

	/* empty ranges are reported */
	vf_mark_unknown(&r);
	r.umin = 5;
	r.umax = 4;
	vf_reg_bounds_sync(&r);
	ck_assert(!vf_reg_bounds_ok(&r));

	/* a constant with unbounded 32-bit views (pointer arithmetic) gets them back */
	vf_mark_known(&r, (uint64_t)-8);
	vf_mark_unbounded32(&r);
	vf_reg_bounds_sync(&r);
	ck_assert(vf_reg_bounds_ok(&r));
	ck_assert_int_eq(r.s32min, -8);
	ck_assert_uint_eq(r.u32max, 0xfffffff8u);

	/* a constant outside one of its ranges is an empty set */
	vf_mark_known(&r, 7);
	r.s32min = 8;
	vf_reg_bounds_sync(&r);
	ck_assert(!vf_reg_bounds_ok(&r));

	/* an unknown value with unbounded ranges stays as it is */
	vf_mark_unknown(&r);
	u = r;
	vf_reg_bounds_sync(&r);
	ck_assert(!memcmp(&r, &u, sizeof(r)));
}
END_TEST

/* ---------------------------------------------------------------- suite */

static Suite *vf_scalar_suite(void)
{
	Suite *s = suite_create("vf_scalar");
	TCase *tc = tcase_create("domain");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, tnum_basics);
	tcase_add_test(tc, tnum_exhaustive);
	tcase_add_test(tc, sync_deductions);
	tcase_add_loop_test(tc, alu64_sound, 0, DF_ARRAY_SIZE(alu_cases));
	tcase_add_test(tc, shift_edges);
	tcase_add_loop_test(tc, alu32_sound, 0, DF_ARRAY_SIZE(alu_cases));
	tcase_add_test(tc, width_sound);
	tcase_add_loop_test(tc, jmp64_sound, 0, DF_ARRAY_SIZE(jmp_ops));
	tcase_add_loop_test(tc, jmp32_sound, 0, DF_ARRAY_SIZE(jmp_ops));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vf_scalar_suite());
	int failed;

	/* one process: the sampled-check count adds up across tests */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("vf_scalar: %" PRIu64 " sampled concrete checks\n", checks);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

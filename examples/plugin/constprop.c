// SPDX-License-Identifier: BSD-2-Clause
/*
 * Constant propagation over r0..r9 as a bpfdf plug-in (docs/tutorial-plugin.md).
 * Lattice per register, flat: UNSET (bottom) < each constant < UNKNOWN.
 * Forward, per subprogram, from r1..r5 UNKNOWN; out = in with the defined
 * register re-evaluated, calls make r0..r5 UNKNOWN. On an edge where
 * "rX == K" holds rX is K; an edge a constant rX rules out is infeasible.
 */
#include <string.h>
#include "dataflow.h"

enum { UNSET, CONST, UNKNOWN };

struct cp {
	uint8_t kind[10];
	int64_t val[10];
};

static void set(struct cp *s, unsigned r, int kind, int64_t v)
{
	if (r < 10) {
		s->kind[r] = kind;
		s->val[r] = kind == CONST ? v : 0;
	}
}

static void cp_bottom(const struct df_ctx *c, void *s)
{
	memset(s, 0, sizeof(struct cp));
}

static void cp_boundary(const struct df_ctx *c, void *s)
{
	memset(s, 0, sizeof(struct cp));
	for (unsigned r = 1; r <= 5; r++)
		set(s, r, UNKNOWN, 0);
}

static bool cp_join(const struct df_ctx *c, void *dst, const void *src)
{
	struct cp *d = dst;
	const struct cp *a = src;
	bool changed = false;

	for (unsigned r = 0; r < 10; r++) {
		if (a->kind[r] == UNSET || d->kind[r] == UNKNOWN ||
		    (d->kind[r] == CONST && a->kind[r] == CONST && d->val[r] == a->val[r]))
			continue;	/* a adds nothing to d */
		set(d, r, d->kind[r] == UNSET ? a->kind[r] : UNKNOWN, a->val[r]);
		changed = true;
	}
	return changed;
}

/* dst op= src (or imm) on 64 bits, or on the low 32 bits zero-extended */
static void alu(const struct df_insn *in, struct cp *o)
{
	bool alu64 = DF_CLASS(in->code) == DF_ALU64, x = DF_SRC(in->code) == DF_X;
	unsigned d = in->dst_reg, sh = alu64 ? 63 : 31;
	int op = DF_OP(in->code), kd, ks;
	uint64_t a, b, r;

	if (d >= 10)
		return;
	kd = op == DF_MOV ? CONST : o->kind[d];
	ks = !x ? CONST : in->src_reg < 10 ? o->kind[in->src_reg] : UNKNOWN;
	if (kd != CONST || ks != CONST || in->off) {
		set(o, d, kd == UNSET || ks == UNSET ? UNSET : UNKNOWN, 0);
		return;
	}
	a = (uint64_t)o->val[d];
	b = x ? (uint64_t)o->val[in->src_reg] : (uint64_t)(int64_t)in->imm;
	switch (op) {
	case DF_MOV: r = b; break;
	case DF_ADD: r = a + b; break;
	case DF_SUB: r = a - b; break;
	case DF_MUL: r = a * b; break;
	case DF_AND: r = a & b; break;
	case DF_OR: r = a | b; break;
	case DF_XOR: r = a ^ b; break;
	case DF_LSH: r = a << (b & sh); break;
	case DF_RSH: r = (alu64 ? a : (uint32_t)a) >> (b & sh); break;
	default: set(o, d, UNKNOWN, 0); return;
	}
	set(o, d, CONST, alu64 ? (int64_t)r : (int64_t)(uint32_t)r);
}

static void cp_transfer(const struct df_ctx *c, uint32_t pc, const void *in, void *out)
{
	const struct df_insn *i = &c->prog->insns[pc];
	struct cp *o = out;
	int cls = DF_CLASS(i->code), atomic = DF_MODE(i->code) == DF_ATOMIC;

	*o = *(const struct cp *)in;
	if (cls == DF_ALU || cls == DF_ALU64)
		alu(i, o);
	else if (df_insn_is_ldimm64(i))	/* a plain 64-bit constant, or an address */
		set(o, i->dst_reg, i->src_reg ? UNKNOWN : CONST,
		    (int64_t)((uint64_t)(uint32_t)i->imm | (uint64_t)(uint32_t)i[1].imm << 32));
	else if (cls == DF_LDX)
		set(o, i->dst_reg, UNKNOWN, 0);
	else if (cls == DF_STX && atomic && ((i->imm & DF_FETCH) || i->imm == DF_LOAD_ACQ))
		set(o, i->imm == DF_CMPXCHG ? 0 : i->imm == DF_LOAD_ACQ ? i->dst_reg : i->src_reg,
		    UNKNOWN, 0);
	else if (cls == DF_LD || (cls == DF_JMP && DF_OP(i->code) == DF_CALL))
		for (unsigned r = 0; r <= 5; r++)	/* packet loads and calls */
			set(o, r, UNKNOWN, 0);
}

/* 64-bit "if rX == K" / "if rX != K": what the edge implies about rX. */
static bool cp_edge(const struct df_ctx *c, uint32_t from, uint32_t to,
		    enum df_edge_kind kind, void *s)
{
	const struct df_insn *i = &c->prog->insns[from];
	struct cp *st = s;
	int op = DF_OP(i->code), eq;

	if (DF_CLASS(i->code) != DF_JMP || DF_SRC(i->code) != DF_K ||
	    (op != DF_JEQ && op != DF_JNE) || i->dst_reg >= 10)
		return true;
	eq = (op == DF_JEQ) == (kind == DF_EDGE_TAKEN);
	if (st->kind[i->dst_reg] == CONST)
		return (st->val[i->dst_reg] == i->imm) == eq;
	if (eq && st->kind[i->dst_reg] == UNKNOWN)
		set(st, i->dst_reg, CONST, i->imm);
	return true;
}

static void cp_print(const struct df_ctx *c, const void *s, FILE *f)
{
	const struct cp *st = s;

	for (unsigned r = 0; r < 10; r++)
		if (st->kind[r] == CONST)
			fprintf(f, " r%u=%lld", r, (long long)st->val[r]);
		else if (st->kind[r] == UNKNOWN)
			fprintf(f, " r%u=?", r);
}

DF_API const struct df_analysis df_plugin_analysis = {
	.sz = sizeof(struct df_analysis), .name = "constprop",
	.summary = "constant registers (example plug-in)",
	.dir = DF_FORWARD, .state_size = sizeof(struct cp), .ctx_mode = DF_CTX_NONE,
	.bottom = cp_bottom, .boundary = cp_boundary, .join = cp_join,
	.print = cp_print, .transfer = cp_transfer, .edge = cp_edge,
};

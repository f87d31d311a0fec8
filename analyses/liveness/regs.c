// SPDX-License-Identifier: BSD-2-Clause
/*
 * Register liveness ("regs"), the kernel's live_regs_before (§3.12).
 *
 * Lattice: sets of register halves ordered by inclusion, bottom = {} and
 * join = union, held in a uint32_t:
 *
 *     bit r       low 32 bits of rN live     r = 0..9
 *     bit 16 + r  upper 32 bits of rN live
 *
 * Direction: backward, each subprogram on its own (DF_CTX_NONE); exits
 * start from {} and exit itself uses r0. Per instruction i:
 *
 *     out(i) = U in(s) over the successors s of i in its subprogram
 *     in(i)  = (out(i) - def(i)) | use(i)
 *
 * use/def follow the kernel's table: 32-bit operands (w registers, the
 * value of a narrow store or 32-bit atomic) use only the low half; every
 * definition writes the whole register (BPF zero-extends 32-bit results),
 * and df_regs_zext() tells where the upper half is live after a 32-bit
 * definition. A call uses r1..rN (helper arity from the helper table,
 * kfunc arity from the program, at most 5; r1..r5 for a subprogram call
 * and anything unknown, as in the kernel) and defines r0..r5. Packet loads
 * (LD_ABS/IND) and unknown forms use every register, define none.
 *
 * Stored: 4 bytes per stored block and context (docs/engine.md).
 */
#include "liveness.h"
#include "internal.h"

#define LO(r)		((uint32_t)1 << (r))
#define R64(r)		(LO(r) | LO(r) << 16)
#define TRACKED		0x03ff03ffu	/* r0..r9, both halves */
#define CALLER_SAVED	(R64(0) | R64(1) | R64(2) | R64(3) | R64(4) | R64(5))

static uint32_t call_nargs(const struct df_prog *prog, uint32_t pc)
{
	const struct df_insn *in = &prog->insns[pc];
	int n = DF_MAX_REG_ARGS;

	if (in->src_reg == DF_PSEUDO_HELPER) {
		const struct df_helper *h = df_helper_by_id(in->imm);

		if (h && h->name && h->nargs >= 0)
			n = h->nargs;
	} else if (in->src_reg == DF_PSEUDO_KFUNC_CALL) {
		const struct df_kfunc *k = df_prog_kfunc_at(prog, pc);

		if (k && k->arg_cnt >= 0)
			n = k->arg_cnt;
	}
	return n > DF_MAX_REG_ARGS ? DF_MAX_REG_ARGS : n;
}

/* use | def << 32 */
#define UD(u, d)	((uint64_t)((u) & TRACKED) | (uint64_t)((d) & TRACKED) << 32)

/* A call uses r1..rN and defines r0..r5. */
static __attribute__((noinline)) uint64_t call_use_def(const struct df_prog *prog, uint32_t pc)
{
	return UD((LO(call_nargs(prog, pc) + 1) - 2) * 0x10001u, CALLER_SAVED);
}

static __attribute__((noinline)) uint64_t atomic_use_def(const struct df_insn *in)
{
	uint32_t dst = R64(in->dst_reg), src = R64(in->src_reg);
	bool dw = DF_SIZE(in->code) == DF_DW;
	uint32_t v = dw ? src : LO(in->src_reg), r0 = dw ? R64(0) : LO(0);

	if (in->imm == DF_CMPXCHG)
		return UD(r0 | dst | v, R64(0));
	if (in->imm == DF_LOAD_ACQ)
		return UD(src, dst);
	if (in->imm == DF_STORE_REL)
		return UD(dst | v, 0);
	return UD(dst | v, in->imm & DF_FETCH ? src : 0);
}

/*
 * use and def of each opcode as multipliers of the operand bits:
 * use = LO(dst) * ud | LO(src) * us | ux, def = LO(dst) * dd (0, 1: low
 * half, 0x10001: whole register); slow: calls and atomics (above).
 */
struct ud_form {
	uint32_t ud, us, ux, dd;
	bool slow;
};

enum {
	K_ALL, K_MOV64, K_DST64, K_BOTH64, K_MOV32, K_END32, K_OP32, K_LDX, K_ST, K_STX,
	K_SLOW, K_LDIMM, K_JA, K_NONE, K_EXIT, K_JMP, K_JMP32,
};

#define C_CLS(c)	((c) & 0x07)
#define C_OP(c)		((c) & 0xf0)
#define C_MODE(c)	((c) & 0xe0)
#define C_X(c)		(((c) & DF_X) != 0)
#define W64		0x10001u
/* the kernel's table, class by class, as a constant expression */
#define K(c) \
	(C_CLS(c) == DF_ALU64 ? (C_OP(c) == DF_MOV ? K_MOV64 : \
				 C_OP(c) == DF_END || !C_X(c) ? K_DST64 : K_BOTH64) : \
	 C_CLS(c) == DF_ALU ? (C_OP(c) == DF_MOV ? K_MOV32 : C_OP(c) == DF_END ? K_END32 : \
			       K_OP32) : \
	 C_CLS(c) == DF_LDX ? (C_MODE(c) == DF_MEM || C_MODE(c) == DF_MEMSX ? K_LDX : K_ALL) : \
	 C_CLS(c) == DF_ST ? (C_MODE(c) == DF_MEM ? K_ST : K_ALL) : \
	 C_CLS(c) == DF_STX ? (C_MODE(c) == DF_MEM ? K_STX : \
			       C_MODE(c) == DF_ATOMIC ? K_SLOW : K_ALL) : \
	 C_CLS(c) == DF_LD ? ((c) == (DF_LD | DF_IMM | DF_DW) ? K_LDIMM : K_ALL) : \
	 C_OP(c) == DF_JA ? K_JA : C_OP(c) == DF_JCOND ? K_NONE : C_OP(c) == DF_EXIT ? K_EXIT : \
	 C_OP(c) == DF_CALL ? K_SLOW : C_CLS(c) == DF_JMP ? K_JMP : K_JMP32)
#define F_UD(k, c) \
	((k) == K_DST64 || (k) == K_BOTH64 || (k) == K_END32 || (k) == K_ST || (k) == K_STX || \
	 (k) == K_JMP ? W64 : (k) == K_OP32 || (k) == K_JMP32 ? 1u : \
	 (k) == K_JA && C_X(c) ? W64 : 0u)
#define F_US(k, c) \
	((k) == K_BOTH64 || (k) == K_LDX ? W64 : \
	 ((k) == K_MOV64 || (k) == K_JMP) && C_X(c) ? W64 : \
	 ((k) == K_MOV32 || (k) == K_OP32 || (k) == K_JMP32) && C_X(c) ? 1u : \
	 (k) == K_STX ? (((c) & 0x18) == DF_DW ? W64 : 1u) : 0u)
#define F_UX(k)	((k) == K_ALL ? ~0u : (k) == K_EXIT ? R64(0) : 0u)
#define F_DD(k) \
	((k) == K_MOV64 || (k) == K_DST64 || (k) == K_BOTH64 || (k) == K_MOV32 || \
	 (k) == K_END32 || (k) == K_OP32 || (k) == K_LDX || (k) == K_LDIMM ? W64 : 0u)
#define F(c)	{ F_UD(K(c), c), F_US(K(c), c), F_UX(K(c)), F_DD(K(c)), K(c) == K_SLOW }
#define F4(c)	F(c), F((c) + 1), F((c) + 2), F((c) + 3)
#define F16(c)	F4(c), F4((c) + 4), F4((c) + 8), F4((c) + 12)
#define F64(c)	F16(c), F16((c) + 16), F16((c) + 32), F16((c) + 48)

static const struct ud_form forms[256] = { F64(0), F64(64), F64(128), F64(192) };

/* use | def << 32 of the instruction at pc. */
static inline uint64_t use_def(const struct df_prog *prog, uint32_t pc)
{
	const struct df_insn *in = &prog->insns[pc];
	const struct ud_form *f = &forms[in->code];
	uint32_t d = LO(in->dst_reg), sr = LO(in->src_reg);

	if (f->slow)
		return DF_CLASS(in->code) == DF_STX ? atomic_use_def(in) : call_use_def(prog, pc);
	return UD(d * f->ud | sr * f->us | f->ux, d * f->dd);
}

static __attribute__((noinline)) void slow_transfer(const struct df_prog *prog, uint32_t pc,
						    const uint32_t *in, uint32_t *out)
{
	uint64_t ud = use_def(prog, pc);

	*out = (*in & ~(uint32_t)(ud >> 32)) | (uint32_t)ud;
}

/* Register whose low half the instruction defines with zero extension, or -1. */
static int def32(const struct df_insn *in)
{
	uint32_t mode = DF_MODE(in->code);
	bool dw = DF_SIZE(in->code) == DF_DW;

	switch (DF_CLASS(in->code)) {
	case DF_ALU:
		return in->dst_reg;
	case DF_LDX:
		return mode == DF_MEM && !dw ? in->dst_reg : -1;
	case DF_STX:
		if (mode != DF_ATOMIC || dw)
			return -1;
		if (in->imm == DF_CMPXCHG)
			return 0;
		if (in->imm == DF_LOAD_ACQ)
			return in->dst_reg;
		if (in->imm != DF_STORE_REL && (in->imm & DF_FETCH))
			return in->src_reg;
		return -1;
	default:
		return -1;
	}
}

static void regs_bottom(const struct df_ctx *c, void *s)
{
	*(uint32_t *)s = 0;
}

static bool regs_join(const struct df_ctx *c, void *dst, const void *src)
{
	uint32_t *d = dst, old = *d;

	*d |= *(const uint32_t *)src;
	return *d != old;
}

static void regs_transfer(const struct df_ctx *c, uint32_t pc, const void *in,
			  void *out)
{
	uint64_t ud;

	/* calls and atomics out of line: the common case stays a leaf */
	if (forms[c->prog->insns[pc].code].slow) {
		slow_transfer(c->prog, pc, in, out);
		return;
	}
	ud = use_def(c->prog, pc);
	*(uint32_t *)out = (*(const uint32_t *)in & ~(uint32_t)(ud >> 32)) | (uint32_t)ud;
}

static void regs_print(const struct df_ctx *c, const void *s, FILE *f)
{
	uint32_t m = *(const uint32_t *)s;
	const char *sep = "";

	for (int r = 0; r < 10; r++) {
		if (!(m & R64(r)))
			continue;
		fprintf(f, "%s%c%d", sep, m & LO(r) << 16 ? 'r' : 'w', r);
		sep = " ";
	}
	if (!*sep)
		fputs("-", f);
}

const struct df_analysis df_regs_analysis = {
	.sz = sizeof(struct df_analysis),
	.name = "regs",
	.summary = "registers live before each instruction (the kernel's live_regs_before)",
	.dir = DF_BACKWARD,
	.state_size = sizeof(uint32_t),
	.ctx_mode = DF_CTX_NONE,
	.bottom = regs_bottom,
	.boundary = regs_bottom,
	.join = regs_join,
	.print = regs_print,
	.transfer = regs_transfer,
};

static int regs_solver(const struct df_solver *s)
{
	const struct df_analysis *a = df_solver_analysis(s);

	return a && a->state_size == sizeof(uint32_t) &&
	       a->transfer == regs_transfer ? 0 : -EINVAL;
}

/* Join over the contexts of pc's subprogram; after selects the state after pc. */
static int joined(const struct df_solver *s, uint32_t pc, bool after, uint32_t *m)
{
	struct df_context_info ci;
	uint32_t n = df_solver_context_cnt(s), st;
	int err = regs_solver(s), found = -EINVAL;

	const struct df_cfg *g = df_solver_cfg(s);
	uint32_t sub = 0, lo = 0;

	if (err)
		return err;
	*m = 0;
	if (pc >= df_solver_prog(s)->insn_cnt)
		return -EINVAL;
	/* one context per subprogram (DF_CTX_NONE): only pc's own */
	sub = df_cfg_subprog_of(g, pc);
	if (n == g->subprog_cnt && !df_solver_context(s, sub, &ci) && ci.subprog == sub) {
		lo = sub;
		n = sub + 1;
	}
	for (uint32_t i = lo; i < n; i++) {
		if (df_solver_context(s, i, &ci) || ci.subprog != sub)
			continue;
		err = after ? df_state_after(s, i, pc, &st) : df_state_before(s, i, pc, &st);
		if (err == -ENOENT && found)
			found = -ENOENT;
		if (err == -ENOENT || err == -EINVAL)
			continue;
		if (err)
			return err;
		*m |= st;
		found = 0;
	}
	return found;
}

int df_regs_live_before(const struct df_solver *s, uint32_t pc, uint16_t *mask)
{
	uint32_t m;
	int err;

	if (!mask)
		return -EINVAL;
	err = joined(s, pc, false, &m);
	*mask = err ? 0 : (uint16_t)(m | m >> 16);
	return err;
}

int df_regs_zext(const struct df_solver *s, uint32_t pc, bool *zext)
{
	const struct df_prog *p = df_solver_prog(s);
	uint32_t m;
	int r, err;

	if (!zext)
		return -EINVAL;
	*zext = false;
	err = joined(s, pc, true, &m);
	if (err)
		return err;
	r = def32(&p->insns[pc]);
	*zext = r >= 0 && r < 10 && (m & LO(r) << 16);
	return 0;
}

static int collect(void *cookie, const struct df_ctx *c, uint32_t pc,
		   const void *before, const void *after)
{
	uint32_t *live = cookie, m = before ? *(const uint32_t *)before : 0;

	live[pc] |= (m | m >> 16) & 0xffff;
	live[pc] |= DF_REGS_REACHED;
	return 0;
}

int df_regs_live_all(const struct df_solver *s, uint32_t *live)
{
	int err = regs_solver(s);

	if (err || !live)
		return err ? err : -EINVAL;
	memset(live, 0, df_solver_prog(s)->insn_cnt * sizeof(*live));
	for (uint32_t i = 0; !err && i < df_solver_context_cnt(s); i++)
		err = df_solver_walk_any(s, i, collect, live);
	return err;
}

int df_regs_dump(FILE *f, const struct df_solver *s)
{
	const struct df_prog *p = df_solver_prog(s);
	uint32_t *live;
	char buf[256];
	int err = regs_solver(s);

	if (err)
		return err;
	live = malloc((p->insn_cnt ? p->insn_cnt : 1) * sizeof(*live));
	if (!live)
		return -ENOMEM;
	err = df_regs_live_all(s, live);
	if (err) {
		free(live);
		return err;
	}
	fputs("Live regs before insn:\n", f);
	for (uint32_t pc = 0; pc < p->insn_cnt; pc += df_insn_slots(&p->insns[pc])) {
		char cols[11];

		for (int r = 0; r < 10; r++)
			cols[r] = live[pc] & (1u << r) ? (char)('0' + r) : '.';
		cols[10] = 0;
		df_insn_snprint(buf, sizeof(buf), p, p->insns, p->insn_cnt, pc);
		fprintf(f, "%3u: %s (%02x) %s\n", pc, cols, p->insns[pc].code, buf);
	}
	free(live);
	return ferror(f) ? -EIO : 0;
}

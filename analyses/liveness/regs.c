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

static void use_def(const struct df_prog *prog, uint32_t pc, uint32_t *use,
		    uint32_t *def)
{
	const struct df_insn *in = &prog->insns[pc];
	uint32_t src = R64(in->src_reg), dst = R64(in->dst_reg);
	uint32_t src32 = LO(in->src_reg), dst32 = LO(in->dst_reg);
	uint32_t u = ~0u, d = 0, op = DF_OP(in->code), mode = DF_MODE(in->code);
	bool dw = DF_SIZE(in->code) == DF_DW, x = DF_SRC(in->code) == DF_X;
	uint32_t cls = DF_CLASS(in->code);

	switch (cls) {
	case DF_LD:
		if (df_insn_is_ldimm64(in)) {
			d = dst;
			u = 0;
		}
		break;
	case DF_LDX:
		if (mode == DF_MEM || mode == DF_MEMSX) {
			d = dst;
			u = src;
		}
		break;
	case DF_ST:
		if (mode == DF_MEM)
			u = dst;
		break;
	case DF_STX: {
		uint32_t v = dw ? src : src32, r0 = dw ? R64(0) : LO(0);

		if (mode == DF_MEM) {
			u = dst | v;
		} else if (mode == DF_ATOMIC) {
			if (in->imm == DF_CMPXCHG) {
				u = r0 | dst | v;
				d = R64(0);
			} else if (in->imm == DF_LOAD_ACQ) {
				u = src;
				d = dst;
			} else if (in->imm == DF_STORE_REL) {
				u = dst | v;
			} else {
				u = dst | v;
				d = in->imm & DF_FETCH ? src : 0;
			}
		}
		break;
	}
	case DF_ALU:
	case DF_ALU64:
		d = dst;
		if (op == DF_END)
			u = dst;
		else if (op == DF_MOV)
			u = !x ? 0 : cls == DF_ALU64 ? src : src32;
		else if (cls == DF_ALU64)
			u = x ? dst | src : dst;
		else
			u = x ? dst32 | src32 : dst32;
		break;
	default:	/* DF_JMP, DF_JMP32 */
		if (op == DF_JA) {
			u = x ? dst : 0;
		} else if (op == DF_JCOND) {
			u = 0;
		} else if (op == DF_EXIT) {
			u = R64(0);
		} else if (op == DF_CALL) {
			uint32_t n = call_nargs(prog, pc);

			d = CALLER_SAVED;
			u = (LO(n + 1) - 2) * 0x10001u;
		} else if (cls == DF_JMP) {
			u = x ? dst | src : dst;
		} else {
			u = x ? dst32 | src32 : dst32;
		}
		break;
	}
	*use = u & TRACKED;
	*def = d & TRACKED;
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
	uint32_t use, def;

	use_def(c->prog, pc, &use, &def);
	*(uint32_t *)out = (*(const uint32_t *)in & ~def) | use;
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

struct dump {
	uint16_t *live;
};

static int collect(void *cookie, const struct df_ctx *c, uint32_t pc,
		   const void *before, const void *after)
{
	struct dump *d = cookie;
	uint32_t m = before ? *(const uint32_t *)before : 0;

	d->live[pc] |= (uint16_t)(m | m >> 16);
	return 0;
}

int df_regs_dump(FILE *f, const struct df_solver *s)
{
	const struct df_prog *p = df_solver_prog(s);
	struct dump d;
	char buf[256];
	int err = regs_solver(s);

	if (err)
		return err;
	d.live = calloc(p->insn_cnt ? p->insn_cnt : 1, sizeof(*d.live));
	if (!d.live)
		return -ENOMEM;
	for (uint32_t i = 0; !err && i < df_solver_context_cnt(s); i++)
		err = df_solver_walk(s, i, collect, &d);
	if (err) {
		free(d.live);
		return err;
	}
	fputs("Live regs before insn:\n", f);
	for (uint32_t pc = 0; pc < p->insn_cnt; pc += df_insn_slots(&p->insns[pc])) {
		char cols[11];

		for (int r = 0; r < 10; r++)
			cols[r] = d.live[pc] & (1u << r) ? (char)('0' + r) : '.';
		cols[10] = 0;
		df_insn_snprint(buf, sizeof(buf), p, p->insns, p->insn_cnt, pc);
		fprintf(f, "%3u: %s (%02x) %s\n", pc, cols, p->insns[pc].code, buf);
	}
	free(d.live);
	return ferror(f) ? -EIO : 0;
}

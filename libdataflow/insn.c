/* SPDX-License-Identifier: BSD-2-Clause */
/* Instruction decoding: encoding validation, register use/def, targets. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>

#define R11_MSG "r11 may only be used by 8-byte stack-argument loads at " \
	"positive offsets and stores at negative offsets"

static int fail(char *why, size_t len, const char *fmt, ...) DF_PRINTF(3, 4);

static int fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why && len) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int bad_opcode(const struct df_insn *in, char *why, size_t len)
{
	return fail(why, len, "invalid opcode 0x%02x", in->code);
}

/* A field that this encoding does not use must be zero. */
static int reserved(const char *field, long val, char *why, size_t len)
{
	return fail(why, len, "reserved field %s must be 0 (is %ld)", field, val);
}

enum { Z_DST = 1, Z_SRC = 2, Z_OFF = 4, Z_IMM = 8 };

/* Fields that must be zero, reported in the order dst_reg, src_reg, off, imm. */
static int zero_fields(const struct df_insn *in, unsigned fields, char *why,
		       size_t len)
{
	if ((fields & Z_DST) && in->dst_reg)
		return reserved("dst_reg", in->dst_reg, why, len);
	if ((fields & Z_SRC) && in->src_reg)
		return reserved("src_reg", in->src_reg, why, len);
	if ((fields & Z_OFF) && in->off)
		return reserved("off", in->off, why, len);
	if ((fields & Z_IMM) && in->imm)
		return reserved("imm", in->imm, why, len);
	return 0;
}

/*
 * A register operand: r0..r10 always, r11 only where the caller said the
 * stack-argument form is allowed.
 */
static int check_reg(unsigned int r, bool r11_ok, char *why, size_t len)
{
	if (r > DF_REG_PARAMS)
		return fail(why, len, "invalid register r%u", r);
	if (r == DF_REG_PARAMS && !r11_ok)
		return fail(why, len, R11_MSG);
	return 0;
}

static bool r11_load_ok(const struct df_insn *in)
{
	return in->code == (DF_LDX | DF_MEM | DF_DW) && in->off > 0 &&
	       in->off % 8 == 0;
}

static bool r11_store_ok(const struct df_insn *in)
{
	return (in->code == (DF_STX | DF_MEM | DF_DW) ||
		in->code == (DF_ST | DF_MEM | DF_DW)) &&
	       in->off < 0 && in->off % 8 == 0;
}

static int check_ld(const struct df_insn *insns, uint32_t cnt, uint32_t pc,
		    char *why, size_t len)
{
	const struct df_insn *in = &insns[pc], *hi;
	int err;

	if (in->code == (DF_LD | DF_IMM | DF_DW)) {
		if ((err = check_reg(in->dst_reg, false, why, len)))
			return err;
		if (in->src_reg > DF_PSEUDO_MAP_IDX_VALUE)
			return fail(why, len, "invalid ld_imm64 source %u (0..6)",
				    in->src_reg);
		if (in->off)
			return reserved("off", in->off, why, len);
		if (pc + 1 >= cnt)
			return fail(why, len, "ld_imm64 is missing its second slot");
		hi = &insns[pc + 1];
		if (hi->code || hi->dst_reg || hi->src_reg || hi->off)
			return fail(why, len, "invalid ld_imm64 second slot: "
				    "code, registers and off must be 0 "
				    "(code 0x%02x dst %u src %u off %d)",
				    hi->code, hi->dst_reg, hi->src_reg, hi->off);
		if (hi->imm && (in->src_reg == DF_PSEUDO_MAP_FD ||
				in->src_reg == DF_PSEUDO_FUNC ||
				in->src_reg == DF_PSEUDO_MAP_IDX))
			return fail(why, len, "invalid ld_imm64 second slot: "
				    "imm must be 0 for source %u (is %d)",
				    in->src_reg, hi->imm);
		return 0;
	}
	if ((DF_MODE(in->code) != DF_ABS && DF_MODE(in->code) != DF_IND) ||
	    DF_SIZE(in->code) == DF_DW)
		return bad_opcode(in, why, len);
	/* Legacy packet loads: the result always goes to r0, ctx is r6. */
	if (in->dst_reg)
		return reserved("dst_reg", in->dst_reg, why, len);
	if (in->off)
		return reserved("off", in->off, why, len);
	if (DF_MODE(in->code) == DF_ABS) {
		if (in->src_reg)
			return reserved("src_reg", in->src_reg, why, len);
		return 0;
	}
	return check_reg(in->src_reg, false, why, len);
}

static int check_ldx(const struct df_insn *in, char *why, size_t len)
{
	int err;

	if (DF_MODE(in->code) == DF_MEMSX) {
		if (DF_SIZE(in->code) == DF_DW)
			return bad_opcode(in, why, len);
	} else if (DF_MODE(in->code) != DF_MEM) {
		return bad_opcode(in, why, len);
	}
	if ((err = check_reg(in->dst_reg, false, why, len)) ||
	    (err = check_reg(in->src_reg, r11_load_ok(in), why, len)))
		return err;
	if (in->imm)
		return reserved("imm", in->imm, why, len);
	return 0;
}

static int check_st(const struct df_insn *in, char *why, size_t len)
{
	if (DF_MODE(in->code) != DF_MEM)
		return bad_opcode(in, why, len);
	if (in->src_reg)
		return reserved("src_reg", in->src_reg, why, len);
	return check_reg(in->dst_reg, r11_store_ok(in), why, len);
}

static int check_atomic(const struct df_insn *in, char *why, size_t len)
{
	bool wide = DF_SIZE(in->code) == DF_W || DF_SIZE(in->code) == DF_DW;

	switch (in->imm) {
	case DF_ADD:
	case DF_OR:
	case DF_AND:
	case DF_XOR:
	case DF_ADD | DF_FETCH:
	case DF_OR | DF_FETCH:
	case DF_AND | DF_FETCH:
	case DF_XOR | DF_FETCH:
	case DF_XCHG:
	case DF_CMPXCHG:
		if (!wide)
			return fail(why, len, "atomic operation 0x%02x needs a "
				    "4- or 8-byte size (opcode 0x%02x)",
				    in->imm, in->code);
		return 0;
	case DF_LOAD_ACQ:
	case DF_STORE_REL:
		return 0;
	default:
		return fail(why, len, "invalid atomic operation imm 0x%x",
			    (uint32_t)in->imm);
	}
}

static int check_stx(const struct df_insn *in, char *why, size_t len)
{
	int err;

	if (DF_MODE(in->code) == DF_ATOMIC) {
		if ((err = check_reg(in->dst_reg, false, why, len)) ||
		    (err = check_reg(in->src_reg, false, why, len)))
			return err;
		return check_atomic(in, why, len);
	}
	if (DF_MODE(in->code) != DF_MEM)
		return bad_opcode(in, why, len);
	if ((err = check_reg(in->dst_reg, r11_store_ok(in), why, len)) ||
	    (err = check_reg(in->src_reg, false, why, len)))
		return err;
	if (in->imm)
		return reserved("imm", in->imm, why, len);
	return 0;
}

static int check_alu(const struct df_insn *in, char *why, size_t len)
{
	bool is64 = DF_CLASS(in->code) == DF_ALU64;
	bool x = DF_SRC(in->code) == DF_X;
	int op = DF_OP(in->code);
	int err;

	if (op > DF_END)
		return bad_opcode(in, why, len);
	if ((err = check_reg(in->dst_reg, false, why, len)))
		return err;

	switch (op) {
	case DF_NEG:
		if (x)
			return bad_opcode(in, why, len);
		return zero_fields(in, Z_SRC | Z_OFF | Z_IMM, why, len);
	case DF_END:
		if (is64 && x)
			return bad_opcode(in, why, len);
		if ((err = zero_fields(in, Z_SRC | Z_OFF, why, len)))
			return err;
		if (in->imm != 16 && in->imm != 32 && in->imm != 64)
			return fail(why, len, "invalid byte swap width %d "
				    "(16, 32 or 64)", in->imm);
		return 0;
	}

	if (x) {
		if ((err = check_reg(in->src_reg, false, why, len)))
			return err;
	} else if (in->src_reg) {
		return reserved("src_reg", in->src_reg, why, len);
	}

	if ((op == DF_DIV || op == DF_MOD) && in->off != 0 && in->off != 1)
		return fail(why, len, "invalid off %d for %s (0, or 1 for the "
			    "signed form)", in->off, op == DF_DIV ? "div" : "mod");
	if (op == DF_MOV && x && in->off) {
		if (is64 && in->off == 1)
			return 0;	/* addr_space_cast: imm holds the spaces */
		if (in->off != 8 && in->off != 16 && (!is64 || in->off != 32))
			return fail(why, len, "invalid sign-extension width "
				    "off %d for mov (8, 16%s)", in->off,
				    is64 ? ", 32, or 1 for addr_space_cast" : "");
	} else if (op != DF_DIV && op != DF_MOD && in->off) {
		return reserved("off", in->off, why, len);
	}
	if (x && in->imm)
		return reserved("imm", in->imm, why, len);
	return 0;
}

static int check_jmp(const struct df_insn *in, char *why, size_t len)
{
	bool is32 = DF_CLASS(in->code) == DF_JMP32;
	bool x = DF_SRC(in->code) == DF_X;
	int op = DF_OP(in->code);
	int err;

	switch (op) {
	case DF_JA:
		if (x) {
			if (is32)
				return bad_opcode(in, why, len);
			if ((err = check_reg(in->dst_reg, false, why, len)))
				return err;
			return zero_fields(in, Z_SRC | Z_OFF | Z_IMM, why, len);
		}
		/* goto carries its offset in off, gotol in imm */
		return zero_fields(in, Z_DST | Z_SRC | (is32 ? Z_OFF : Z_IMM), why, len);
	case DF_CALL:
		if (is32)
			return bad_opcode(in, why, len);
		if (x)
			return fail(why, len, "callx (call through a register, "
				    "opcode 0x%02x) is not supported", in->code);
		if (in->dst_reg)
			return reserved("dst_reg", in->dst_reg, why, len);
		if (in->src_reg > DF_PSEUDO_KFUNC_CALL)
			return fail(why, len, "invalid call kind src_reg %u "
				    "(0 helper, 1 subprogram, 2 kfunc)",
				    in->src_reg);
		if (in->src_reg == DF_PSEUDO_KFUNC_CALL) {
			if (in->off < 0)
				return fail(why, len, "negative module BTF fd "
					    "index off %d in kfunc call", in->off);
			return 0;
		}
		if (in->off)
			return reserved("off", in->off, why, len);
		return 0;
	case DF_EXIT:
		if (is32 || x)
			return bad_opcode(in, why, len);
		return zero_fields(in, Z_DST | Z_SRC | Z_OFF | Z_IMM, why, len);
	case DF_JCOND:
		if (is32 || x)
			return bad_opcode(in, why, len);
		if (in->dst_reg)
			return reserved("dst_reg", in->dst_reg, why, len);
		if (in->src_reg)
			return fail(why, len, "invalid conditional pseudo-jump "
				    "src_reg %u (0 may_goto)", in->src_reg);
		if (in->imm)
			return reserved("imm", in->imm, why, len);
		return 0;
	case 0xf0:
		return bad_opcode(in, why, len);
	}
	if ((err = check_reg(in->dst_reg, false, why, len)))
		return err;
	if (x) {
		if ((err = check_reg(in->src_reg, false, why, len)))
			return err;
		if (in->imm)
			return reserved("imm", in->imm, why, len);
	} else if (in->src_reg) {
		return reserved("src_reg", in->src_reg, why, len);
	}
	return 0;
}

int df_insn_check(const struct df_insn *insns, uint32_t cnt, uint32_t pc,
		  char *why, size_t why_len)
{
	const struct df_insn *in;

	if (!insns || pc >= cnt)
		return fail(why, why_len, "pc %u outside the program (%u insns)",
			    pc, cnt);
	in = &insns[pc];
	switch (DF_CLASS(in->code)) {
	case DF_LD:
		return check_ld(insns, cnt, pc, why, why_len);
	case DF_LDX:
		return check_ldx(in, why, why_len);
	case DF_ST:
		return check_st(in, why, why_len);
	case DF_STX:
		return check_stx(in, why, why_len);
	case DF_ALU:
	case DF_ALU64:
		return check_alu(in, why, why_len);
	default:
		return check_jmp(in, why, why_len);
	}
}

int64_t df_insn_jump_target(const struct df_insn *insn, uint32_t pc)
{
	if (!df_insn_is_jump(insn))
		return -1;
	if (insn->code == (DF_JMP32 | DF_JA))
		return (int64_t)pc + insn->imm + 1;
	return (int64_t)pc + insn->off + 1;
}

int df_insn_access_size(const struct df_insn *insn)
{
	static const int size[4] = { 4, 2, 1, 8 };
	int cls = DF_CLASS(insn->code), mode = DF_MODE(insn->code);

	switch (cls) {
	case DF_LD:
		if (mode != DF_ABS && mode != DF_IND)
			return 0;
		break;
	case DF_LDX:
		if (mode != DF_MEM && mode != DF_MEMSX)
			return 0;
		break;
	case DF_ST:
		if (mode != DF_MEM)
			return 0;
		break;
	case DF_STX:
		if (mode != DF_MEM && mode != DF_ATOMIC)
			return 0;
		break;
	default:
		return 0;
	}
	return size[DF_SIZE(insn->code) >> 3];
}

#define BIT(n) ((uint16_t)(1u << (n)))
#define CALLER_SAVED 0x3f	/* r0..r5 */

static uint16_t call_use(const struct df_insn *in, int call_nargs)
{
	int n = call_nargs;

	if (in->src_reg == DF_PSEUDO_HELPER) {
		const struct df_helper *h = df_helper_by_id(in->imm);

		n = h ? h->nargs : (call_nargs >= 0 ? call_nargs : 5);
	} else if (n < 0) {
		n = 5;
	}
	if (n > DF_MAX_REG_ARGS)
		n = DF_MAX_REG_ARGS;
	return (uint16_t)(((1u << (n + 1)) - 1) & ~1u);
}

void df_insn_regs(const struct df_insn *insn, int call_nargs,
		  struct df_insn_regs *out)
{
	uint16_t dst = BIT(insn->dst_reg), src = BIT(insn->src_reg);
	uint16_t use = 0, def = 0;
	int op = DF_OP(insn->code);

	switch (DF_CLASS(insn->code)) {
	case DF_LD:
		if (df_insn_is_ldimm64(insn)) {
			def = dst;
		} else {
			/* Packet loads clobber r0..r5 like a helper call. */
			use = BIT(6);
			if (DF_MODE(insn->code) == DF_IND)
				use |= src;
			def = CALLER_SAVED;
		}
		break;
	case DF_LDX:
		use = src;
		def = dst;
		break;
	case DF_ST:
		use = dst;
		break;
	case DF_STX:
		use = dst | src;
		if (DF_MODE(insn->code) != DF_ATOMIC)
			break;
		if (insn->imm == DF_CMPXCHG) {
			use |= BIT(0);
			def = BIT(0);
		} else if (insn->imm == DF_LOAD_ACQ) {
			use = src;
			def = dst;
		} else if (insn->imm != DF_STORE_REL && (insn->imm & DF_FETCH)) {
			def = src;
		}
		break;
	case DF_ALU:
	case DF_ALU64:
		def = dst;
		if (op == DF_MOV)
			use = DF_SRC(insn->code) == DF_X ? src : 0;
		else if (op == DF_NEG || op == DF_END || DF_SRC(insn->code) == DF_K)
			use = dst;
		else
			use = dst | src;
		break;
	default:
		if (op == DF_CALL) {
			use = call_use(insn, call_nargs);
			def = CALLER_SAVED;
		} else if (op == DF_EXIT) {
			use = BIT(0);
		} else if (op == DF_JA) {
			use = DF_SRC(insn->code) == DF_X ? dst : 0;
		} else if (op != DF_JCOND) {
			use = DF_SRC(insn->code) == DF_X ? dst | src : dst;
		}
		break;
	}
	out->use = use;
	out->def = def;
}

/* Where a program is invalid and why, for the caller to report. */
struct flow_err {
	long pc;
	char *why;
	size_t len;
};

static int flow_fail(struct flow_err *e, long pc, const char *fmt, ...)
	DF_PRINTF(3, 4);
static int flow_fail(struct flow_err *e, long pc, const char *fmt, ...)
{
	va_list ap;

	e->pc = pc;
	va_start(ap, fmt);
	vsnprintf(e->why, e->len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int check_target(const struct df_prog *prog, const uint8_t *second,
			uint32_t pc, int64_t t, const char *what,
			struct flow_err *e)
{
	const struct df_insn *in = &prog->insns[pc];

	if (t < 0 || t >= prog->insn_cnt)
		return flow_fail(e, pc, "(%02x) %s out of range: target %lld, "
				 "program has %u insns", in->code, what,
				 (long long)t, prog->insn_cnt);
	if (second[t])
		return flow_fail(e, pc, "(%02x) %s into the second slot of the "
				 "ld_imm64 at pc %lld", in->code, what,
				 (long long)t - 1);
	return 0;
}

static int check_flow(const struct df_prog *prog, const uint8_t *second,
		      struct flow_err *e)
{
	const struct df_insn *insns = prog->insns, *in;
	uint32_t pc, last = 0;
	int err;

	for (pc = 0; pc < prog->insn_cnt; pc += df_insn_slots(in)) {
		in = &insns[pc];
		last = pc;
		if (df_insn_is_jump(in))
			err = check_target(prog, second, pc,
					   df_insn_jump_target(in, pc), "jump", e);
		else if (df_insn_is_pseudo_call(in))
			err = check_target(prog, second, pc,
					   (int64_t)pc + in->imm + 1, "call", e);
		else if (df_insn_is_pseudo_func(in))
			err = check_target(prog, second, pc,
					   (int64_t)pc + in->imm + 1,
					   "function reference", e);
		else
			err = 0;
		if (err)
			return err;
	}
	in = &insns[last];
	if (!df_insn_is_exit(in) && in->code != (DF_JMP | DF_JA) &&
	    in->code != (DF_JMP32 | DF_JA) && in->code != (DF_JMP | DF_JA | DF_X))
		return flow_fail(e, last, "(%02x) control falls off the end of the "
				 "program: the last insn must be exit or a jump",
				 in->code);
	return 0;
}

int df_prog_check_why(const struct df_prog *prog, long *pc, char *why,
		      size_t why_len)
{
	struct flow_err e = { .pc = -1, .why = why, .len = why_len };
	uint32_t cnt = prog->insn_cnt, i;
	char reason[160];
	uint8_t *second;
	int err;

	*pc = -1;
	if (!cnt || !prog->insns) {
		snprintf(why, why_len, "program has no instructions");
		return -EINVAL;
	}
	second = df_zalloc(cnt, 1);
	if (!second)
		return -ENOMEM;
	for (i = 0; i < cnt; i++) {
		if (df_insn_check(prog->insns, cnt, i, reason, sizeof(reason))) {
			*pc = i;
			snprintf(why, why_len, "(%02x) %s", prog->insns[i].code, reason);
			free(second);
			return -EINVAL;
		}
		if (df_insn_is_ldimm64(&prog->insns[i]))
			second[++i] = 1;
	}
	err = check_flow(prog, second, &e);
	free(second);
	*pc = e.pc;
	return err;
}

int df_prog_check(const struct df_prog *prog)
{
	char why[256];
	long pc;
	int err = df_prog_check_why(prog, &pc, why, sizeof(why));

	if (err == -EINVAL)
		df_prog_err(prog, pc, "%s", why);
	return err;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/* Assembler: one instruction of the verifier-log syntax into its encoding. */
#include "asm.h"

/* An error, or the one slot the instruction takes. */
static int one_slot(int err)
{
	return err ? err : 1;
}

static int r11_access(struct asm_state *st, const struct asm_reg *base, int size,
		      bool sx, int16_t off, bool load)
{
	if (size != DF_DW || sx || (load ? off <= 0 : off >= 0) || off % 8) {
		asm_expected(st, base->at, load ?
			     "stack-argument load *(u64 *)(r11 +8*N) for r11" :
			     "stack-argument store *(u64 *)(r11 -8*N) for r11");
		return -EINVAL;
	}
	return 0;
}

/* pc+N, pc-N, +N, -N or LABEL. */
static int parse_target(struct asm_state *st, struct asm_cur *c, int64_t lo,
			int64_t hi, int64_t *rel, const char **lbl, size_t *lbl_len)
{
	const char *save;
	size_t n;

	*lbl = NULL;
	asm_skip_ws(c);
	save = c->p;
	if (asm_lit(c, "pc")) {
		asm_skip_ws(c);
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			return asm_parse_range(st, c, lo, hi, "jump offset that fits the instruction", rel);
		c->p = save;
	}
	if (asm_peek_num(c))
		return asm_parse_range(st, c, lo, hi, "jump offset that fits the instruction", rel);
	n = asm_name_len(c);
	if (!n) {
		asm_expected(st, c->p, "jump target (pc+N, pc-N or a label)");
		return -EINVAL;
	}
	*lbl = c->p;
	*lbl_len = n;
	c->p += n;
	return 0;
}

static int parse_jump(struct asm_state *st, struct asm_cur *c, struct df_insn *in,
		      bool use_imm)
{
	const char *lbl;
	size_t len;
	int64_t rel;

	if (parse_target(st, c, use_imm ? INT32_MIN : INT16_MIN,
			 use_imm ? INT32_MAX : INT16_MAX, &rel, &lbl, &len))
		return -EINVAL;
	if (lbl)
		return asm_add_fixup(st, lbl, lbl, len, use_imm ? ASM_FIX_IMM : ASM_FIX_OFF);
	if (use_imm)
		in->imm = (int32_t)rel;
	else
		in->off = (int16_t)rel;
	return 0;
}

static int parse_cond(struct asm_state *st, struct asm_cur *c, struct df_insn *in)
{
	static const struct { const char *s; uint8_t op; } ops[] = {
		{ "s>=", DF_JSGE }, { "s<=", DF_JSLE }, { "s>", DF_JSGT },
		{ "s<", DF_JSLT }, { "==", DF_JEQ }, { "!=", DF_JNE },
		{ ">=", DF_JGE }, { "<=", DF_JLE }, { ">", DF_JGT }, { "<", DF_JLT },
		{ "&", DF_JSET },
	};
	struct asm_reg a, b;
	size_t i;

	if (asm_parse_reg(st, c, &a) || asm_reg_ok(st, &a, a.w, false))
		return -EINVAL;
	for (i = 0; i < DF_ARRAY_SIZE(ops); i++)
		if (asm_lit(c, ops[i].s))
			break;
	if (i == DF_ARRAY_SIZE(ops)) {
		asm_expected(st, c->p, "comparison == != > >= < <= s> s>= s< s<= &");
		return -EINVAL;
	}
	in->dst_reg = (uint8_t)a.n;
	if (asm_peek_reg(c, &b)) {
		if (asm_parse_reg_as(st, c, &b, a.w))
			return -EINVAL;
		in->src_reg = (uint8_t)b.n;
		in->code = (a.w ? DF_JMP32 : DF_JMP) | ops[i].op | DF_X;
	} else {
		if (asm_parse_imm32(st, c, &in->imm))
			return -EINVAL;
		in->code = (a.w ? DF_JMP32 : DF_JMP) | ops[i].op | DF_K;
	}
	if (!asm_word(c, "goto")) {
		asm_expected(st, c->p, "'goto'");
		return -EINVAL;
	}
	return parse_jump(st, c, in, false);
}

/* call NAME#ID, NAME#ID@OFF, kfunc#ID, N, pc+N, NAME, LABEL. */
static int parse_call(struct asm_state *st, struct asm_cur *c, struct df_insn *in)
{
	const struct asm_kfunc *kf;
	const struct df_helper *h;
	const char *name, *id_at = NULL;
	int64_t id = 0, off = 0, rel;
	bool has_id = false;
	char buf[128];
	size_t n;

	in->code = DF_JMP | DF_CALL;
	asm_skip_ws(c);
	name = c->p;
	if (asm_lit(c, "pc") && c->p < c->end && (*c->p == '+' || *c->p == '-')) {
		if (asm_parse_range(st, c, INT32_MIN, INT32_MAX, "call offset that fits in 32 bits", &rel))
			return -EINVAL;
		in->src_reg = DF_PSEUDO_CALL;
		in->imm = (int32_t)rel;
		return 0;
	}
	c->p = name;
	if (asm_peek_num(c)) {
		if (asm_parse_range(st, c, INT32_MIN, INT32_MAX, "32-bit helper id", &id))
			return -EINVAL;
		in->imm = (int32_t)id;
		return 0;
	}
	n = asm_ident_len(c);
	if (!n) {
		asm_expected(st, c->p, "helper, kfunc or label");
		return -EINVAL;
	}
	c->p += n;
	if (c->p < c->end && *c->p == '#') {
		c->p++;
		id_at = c->p;
		has_id = true;
		if (asm_parse_range(st, c, INT32_MIN, INT32_MAX, "32-bit id", &id))
			return -EINVAL;
		if (c->p < c->end && *c->p == '@') {
			c->p++;
			if (asm_parse_range(st, c, INT16_MIN, INT16_MAX, "module BTF index -32768..32767", &off))
				return -EINVAL;
		}
	}
	if (n == 5 && !memcmp(name, "kfunc", 5) && has_id) {
		in->src_reg = DF_PSEUDO_KFUNC_CALL;
		in->imm = (int32_t)id;
		in->off = (int16_t)off;
		return 0;
	}
	if ((kf = asm_find_kfunc(st, name, n))) {
		if (has_id && id != kf->id) {
			snprintf(buf, sizeof(buf), "id %d of kfunc '%s'", kf->id, kf->name);
			asm_expected(st, id_at, buf);
			return -EINVAL;
		}
		in->src_reg = DF_PSEUDO_KFUNC_CALL;
		in->imm = kf->id;
		in->off = (int16_t)off;
		return df_prog_add_kfunc(asm_prog(st), kf->name, kf->id, (int16_t)off, kf->args);
	}
	if (n < sizeof(buf)) {
		memcpy(buf, name, n);
		buf[n] = 0;
		h = n == 7 && !memcmp(name, "unknown", 7) ? NULL : df_helper_by_name(buf);
		if (h || (n == 7 && !memcmp(name, "unknown", 7) && has_id)) {
			if (h && has_id && id != h->id) {
				snprintf(buf, sizeof(buf), "helper id %d", h->id);
				asm_expected(st, id_at, buf);
				return -EINVAL;
			}
			if (off || (!h && id < 0)) {
				asm_expected(st, id_at, "helper id");
				return -EINVAL;
			}
			in->imm = h ? h->id : (int32_t)id;
			return 0;
		}
	}
	if (has_id) {
		asm_expected(st, name, "helper or kfunc declared with .kfunc");
		return -EINVAL;
	}
	in->src_reg = DF_PSEUDO_CALL;
	return asm_add_fixup(st, name, name, n, ASM_FIX_CALL);
}

/* map[NAME], map[fd:N], map[idx:N], each optionally [0]+OFF. */
static int parse_map(struct asm_state *st, struct asm_cur *c, struct df_insn *in)
{
	struct df_object *obj = st->obj;
	int64_t v, map = -1;
	const char *at;
	size_t n;
	uint32_t i;
	bool idx = false;

	if (asm_expect(st, c, "["))
		return -EINVAL;
	asm_skip_ws(c);
	at = c->p;
	n = asm_name_len(c);
	if (n && at + n < c->end && at[n] == ':' &&
	    ((n == 2 && (!memcmp(at, "fd", 2) || !memcmp(at, "id", 2))) ||
	     (n == 3 && !memcmp(at, "idx", 3)))) {
		idx = n == 3;
		c->p += n + 1;
		if (asm_parse_range(st, c, INT32_MIN, UINT32_MAX, "map number", &v))
			return -EINVAL;
		in->imm = (int32_t)(uint32_t)v;
	} else {
		for (i = 0; n && i < obj->map_cnt; i++)
			if (obj->maps[i].name && strlen(obj->maps[i].name) == n &&
			    !memcmp(obj->maps[i].name, at, n))
				break;
		if (!n || i == obj->map_cnt) {
			asm_expected(st, at, "map declared with .map, fd:N or idx:N");
			return -EINVAL;
		}
		c->p += n;
		idx = true;
		map = i;
		in->imm = (int32_t)i;
	}
	if (asm_expect(st, c, "]"))
		return -EINVAL;
	in->src_reg = idx ? DF_PSEUDO_MAP_IDX : DF_PSEUDO_MAP_FD;
	if (asm_lit(c, "[")) {
		if (asm_parse_range(st, c, 0, 0, "0", &v) || asm_expect(st, c, "]"))
			return -EINVAL;
		asm_skip_ws(c);
		if (c->p >= c->end || (*c->p != '+' && *c->p != '-')) {
			asm_expected(st, c->p, "'+OFFSET'");
			return -EINVAL;
		}
		if (asm_parse_imm32(st, c, &in[1].imm))
			return -EINVAL;
		in->src_reg = idx ? DF_PSEUDO_MAP_IDX_VALUE : DF_PSEUDO_MAP_VALUE;
	}
	if (map >= 0)
		return df_prog_add_map_ref(asm_prog(st), asm_prog(st)->insn_cnt, (uint32_t)map);
	return 0;
}

static int parse_ldimm64_kw(struct asm_state *st, struct asm_cur *c,
			    const char *kw, struct df_insn *in)
{
	const char *lbl;
	int64_t v;
	size_t len;

	in[0].code = DF_LD | DF_IMM | DF_DW;
	if (!strcmp(kw, "map"))
		return parse_map(st, c, in);
	if (!strcmp(kw, "btf_id")) {
		in->src_reg = DF_PSEUDO_BTF_ID;
		if (asm_expect(st, c, "[") || asm_parse_imm32(st, c, &in[0].imm) || asm_expect(st, c, "]"))
			return -EINVAL;
		if (asm_lit(c, "[") && (asm_parse_imm32(st, c, &in[1].imm) || asm_expect(st, c, "]")))
			return -EINVAL;
		return 0;
	}
	in->src_reg = DF_PSEUDO_FUNC;
	if (asm_expect(st, c, "[") ||
	    parse_target(st, c, INT32_MIN, INT32_MAX, &v, &lbl, &len))
		return -EINVAL;
	if (lbl) {
		if (asm_add_fixup(st, lbl, lbl, len, ASM_FIX_FUNC))
			return -EINVAL;
	} else {
		in->imm = (int32_t)v;
	}
	return asm_expect(st, c, "]");
}

/* rD = atomic64_fetch_add((u64 *)(rB +O), rS) and friends, load_acquire. */
static int parse_atomic_load(struct asm_state *st, struct asm_cur *c,
			     const struct asm_reg *d, const char *kw, const char *kw_at,
			     struct df_insn *in)
{
	static const struct { const char *s; int32_t imm; } ops[] = {
		{ "fetch_add", DF_ADD | DF_FETCH }, { "fetch_or", DF_OR | DF_FETCH },
		{ "fetch_and", DF_AND | DF_FETCH }, { "fetch_xor", DF_XOR | DF_FETCH },
		{ "xchg", DF_XCHG }, { "cmpxchg", DF_CMPXCHG },
	};
	bool acq = !strcmp(kw, "load_acquire");
	bool is64 = !strncmp(kw, "atomic64_", 9);
	const char *op = kw + (is64 ? 9 : 7);
	struct asm_reg base, s, r0;
	int size;
	size_t i = 0;

	if (!acq) {
		for (i = 0; i < DF_ARRAY_SIZE(ops); i++)
			if (!strcmp(op, ops[i].s))
				break;
		if (i == DF_ARRAY_SIZE(ops)) {
			asm_expected(st, kw_at, "operand");
			return -EINVAL;
		}
	}
	if (asm_expect(st, c, "(") || asm_parse_cast_u(st, c, &size) ||
	    asm_parse_addr(st, c, &base, &in->off) || asm_reg_ok(st, &base, false, false))
		return -EINVAL;
	in->code = DF_STX | DF_ATOMIC | (uint8_t)size;
	if (acq) {
		if (d->w && size == DF_DW) {
			asm_expected(st, d->at, "64-bit register for an 8-byte load_acquire");
			return -EINVAL;
		}
		in->dst_reg = (uint8_t)d->n;
		in->src_reg = (uint8_t)base.n;
		in->imm = DF_LOAD_ACQ;
		return asm_expect(st, c, ")");
	}
	if (size != (is64 ? DF_DW : DF_W)) {
		asm_expected(st, kw_at, is64 ? "(u64 *) with atomic64_" : "(u32 *) with atomic_");
		return -EINVAL;
	}
	if (is64 && d->w) {
		asm_expected(st, d->at, "64-bit register r0..r10");
		return -EINVAL;
	}
	if (asm_expect(st, c, ","))
		return -EINVAL;
	if (ops[i].imm == DF_CMPXCHG) {
		if (asm_parse_reg(st, c, &r0) || (r0.n != 0 && (asm_expected(st, r0.at, "r0"), 1)) ||
		    (d->n != 0 && (asm_expected(st, d->at, "r0"), 1)) || asm_expect(st, c, ","))
			return -EINVAL;
		if ((is64 && r0.w) || r0.w != d->w) {
			asm_expected(st, r0.at, d->w ? "w0" : "r0");
			return -EINVAL;
		}
	}
	if (asm_parse_reg(st, c, &s) || asm_reg_ok(st, &s, is64 ? false : s.w, false))
		return -EINVAL;
	if (ops[i].imm != DF_CMPXCHG && (s.n != d->n || s.w != d->w)) {
		asm_expected(st, s.at, "the destination register");
		return -EINVAL;
	}
	in->dst_reg = (uint8_t)base.n;
	in->src_reg = (uint8_t)s.n;
	in->imm = ops[i].imm;
	return asm_expect(st, c, ")");
}

/* rD = *(size *)(rB +O) and the legacy rD = *(size *)skb[...]. */
static int parse_load(struct asm_state *st, struct asm_cur *c, const struct asm_reg *d,
		      struct df_insn *in)
{
	struct asm_reg base;
	const char *at;
	int size;
	bool sx;

	asm_skip_ws(c);
	at = c->p + 2;
	if (asm_expect(st, c, "*") || asm_parse_cast(st, c, &size, &sx))
		return -EINVAL;
	if (asm_word(c, "skb")) {
		if (d->n || d->w || sx || size == DF_DW) {
			asm_expected(st, d->n || d->w ? d->at : at,
				     d->n || d->w ? "r0 for a packet load" : "access size u8, u16 or u32");
			return -EINVAL;
		}
		if (asm_expect(st, c, "["))
			return -EINVAL;
		in->code = DF_LD | DF_ABS | (uint8_t)size;
		if (asm_peek_reg(c, &base)) {
			if (asm_parse_reg_as(st, c, &base, false))
				return -EINVAL;
			in->code = DF_LD | DF_IND | (uint8_t)size;
			in->src_reg = (uint8_t)base.n;
			asm_skip_ws(c);
			if (c->p < c->end && (*c->p == '+' || *c->p == '-')) {
				struct asm_num n;
				bool neg = *c->p++ == '-';

				if (asm_parse_num(st, c, &n))
					return -EINVAL;
				n.neg ^= neg;
				if (asm_to_imm32(st, &n, &in->imm))
					return -EINVAL;
			}
		} else if (asm_parse_imm32(st, c, &in->imm)) {
			return -EINVAL;
		}
		return asm_expect(st, c, "]");
	}
	if (asm_parse_addr(st, c, &base, &in->off))
		return -EINVAL;
	if (base.n == DF_REG_PARAMS &&
	    (r11_access(st, &base, size, sx, in->off, true) || asm_reg_ok(st, d, false, false)))
		return -EINVAL;
	if (sx && size == DF_DW) {
		asm_expected(st, at, "access size s8, s16 or s32");
		return -EINVAL;
	}
	if (d->w && (sx || size == DF_DW)) {
		asm_expected(st, d->at, "64-bit register r0..r10");
		return -EINVAL;
	}
	if (asm_reg_ok(st, d, d->w, false))
		return -EINVAL;
	in->code = DF_LDX | (sx ? DF_MEMSX : DF_MEM) | (uint8_t)size;
	in->dst_reg = (uint8_t)d->n;
	in->src_reg = (uint8_t)base.n;
	return 0;
}

static int parse_imm_assign(struct asm_state *st, struct asm_cur *c,
			    const struct asm_reg *d, int opcode, struct df_insn *in)
{
	struct asm_num n;
	bool ll;

	if (asm_parse_num(st, c, &n))
		return -EINVAL;
	ll = asm_word(c, "ll");
	if (ll || opcode == (DF_LD | DF_IMM | DF_DW) ||
	    (opcode < 0 && !d->w && !asm_fits_s32(&n))) {
		uint64_t v = n.neg ? 0 - n.mag : n.mag;

		if (asm_reg_ok(st, d, false, false))
			return -EINVAL;
		if (n.neg && n.mag > (1ull << 63)) {
			asm_expected(st, n.at, "64-bit value");
			return -EINVAL;
		}
		in[0].code = DF_LD | DF_IMM | DF_DW;
		in[0].dst_reg = (uint8_t)d->n;
		in[0].imm = (int32_t)(uint32_t)v;
		in[1].imm = (int32_t)(uint32_t)(v >> 32);
		return 2;
	}
	if (asm_reg_ok(st, d, d->w, false) || asm_to_imm32(st, &n, &in->imm))
		return -EINVAL;
	in->code = (d->w ? DF_ALU : DF_ALU64) | DF_MOV | DF_K;
	in->dst_reg = (uint8_t)d->n;
	return 1;
}

/* The right-hand side of "rD = ...". */
static int parse_assign(struct asm_state *st, struct asm_cur *c, const struct asm_reg *d,
			int opcode, struct df_insn *in)
{
	static const char *const swaps[] = {
		"le16", "le32", "le64", "be16", "be32", "be64",
		"bswap16", "bswap32", "bswap64",
	};
	char kw[24];
	struct asm_reg s;
	const char *at;
	size_t n, i;
	int64_t a, b;
	uint8_t cls = d->w ? DF_ALU : DF_ALU64;

	asm_skip_ws(c);
	at = c->p;
	if (at < c->end && *at == '-') {
		struct asm_cur t = { at + 1, c->end };

		if (asm_peek_reg(&t, &s)) {
			c->p = t.p;
			if (asm_parse_reg(st, c, &s) || asm_reg_ok(st, d, d->w, false))
				return -EINVAL;
			if (s.n != d->n || s.w != d->w) {
				asm_expected(st, s.at, "the destination register");
				return -EINVAL;
			}
			in->code = cls | DF_NEG | DF_K;
			in->dst_reg = (uint8_t)d->n;
			return 1;
		}
	}
	if (asm_peek_num(c))
		return parse_imm_assign(st, c, d, opcode, in);
	if (at < c->end && *at == '*')
		return one_slot(parse_load(st, c, d, in));
	if (at < c->end && *at == '(') {
		c->p++;
		if (asm_word(c, "s8"))
			in->off = 8;
		else if (asm_word(c, "s16"))
			in->off = 16;
		else if (!d->w && asm_word(c, "s32"))
			in->off = 32;
		else {
			asm_expected(st, c->p, d->w ? "s8 or s16" : "s8, s16 or s32");
			return -EINVAL;
		}
		if (asm_expect(st, c, ")") || asm_reg_ok(st, d, d->w, false) ||
		    asm_parse_reg_as(st, c, &s, d->w))
			return -EINVAL;
		in->code = cls | DF_MOV | DF_X;
		in->dst_reg = (uint8_t)d->n;
		in->src_reg = (uint8_t)s.n;
		return 1;
	}
	if (asm_peek_reg(c, &s)) {
		if (asm_parse_reg(st, c, &s) || asm_reg_ok(st, d, d->w, false) ||
		    asm_reg_ok(st, &s, d->w, false))
			return -EINVAL;
		in->code = cls | DF_MOV | DF_X;
		in->dst_reg = (uint8_t)d->n;
		in->src_reg = (uint8_t)s.n;
		return 1;
	}
	n = asm_ident_len(c);
	if (!n || n >= sizeof(kw)) {
		asm_expected(st, at, "register, number, memory operand or ld_imm64 operand");
		return -EINVAL;
	}
	memcpy(kw, at, n);
	kw[n] = 0;
	c->p += n;
	for (i = 0; i < DF_ARRAY_SIZE(swaps); i++) {
		if (strcmp(kw, swaps[i]))
			continue;
		if (asm_reg_ok(st, d, false, false) || asm_parse_reg_as(st, c, &s, false))
			return -EINVAL;
		if (s.n != d->n) {
			asm_expected(st, s.at, "the destination register");
			return -EINVAL;
		}
		in->code = (i < 6 ? DF_ALU : DF_ALU64) | DF_END | (i >= 3 && i < 6 ? DF_TO_BE : DF_TO_LE);
		in->dst_reg = (uint8_t)d->n;
		in->imm = 16 << (i % 3);
		return 1;
	}
	if (!strcmp(kw, "addr_space_cast")) {
		if (asm_reg_ok(st, d, false, false) || asm_expect(st, c, "(") ||
		    asm_parse_reg_as(st, c, &s, false) || asm_expect(st, c, ",") ||
		    asm_parse_range(st, c, 0, 0xffff, "address space 0..65535", &a) ||
		    asm_expect(st, c, ",") ||
		    asm_parse_range(st, c, 0, 0xffff, "address space 0..65535", &b) ||
		    asm_expect(st, c, ")"))
			return -EINVAL;
		in->code = DF_ALU64 | DF_MOV | DF_X;
		in->dst_reg = (uint8_t)d->n;
		in->src_reg = (uint8_t)s.n;
		in->off = 1;
		in->imm = (int32_t)(uint32_t)(a << 16 | b);
		return 1;
	}
	if (!strcmp(kw, "map") || !strcmp(kw, "btf_id") || !strcmp(kw, "subprog")) {
		if (asm_reg_ok(st, d, false, false) || parse_ldimm64_kw(st, c, kw, in))
			return -EINVAL;
		in->dst_reg = (uint8_t)d->n;
		asm_word(c, "ll");
		return 2;
	}
	if (!strcmp(kw, "load_acquire") || !strncmp(kw, "atomic_", 7) ||
	    !strncmp(kw, "atomic64_", 9)) {
		if (asm_reg_ok(st, d, d->w, false))
			return -EINVAL;
		return one_slot(parse_atomic_load(st, c, d, kw, at, in));
	}
	asm_expected(st, at, "register, number, memory operand or ld_imm64 operand");
	return -EINVAL;
}

static int parse_reg_stmt(struct asm_state *st, struct asm_cur *c, int opcode,
			  struct df_insn *in)
{
	static const struct { const char *s; uint8_t op; int16_t off; } ops[] = {
		{ "s>>=", DF_ARSH, 0 }, { "s/=", DF_DIV, 1 }, { "s%=", DF_MOD, 1 },
		{ "<<=", DF_LSH, 0 }, { ">>=", DF_RSH, 0 }, { "+=", DF_ADD, 0 },
		{ "-=", DF_SUB, 0 }, { "*=", DF_MUL, 0 }, { "/=", DF_DIV, 0 },
		{ "|=", DF_OR, 0 }, { "&=", DF_AND, 0 }, { "%=", DF_MOD, 0 },
		{ "^=", DF_XOR, 0 }, { "=", DF_MOV, 0 },
	};
	uint8_t cls;
	struct asm_reg d, s;
	size_t i;

	if (asm_parse_reg(st, c, &d))
		return -EINVAL;
	for (i = 0; i < DF_ARRAY_SIZE(ops); i++)
		if (asm_lit(c, ops[i].s))
			break;
	if (i == DF_ARRAY_SIZE(ops)) {
		asm_expected(st, c->p, "assignment operator");
		return -EINVAL;
	}
	if (ops[i].op == DF_MOV)
		return parse_assign(st, c, &d, opcode, in);
	if (asm_reg_ok(st, &d, d.w, false))
		return -EINVAL;
	cls = d.w ? DF_ALU : DF_ALU64;
	in->dst_reg = (uint8_t)d.n;
	in->off = ops[i].off;
	if (asm_peek_reg(c, &s)) {
		if (asm_parse_reg_as(st, c, &s, d.w))
			return -EINVAL;
		in->code = cls | ops[i].op | DF_X;
		in->src_reg = (uint8_t)s.n;
		return 1;
	}
	if (!asm_peek_num(c)) {
		asm_expected(st, c->p, d.w ? "w register or number" : "r register or number");
		return -EINVAL;
	}
	if (asm_parse_imm32(st, c, &in->imm))
		return -EINVAL;
	in->code = cls | ops[i].op | DF_K;
	return 1;
}

/* *(size *)(rD +O) = rS | imm */
static int parse_store(struct asm_state *st, struct asm_cur *c, struct df_insn *in)
{
	struct asm_reg base, s;
	int size;

	if (asm_expect(st, c, "*") || asm_parse_cast_u(st, c, &size) ||
	    asm_parse_addr(st, c, &base, &in->off) || asm_expect(st, c, "="))
		return -EINVAL;
	if (base.n == DF_REG_PARAMS && r11_access(st, &base, size, false, in->off, false))
		return -EINVAL;
	in->dst_reg = (uint8_t)base.n;
	if (asm_peek_reg(c, &s)) {
		if (asm_parse_reg(st, c, &s) ||
		    asm_reg_ok(st, &s, size == DF_DW ? false : s.w, false))
			return -EINVAL;
		in->code = DF_STX | DF_MEM | (uint8_t)size;
		in->src_reg = (uint8_t)s.n;
		return 0;
	}
	if (!asm_peek_num(c)) {
		asm_expected(st, c->p, "register or number");
		return -EINVAL;
	}
	in->code = DF_ST | DF_MEM | (uint8_t)size;
	return asm_parse_imm32(st, c, &in->imm);
}

/* lock *(size *)(rD +O) op= rS */
static int parse_lock(struct asm_state *st, struct asm_cur *c, struct df_insn *in)
{
	static const struct { const char *s; int32_t imm; } ops[] = {
		{ "+=", DF_ADD }, { "|=", DF_OR }, { "&=", DF_AND }, { "^=", DF_XOR },
	};
	struct asm_reg base, s;
	const char *at;
	size_t i;
	int size;

	asm_skip_ws(c);
	at = c->p + 2;
	if (asm_expect(st, c, "*") || asm_parse_cast_u(st, c, &size) ||
	    asm_parse_addr(st, c, &base, &in->off) || asm_reg_ok(st, &base, false, false))
		return -EINVAL;
	if (size != DF_W && size != DF_DW) {
		asm_expected(st, at, "access size u32 or u64");
		return -EINVAL;
	}
	for (i = 0; i < DF_ARRAY_SIZE(ops); i++)
		if (asm_lit(c, ops[i].s))
			break;
	if (i == DF_ARRAY_SIZE(ops)) {
		asm_expected(st, c->p, "atomic operator += |= &= ^=");
		return -EINVAL;
	}
	if (asm_parse_reg(st, c, &s) || asm_reg_ok(st, &s, size == DF_DW ? false : s.w, false))
		return -EINVAL;
	in->code = DF_STX | DF_ATOMIC | (uint8_t)size;
	in->dst_reg = (uint8_t)base.n;
	in->src_reg = (uint8_t)s.n;
	in->imm = ops[i].imm;
	return 0;
}

/* store_release((size *)(rD +O), rS) */
static int parse_release(struct asm_state *st, struct asm_cur *c, struct df_insn *in)
{
	struct asm_reg base, s;
	int size;

	if (asm_expect(st, c, "(") || asm_parse_cast_u(st, c, &size) ||
	    asm_parse_addr(st, c, &base, &in->off) || asm_reg_ok(st, &base, false, false) ||
	    asm_expect(st, c, ",") || asm_parse_reg(st, c, &s) ||
	    asm_reg_ok(st, &s, size == DF_DW ? false : s.w, false) || asm_expect(st, c, ")"))
		return -EINVAL;
	in->code = DF_STX | DF_ATOMIC | (uint8_t)size;
	in->dst_reg = (uint8_t)base.n;
	in->src_reg = (uint8_t)s.n;
	in->imm = DF_STORE_REL;
	return 0;
}

static int parse_body(struct asm_state *st, struct asm_cur *c, int opcode,
		      struct df_insn *in)
{
	struct asm_reg r;

	asm_skip_ws(c);
	if (c->p < c->end && *c->p == '*')
		return one_slot(parse_store(st, c, in));
	if (asm_peek_reg(c, &r))
		return parse_reg_stmt(st, c, opcode, in);
	if (asm_word(c, "exit")) {
		in->code = DF_JMP | DF_EXIT;
		return 1;
	}
	if (asm_word(c, "call"))
		return one_slot(parse_call(st, c, in));
	if (asm_word(c, "goto")) {
		in->code = DF_JMP | DF_JA;
		return one_slot(parse_jump(st, c, in, false));
	}
	if (asm_word(c, "gotox")) {
		in->code = DF_JMP | DF_JA | DF_X;
		if (asm_parse_reg_as(st, c, &r, false))
			return -EINVAL;
		in->dst_reg = (uint8_t)r.n;
		return 1;
	}
	if (asm_word(c, "gotol")) {
		in->code = DF_JMP32 | DF_JA;
		return one_slot(parse_jump(st, c, in, true));
	}
	if (asm_word(c, "may_goto")) {
		in->code = DF_JMP | DF_JCOND;
		return one_slot(parse_jump(st, c, in, false));
	}
	if (asm_word(c, "if"))
		return one_slot(parse_cond(st, c, in));
	if (asm_word(c, "lock"))
		return one_slot(parse_lock(st, c, in));
	if (asm_word(c, "store_release"))
		return one_slot(parse_release(st, c, in));
	if (c->p + 1 < c->end && (*c->p == 'r' || *c->p == 'w') &&
	    c->p[1] >= '0' && c->p[1] <= '9')
		asm_expected(st, c->p, "register r0..r10 or w0..w10");
	else
		asm_expected(st, c->p, "instruction");
	return -EINVAL;
}

int asm_parse_insn(struct asm_state *st, struct asm_cur *c, int opcode,
		   const char *op_at, struct df_insn *insn)
{
	char what[48];
	int slots;

	memset(insn, 0, 2 * sizeof(*insn));
	slots = parse_body(st, c, opcode, insn);
	if (slots < 0)
		return slots;
	asm_skip_ws(c);
	if (c->p < c->end) {
		asm_expected(st, c->p, "end of instruction");
		return -EINVAL;
	}
	if (opcode >= 0 && opcode != insn->code) {
		snprintf(what, sizeof(what), "opcode (%02x) of this instruction", insn->code);
		asm_expected(st, op_at, what);
		return -EINVAL;
	}
	return slots;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/* Disassembler: kernel verifier-log syntax (docs/asm-syntax.md). */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>

/* snprintf-like appender: keeps counting past the end of the buffer. */
struct out {
	char *buf;
	size_t len;
	size_t pos;
};

static void put(struct out *o, const char *fmt, ...) DF_PRINTF(2, 3);

static void put(struct out *o, const char *fmt, ...)
{
	size_t room = o->pos < o->len ? o->len - o->pos : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->pos : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
}

static const char *const alu_ops[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
	NULL, "%=", "^=", "=", "s>>=", NULL, NULL, NULL,
};

static const char *const jmp_ops[16] = {
	NULL, "==", ">", ">=", "&", "!=", "s>", "s>=",
	NULL, NULL, "<", "<=", "s<", "s<=", NULL, NULL,
};

static const char *const usize[4] = { "u32", "u16", "u8", "u64" };
static const char *const ssize[4] = { "s32", "s16", "s8", "s64" };

#define SZ(in) (DF_SIZE((in)->code) >> 3)

static void invalid(struct out *o, const struct df_insn *in)
{
	put(o, "invalid insn (code 0x%02x dst %u src %u off %d imm %d)",
	    in->code, in->dst_reg, in->src_reg, in->off, in->imm);
}

static void print_alu(struct out *o, const struct df_insn *in)
{
	char r = DF_CLASS(in->code) == DF_ALU64 ? 'r' : 'w';
	int op = DF_OP(in->code);
	bool x = DF_SRC(in->code) == DF_X;
	bool sdiv = (op == DF_DIV || op == DF_MOD) && in->off == 1;

	if (op == DF_NEG) {
		put(o, "%c%u = -%c%u", r, in->dst_reg, r, in->dst_reg);
	} else if (op == DF_END) {
		const char *kind = r == 'r' ? "bswap" : x ? "be" : "le";

		put(o, "r%u = %s%d r%u", in->dst_reg, kind, in->imm, in->dst_reg);
	} else if (op == DF_MOV && x && r == 'r' && in->off == 1) {
		put(o, "r%u = addr_space_cast(r%u, %u, %u)", in->dst_reg,
		    in->src_reg, (uint32_t)in->imm >> 16,
		    (uint32_t)in->imm & 0xffff);
	} else if (op == DF_MOV && x && in->off) {
		put(o, "%c%u = (s%d)%c%u", r, in->dst_reg, in->off, r,
		    in->src_reg);
	} else if (!alu_ops[op >> 4]) {
		invalid(o, in);
	} else if (x) {
		put(o, "%c%u %s%s %c%u", r, in->dst_reg, sdiv ? "s" : "",
		    alu_ops[op >> 4], r, in->src_reg);
	} else {
		put(o, "%c%u %s%s %d", r, in->dst_reg, sdiv ? "s" : "",
		    alu_ops[op >> 4], in->imm);
	}
}

static const char *atomic_op_name(int32_t imm)
{
	switch (imm & ~DF_FETCH) {
	case DF_ADD:
		return "add";
	case DF_OR:
		return "or";
	case DF_AND:
		return "and";
	case DF_XOR:
		return "xor";
	}
	return NULL;
}

static void print_atomic(struct out *o, const struct df_insn *in)
{
	bool dw = DF_SIZE(in->code) == DF_DW;
	const char *sz = usize[SZ(in)], *bits = dw ? "64" : "";
	char r = dw ? 'r' : 'w';
	const char *name = atomic_op_name(in->imm);

	if (in->imm == DF_LOAD_ACQ) {
		put(o, "%c%u = load_acquire((%s *)(r%u %+d))", r, in->dst_reg,
		    sz, in->src_reg, in->off);
	} else if (in->imm == DF_STORE_REL) {
		put(o, "store_release((%s *)(r%u %+d), %c%u)", sz, in->dst_reg,
		    in->off, r, in->src_reg);
	} else if (in->imm == DF_XCHG) {
		put(o, "%c%u = atomic%s_xchg((%s *)(r%u %+d), %c%u)", r,
		    in->src_reg, bits, sz, in->dst_reg, in->off, r, in->src_reg);
	} else if (in->imm == DF_CMPXCHG) {
		put(o, "%c0 = atomic%s_cmpxchg((%s *)(r%u %+d), %c0, %c%u)", r,
		    bits, sz, in->dst_reg, in->off, r, r, in->src_reg);
	} else if (name && (in->imm & DF_FETCH)) {
		put(o, "%c%u = atomic%s_fetch_%s((%s *)(r%u %+d), %c%u)", r,
		    in->src_reg, bits, name, sz, in->dst_reg, in->off, r,
		    in->src_reg);
	} else if (name) {
		/* The RMW form names the source as rN for both sizes. */
		put(o, "lock *(%s *)(r%u %+d) %s r%u", sz, in->dst_reg, in->off,
		    alu_ops[(in->imm & 0xf0) >> 4], in->src_reg);
	} else {
		invalid(o, in);
	}
}

static void print_map(struct out *o, const struct df_prog *prog,
		      const struct df_insn *in, uint32_t hi)
{
	const struct df_map *m = NULL;
	bool idx = in->src_reg == DF_PSEUDO_MAP_IDX ||
		   in->src_reg == DF_PSEUDO_MAP_IDX_VALUE;
	bool value = in->src_reg == DF_PSEUDO_MAP_VALUE ||
		     in->src_reg == DF_PSEUDO_MAP_IDX_VALUE;

	if (idx && prog && prog->obj && in->imm >= 0 &&
	    (uint32_t)in->imm < prog->obj->map_cnt)
		m = &prog->obj->maps[in->imm];
	if (m && m->name && *m->name)
		put(o, "r%u = map[%s]", in->dst_reg, m->name);
	else
		put(o, "r%u = map[%s:%d]", in->dst_reg, idx ? "idx" : "fd",
		    in->imm);
	if (value)
		put(o, "[0]+%u", hi);
}

static void print_ld(struct out *o, const struct df_prog *prog,
		     const struct df_insn *insns, uint32_t cnt, uint32_t pc)
{
	const struct df_insn *in = &insns[pc];
	uint32_t hi;

	if (DF_MODE(in->code) == DF_ABS) {
		put(o, "r0 = *(%s *)skb[%d]", usize[SZ(in)], in->imm);
		return;
	}
	if (DF_MODE(in->code) == DF_IND) {
		put(o, "r0 = *(%s *)skb[r%u + %d]", usize[SZ(in)], in->src_reg,
		    in->imm);
		return;
	}
	if (!df_insn_is_ldimm64(in) || pc + 1 >= cnt) {
		invalid(o, in);
		return;
	}
	hi = (uint32_t)insns[pc + 1].imm;
	switch (in->src_reg) {
	case 0:
		put(o, "r%u = 0x%llx", in->dst_reg,
		    (unsigned long long)((uint64_t)hi << 32 | (uint32_t)in->imm));
		break;
	case DF_PSEUDO_MAP_FD:
	case DF_PSEUDO_MAP_VALUE:
	case DF_PSEUDO_MAP_IDX:
	case DF_PSEUDO_MAP_IDX_VALUE:
		print_map(o, prog, in, hi);
		break;
	case DF_PSEUDO_BTF_ID:
		put(o, "r%u = btf_id[%d]", in->dst_reg, in->imm);
		if (hi)
			put(o, "[%u]", hi);
		break;
	case DF_PSEUDO_FUNC:
		put(o, "r%u = subprog[pc%+d]", in->dst_reg, in->imm);
		break;
	default:
		invalid(o, in);
	}
}

static void print_call(struct out *o, const struct df_prog *prog,
		       const struct df_insn *in, uint32_t pc)
{
	const struct df_helper *h;
	const struct df_kfunc *k;

	switch (in->src_reg) {
	case DF_PSEUDO_HELPER:
		h = df_helper_by_id(in->imm);
		/* "call N" reads back the same; the kernel's unknown#N does not. */
		if (h)
			put(o, "call %s#%d", h->name, in->imm);
		else
			put(o, "call %d", in->imm);
		break;
	case DF_PSEUDO_CALL:
		put(o, "call pc%+d", in->imm);
		break;
	case DF_PSEUDO_KFUNC_CALL:
		k = prog ? df_prog_kfunc_at(prog, pc) : NULL;
		if (in->off)
			put(o, "call kfunc#%d@%d", in->imm, in->off);
		else if (k && k->name && *k->name)
			put(o, "call %s#%d", k->name, in->imm);
		else
			put(o, "call kfunc#%d", in->imm);
		break;
	default:
		invalid(o, in);
	}
}

static void print_jmp(struct out *o, const struct df_prog *prog,
		      const struct df_insn *in, uint32_t pc)
{
	char r = DF_CLASS(in->code) == DF_JMP32 ? 'w' : 'r';
	int op = DF_OP(in->code);

	if (in->code == (DF_JMP | DF_JA)) {
		put(o, "goto pc%+d", in->off);
	} else if (in->code == (DF_JMP32 | DF_JA)) {
		put(o, "gotol pc%+d", in->imm);
	} else if (in->code == (DF_JMP | DF_JA | DF_X)) {
		put(o, "gotox r%u", in->dst_reg);
	} else if (in->code == (DF_JMP | DF_CALL)) {
		print_call(o, prog, in, pc);
	} else if (in->code == (DF_JMP | DF_CALL | DF_X)) {
		put(o, "callx r%u", in->dst_reg);
	} else if (in->code == (DF_JMP | DF_EXIT)) {
		put(o, "exit");
	} else if (in->code == (DF_JMP | DF_JCOND)) {
		put(o, "may_goto pc%+d", in->off);
	} else if (!jmp_ops[op >> 4]) {
		invalid(o, in);
	} else if (DF_SRC(in->code) == DF_X) {
		put(o, "if %c%u %s %c%u goto pc%+d", r, in->dst_reg,
		    jmp_ops[op >> 4], r, in->src_reg, in->off);
	} else {
		put(o, "if %c%u %s 0x%x goto pc%+d", r, in->dst_reg,
		    jmp_ops[op >> 4], (uint32_t)in->imm, in->off);
	}
}

int df_insn_snprint(char *buf, size_t len, const struct df_prog *prog,
		    const struct df_insn *insns, uint32_t cnt, uint32_t pc)
{
	struct out o = { buf, len, 0 };
	const struct df_insn *in;

	if (buf && len)
		buf[0] = 0;
	if (!insns || pc >= cnt) {
		put(&o, "invalid pc %u", pc);
		return (int)o.pos;
	}
	in = &insns[pc];
	switch (DF_CLASS(in->code)) {
	case DF_LD:
		print_ld(&o, prog, insns, cnt, pc);
		break;
	case DF_LDX:
		if (DF_MODE(in->code) == DF_MEM)
			put(&o, "r%u = *(%s *)(r%u %+d)", in->dst_reg,
			    usize[SZ(in)], in->src_reg, in->off);
		else if (DF_MODE(in->code) == DF_MEMSX)
			put(&o, "r%u = *(%s *)(r%u %+d)", in->dst_reg,
			    ssize[SZ(in)], in->src_reg, in->off);
		else
			invalid(&o, in);
		break;
	case DF_ST:
		if (DF_MODE(in->code) == DF_MEM)
			put(&o, "*(%s *)(r%u %+d) = %d", usize[SZ(in)],
			    in->dst_reg, in->off, in->imm);
		else
			invalid(&o, in);
		break;
	case DF_STX:
		if (DF_MODE(in->code) == DF_MEM)
			put(&o, "*(%s *)(r%u %+d) = r%u", usize[SZ(in)],
			    in->dst_reg, in->off, in->src_reg);
		else if (DF_MODE(in->code) == DF_ATOMIC)
			print_atomic(&o, in);
		else
			invalid(&o, in);
		break;
	case DF_ALU:
	case DF_ALU64:
		print_alu(&o, in);
		break;
	default:
		print_jmp(&o, prog, in, pc);
		break;
	}
	return (int)o.pos;
}

/* ------------------------------------------------------------------ */
/* Whole programs                                                     */
/* ------------------------------------------------------------------ */

/* A bool option, false when the caller's struct predates the field. */
#define OPT(opts, field) \
	((opts) && (opts)->sz >= offsetof(struct df_dump_opts, field) + \
	 sizeof((opts)->field) && (opts)->field)

static void print_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static const char *linkage_name(enum df_linkage l)
{
	return l == DF_LINKAGE_STATIC ? " static" :
	       l == DF_LINKAGE_GLOBAL ? " global" : "";
}

static void dump_object_directives(FILE *f, const struct df_object *obj)
{
	uint32_t i;

	if (!obj)
		return;
	if (obj->license) {
		fputs(".license ", f);
		print_quoted(f, obj->license);
		fputc('\n', f);
	}
	for (i = 0; i < obj->map_cnt; i++) {
		const struct df_map *m = &obj->maps[i];
		const char *t = df_map_type_name(m->type);

		if (!m->name)
			continue;
		fprintf(f, ".map %s ", m->name);
		if (t)
			fputs(t, f);
		else
			fprintf(f, "%u", m->type);
		fprintf(f, " key=%u value=%u max=%u", m->key_size,
			m->value_size, m->max_entries);
		if (m->flags)
			fprintf(f, " flags=0x%x", m->flags);
		fputc('\n', f);
	}
}

static bool same_kfunc(const struct df_kfunc *a, const struct df_kfunc *b)
{
	return a->btf_id == b->btf_id && a->name && b->name &&
	       !strcmp(a->name, b->name);
}

/* Declares the kfuncs of progs[idx] not already declared by progs[0..idx). */
static void dump_kfuncs(FILE *f, const struct df_prog *const *progs,
			uint32_t idx)
{
	const struct df_prog *prog = progs[idx];
	uint32_t i, j, k;

	for (i = 0; i < prog->kfunc_cnt; i++) {
		const struct df_kfunc *kf = &prog->kfuncs[i];
		bool seen = false;

		if (!kf->name)
			continue;
		for (j = 0; j < idx && !seen; j++)
			for (k = 0; k < progs[j]->kfunc_cnt && !seen; k++)
				seen = same_kfunc(&progs[j]->kfuncs[k], kf);
		for (k = 0; k < i && !seen; k++)
			seen = same_kfunc(&prog->kfuncs[k], kf);
		if (!seen)
			fprintf(f, ".kfunc %s %d id=%d\n", kf->name,
				kf->arg_cnt >= 0 ? kf->arg_cnt : 5, kf->btf_id);
	}
}

static void dump_prog_directives(FILE *f, const struct df_prog *prog)
{
	const char *name = prog->name ? prog->name : prog->section;
	const char *t = df_prog_type_name(prog->type);

	fprintf(f, ".prog %s", name ? name : "prog");
	if (prog->section) {
		fputc(' ', f);
		print_quoted(f, prog->section);
	}
	fputc('\n', f);
	if (prog->type && t)
		fprintf(f, ".type %s\n", t);
}

static void dump_func_start(FILE *f, const struct df_prog *prog,
			    const struct df_func *fn, bool directives)
{
	bool entry = fn == prog->funcs;

	if (!fn->name)
		return;
	if (!directives) {
		fprintf(f, "%s:\n", fn->name);
		return;
	}
	/* The entry is named by .prog; it needs .func only to carry args. */
	if (entry && fn->arg_cnt <= 0 && fn->linkage != DF_LINKAGE_GLOBAL)
		return;
	if (fn->arg_cnt >= 0)
		fprintf(f, ".func %s %d%s\n", fn->name, fn->arg_cnt,
			linkage_name(fn->linkage));
	else
		fprintf(f, "%s:\t; argument count unknown\n", fn->name);
}

static void dump_line(FILE *f, const struct df_line *l)
{
	fputc(';', f);
	if (l->text && *l->text)
		fprintf(f, " %s", l->text);
	if (l->file)
		fprintf(f, " [%s:%u]", l->file, l->line);
	fputc('\n', f);
}

static int dump_body(FILE *f, const struct df_prog *prog,
		     const struct df_dump_opts *opts)
{
	bool no_prefix = OPT(opts, no_prefix), no_lines = OPT(opts, no_lines);
	bool directives = OPT(opts, directives);
	uint32_t pc, fi = 0, li = 0;
	char small[160], *buf = small;
	size_t cap = sizeof(small);

	if (directives)
		dump_prog_directives(f, prog);
	for (pc = 0; pc < prog->insn_cnt; pc += df_insn_slots(&prog->insns[pc])) {
		const struct df_insn *in = &prog->insns[pc];
		int n;

		while (fi < prog->func_cnt && prog->funcs[fi].start <= pc) {
			if (prog->funcs[fi].start == pc)
				dump_func_start(f, prog, &prog->funcs[fi],
						directives);
			fi++;
		}
		for (; li < prog->line_cnt && prog->lines[li].pc <= pc; li++) {
			const struct df_line *l = &prog->lines[li];

			if (no_lines || l->pc != pc)
				continue;
			if (li && prog->lines[li - 1].pc == pc &&
			    prog->lines[li - 1].line == l->line &&
			    prog->lines[li - 1].file == l->file)
				continue;
			dump_line(f, l);
		}
		n = df_insn_snprint(buf, cap, prog, prog->insns,
				    prog->insn_cnt, pc);
		if ((size_t)n >= cap) {
			char *nb = malloc((size_t)n + 1);

			if (!nb) {
				if (buf != small)
					free(buf);
				return -ENOMEM;
			}
			if (buf != small)
				free(buf);
			buf = nb;
			cap = (size_t)n + 1;
			df_insn_snprint(buf, cap, prog, prog->insns,
					prog->insn_cnt, pc);
		}
		if (no_prefix)
			fprintf(f, "\t%s%s\n", buf, df_insn_is_ldimm64(in) &&
				in->src_reg == 0 ? " ll" : "");
		else
			fprintf(f, "%4u: (%02x) %s\n", pc, in->code, buf);
	}
	if (buf != small)
		free(buf);
	return ferror(f) ? -EIO : 0;
}

int df_prog_dump(FILE *f, const struct df_prog *prog,
		 const struct df_dump_opts *opts)
{
	if (!f || !prog)
		return -EINVAL;
	if (OPT(opts, directives)) {
		dump_object_directives(f, prog->obj);
		dump_kfuncs(f, &prog, 0);
	}
	return dump_body(f, prog, opts);
}

int df_object_dump(FILE *f, const struct df_object *obj,
		   struct df_prog *const *progs, uint32_t cnt,
		   const struct df_dump_opts *opts)
{
	bool directives = OPT(opts, directives);
	uint32_t i;
	int err;

	if (!f || !obj || (cnt && !progs))
		return -EINVAL;
	if (directives) {
		dump_object_directives(f, obj);
		for (i = 0; i < cnt; i++)
			dump_kfuncs(f, (const struct df_prog *const *)progs, i);
	}
	for (i = 0; i < cnt; i++) {
		if (i)
			fputc('\n', f);
		err = dump_body(f, progs[i], opts);
		if (err)
			return err;
	}
	return ferror(f) ? -EIO : 0;
}

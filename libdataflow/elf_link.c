/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Building one program from an ELF object: its code, every subprogram it
 * reaches appended after it (with call and function-pointer offsets fixed
 * up), relocations to maps, global data and kfuncs, and BTF function and
 * line information.
 */
#include "elf_load.h"

#include <bpf/btf.h>
#include <linux/btf.h>

#define MAX_PROG_SLOTS	(1u << 30)

/* A run of section code copied into the program at pos. */
struct unit {
	uint32_t sec;
	uint32_t start;
	uint32_t len;
	uint32_t pos;
};

struct link {
	struct df_elf *e;
	struct df_prog *prog;
	struct unit *units;
	uint32_t cnt;
	size_t cap;		/* slots allocated in prog->insns */
};

static struct df_insn *insn_at(struct link *l, uint32_t pc)
{
	return &l->prog->insns[pc];
}

/* Function symbol of section sec covering slot t, or NULL. */
static const struct df_elf_sym *func_covering(const struct df_elf *e,
					      uint32_t sec, uint32_t t)
{
	const struct df_elf_sec *s = &e->secs[sec];
	uint32_t lo = 0, hi = s->func_cnt;
	const struct df_elf_sym *f;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (e->syms[s->funcs[mid]].value / DF_INSN_SZ <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	f = &e->syms[s->funcs[lo - 1]];
	if (f->value / DF_INSN_SZ == t || t < (f->value + f->size) / DF_INSN_SZ)
		return f;
	return NULL;
}

/* Slots of code starting at t: its function symbol, else up to the next boundary. */
static void unit_range(const struct df_elf *e, uint32_t sec, uint32_t t,
		       uint32_t *start, uint32_t *len)
{
	const struct df_elf_sec *s = &e->secs[sec];
	const struct df_elf_sym *f = func_covering(e, sec, t);
	uint32_t lo = 0, hi = s->bound_cnt, end = s->nins;

	if (f && f->size) {
		*start = (uint32_t)(f->value / DF_INSN_SZ);
		*len = (uint32_t)(f->size / DF_INSN_SZ);
		return;
	}
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (s->bounds[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->bound_cnt && s->bounds[lo] < end)
		end = (uint32_t)s->bounds[lo];
	*start = t;
	*len = end - t;
}

static int add_unit(struct link *l, uint32_t sec, uint32_t start,
		    uint32_t len, uint32_t *pos)
{
	struct df_elf_sec *s = &l->e->secs[sec];
	struct df_prog *prog = l->prog;
	struct df_insn *insns;
	struct unit *u;

	if (!s->placed) {
		s->placed = calloc(s->nins ? s->nins : 1, sizeof(*s->placed));
		if (!s->placed)
			return -ENOMEM;
	}
	if (s->placed[start]) {
		*pos = (uint32_t)(s->placed[start] - 1);
		return 0;
	}
	if (prog->insn_cnt > MAX_PROG_SLOTS - len)
		return df_prog_fail(prog, -E2BIG, -1,
				    "program with its subprograms exceeds %u slots",
				    MAX_PROG_SLOTS);
	if (df_array_push(l->units, l->cnt))
		return -ENOMEM;
	if ((size_t)prog->insn_cnt + len + 1 > l->cap) {
		size_t cap = l->cap * 2 > (size_t)prog->insn_cnt + len + 1 ?
			     l->cap * 2 : (size_t)prog->insn_cnt + len + 1;

		insns = realloc(prog->insns, cap * sizeof(*insns));
		if (!insns)
			return -ENOMEM;
		prog->insns = insns;
		l->cap = cap;
	}
	insns = prog->insns;
	if (len)
		memcpy(insns + prog->insn_cnt, s->data + (size_t)start * DF_INSN_SZ,
		       (size_t)len * DF_INSN_SZ);
	u = &l->units[l->cnt++];
	u->sec = sec;
	u->start = start;
	u->len = len;
	u->pos = prog->insn_cnt;
	prog->insn_cnt += len;
	s->placed[start] = (int32_t)u->pos + 1;
	*pos = u->pos;
	return 0;
}

/* Point the call or ld_imm64 at pc (in unit ui) to slot t of section sec. */
static int link_target(struct link *l, uint32_t ui, uint32_t pc, uint32_t sec,
		       int64_t t)
{
	const struct df_elf_sec *s = &l->e->secs[sec];
	struct unit u = l->units[ui];
	uint32_t start, len, pos;
	struct df_insn *in;
	int64_t dest;
	int err;

	if (t < 0 || t >= s->nins)
		return df_prog_fail(l->prog, -EINVAL, pc,
				    "call target %lld is outside section '%s' (%u slots)",
				    (long long)t, s->name, s->nins);
	if (sec == u.sec && t >= u.start && t < (int64_t)u.start + u.len) {
		dest = u.pos + (t - u.start);
	} else {
		unit_range(l->e, sec, (uint32_t)t, &start, &len);
		err = add_unit(l, sec, start, len, &pos);
		if (err)
			return err;
		dest = pos + (t - start);
	}
	in = insn_at(l, pc);
	in->imm = (int32_t)(dest - (int64_t)pc - 1);
	if (df_insn_is_ldimm64(in)) {
		in->src_reg = DF_PSEUDO_FUNC;
		in[1].imm = 0;
	} else {
		in->src_reg = DF_PSEUDO_CALL;
	}
	return 0;
}

static bool in_ksyms(const struct df_elf *e, int32_t id)
{
	uint32_t lo = 0, hi = e->ksym_cnt;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (e->ksyms[mid] < (uint32_t)id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->ksym_cnt && e->ksyms[lo] == (uint32_t)id;
}

/* BTF FUNC named like the symbol, or -1; looked up once per symbol. */
static int32_t btf_func_of(struct df_elf *e, const struct df_elf_sym *sym)
{
	size_t i = (size_t)(sym - e->syms);
	int32_t id;

	if (!e->obj->btf || !sym->name[0])
		return -1;
	if (!e->func_id) {
		e->func_id = calloc(e->sym_cnt ? e->sym_cnt : 1, sizeof(*e->func_id));
		if (!e->func_id)
			return -1;
	}
	if (!e->func_id[i]) {
		id = btf__find_by_name_kind(e->obj->btf, sym->name, BTF_KIND_FUNC);
		e->func_id[i] = id > 0 ? id : -1;
	}
	return e->func_id[i];
}

static int func_arg_cnt(const struct btf *btf, const struct btf_type *fn)
{
	const struct btf_type *proto = btf__type_by_id(btf, fn->type);

	if (!proto || !btf_is_func_proto(proto))
		return -1;
	return btf_vlen(proto) > DF_MAX_FUNC_ARGS ? -1 : btf_vlen(proto);
}

static int extern_call(struct link *l, uint32_t pc, const struct df_elf_sym *sym)
{
	const struct btf *btf = l->e->obj->btf;
	const struct btf_type *t;
	struct df_insn *in;
	int32_t id;

	id = btf_func_of(l->e, sym);
	t = id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;
	if (!t || (btf_vlen(t) != BTF_FUNC_EXTERN && !in_ksyms(l->e, id)))
		return df_prog_fail(l->prog, -ENOENT, pc,
				    "unresolved call to undefined function '%s'",
				    sym->name);
	in = insn_at(l, pc);
	in->src_reg = DF_PSEUDO_KFUNC_CALL;
	in->imm = id;
	in->off = 0;
	return df_prog_add_kfunc(l->prog, sym->name, id, 0, func_arg_cnt(btf, t));
}

static int map_ref(struct link *l, uint32_t pc, int64_t map, int src,
		   int32_t value_off)
{
	struct df_insn *in = insn_at(l, pc);

	in->src_reg = src;
	in->imm = (int32_t)map;
	in[1].imm = value_off;
	return df_prog_add_map_ref(l->prog, pc, (uint32_t)map);
}

static int ldimm64_reloc(struct link *l, uint32_t ui, uint32_t k, uint32_t pc,
			 const struct df_elf_rel *r, const struct df_elf_sym *sym)
{
	const struct df_elf *e = l->e;
	struct df_insn *in = insn_at(l, pc);
	const struct df_elf_sec *s;
	int64_t map, off;

	if (k + 1 >= l->units[ui].len)
		return df_prog_fail(l->prog, -EINVAL, pc,
				    "relocated ld_imm64 has no second slot");
	if (r->type != DF_R_BPF_64_64 && r->type != DF_R_BPF_64_ABS64)
		return df_prog_fail(l->prog, -EINVAL, pc,
				    "unsupported relocation type %u on ld_imm64",
				    r->type);
	if (sym->undef)
		return df_prog_fail(l->prog, -ENOENT, pc,
				    "relocation against undefined symbol '%s'",
				    sym->name);
	if (!sym->shndx)
		return df_prog_fail(l->prog, -EINVAL, pc,
				    "relocation against symbol '%s' outside any section",
				    sym->name);
	s = &e->secs[sym->shndx];
	switch (s->kind) {
	case DF_SEC_LEGACY_MAPS:
	case DF_SEC_BTF_MAPS:
		off = (int64_t)sym->value;
		if (sym->type == STT_SECTION)
			off += in->imm;
		map = df_elf_map_at(e, sym->shndx, (uint64_t)off);
		if (map < 0)
			return df_prog_fail(l->prog, -ENOENT, pc,
					    "relocation against '%s' at offset %lld of section '%s', which defines no map",
					    sym->name, (long long)off, s->name);
		return map_ref(l, pc, map, DF_PSEUDO_MAP_IDX, 0);
	case DF_SEC_DATA:
		off = (int64_t)sym->value + in->imm;
		if (s->data_map < 0 || off < 0 || (uint64_t)off > s->size)
			return df_prog_fail(l->prog, -EINVAL, pc,
					    "relocation against '%s' at offset %lld is outside section '%s'",
					    sym->name, (long long)off, s->name);
		return map_ref(l, pc, s->data_map, DF_PSEUDO_MAP_IDX_VALUE,
			       (int32_t)off);
	case DF_SEC_CODE:
		off = (int64_t)sym->value + in->imm;
		if (off < 0 || off % DF_INSN_SZ)
			return df_prog_fail(l->prog, -EINVAL, pc,
					    "function pointer to '%s' at unaligned offset %lld",
					    sym->name, (long long)off);
		return link_target(l, ui, pc, sym->shndx, off / DF_INSN_SZ);
	default:
		return df_prog_fail(l->prog, -EINVAL, pc,
				    "relocation against '%s' in section '%s', which holds no map, data or code",
				    sym->name, s->name);
	}
}

static int apply_reloc(struct link *l, uint32_t ui, uint32_t k, uint32_t pc,
		       const struct df_elf_rel *r)
{
	const struct df_elf *e = l->e;
	const struct df_elf_sym *sym = &e->syms[r->sym];
	struct df_insn *in = insn_at(l, pc);
	int64_t t;

	if (df_insn_is_ldimm64(in))
		return ldimm64_reloc(l, ui, k, pc, r, sym);
	if (in->code != (DF_JMP | DF_CALL))
		return df_prog_fail(l->prog, -EINVAL, pc,
				    "relocation against '%s' on an instruction that is neither ld_imm64 nor call",
				    sym->name);
	if (r->type != DF_R_BPF_64_32)
		return df_prog_fail(l->prog, -EINVAL, pc,
				    "unsupported relocation type %u on a call",
				    r->type);
	if (sym->undef)
		return extern_call(l, pc, sym);
	if (!sym->shndx || e->secs[sym->shndx].kind != DF_SEC_CODE)
		return df_prog_fail(l->prog, -EINVAL, pc,
				    "call to '%s', which is not in a code section",
				    sym->name);
	if (sym->value % DF_INSN_SZ)
		return df_prog_fail(l->prog, -EINVAL, pc,
				    "call to '%s' at unaligned offset %llu",
				    sym->name, (unsigned long long)sym->value);
	t = (int64_t)(sym->value / DF_INSN_SZ) + in->imm + 1;
	return link_target(l, ui, pc, sym->shndx, t);
}

static int link_unit(struct link *l, uint32_t ui)
{
	const struct df_elf *e = l->e;
	uint32_t k, sec = l->units[ui].sec;
	int err = 0;

	for (k = 0; k < l->units[ui].len && !err && !l->prog->err;) {
		const struct df_elf_sec *s = &e->secs[sec];
		uint32_t off = l->units[ui].start + k;
		uint32_t pc = l->units[ui].pos + k;
		struct df_insn *in = insn_at(l, pc);
		bool wide = df_insn_is_ldimm64(in);

		if (s->rel_at && s->rel_at[off])
			err = apply_reloc(l, ui, k, pc, &e->rels[s->rel_at[off] - 1]);
		else if ((in->code == (DF_JMP | DF_CALL) && in->src_reg == DF_PSEUDO_CALL) ||
			 (wide && in->src_reg == DF_PSEUDO_FUNC))
			err = link_target(l, ui, pc, sec, (int64_t)off + in->imm + 1);
		k += wide ? 2 : 1;
	}
	return err;
}

/* BTF func info record of section sec at slot off, or NULL. */
static const struct df_btf_ext_rec *func_info(const struct df_elf *e,
					      uint32_t sec, uint32_t off)
{
	const struct df_btf_ext_sec *fs;
	uint32_t i;

	if (e->secs[sec].ext_func < 0)
		return NULL;
	fs = &e->ext->func[e->secs[sec].ext_func];
	i = df_btf_ext_lower(fs, off);
	return i < fs->cnt && fs->recs[i].insn_off == off ? &fs->recs[i] : NULL;
}

/* Function symbol starting exactly at slot off, globals first. */
static const struct df_elf_sym *func_sym_at(const struct df_elf *e,
					    uint32_t sec, uint32_t off)
{
	const struct df_elf_sym *f = func_covering(e, sec, off);

	return f && f->value / DF_INSN_SZ == off ? f : NULL;
}

static int add_func(struct link *l, uint32_t sec, uint32_t off, uint32_t pc,
		    const struct df_elf_sym *sym)
{
	const struct df_elf *e = l->e;
	const struct btf *btf = e->obj->btf;
	const struct df_btf_ext_rec *fi = func_info(e, sec, off);
	const struct btf_type *t = NULL;
	enum df_linkage linkage = DF_LINKAGE_UNKNOWN;
	const char *name = sym ? sym->name : NULL;
	uint32_t id = 0;
	int argc = -1;

	if (btf && fi) {
		id = fi->type_id;
	} else if (btf && sym) {
		int32_t found = btf_func_of(l->e, sym);

		id = found > 0 ? (uint32_t)found : 0;
	}
	if (id) {
		t = btf__type_by_id(btf, id);
		if (!t || !btf_is_func(t))
			id = 0, t = NULL;
	}
	if (t) {
		argc = func_arg_cnt(btf, t);
		linkage = btf_vlen(t) == BTF_FUNC_STATIC ? DF_LINKAGE_STATIC :
							   DF_LINKAGE_GLOBAL;
		if (!name || !name[0])
			name = btf__name_by_offset(btf, t->name_off);
	} else if (sym && sym->type == STT_FUNC) {
		linkage = sym->bind == STB_LOCAL ? DF_LINKAGE_STATIC :
						   DF_LINKAGE_GLOBAL;
	}
	if (name && !name[0])
		name = NULL;
	return df_prog_add_func(l->prog, name, pc, 0, argc, linkage, id);
}

/* Functions and lines of unit ui: its entry, and any function inside it. */
static int unit_info(struct link *l, uint32_t ui, const struct df_elf_sym *entry)
{
	const struct df_elf *e = l->e;
	const struct unit u = l->units[ui];
	const struct df_elf_sec *s = &e->secs[u.sec];
	const struct btf *btf = e->obj->btf;
	uint32_t i, end = u.start + u.len;
	int err;

	err = add_func(l, u.sec, u.start, u.pos,
		       entry ? entry : func_sym_at(e, u.sec, u.start));
	for (i = 0; i < s->func_cnt && !err; i++) {
		const struct df_elf_sym *f = &e->syms[s->funcs[i]];
		uint64_t off = f->value / DF_INSN_SZ;

		if (off > u.start && off < end)
			err = add_func(l, u.sec, (uint32_t)off,
				       u.pos + (uint32_t)(off - u.start), f);
	}
	if (!err && s->ext_func >= 0) {
		const struct df_btf_ext_sec *fs = &e->ext->func[s->ext_func];

		for (i = df_btf_ext_lower(fs, u.start + 1);
		     i < fs->cnt && fs->recs[i].insn_off < end && !err; i++)
			err = add_func(l, u.sec, fs->recs[i].insn_off,
				       u.pos + fs->recs[i].insn_off - u.start,
				       func_sym_at(e, u.sec, fs->recs[i].insn_off));
	}
	if (!err && s->ext_line >= 0 && btf) {
		const struct df_btf_ext_sec *ls = &e->ext->line[s->ext_line];
		struct df_prog *prog = l->prog;

		for (i = df_btf_ext_lower(ls, u.start);
		     i < ls->cnt && ls->recs[i].insn_off < end; i++) {
			const struct df_btf_ext_rec *r = &ls->recs[i];
			const char *file = btf__name_by_offset(btf, r->file_off);
			const char *text = btf__name_by_offset(btf, r->line_off);
			struct df_line *ln;

			if (df_array_push(prog->lines, prog->line_cnt))
				return -ENOMEM;
			ln = &prog->lines[prog->line_cnt++];
			ln->pc = u.pos + r->insn_off - u.start;
			ln->line = r->line_col >> 10;
			ln->col = r->line_col & 0x3ff;
			ln->file = file ? file : "";
			ln->text = text ? text : "";
		}
	}
	return err;
}

/* After sorting: one entry per start, the richest one; lengths to the next. */
static void merge_funcs(struct df_prog *prog)
{
	uint32_t i, n = 0;

	for (i = 0; i < prog->func_cnt; i++) {
		struct df_func *f = &prog->funcs[i], *o;

		if (!n || prog->funcs[n - 1].start != f->start) {
			prog->funcs[n++] = *f;
			continue;
		}
		o = &prog->funcs[n - 1];
		if (!o->name) {
			o->name = f->name;
			f->name = NULL;
		}
		if (!o->btf_id && f->btf_id) {
			o->btf_id = f->btf_id;
			o->arg_cnt = f->arg_cnt;
			o->linkage = f->linkage;
		}
		free(f->name);
	}
	prog->func_cnt = n;
	for (i = 0; i < n; i++)
		prog->funcs[i].len = (i + 1 < n ? prog->funcs[i + 1].start :
				      prog->insn_cnt) - prog->funcs[i].start;
}

int df_elf_build_prog(struct df_elf *e, struct df_prog *prog, uint32_t sec,
		      uint32_t start, uint32_t len, const struct df_elf_sym *entry)
{
	struct link l = { .e = e, .prog = prog };
	uint32_t pos, i;
	int err;

	if (!len)
		unit_range(e, sec, start, &start, &len);
	err = add_unit(&l, sec, start, len, &pos);
	for (i = 0; i < l.cnt && !err && !prog->err; i++)
		err = link_unit(&l, i);
	for (i = 0; i < l.cnt; i++)
		e->secs[l.units[i].sec].placed[l.units[i].start] = 0;
	/* a program that failed to link still shows its functions and lines */
	if (prog->err && err == prog->err)
		err = 0;
	for (i = 0; i < l.cnt && !err; i++)
		err = unit_info(&l, i, i ? NULL : entry);
	free(l.units);
	if (err)
		return err;
	df_prog_sort(prog);
	merge_funcs(prog);
	if (prog->func_cnt && !prog->funcs[0].name) {
		prog->funcs[0].name = df_strdup(prog->name);
		if (!prog->funcs[0].name)
			return -ENOMEM;
	}
	return 0;
}

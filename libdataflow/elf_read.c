/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ELF loader: validates the file, reads sections, symbols, relocations,
 * BTF and maps, then lists one program per entry point. Every size, offset,
 * index and count read from the file is checked before use.
 */
#include "elf_load.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/btf.h>
#include <stdio.h>

#ifndef EM_BPF
#define EM_BPF 247
#endif

static int fail(const struct df_elf *e, const char *sec, const char *fmt, ...)
	DF_PRINTF(3, 4);

static int fail(const struct df_elf *e, const char *sec, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	df_err_at(e->obj->path, sec, -1, "%s", msg);
	return -EINVAL;
}

static int check_header(struct df_elf *e)
{
	Elf64_Ehdr eh;

	if (e->len < EI_NIDENT || memcmp(e->data, ELFMAG, SELFMAG))
		return fail(e, NULL, "not an ELF file");
	if (e->data[EI_CLASS] != ELFCLASS64)
		return fail(e, NULL, "ELF class %u is not supported: BPF objects are 64-bit ELF",
			    e->data[EI_CLASS]);
	if (e->data[EI_DATA] != ELFDATA2LSB)
		return fail(e, NULL, "ELF data encoding %u is not supported: only little-endian BPF objects are read",
			    e->data[EI_DATA]);
	if (e->len < sizeof(eh))
		return fail(e, NULL, "truncated ELF header (%zu of %zu bytes)",
			    e->len, sizeof(eh));
	memcpy(&eh, e->data, sizeof(eh));
	/* early LLVM releases wrote EM_NONE */
	if (eh.e_machine != EM_BPF && eh.e_machine != EM_NONE)
		return fail(e, NULL, "machine %u is not BPF (%u)", eh.e_machine, EM_BPF);
	if (eh.e_type != ET_REL)
		return fail(e, NULL, "ELF type %u is not a relocatable object", eh.e_type);
	if (!eh.e_shoff)
		return fail(e, NULL, "no section header table");
	if (eh.e_shentsize != sizeof(Elf64_Shdr))
		return fail(e, NULL, "section header size %u, expected %zu",
			    eh.e_shentsize, sizeof(Elf64_Shdr));
	if (eh.e_shoff > e->len || e->len - eh.e_shoff < sizeof(Elf64_Shdr))
		return fail(e, NULL, "section header table at offset %llu is outside the file (%zu bytes)",
			    (unsigned long long)eh.e_shoff, e->len);
	if (eh.e_shnum > (e->len - eh.e_shoff) / sizeof(Elf64_Shdr))
		return fail(e, NULL, "%u section headers at offset %llu do not fit in the file (%zu bytes)",
			    eh.e_shnum, (unsigned long long)eh.e_shoff, e->len);
	return 0;
}

static bool prefixed(const char *name, const char *base)
{
	size_t n = strlen(base);

	return !strncmp(name, base, n) && (!name[n] || name[n] == '.');
}

static enum df_sec_kind classify(const GElf_Shdr *sh, const char *name)
{
	bool bits = sh->sh_type == SHT_PROGBITS || sh->sh_type == SHT_NOBITS;

	if (sh->sh_type == SHT_PROGBITS && (sh->sh_flags & SHF_EXECINSTR))
		return DF_SEC_CODE;
	if (bits && (!strcmp(name, "maps") || !strncmp(name, "maps/", 5)))
		return DF_SEC_LEGACY_MAPS;
	if (bits && !strcmp(name, ".maps"))
		return DF_SEC_BTF_MAPS;
	if (bits && (prefixed(name, ".data") || prefixed(name, ".rodata") ||
		     prefixed(name, ".bss")))
		return DF_SEC_DATA;
	return DF_SEC_OTHER;
}

static int read_sections(struct df_elf *e, size_t *symtab)
{
	size_t shnum, shstrndx, i;
	Elf64_Ehdr eh;

	memcpy(&eh, e->data, sizeof(eh));
	if (elf_getshdrnum(e->elf, &shnum) || !shnum)
		return fail(e, NULL, "cannot read the section count: %s", elf_errmsg(-1));
	if (shnum > (e->len - eh.e_shoff) / sizeof(Elf64_Shdr))
		return fail(e, NULL, "%zu section headers at offset %llu do not fit in the file (%zu bytes)",
			    shnum, (unsigned long long)eh.e_shoff, e->len);
	if (elf_getshdrstrndx(e->elf, &shstrndx) || !shstrndx || shstrndx >= shnum)
		return fail(e, NULL, "invalid section name table index");
	e->secs = calloc(shnum, sizeof(*e->secs));
	if (!e->secs)
		return -ENOMEM;
	e->sec_cnt = shnum;
	for (i = 0; i < shnum; i++) {
		e->secs[i].name = "";
		e->secs[i].data_map = e->secs[i].start_sym = -1;
		e->secs[i].ext_func = e->secs[i].ext_line = -1;
	}
	*symtab = 0;
	for (i = 1; i < shnum; i++) {
		struct df_elf_sec *s = &e->secs[i];
		Elf_Scn *scn = elf_getscn(e->elf, i);
		GElf_Shdr sh;

		if (!scn || !gelf_getshdr(scn, &sh))
			return fail(e, NULL, "cannot read section header %zu: %s", i,
				    elf_errmsg(-1));
		s->name = elf_strptr(e->elf, shstrndx, sh.sh_name);
		if (!s->name)
			return fail(e, NULL, "section %zu has an invalid name offset %u",
				    i, sh.sh_name);
		s->type = sh.sh_type;
		s->flags = sh.sh_flags;
		s->size = sh.sh_size;
		if (sh.sh_type != SHT_NOBITS && sh.sh_size) {
			if (sh.sh_offset > e->len || sh.sh_size > e->len - sh.sh_offset)
				return fail(e, s->name, "contents at offset %llu, size %llu, extend past the end of the file (%zu bytes)",
					    (unsigned long long)sh.sh_offset,
					    (unsigned long long)sh.sh_size, e->len);
			s->data = e->data + sh.sh_offset;
		}
		s->kind = classify(&sh, s->name);
		if (s->kind == DF_SEC_CODE) {
			if (sh.sh_size % DF_INSN_SZ)
				return fail(e, s->name, "code size %llu is not a multiple of %d",
					    (unsigned long long)sh.sh_size, DF_INSN_SZ);
			if (sh.sh_size / DF_INSN_SZ > UINT32_MAX)
				return fail(e, s->name, "code section is too large");
			s->nins = (uint32_t)(sh.sh_size / DF_INSN_SZ);
			if (!strcmp(s->name, ".text"))
				e->text = (int64_t)i;
		}
		if (sh.sh_type == SHT_SYMTAB && !*symtab)
			*symtab = i;
	}
	return 0;
}

static int push_u32(uint32_t **arr, uint32_t *cnt, uint32_t v)
{
	if (df_array_push(*arr, *cnt))
		return -ENOMEM;
	(*arr)[(*cnt)++] = v;
	return 0;
}

static int push_bound(struct df_elf_sec *s, uint64_t v)
{
	if (df_array_push(s->bounds, s->bound_cnt))
		return -ENOMEM;
	s->bounds[s->bound_cnt++] = v;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_sym(const void *a, const void *b, void *arg)
{
	const struct df_elf_sym *syms = arg;
	const struct df_elf_sym *x = &syms[*(const uint32_t *)a];
	const struct df_elf_sym *y = &syms[*(const uint32_t *)b];

	if (x->value != y->value)
		return (x->value > y->value) - (x->value < y->value);
	/* globals first among aliases */
	return (x->bind == STB_LOCAL) - (y->bind == STB_LOCAL);
}

static bool func_in_bounds(const struct df_elf_sym *sym, const struct df_elf_sec *s)
{
	return sym->value % DF_INSN_SZ == 0 && sym->size % DF_INSN_SZ == 0 &&
	       sym->value < s->size && sym->size <= s->size - sym->value;
}

/* Function symbols, program entries and code boundaries of code sections. */
static int index_code_syms(struct df_elf *e)
{
	size_t i;
	int err = 0;

	for (i = 1; i < e->sym_cnt && !err; i++) {
		const struct df_elf_sym *sym = &e->syms[i];
		struct df_elf_sec *s = &e->secs[sym->shndx];
		bool global = sym->bind == STB_GLOBAL || sym->bind == STB_WEAK;

		if (sym->undef || !sym->shndx || s->kind != DF_SEC_CODE ||
		    sym->type == STT_SECTION || sym->type == STT_FILE)
			continue;
		if (sym->type == STT_FUNC && global)
			err = push_u32(&s->entries, &s->entry_cnt, (uint32_t)i);
		if (!err && sym->type == STT_FUNC && func_in_bounds(sym, s)) {
			err = push_u32(&s->funcs, &s->func_cnt, (uint32_t)i);
			if (!err)
				err = push_bound(s, sym->value / DF_INSN_SZ);
			if (!err && sym->size)
				err = push_bound(s, (sym->value + sym->size) / DF_INSN_SZ);
		} else if (!err && global && sym->value % DF_INSN_SZ == 0 &&
			   sym->value < s->size) {
			err = push_bound(s, sym->value / DF_INSN_SZ);
		}
		if (!sym->value && (global || sym->type == STT_FUNC) &&
		    (s->start_sym < 0 || (e->syms[s->start_sym].bind == STB_LOCAL &&
					  sym->bind != STB_LOCAL)))
			s->start_sym = (int64_t)i;
	}
	for (i = 0; i < e->sec_cnt && !err; i++) {
		struct df_elf_sec *s = &e->secs[i];

		if (s->func_cnt > 1)
			qsort_r(s->funcs, s->func_cnt, sizeof(*s->funcs), cmp_sym, e->syms);
		if (s->entry_cnt > 1)
			qsort_r(s->entries, s->entry_cnt, sizeof(*s->entries), cmp_sym,
				e->syms);
		if (s->bound_cnt > 1)
			qsort(s->bounds, s->bound_cnt, sizeof(*s->bounds), cmp_u64);
	}
	return err;
}

static int read_symbols(struct df_elf *e, size_t symtab)
{
	struct df_elf_sec *st = &e->secs[symtab];
	Elf_Scn *scn = elf_getscn(e->elf, symtab);
	GElf_Shdr sh;
	Elf_Data *d;
	size_t i, n;

	if (!scn || !gelf_getshdr(scn, &sh))
		return fail(e, st->name, "cannot read the symbol table header");
	if (sh.sh_entsize != sizeof(Elf64_Sym) || sh.sh_size % sizeof(Elf64_Sym))
		return fail(e, st->name, "symbol entry size %llu and table size %llu are invalid (entries are %zu bytes)",
			    (unsigned long long)sh.sh_entsize,
			    (unsigned long long)sh.sh_size, sizeof(Elf64_Sym));
	if (!sh.sh_link || sh.sh_link >= e->sec_cnt ||
	    e->secs[sh.sh_link].type != SHT_STRTAB)
		return fail(e, st->name, "string table link %u is not a string table section",
			    sh.sh_link);
	d = elf_getdata(scn, NULL);
	if (!d || (sh.sh_size && !d->d_buf))
		return fail(e, st->name, "cannot read symbols: %s", elf_errmsg(-1));
	n = d->d_size / sizeof(Elf64_Sym);
	e->syms = calloc(n ? n : 1, sizeof(*e->syms));
	if (!e->syms)
		return -ENOMEM;
	e->sym_cnt = n;
	for (i = 0; i < n; i++) {
		struct df_elf_sym *s = &e->syms[i];
		GElf_Sym sym;

		if (!gelf_getsym(d, (int)i, &sym))
			return fail(e, st->name, "cannot read symbol %zu", i);
		s->name = elf_strptr(e->elf, sh.sh_link, sym.st_name);
		if (!s->name)
			return fail(e, st->name, "symbol %zu has an invalid name offset %u",
				    i, sym.st_name);
		s->value = sym.st_value;
		s->size = sym.st_size;
		s->type = GELF_ST_TYPE(sym.st_info);
		s->bind = GELF_ST_BIND(sym.st_info);
		if (sym.st_shndx == SHN_UNDEF) {
			s->undef = i != 0;
		} else if (sym.st_shndx < SHN_LORESERVE) {
			if (sym.st_shndx >= e->sec_cnt)
				return fail(e, st->name, "symbol '%s' refers to section %u, but there are %zu",
					    s->name, sym.st_shndx, e->sec_cnt);
			s->shndx = sym.st_shndx;
		}
	}
	return index_code_syms(e);
}

static int read_rel_section(struct df_elf *e, size_t ri, size_t symtab)
{
	struct df_elf_sec *rs = &e->secs[ri];
	Elf_Scn *scn = elf_getscn(e->elf, ri);
	struct df_elf_sec *ts;
	GElf_Shdr sh;
	Elf_Data *d;
	size_t i, n;

	if (!scn || !gelf_getshdr(scn, &sh))
		return fail(e, rs->name, "cannot read the section header");
	if (!sh.sh_info || sh.sh_info >= e->sec_cnt)
		return fail(e, rs->name, "relocations apply to section %u, but there are %zu",
			    sh.sh_info, e->sec_cnt);
	ts = &e->secs[sh.sh_info];
	if (ts->kind != DF_SEC_CODE)
		return 0;
	if (sh.sh_type == SHT_RELA)
		return fail(e, rs->name, "RELA relocations are not used by BPF objects");
	if (sh.sh_entsize != sizeof(Elf64_Rel) || sh.sh_size % sizeof(Elf64_Rel))
		return fail(e, rs->name, "relocation entry size %llu and table size %llu are invalid",
			    (unsigned long long)sh.sh_entsize,
			    (unsigned long long)sh.sh_size);
	if (!symtab || sh.sh_link != symtab)
		return fail(e, rs->name, "symbol table link %u is not the symbol table", sh.sh_link);
	d = elf_getdata(scn, NULL);
	if (!d || (sh.sh_size && !d->d_buf))
		return fail(e, rs->name, "cannot read relocations: %s", elf_errmsg(-1));
	n = d->d_size / sizeof(Elf64_Rel);
	if (!ts->rel_at && ts->nins) {
		ts->rel_at = calloc(ts->nins, sizeof(*ts->rel_at));
		if (!ts->rel_at)
			return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct df_elf_rel *r;
		GElf_Rel rel;
		uint32_t sym, type;
		uint64_t slot;

		if (!gelf_getrel(d, (int)i, &rel))
			return fail(e, rs->name, "cannot read relocation %zu", i);
		sym = (uint32_t)GELF_R_SYM(rel.r_info);
		type = (uint32_t)GELF_R_TYPE(rel.r_info);
		if (type == DF_R_BPF_NONE)
			continue;
		if (rel.r_offset % DF_INSN_SZ || rel.r_offset / DF_INSN_SZ >= ts->nins)
			return fail(e, rs->name, "relocation %zu: offset 0x%llx is not an instruction of section '%s'",
				    i, (unsigned long long)rel.r_offset, ts->name);
		if (!sym || sym >= e->sym_cnt)
			return fail(e, rs->name, "relocation %zu: symbol index %u is invalid (%zu symbols)",
				    i, sym, e->sym_cnt);
		slot = rel.r_offset / DF_INSN_SZ;
		if (ts->rel_at[slot])
			return fail(e, rs->name, "two relocations at offset 0x%llx",
				    (unsigned long long)rel.r_offset);
		if (df_array_push(e->rels, e->rel_cnt))
			return -ENOMEM;
		r = &e->rels[e->rel_cnt++];
		r->off = rel.r_offset;
		r->sym = sym;
		r->type = type;
		ts->rel_at[slot] = (uint32_t)e->rel_cnt;
	}
	return 0;
}

static int read_relocations(struct df_elf *e, size_t symtab)
{
	size_t i;
	int err = 0;

	for (i = 1; i < e->sec_cnt && !err; i++)
		if (e->secs[i].type == SHT_REL || e->secs[i].type == SHT_RELA)
			err = read_rel_section(e, i, symtab);
	return err;
}

static const struct df_elf_sec *sec_by_name(const struct df_elf *e, const char *name)
{
	size_t i;

	for (i = 1; i < e->sec_cnt; i++)
		if (!strcmp(e->secs[i].name, name))
			return &e->secs[i];
	return NULL;
}

static int cmp_sec_name(const void *a, const void *b, void *arg)
{
	const struct df_elf_sec *secs = arg;

	return strcmp(secs[*(const uint32_t *)a].name, secs[*(const uint32_t *)b].name);
}

static int64_t find_sec(const struct df_elf *e, const uint32_t *by_name, const char *name)
{
	size_t lo = 0, hi = e->sec_cnt;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(e->secs[by_name[mid]].name, name);

		if (!c)
			return by_name[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Records inside the section; function records name BTF functions. */
static bool ext_sec_valid(const struct df_elf *e, const struct df_elf_sec *s,
			  const struct df_btf_ext_sec *es, bool line)
{
	const char *what = line ? "line_info" : "func_info";
	uint32_t i;

	for (i = 0; i < es->cnt; i++) {
		const struct df_btf_ext_rec *r = &es->recs[i];
		const struct btf_type *t;

		if (r->insn_off >= s->nins) {
			df_err_at(e->obj->path, ".BTF.ext", -1,
				  "%s of section '%s': record %u at instruction %u is outside the section (%u instructions); ignored",
				  what, s->name, i, r->insn_off, s->nins);
			e->obj->warn_cnt++;
			return false;
		}
		if (line)
			continue;
		t = btf__type_by_id(e->obj->btf, r->type_id);
		if (!t || !btf_is_func(t)) {
			df_err_at(e->obj->path, ".BTF.ext", -1,
				  "func_info of section '%s': record %u names type %u, which is not a BTF function; ignored",
				  s->name, i, r->type_id);
			e->obj->warn_cnt++;
			return false;
		}
	}
	return true;
}

/* Attach .BTF.ext subsections to the code sections they describe. */
static int attach_ext(struct df_elf *e)
{
	const struct btf *btf = e->obj->btf;
	uint32_t *by_name, i;

	by_name = malloc(e->sec_cnt * sizeof(*by_name));
	if (!by_name)
		return -ENOMEM;
	for (i = 0; i < e->sec_cnt; i++)
		by_name[i] = i;
	qsort_r(by_name, e->sec_cnt, sizeof(*by_name), cmp_sec_name, e->secs);
	for (i = 0; i < e->ext->func_cnt + e->ext->line_cnt; i++) {
		bool line = i >= e->ext->func_cnt;
		uint32_t j = line ? i - e->ext->func_cnt : i;
		const struct df_btf_ext_sec *es = line ? &e->ext->line[j] : &e->ext->func[j];
		const char *name = btf__name_by_offset(btf, es->name_off);
		int64_t si = name ? find_sec(e, by_name, name) : -1;
		struct df_elf_sec *s = si > 0 ? &e->secs[si] : NULL;

		if (!s || s->kind != DF_SEC_CODE || (line ? s->ext_line : s->ext_func) >= 0)
			continue;
		if (!ext_sec_valid(e, s, es, line))
			continue;
		if (line)
			s->ext_line = j;
		else
			s->ext_func = j;
	}
	free(by_name);
	return 0;
}

static int read_btf(struct df_elf *e)
{
	const struct df_elf_sec *s = sec_by_name(e, ".BTF");
	libbpf_print_fn_t old;
	struct btf *btf;
	int err;

	if (!s || !s->data)
		return 0;
	old = libbpf_set_print(NULL);
	btf = btf__new(s->data, (uint32_t)(s->size > UINT32_MAX ? 0 : s->size));
	err = btf ? 0 : -errno;
	libbpf_set_print(old);
	if (!btf) {
		if (err == -ENOMEM)
			return err;
		df_err_at(e->obj->path, s->name, -1,
			  "invalid BTF (%s); type, function and line info ignored",
			  strerror(-err));
		e->obj->warn_cnt++;
		return 0;
	}
	e->obj->btf = btf;
	err = btf__find_by_name_kind(btf, ".ksyms", BTF_KIND_DATASEC);
	e->ksyms_id = err > 0 ? err : 0;
	if (e->ksyms_id) {
		const struct btf_type *ds = btf__type_by_id(btf, (uint32_t)e->ksyms_id);
		const struct btf_var_secinfo *v = btf_var_secinfos(ds);
		uint16_t i;

		for (i = 0; i < btf_vlen(ds); i++, v++)
			if (push_u32(&e->ksyms, &e->ksym_cnt, v->type))
				return -ENOMEM;
		if (e->ksym_cnt > 1)
			qsort(e->ksyms, e->ksym_cnt, sizeof(*e->ksyms), cmp_u32);
	}
	s = sec_by_name(e, ".BTF.ext");
	if (!s || !s->data)
		return 0;
	err = df_btf_ext_parse(s->data, s->size, e->obj->path, &e->ext);
	if (err == -ENOMEM)
		return err;
	if (err)
		e->obj->warn_cnt++;
	return e->ext ? attach_ext(e) : 0;
}

static int read_license_version(struct df_elf *e)
{
	const struct df_elf_sec *s = sec_by_name(e, "license");

	if (s && s->data) {
		e->obj->license = df_strndup((const char *)s->data,
					     strnlen((const char *)s->data, s->size));
		if (!e->obj->license)
			return -ENOMEM;
	}
	s = sec_by_name(e, "version");
	if (s && s->data) {
		if (s->size != sizeof(uint32_t))
			return fail(e, s->name, "size %llu, expected 4",
				    (unsigned long long)s->size);
		memcpy(&e->obj->kern_version, s->data, sizeof(uint32_t));
	}
	return 0;
}

static int new_prog(struct df_elf *e, const struct df_elf_sec *s,
		    const char *name, struct df_prog **out)
{
	struct df_prog *prog = df_object_add_prog(e->obj);

	*out = prog;
	if (!prog)
		return -ENOMEM;
	prog->name = df_strdup(name);
	prog->section = df_strdup(s->name);
	if (!prog->name || !prog->section)
		return -ENOMEM;
	df_prog_type_by_section(s->name, &prog->type, &prog->expected_attach_type);
	return 0;
}

static int finish_prog(struct df_prog *prog, int err)
{
	if (err)
		return err;
	return prog->err ? 0 : df_prog_check_load(prog);
}

static int section_progs(struct df_elf *e, uint32_t si)
{
	const struct df_elf_sec *s = &e->secs[si];
	struct df_prog *prog;
	uint32_t i;
	int err;

	if (!s->entry_cnt) {
		const struct df_elf_sym *sym = s->start_sym >= 0 ? &e->syms[s->start_sym] : NULL;

		err = new_prog(e, s, sym && sym->name[0] ? sym->name : s->name, &prog);
		if (!err)
			err = df_elf_build_prog(e, prog, si, 0, s->nins, sym);
		return finish_prog(prog, err);
	}
	for (i = 0; i < s->entry_cnt; i++) {
		const struct df_elf_sym *sym = &e->syms[s->entries[i]];

		err = new_prog(e, s, sym->name, &prog);
		if (err)
			return err;
		if (!func_in_bounds(sym, s)) {
			df_prog_fail(prog, -EINVAL, -1,
				     "function '%s' at offset %llu size %llu is outside the section or unaligned",
				     sym->name, (unsigned long long)sym->value,
				     (unsigned long long)sym->size);
			continue;
		}
		err = df_elf_build_prog(e, prog, si, (uint32_t)(sym->value / DF_INSN_SZ),
					(uint32_t)(sym->size / DF_INSN_SZ), sym);
		err = finish_prog(prog, err);
		if (err)
			return err;
	}
	return 0;
}

/* Every code section but .text holds programs; .text only when alone. */
static int list_programs(struct df_elf *e)
{
	bool others = false;
	size_t i;
	int err = 0;

	for (i = 1; i < e->sec_cnt; i++)
		if (e->secs[i].kind == DF_SEC_CODE && e->secs[i].nins &&
		    (int64_t)i != e->text)
			others = true;
	for (i = 1; i < e->sec_cnt && !err; i++) {
		const struct df_elf_sec *s = &e->secs[i];

		if (s->kind != DF_SEC_CODE || !s->nins || ((int64_t)i == e->text && others))
			continue;
		err = section_progs(e, (uint32_t)i);
	}
	return err;
}

static void release(struct df_elf *e)
{
	size_t i;

	for (i = 0; e->secs && i < e->sec_cnt; i++) {
		free(e->secs[i].maps);
		free(e->secs[i].rel_at);
		free(e->secs[i].funcs);
		free(e->secs[i].entries);
		free(e->secs[i].bounds);
		free(e->secs[i].placed);
	}
	free(e->secs);
	free(e->syms);
	free(e->rels);
	free(e->ksyms);
	free(e->func_id);
	df_btf_ext_free(e->ext);
	if (e->elf)
		elf_end(e->elf);
}

int df_elf_open(struct df_object *obj, const void *data, size_t len)
{
	struct df_elf e = { .obj = obj, .data = data, .len = len, .text = -1 };
	size_t symtab = 0;
	int err;

	err = check_header(&e);
	if (err)
		return err;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(&e, NULL, "libelf initialization failed: %s", elf_errmsg(-1));
	e.elf = elf_memory((char *)data, len);
	if (!e.elf || elf_kind(e.elf) != ELF_K_ELF) {
		err = fail(&e, NULL, "cannot read ELF: %s", elf_errmsg(-1));
		goto out;
	}
	err = read_sections(&e, &symtab);
	if (!err && symtab)
		err = read_symbols(&e, symtab);
	if (!err)
		err = read_relocations(&e, symtab);
	if (!err)
		err = read_btf(&e);
	if (!err)
		err = read_license_version(&e);
	if (!err)
		err = df_elf_collect_maps(&e);
	if (!err)
		err = list_programs(&e);
out:
	release(&e);
	return err;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/* Object writers: the relocatable BPF ELF file, and raw 8-byte instructions. */
#include "elf_write.h"

#include <fcntl.h>
#include <libelf.h>
#include <stdio.h>
#include <unistd.h>

/* .BTF.ext: one func_info and one line_info block per code section. */
static int build_btf_ext(struct writer *w, uint32_t *names, uint8_t **out,
			 uint32_t *len)
{
	uint32_t fi_len = 4, li_len = 4, i, *q;
	const uint32_t hdr = 32;
	uint8_t *b;

	for (i = 0; i < w->sec_cnt; i++) {
		if (w->secs[i].finfo_cnt)
			fi_len += 8 + w->secs[i].finfo_cnt * 4;
		if (w->secs[i].linfo_cnt)
			li_len += 8 + w->secs[i].linfo_cnt * 4;
	}
	if (li_len == 4)
		li_len = 0;
	*len = hdr + fi_len + li_len;
	b = calloc(1, *len);
	if (!b)
		return -ENOMEM;
	b[0] = 0x9f;
	b[1] = 0xeb;
	b[2] = 1;
	q = (uint32_t *)(void *)(b + 4);
	q[0] = hdr;
	q[1] = 0;
	q[2] = fi_len;
	q[3] = fi_len;
	q[4] = li_len;
	q = (uint32_t *)(void *)(b + hdr);
	*q++ = 8;
	for (i = 0; i < w->sec_cnt; i++) {
		if (!w->secs[i].finfo_cnt)
			continue;
		*q++ = names[i];
		*q++ = w->secs[i].finfo_cnt / 2;
		memcpy(q, w->secs[i].finfo, w->secs[i].finfo_cnt * 4);
		q += w->secs[i].finfo_cnt;
	}
	if (li_len) {
		*q++ = 16;
		for (i = 0; i < w->sec_cnt; i++) {
			if (!w->secs[i].linfo_cnt)
				continue;
			*q++ = names[i];
			*q++ = w->secs[i].linfo_cnt / 4;
			memcpy(q, w->secs[i].linfo, w->secs[i].linfo_cnt * 4);
			q += w->secs[i].linfo_cnt;
		}
	}
	*out = b;
	return 0;
}

static int new_sec(struct writer *w, Elf *e, const char *name, Elf64_Word type,
		   Elf64_Xword flags, void *data, size_t size, size_t align,
		   Elf_Type dtype)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf64_Shdr *sh;
	Elf_Data *d;
	int64_t off = ew_add_str(w, name);

	if (off < 0)
		return -ENOMEM;
	if (!scn || !(sh = elf64_getshdr(scn)) || !(d = elf_newdata(scn)))
		return ew_fail(w, "cannot create section %s: %s", name, elf_errmsg(-1));
	sh->sh_name = (Elf64_Word)off;
	sh->sh_type = type;
	sh->sh_flags = flags;
	sh->sh_addralign = align;
	d->d_buf = data;
	d->d_size = size;
	d->d_align = align;
	d->d_type = dtype;
	d->d_version = EV_CURRENT;
	return (int)elf_ndxscn(scn);
}

static int write_elf(struct writer *w, int fd, uint8_t *maps, uint8_t *data,
		     const void *btf, uint32_t btf_len, uint8_t *ext, uint32_t ext_len)
{
	const struct df_object *obj = w->obj;
	uint32_t i, nsyms = 1 + w->sec_syms + w->lsym_cnt + w->gsym_cnt, legacy;
	Elf64_Sym *syms = calloc(nsyms, sizeof(*syms));
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;
	Elf *e = NULL;
	int err = 0, idx, symtab = 0, strtab;
	char *rname;

	if (!syms)
		return -ENOMEM;
	legacy = obj->map_cnt - w->data_cnt;
	for (i = 0; i < w->sec_syms; i++) {
		syms[1 + i].st_info = ELF64_ST_INFO(STB_LOCAL, STT_SECTION);
		syms[1 + i].st_shndx = (uint16_t)(i < w->sec_cnt ? i + 1 :
						  i + 1 + (legacy ? 1 : 0));
	}
	if (w->lsym_cnt)
		memcpy(syms + 1 + w->sec_syms, w->lsyms, w->lsym_cnt * sizeof(*syms));
	if (w->gsym_cnt)
		memcpy(syms + 1 + w->sec_syms + w->lsym_cnt, w->gsyms,
		       w->gsym_cnt * sizeof(*syms));
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!e || !(eh = elf64_newehdr(e))) {
		err = ew_fail(w, "cannot create ELF: %s", elf_errmsg(-1));
		goto out;
	}
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_REL;
	eh->e_machine = EM_BPF;
	eh->e_version = EV_CURRENT;
	for (i = 0; i < w->sec_cnt && err >= 0; i++)
		err = new_sec(w, e, w->secs[i].name, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
			      w->secs[i].buf, (size_t)w->secs[i].slots * 8, 8, ELF_T_BYTE);
	if (err >= 0 && legacy)
		err = new_sec(w, e, "maps", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, maps,
			      (size_t)legacy * 20, 4, ELF_T_BYTE);
	for (i = 0; i < obj->map_cnt && err >= 0; i++) {
		const struct df_map *m = &obj->maps[i];
		const char *n = ew_data_sec_name(m);
		bool bss = !strncmp(n, ".bss", 4);

		if (!ew_is_data_map(m))
			continue;
		err = new_sec(w, e, n, bss ? SHT_NOBITS : SHT_PROGBITS,
			      SHF_ALLOC | (strncmp(n, ".rodata", 7) ? SHF_WRITE : 0),
			      bss ? NULL : data, m->value_size, 8, ELF_T_BYTE);
	}
	if (err >= 0 && obj->license)
		err = new_sec(w, e, "license", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
			      obj->license, strlen(obj->license) + 1, 1, ELF_T_BYTE);
	if (err >= 0 && obj->kern_version)
		err = new_sec(w, e, "version", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
			      (void *)&obj->kern_version, 4, 4, ELF_T_BYTE);
	symtab = (err >= 0 ? err : 0) + 1;
	for (i = 0; i < w->sec_cnt && err >= 0; i++)
		if (w->secs[i].rel_cnt)
			symtab++;
	for (i = 0; i < w->sec_cnt && err >= 0; i++) {
		if (!w->secs[i].rel_cnt)
			continue;
		rname = df_asprintf(".rel%s", w->secs[i].name);
		if (!rname) {
			err = -ENOMEM;
			break;
		}
		idx = new_sec(w, e, rname, SHT_REL, 0, w->secs[i].rel,
			      w->secs[i].rel_cnt * sizeof(Elf64_Rel), 8, ELF_T_REL);
		free(rname);
		err = idx;
		if (idx < 0)
			break;
		sh = elf64_getshdr(elf_getscn(e, (size_t)idx));
		sh->sh_link = (Elf64_Word)symtab + 2;
		sh->sh_info = i + 1;
		sh->sh_entsize = sizeof(Elf64_Rel);
	}
	if (err >= 0)
		err = new_sec(w, e, ".BTF", SHT_PROGBITS, 0, (void *)btf, btf_len, 4, ELF_T_BYTE);
	if (err >= 0)
		err = new_sec(w, e, ".BTF.ext", SHT_PROGBITS, 0, ext, ext_len, 4, ELF_T_BYTE);
	if (err >= 0 && err + 1 != symtab + 2)
		err = ew_fail(w, "internal section numbering error");
	if (err >= 0)
		err = idx = new_sec(w, e, ".symtab", SHT_SYMTAB, 0, syms,
				    nsyms * sizeof(*syms), 8, ELF_T_SYM);
	if (err >= 0) {
		sh = elf64_getshdr(elf_getscn(e, (size_t)idx));
		sh->sh_link = (Elf64_Word)idx + 1;
		sh->sh_info = 1 + w->sec_syms + w->lsym_cnt;
		sh->sh_entsize = sizeof(Elf64_Sym);
		/* .strtab names itself, so its size is final only after this */
		err = strtab = new_sec(w, e, ".strtab", SHT_STRTAB, 0, NULL, 0, 1, ELF_T_BYTE);
	}
	if (err >= 0) {
		Elf_Data *d = elf_getdata(elf_getscn(e, (size_t)strtab), NULL);

		d->d_buf = w->strtab;
		d->d_size = w->strtab_len;
		eh->e_shstrndx = (Elf64_Half)strtab;
		if (elf_update(e, ELF_C_WRITE) < 0)
			err = ew_fail(w, "cannot write: %s", elf_errmsg(-1));
	}
out:
	if (e)
		elf_end(e);
	free(syms);
	return err < 0 ? err : 0;
}

static void free_writer(struct writer *w)
{
	uint32_t i;

	for (i = 0; i < w->sec_cnt; i++) {
		free(w->secs[i].buf);
		free(w->secs[i].rel);
		free(w->secs[i].finfo);
		free(w->secs[i].linfo);
	}
	free(w->secs);
	for (i = 0; w->wp && i < w->obj->prog_cnt; i++) {
		free(w->wp[i].start);
		free(w->wp[i].sec);
		free(w->wp[i].slot);
		free(w->wp[i].shared);
	}
	free(w->wp);
	free(w->map_ord);
	free(w->lsyms);
	free(w->gsyms);
	free(w->kfunc_btf);
	free(w->kfunc_names);
	free(w->kfunc_args);
	free(w->strtab);
	btf__free(w->btf);
}

static void put_u32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

int df_object_write_elf(const struct df_object *obj, const char *path)
{
	struct writer w = { .obj = obj, .path = path };
	uint32_t i, *names = NULL, btf_len = 0, ext_len = 0, legacy = 0, data_max = 1;
	uint8_t *maps = NULL, *ext = NULL, *data = NULL;
	const void *btf;
	int err = 0, fd = -1, nsec;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return ew_fail(&w, "libelf: %s", elf_errmsg(-1));
	for (i = 0; i < obj->prog_cnt; i++)
		if (obj->progs[i].err)
			return ew_fail(&w, "program '%s' failed to load; not written",
				    obj->progs[i].name);
	w.btf = btf__new_empty();
	w.wp = calloc(obj->prog_cnt ? obj->prog_cnt : 1, sizeof(*w.wp));
	w.map_ord = calloc(obj->map_cnt ? obj->map_cnt : 1, sizeof(*w.map_ord));
	maps = calloc(obj->map_cnt ? obj->map_cnt : 1, 20);
	if (!w.btf || !w.wp || !w.map_ord || !maps || ew_add_str(&w, "") < 0) {
		err = -ENOMEM;
		goto out;
	}
	w.u64_id = btf__add_int(w.btf, "unsigned long long", 8, 0);
	w.int_id = btf__add_int(w.btf, "int", 4, BTF_INT_SIGNED);
	err = btf__add_str(w.btf, obj->path ? obj->path : "<input>");
	if (w.u64_id < 0 || w.int_id < 0 || err < 0) {
		err = -ENOMEM;
		goto out;
	}
	w.file_off = (uint32_t)err;
	err = 0;
	for (i = 0; !err && i < obj->prog_cnt; i++)
		err = ew_plan_prog(&w, i);
	for (i = 0; i < obj->map_cnt; i++) {
		const struct df_map *m = &obj->maps[i];

		if (ew_is_data_map(m)) {
			w.map_ord[i] = w.data_cnt++;
			if (m->value_size > data_max)
				data_max = m->value_size;
			continue;
		}
		w.map_ord[i] = legacy;
		put_u32(maps + legacy * 20, m->type);
		put_u32(maps + legacy * 20 + 4, m->key_size);
		put_u32(maps + legacy * 20 + 8, m->value_size);
		put_u32(maps + legacy * 20 + 12, m->max_entries);
		put_u32(maps + legacy * 20 + 16, m->flags);
		legacy++;
	}
	nsec = (int)w.sec_cnt;
	w.sec_syms = w.sec_cnt + w.data_cnt;
	data = calloc(1, data_max);
	if (!err && !data)
		err = -ENOMEM;
	if (!err)
		err = ew_plan_globals(&w, nsec + 1, obj->license ?
				   nsec + 1 + (legacy ? 1 : 0) + (int)w.data_cnt : 0);
	for (i = 0; !err && i < w.sec_cnt; i++) {
		w.secs[i].buf = calloc(w.secs[i].slots ? w.secs[i].slots : 1, 8);
		if (!w.secs[i].buf)
			err = -ENOMEM;
	}
	for (i = 0; !err && i < obj->prog_cnt; i++)
		err = ew_emit_prog(&w, i);
	names = calloc(w.sec_cnt ? w.sec_cnt : 1, sizeof(*names));
	if (!err && !names)
		err = -ENOMEM;
	for (i = 0; !err && i < w.sec_cnt; i++) {
		int off = btf__add_str(w.btf, w.secs[i].name);

		if (off < 0)
			err = -ENOMEM;
		else
			names[i] = (uint32_t)off;
	}
	if (!err && !(btf = btf__raw_data(w.btf, &btf_len)))
		err = -ENOMEM;
	if (!err)
		err = build_btf_ext(&w, names, &ext, &ext_len);
	if (!err) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			df_err_at(path, NULL, -1, "cannot create: %s", strerror(errno));
			err = -errno;
		}
	}
	if (!err)
		err = write_elf(&w, fd, maps, data, btf, btf_len, ext, ext_len);
	if (fd >= 0 && close(fd) && !err) {
		df_err_at(path, NULL, -1, "cannot write: %s", strerror(errno));
		err = -EIO;
	}
	if (err && fd >= 0)
		unlink(path);
out:
	if (err == -ENOMEM)
		df_err_at(path, NULL, -1, "out of memory");
	free(names);
	free(data);
	free(maps);
	free(ext);
	free_writer(&w);
	return err;
}

int df_prog_write_raw(const struct df_prog *prog, const char *path)
{
	uint8_t buf[8 * 512];
	uint32_t pc = 0, n;
	FILE *f = fopen(path, "wb");
	int err = 0;

	if (!f) {
		err = -errno;
		df_err_at(path, NULL, -1, "cannot create: %s", strerror(errno));
		return err;
	}
	while (pc < prog->insn_cnt) {
		for (n = 0; n < 512 && pc < prog->insn_cnt; n++, pc++)
			ew_put_insn(buf + n * 8, &prog->insns[pc]);
		if (fwrite(buf, 8, n, f) != n) {
			err = -EIO;
			break;
		}
	}
	if (fclose(f) || err) {
		df_err_at(path, NULL, -1, "cannot write: %s", strerror(errno));
		unlink(path);
		return -EIO;
	}
	return 0;
}

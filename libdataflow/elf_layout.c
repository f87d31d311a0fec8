/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ELF writer layout, the way clang lays an object out: entry functions in
 * their program sections, subprograms in .text, maps, kfuncs and calls that
 * leave their section as relocations, BTF for every function.
 */
#include "elf_write.h"

#include <linux/btf.h>
#include <stdio.h>

int ew_fail(struct writer *w, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	df_err_at(w->path, NULL, -1, "%s", msg);
	return -EINVAL;
}

static int push_u32(uint32_t **arr, uint32_t *cnt, uint32_t v)
{
	if (df_array_push(*arr, *cnt))
		return -ENOMEM;
	(*arr)[(*cnt)++] = v;
	return 0;
}

int64_t ew_add_str(struct writer *w, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p;

	if (w->strtab_len + n > UINT32_MAX)
		return -ENOMEM;
	p = realloc(w->strtab, w->strtab_len + n);
	if (!p)
		return -ENOMEM;
	memcpy(p + w->strtab_len, s, n);
	w->strtab = p;
	w->strtab_len += (uint32_t)n;
	return w->strtab_len - n;
}

static int find_sec(struct writer *w, const char *name, bool create)
{
	struct wsec *s;
	uint32_t i;

	for (i = 0; i < w->sec_cnt; i++)
		if (!strcmp(w->secs[i].name, name))
			return (int)i;
	if (!create)
		return -ENOENT;
	if (df_array_push(w->secs, w->sec_cnt))
		return -ENOMEM;
	s = &w->secs[w->sec_cnt];
	memset(s, 0, sizeof(*s));
	s->name = name;
	return (int)w->sec_cnt++;
}

static int add_sym(struct writer *w, bool global, const char *name,
		   unsigned char type, uint16_t shndx, uint64_t value,
		   uint64_t size)
{
	Elf64_Sym *arr = global ? w->gsyms : w->lsyms;
	uint32_t *cnt = global ? &w->gsym_cnt : &w->lsym_cnt;
	int64_t off = name ? ew_add_str(w, name) : 0;

	if (off < 0 || df_array_reserve((void **)&arr, *cnt, sizeof(*arr)))
		return -ENOMEM;
	if (global)
		w->gsyms = arr;
	else
		w->lsyms = arr;
	arr[*cnt] = (Elf64_Sym){
		.st_name = (uint32_t)off,
		.st_info = ELF64_ST_INFO(global ? STB_GLOBAL : STB_LOCAL, type),
		.st_shndx = shndx,
		.st_value = value,
		.st_size = size,
	};
	(*cnt)++;
	return 0;
}

static bool global_name_taken(struct writer *w, const char *name)
{
	uint32_t i;

	for (i = 0; i < w->gsym_cnt; i++)
		if (!strcmp(w->strtab + w->gsyms[i].st_name, name))
			return true;
	return false;
}

/* BTF FUNC for a function of cnt u64 arguments. */
static int add_btf_func(struct writer *w, const char *name, int cnt, int linkage)
{
	int proto = btf__add_func_proto(w->btf, w->int_id), i;
	char pname[8];

	if (proto < 0)
		return proto;
	for (i = 0; i < cnt; i++) {
		snprintf(pname, sizeof(pname), "a%d", i + 1);
		if (btf__add_func_param(w->btf, pname, w->u64_id) < 0)
			return -ENOMEM;
	}
	return btf__add_func(w->btf, name, linkage, proto);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Subprogram starts: functions, pseudo-call and callback targets. */
static int subprog_starts(struct writer *w, const struct df_prog *p,
			  uint32_t **out, uint32_t *cnt)
{
	uint32_t i, n = 0, *s = NULL;
	int err = push_u32(&s, &n, 0);

	for (i = 0; !err && i < p->func_cnt; i++)
		if (p->funcs[i].start < p->insn_cnt)
			err = push_u32(&s, &n, p->funcs[i].start);
	for (i = 0; !err && i < p->insn_cnt; i++) {
		const struct df_insn *in = &p->insns[i];
		int64_t t;

		if (!df_insn_is_pseudo_call(in) && !df_insn_is_pseudo_func(in))
			continue;
		t = (int64_t)i + in->imm + 1;
		if (t < 0 || t >= p->insn_cnt) {
			df_prog_err(p, i, "call target %lld is outside the program",
				    (long long)t);
			err = -EINVAL;
			break;
		}
		err = push_u32(&s, &n, (uint32_t)t);
	}
	if (err) {
		free(s);
		return err;
	}
	qsort(s, n, sizeof(*s), cmp_u32);
	for (i = 1, *cnt = 1; i < n; i++)
		if (s[i] != s[*cnt - 1])
			s[(*cnt)++] = s[i];
	*out = s;
	return 0;
}

static const struct df_func *func_at_start(const struct df_prog *p, uint32_t pc)
{
	const struct df_func *f = df_prog_func_at(p, pc);

	return f && f->start == pc ? f : NULL;
}

/* Index of the function of wp that starts at pc, or -1. */
static int func_index(const struct wprog *wp, uint32_t pc)
{
	uint32_t i;

	for (i = 0; i < wp->cnt; i++)
		if (wp->start[i] == pc)
			return (int)i;
	return -1;
}

/*
 * Function fp of p and fq of q are the same code: same name and bytes, the
 * same maps and kfuncs, and calls into functions that are the same in turn.
 */
static bool same_func(struct writer *w, const struct df_prog *p, uint32_t pi,
		      uint32_t fp, const struct df_prog *q, uint32_t qi, uint32_t fq,
		      int depth)
{
	const struct wprog *wp = &w->wp[pi], *wq = &w->wp[qi];
	uint32_t sp = wp->start[fp], sq = wq->start[fq], k;
	uint32_t len = (fp + 1 < wp->cnt ? wp->start[fp + 1] : p->insn_cnt) - sp;
	const struct df_func *a = func_at_start(p, sp), *b = func_at_start(q, sq);

	if (depth > DF_MAX_CALL_FRAMES || !a || !b || !a->name || !b->name ||
	    strcmp(a->name, b->name) || a->linkage != b->linkage ||
	    (fq + 1 < wq->cnt ? wq->start[fq + 1] : q->insn_cnt) - sq != len ||
	    memcmp(p->insns + sp, q->insns + sq, len * sizeof(*p->insns)))
		return false;
	for (k = 0; k < len; k++) {
		const struct df_insn *in = &p->insns[sp + k];
		const struct df_kfunc *ka = df_prog_kfunc_at(p, sp + k);
		const struct df_kfunc *kb = df_prog_kfunc_at(q, sq + k);
		int tp, tq;

		if (df_prog_map_at(p, sp + k) != df_prog_map_at(q, sq + k) ||
		    !ka != !kb || (ka && (!ka->name || !kb->name || strcmp(ka->name, kb->name))))
			return false;
		if (!df_insn_is_pseudo_call(in) && !df_insn_is_pseudo_func(in))
			continue;
		tp = func_index(wp, (uint32_t)((int64_t)sp + k + in->imm + 1));
		tq = func_index(wq, (uint32_t)((int64_t)sq + k + in->imm + 1));
		if (tp <= 0 || tq <= 0 || (uint32_t)tp == fp ||
		    !same_func(w, p, pi, (uint32_t)tp, q, qi, (uint32_t)tq, depth + 1))
			return false;
	}
	return true;
}

/* The same subprogram already written for an earlier program. */
static bool find_shared(struct writer *w, uint32_t pi, uint32_t fi,
			uint32_t *sec, uint32_t *slot)
{
	const struct df_prog *p = &w->obj->progs[pi];
	uint32_t qi, i;

	for (qi = 0; qi < pi; qi++) {
		const struct wprog *wq = &w->wp[qi];

		for (i = 1; i < wq->cnt; i++) {
			if (wq->shared[i] ||
			    !same_func(w, p, pi, fi, &w->obj->progs[qi], qi, i, 0))
				continue;
			*sec = wq->sec[i];
			*slot = wq->slot[i];
			return true;
		}
	}
	return false;
}

/* Lay out one program and declare its functions (symbols and BTF). */
int ew_plan_prog(struct writer *w, uint32_t pi)
{
	const struct df_prog *p = &w->obj->progs[pi];
	struct wprog *wp = &w->wp[pi];
	uint32_t i;
	int sec, err;

	if (!p->insn_cnt)
		return ew_fail(w, "program '%s' has no instructions", p->name);
	err = subprog_starts(w, p, &wp->start, &wp->cnt);
	if (err)
		return err;
	wp->sec = calloc(wp->cnt, sizeof(*wp->sec));
	wp->slot = calloc(wp->cnt, sizeof(*wp->slot));
	wp->shared = calloc(wp->cnt, sizeof(*wp->shared));
	if (!wp->sec || !wp->slot || !wp->shared)
		return -ENOMEM;
	for (i = 0; i < wp->cnt; i++) {
		const struct df_func *f = func_at_start(p, wp->start[i]);
		uint32_t start = wp->start[i];
		uint32_t end = i + 1 < wp->cnt ? wp->start[i + 1] : p->insn_cnt;
		bool entry = i == 0;
		bool global = entry || (f && f->linkage == DF_LINKAGE_GLOBAL);
		char *name;
		int args, id;

		if (entry)
			name = df_strdup(p->name);
		else if (f && f->name)
			name = df_strdup(f->name);
		else
			name = df_asprintf("%s__pc%u", p->name, start);
		if (!name)
			return -ENOMEM;
		if (!entry && find_shared(w, pi, i, &wp->sec[i], &wp->slot[i])) {
			wp->shared[i] = true;
			free(name);
			continue;
		}
		if (global && global_name_taken(w, name)) {
			err = ew_fail(w, "two different global functions named '%s'", name);
			free(name);
			return err;
		}
		sec = find_sec(w, entry ? (p->section ? p->section : p->name) : TEXT, true);
		if (sec < 0) {
			free(name);
			return -ENOMEM;
		}
		wp->sec[i] = (uint32_t)sec;
		wp->slot[i] = w->secs[sec].slots;
		w->secs[sec].slots += end - start;
		args = f && f->arg_cnt >= 0 ? f->arg_cnt : entry ? 1 : DF_MAX_REG_ARGS;
		id = add_btf_func(w, name, args, global ? BTF_FUNC_GLOBAL : BTF_FUNC_STATIC);
		err = id < 0 ? id : add_sym(w, global, name, STT_FUNC, (uint16_t)(sec + 1),
					    (uint64_t)wp->slot[i] * 8, (uint64_t)(end - start) * 8);
		free(name);
		if (!err)
			err = push_u32(&w->secs[sec].finfo, &w->secs[sec].finfo_cnt,
				       wp->slot[i] * 8);
		if (!err)
			err = push_u32(&w->secs[sec].finfo, &w->secs[sec].finfo_cnt, (uint32_t)id);
		if (err)
			return err;
	}
	return 0;
}

/* Global data the loader turns back into a map: a .data/.rodata/.bss section. */
bool ew_is_data_map(const struct df_map *m)
{
	const char *n = m->section ? m->section : m->name;

	return m->origin == DF_MAP_DATA && n && m->value_size &&
	       (!strncmp(n, ".data", 5) || !strncmp(n, ".rodata", 7) ||
		!strncmp(n, ".bss", 4));
}

const char *ew_data_sec_name(const struct df_map *m)
{
	return m->section ? m->section : m->name;
}

static int kfunc_index(const struct writer *w, const char *name)
{
	uint32_t i;

	for (i = 0; i < w->kfunc_cnt; i++)
		if (!strcmp(w->kfunc_names[i], name))
			return (int)i;
	return -1;
}

/* Maps, license and kfunc externs: the globals after the functions. */
int ew_plan_globals(struct writer *w, int maps_shndx, int lic_shndx)
{
	const struct df_object *obj = w->obj;
	uint32_t i, j, n = 0;
	int err, ks;

	w->map_sym = w->gsym_cnt;
	for (i = 0; i < obj->map_cnt; i++) {
		const char *name = obj->maps[i].name;
		char *tmp;

		if (ew_is_data_map(&obj->maps[i]))
			continue;
		tmp = name ? NULL : df_asprintf("map%u", i);

		if (!name && !tmp)
			return -ENOMEM;
		if (global_name_taken(w, name ? name : tmp)) {
			err = ew_fail(w, "map '%s' has the name of another symbol", name ? name : tmp);
			free(tmp);
			return err;
		}
		err = add_sym(w, true, name ? name : tmp, STT_OBJECT, (uint16_t)maps_shndx,
			      (uint64_t)w->map_ord[i] * 20, 20);
		free(tmp);
		if (err)
			return err;
	}
	if (lic_shndx && !global_name_taken(w, "_license") &&
	    (err = add_sym(w, true, "_license", STT_OBJECT, (uint16_t)lic_shndx, 0,
			   strlen(obj->license) + 1)))
		return err;
	for (i = 0; i < obj->prog_cnt; i++)
		n += obj->progs[i].kfunc_cnt;
	w->kfunc_names = calloc(n ? n : 1, sizeof(*w->kfunc_names));
	w->kfunc_args = calloc(n ? n : 1, sizeof(*w->kfunc_args));
	w->kfunc_btf = calloc(n ? n : 1, sizeof(*w->kfunc_btf));
	if (!w->kfunc_names || !w->kfunc_args || !w->kfunc_btf)
		return -ENOMEM;
	for (i = 0; i < obj->prog_cnt; i++)
		for (j = 0; j < obj->progs[i].kfunc_cnt; j++) {
			const struct df_kfunc *k = &obj->progs[i].kfuncs[j];

			if (!k->name || kfunc_index(w, k->name) >= 0)
				continue;
			w->kfunc_names[w->kfunc_cnt] = k->name;
			w->kfunc_args[w->kfunc_cnt++] = k->arg_cnt;
		}
	w->kfunc_sym = w->gsym_cnt;
	for (i = 0; i < w->kfunc_cnt; i++) {
		int id;

		if (global_name_taken(w, w->kfunc_names[i]))
			return ew_fail(w, "kfunc '%s' has the name of another symbol",
				    w->kfunc_names[i]);
		id = add_btf_func(w, w->kfunc_names[i],
				  w->kfunc_args[i] >= 0 ? w->kfunc_args[i] : DF_MAX_REG_ARGS,
				  BTF_FUNC_EXTERN);
		if (id < 0)
			return id;
		w->kfunc_btf[i] = (uint32_t)id;
		err = add_sym(w, true, w->kfunc_names[i], STT_NOTYPE, SHN_UNDEF, 0, 0);
		if (err)
			return err;
	}
	if (!w->kfunc_cnt)
		return 0;
	ks = btf__add_datasec(w->btf, ".ksyms", 0);
	if (ks < 0)
		return ks;
	for (i = 0; i < w->kfunc_cnt; i++)
		if (btf__add_datasec_var_info(w->btf, (int)w->kfunc_btf[i], 0, 0) < 0)
			return -ENOMEM;
	return 0;
}

void ew_put_insn(uint8_t *b, const struct df_insn *in)
{
	b[0] = in->code;
	b[1] = (uint8_t)(in->src_reg << 4 | in->dst_reg);
	b[2] = (uint8_t)((uint16_t)in->off & 0xff);
	b[3] = (uint8_t)((uint16_t)in->off >> 8);
	b[4] = (uint8_t)((uint32_t)in->imm & 0xff);
	b[5] = (uint8_t)((uint32_t)in->imm >> 8);
	b[6] = (uint8_t)((uint32_t)in->imm >> 16);
	b[7] = (uint8_t)((uint32_t)in->imm >> 24);
}

static int push_line(struct wsec *s, uint32_t off, uint32_t file, uint32_t text,
		     uint32_t line_col)
{
	if (push_u32(&s->linfo, &s->linfo_cnt, off) ||
	    push_u32(&s->linfo, &s->linfo_cnt, file) ||
	    push_u32(&s->linfo, &s->linfo_cnt, text) ||
	    push_u32(&s->linfo, &s->linfo_cnt, line_col))
		return -ENOMEM;
	return 0;
}

static int add_rel(struct wsec *s, uint32_t slot, uint32_t sym, uint32_t type)
{
	if (df_array_push(s->rel, s->rel_cnt))
		return -ENOMEM;
	s->rel[s->rel_cnt].r_offset = (uint64_t)slot * 8;
	s->rel[s->rel_cnt].r_info = ELF64_R_INFO(sym, type);
	s->rel_cnt++;
	return 0;
}

/* Function index of slot pc, its output section and slot. */
static uint32_t place(const struct wprog *wp, uint32_t pc, uint32_t *sec,
		      uint32_t *slot)
{
	uint32_t lo = 0, hi = wp->cnt;

	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (wp->start[mid] <= pc)
			lo = mid;
		else
			hi = mid;
	}
	*sec = wp->sec[lo];
	*slot = wp->slot[lo] + pc - wp->start[lo];
	return lo;
}

int ew_emit_prog(struct writer *w, uint32_t pi)
{
	const struct df_prog *p = &w->obj->progs[pi];
	const struct wprog *wp = &w->wp[pi];
	uint32_t pc, li = 0, sec, slot, tsec, tslot, fn;
	int err = 0;

	for (pc = 0; !err && pc < p->insn_cnt; pc++) {
		struct df_insn in = p->insns[pc];
		struct wsec *s;
		int64_t t = df_insn_jump_target(&in, pc);

		fn = place(wp, pc, &sec, &slot);
		if (wp->shared[fn])
			continue;
		s = &w->secs[sec];
		if (t >= 0 && t < p->insn_cnt && place(wp, (uint32_t)t, &tsec, &tslot) != fn)
			return ew_fail(w, "program '%s': pc %u: jump from one function into another",
				    p->name, pc);
		if (df_insn_is_pseudo_call(&in) || df_insn_is_pseudo_func(&in)) {
			place(wp, (uint32_t)((int64_t)pc + in.imm + 1), &tsec, &tslot);
			if (df_insn_is_pseudo_func(&in)) {
				in.src_reg = 0;
				in.imm = (int32_t)(tslot * 8);
				err = add_rel(s, slot, 1 + tsec, R_BPF_64_64);
			} else if (tsec == sec) {
				in.imm = (int32_t)((int64_t)tslot - slot - 1);
			} else {
				in.imm = (int32_t)tslot - 1;
				err = add_rel(s, slot, 1 + tsec, R_BPF_64_32);
			}
		} else if (in.code == (DF_JMP | DF_CALL) && in.src_reg == DF_PSEUDO_KFUNC_CALL) {
			const struct df_kfunc *k = df_prog_kfunc_at(p, pc);
			int ki = k && k->name ? kfunc_index(w, k->name) : -1;

			if (ki >= 0) {
				in.src_reg = DF_PSEUDO_CALL;
				in.imm = -1;
				in.off = 0;
				err = add_rel(s, slot, 1 + w->sec_syms + w->lsym_cnt + w->kfunc_sym + (uint32_t)ki,
					      R_BPF_64_32);
			}
		} else if (df_insn_is_ldimm64(&in) && pc + 1 < p->insn_cnt &&
			   (in.src_reg == DF_PSEUDO_MAP_IDX ||
			    in.src_reg == DF_PSEUDO_MAP_IDX_VALUE)) {
			const struct df_map *m = df_prog_map_at(p, pc);

			if (m) {
				uint32_t mi = (uint32_t)(m - w->obj->maps);
				bool data = ew_is_data_map(m);

				in.imm = in.src_reg == DF_PSEUDO_MAP_IDX_VALUE ?
					p->insns[pc + 1].imm : 0;
				in.src_reg = 0;
				ew_put_insn(s->buf + (size_t)slot * 8, &in);
				in = p->insns[++pc];
				in.imm = 0;
				err = add_rel(s, slot, data ? 1 + w->sec_cnt + w->map_ord[mi] :
					      1 + w->sec_syms + w->lsym_cnt + w->map_sym + w->map_ord[mi],
					      R_BPF_64_64);
				slot++;
			}
		}
		ew_put_insn(s->buf + (size_t)slot * 8, &in);
		for (; !err && li < p->line_cnt && p->lines[li].pc <= pc; li++) {
			const struct df_line *l = &p->lines[li];
			int fo, lo;
			uint32_t ls, lslot;

			if (!l->text)
				continue;
			fo = l->file ? btf__add_str(w->btf, l->file) : (int)w->file_off;
			lo = btf__add_str(w->btf, l->text);
			if (fo < 0 || lo < 0)
				return -ENOMEM;
			place(wp, l->pc, &ls, &lslot);
			err = push_line(&w->secs[ls], lslot * 8, (uint32_t)fo, (uint32_t)lo,
					l->line << 10 | (l->col & 0x3ff));
		}
	}
	return err;
}

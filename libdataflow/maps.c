/* SPDX-License-Identifier: BSD-2-Clause */
/* Map definitions of an ELF object: legacy "maps", BTF ".maps", global data. */
#include "elf_load.h"

#include <bpf/btf.h>
#include <linux/bpf.h>

#define MAP_TYPE_ARRAY		2
#define MAP_F_RDONLY_PROG	0x80
#define MAP_F_MMAPABLE		0x400
#define MAX_MOD_DEPTH		32

static int cmp_map_at(const void *a, const void *b)
{
	const struct df_elf_map_at *x = a, *y = b;

	return (x->off > y->off) - (x->off < y->off);
}

static int index_map(struct df_elf_sec *s, uint64_t off, uint32_t map)
{
	if (df_array_push(s->maps, s->map_cnt))
		return -ENOMEM;
	s->maps[s->map_cnt].off = off;
	s->maps[s->map_cnt].map = map;
	s->map_cnt++;
	return 0;
}

static struct df_map *new_map(struct df_elf *e, const char *name,
			      const char *sec, enum df_map_origin origin)
{
	struct df_map *m = df_object_add_map(e->obj);

	if (!m)
		return NULL;
	m->origin = origin;
	m->name = df_strdup(name);
	m->section = df_strdup(sec);
	if (!m->name || !m->section)
		return NULL;
	return m;
}

static bool is_map_sym(const struct df_elf_sym *s, uint32_t sec)
{
	return s->shndx == sec && !s->undef && s->type != STT_SECTION &&
	       s->type != STT_FILE && s->name[0];
}

/* Symbols of map sections, ordered by section then value or name. */
static int cmp_sym_value(const void *a, const void *b, void *arg)
{
	const struct df_elf_sym *syms = arg;
	const struct df_elf_sym *x = &syms[*(const uint32_t *)a];
	const struct df_elf_sym *y = &syms[*(const uint32_t *)b];

	if (x->shndx != y->shndx)
		return (x->shndx > y->shndx) - (x->shndx < y->shndx);
	return (x->value > y->value) - (x->value < y->value);
}

static int cmp_sym_name(const void *a, const void *b, void *arg)
{
	const struct df_elf_sym *syms = arg;

	return strcmp(syms[*(const uint32_t *)a].name,
		      syms[*(const uint32_t *)b].name);
}

static uint32_t field(const uint8_t *def, uint64_t defsz, unsigned idx)
{
	uint32_t v = 0;

	if (def && (idx + 1) * 4 <= defsz)
		memcpy(&v, def + idx * 4, 4);
	return v;
}

/* struct bpf_map_def and its longer variants share the first five fields. */
static int legacy_maps(struct df_elf *e, uint32_t si, const uint32_t *idx,
		       uint32_t n)
{
	struct df_elf_sec *s = &e->secs[si];
	uint32_t i;
	int err = 0;

	if (!n)
		goto out;
	if (!s->data) {
		df_err_at(e->obj->path, s->name, -1, "map section has no contents");
		err = -EINVAL;
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct df_elf_sym *sym = &e->syms[idx[i]];
		uint64_t defsz = sym->size;
		const uint8_t *def;
		struct df_map *m;

		if (!defsz) {
			if (s->size % n) {
				df_err_at(e->obj->path, s->name, -1,
					  "cannot tell the map definition size: %llu bytes for %u maps",
					  (unsigned long long)s->size, n);
				err = -EINVAL;
				goto out;
			}
			defsz = s->size / n;
		}
		if (!defsz || sym->value > s->size || defsz > s->size - sym->value) {
			df_err_at(e->obj->path, s->name, -1,
				  "map '%s' at offset %llu size %llu is outside the section",
				  sym->name, (unsigned long long)sym->value,
				  (unsigned long long)defsz);
			err = -EINVAL;
			goto out;
		}
		def = s->data + sym->value;
		m = new_map(e, sym->name, s->name, DF_MAP_LEGACY);
		if (!m) {
			err = -ENOMEM;
			goto out;
		}
		m->type = field(def, defsz, 0);
		m->key_size = field(def, defsz, 1);
		m->value_size = field(def, defsz, 2);
		m->max_entries = field(def, defsz, 3);
		m->flags = field(def, defsz, 4);
		err = index_map(s, sym->value, e->obj->map_cnt - 1);
		if (err)
			goto out;
	}
out:
	return err;
}

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t id,
					uint32_t *res_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int depth = 0;

	while (t && depth++ < MAX_MOD_DEPTH &&
	       (btf_is_mod(t) || btf_is_typedef(t))) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (res_id)
		*res_id = id;
	return depth >= MAX_MOD_DEPTH ? NULL : t;
}

/* __uint(name, N) is "int (*name)[N]". */
static int map_uint(const struct btf *btf, const struct btf_member *mb,
		    uint32_t *val)
{
	const struct btf_type *t = skip_mods(btf, mb->type, NULL);

	if (!t || !btf_is_ptr(t))
		return -EINVAL;
	t = skip_mods(btf, t->type, NULL);
	if (!t || !btf_is_array(t))
		return -EINVAL;
	*val = btf_array(t)->nelems;
	return 0;
}

/* __type(name, T) is "T *name". */
static int map_type_size(const struct btf *btf, const struct btf_member *mb,
			 uint32_t *val)
{
	const struct btf_type *t = skip_mods(btf, mb->type, NULL);
	long long sz;

	if (!t || !btf_is_ptr(t))
		return -EINVAL;
	sz = btf__resolve_size(btf, t->type);
	if (sz < 0 || sz > UINT32_MAX)
		return -EINVAL;
	*val = (uint32_t)sz;
	return 0;
}

/*
 * __array(values, struct inner) is "struct inner *values[]": the type of
 * the inner map's definition, or 0 when there is none to read.
 */
static uint32_t map_values_def(const struct btf *btf, const struct btf_member *mb)
{
	const struct btf_type *t = skip_mods(btf, mb->type, NULL);
	uint32_t id;

	if (!t || !btf_is_array(t))
		return 0;
	t = skip_mods(btf, btf_array(t)->type, NULL);
	if (!t || !btf_is_ptr(t))
		return 0;
	id = t->type;
	t = skip_mods(btf, id, NULL);
	return t && btf_is_struct(t) ? id : 0;
}

static int btf_map_def(struct df_elf *e, struct df_map *m, uint32_t type_id);

/*
 * The inner map of a BTF map of maps: its definition is a template the
 * loader creates the outer map with; the verifier sizes inner lookups by it.
 */
static int btf_inner_def(struct df_elf *e, struct df_map *m, uint32_t values)
{
	struct df_map *in;

	if (!values || (m->type != BPF_MAP_TYPE_ARRAY_OF_MAPS &&
			m->type != BPF_MAP_TYPE_HASH_OF_MAPS))
		return 0;
	in = calloc(1, sizeof(*in));
	if (!in)
		return -ENOMEM;
	if (btf_map_def(e, in, values) || in->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	    in->type == BPF_MAP_TYPE_HASH_OF_MAPS || in->inner) {
		free(in->inner);
		free(in);
		return 0;	/* not a template the verifier can use */
	}
	in->origin = DF_MAP_BTF;
	m->inner = in;
	return 0;
}

static int btf_map_def(struct df_elf *e, struct df_map *m, uint32_t type_id)
{
	const struct btf *btf = e->obj->btf;
	const struct btf_type *t = skip_mods(btf, type_id, NULL);
	const struct btf_member *mb;
	uint32_t values = 0;
	uint16_t i, vlen;

	if (!t || !btf_is_struct(t))
		return -EINVAL;
	mb = btf_members(t);
	vlen = btf_vlen(t);
	for (i = 0; i < vlen; i++, mb++) {
		const char *name = btf__name_by_offset(btf, mb->name_off);
		int err = 0;

		if (!name)
			return -EINVAL;
		if (!strcmp(name, "type"))
			err = map_uint(btf, mb, &m->type);
		else if (!strcmp(name, "max_entries"))
			err = map_uint(btf, mb, &m->max_entries);
		else if (!strcmp(name, "map_flags"))
			err = map_uint(btf, mb, &m->flags);
		else if (!strcmp(name, "key_size"))
			err = map_uint(btf, mb, &m->key_size);
		else if (!strcmp(name, "value_size"))
			err = map_uint(btf, mb, &m->value_size);
		else if (!strcmp(name, "key"))
			err = map_type_size(btf, mb, &m->key_size);
		else if (!strcmp(name, "value"))
			err = map_type_size(btf, mb, &m->value_size);
		else if (!strcmp(name, "values")) {
			m->value_size = 4;	/* inner map or program: an id */
			values = map_values_def(btf, mb);
		}
		if (err)
			return err;
	}
	return btf_inner_def(e, m, values);
}

static int64_t find_sym(const struct df_elf *e, const uint32_t *by_name,
			uint32_t n, const char *name)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(e->syms[by_name[mid]].name, name);

		if (!c)
			return by_name[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* by_name: the section's symbols sorted by name. */
static int btf_maps(struct df_elf *e, uint32_t si, const uint32_t *by_name,
		    uint32_t n)
{
	struct df_elf_sec *s = &e->secs[si];
	const struct btf *btf = e->obj->btf;
	const struct btf_var_secinfo *vsi;
	const struct btf_type *ds;
	uint16_t i, vlen;
	int32_t id;

	id = btf ? btf__find_by_name_kind(btf, ".maps", BTF_KIND_DATASEC) : -1;
	if (id <= 0) {
		df_err_at(e->obj->path, s->name, -1,
			  "no BTF description of the maps; references to them will fail");
		return 0;
	}
	ds = btf__type_by_id(btf, (uint32_t)id);
	vsi = btf_var_secinfos(ds);
	vlen = btf_vlen(ds);
	for (i = 0; i < vlen; i++, vsi++) {
		const struct btf_type *v = btf__type_by_id(btf, vsi->type);
		const char *name = v ? btf__name_by_offset(btf, v->name_off) : NULL;
		uint64_t off = vsi->offset;
		struct df_map *m;
		int64_t sym;
		int err;

		if (!v || !btf_is_var(v) || !name || !name[0]) {
			df_err_at(e->obj->path, s->name, -1,
				  "BTF entry %u of .maps is not a named variable", i);
			return -EINVAL;
		}
		sym = find_sym(e, by_name, n, name);
		if (sym >= 0)
			off = e->syms[sym].value;
		m = new_map(e, name, s->name, DF_MAP_BTF);
		if (!m)
			return -ENOMEM;
		if (btf_map_def(e, m, v->type)) {
			df_err_at(e->obj->path, s->name, -1,
				  "map '%s': malformed BTF map definition", name);
			return -EINVAL;
		}
		err = index_map(s, off, e->obj->map_cnt - 1);
		if (err)
			return err;
	}
	return 0;
}

static int data_map(struct df_elf *e, uint32_t si)
{
	struct df_elf_sec *s = &e->secs[si];
	struct df_map *m;

	if (!s->size)
		return 0;
	if (s->size > UINT32_MAX) {
		df_err_at(e->obj->path, s->name, -1, "data section of %llu bytes is too large",
			  (unsigned long long)s->size);
		return -EINVAL;
	}
	m = new_map(e, s->name, s->name, DF_MAP_DATA);
	if (!m)
		return -ENOMEM;
	m->type = MAP_TYPE_ARRAY;
	m->key_size = 4;
	m->value_size = (uint32_t)s->size;
	m->max_entries = 1;
	m->flags = MAP_F_MMAPABLE;
	if (!strncmp(s->name, ".rodata", 7))
		m->flags |= MAP_F_RDONLY_PROG;
	s->data_map = e->obj->map_cnt - 1;
	return 0;
}

static bool is_map_sec(const struct df_elf *e, uint32_t shndx)
{
	return shndx < e->sec_cnt && (e->secs[shndx].kind == DF_SEC_LEGACY_MAPS ||
				      e->secs[shndx].kind == DF_SEC_BTF_MAPS);
}

/* Same order as libbpf: legacy maps, BTF maps, then global data. */
int df_elf_collect_maps(struct df_elf *e)
{
	static const enum df_sec_kind order[] = {
		DF_SEC_LEGACY_MAPS, DF_SEC_BTF_MAPS, DF_SEC_DATA,
	};
	uint32_t *idx = NULL, *sec_syms, n = 0, first, cnt;
	size_t k, i;
	int err = 0;

	for (i = 0; i < e->sym_cnt; i++) {
		if (!is_map_sec(e, e->syms[i].shndx) ||
		    !is_map_sym(&e->syms[i], e->syms[i].shndx))
			continue;
		if (df_array_push(idx, n)) {
			free(idx);
			return -ENOMEM;
		}
		idx[n++] = i;
	}
	if (n > 1)
		qsort_r(idx, n, sizeof(*idx), cmp_sym_value, e->syms);
	for (k = 0; k < DF_ARRAY_SIZE(order); k++) {
		for (i = 0, first = 0; i < e->sec_cnt && !err; i++) {
			while (first < n && e->syms[idx[first]].shndx < i)
				first++;
			for (cnt = 0; first + cnt < n &&
			     e->syms[idx[first + cnt]].shndx == i; cnt++)
				;
			if (e->secs[i].kind != order[k])
				continue;
			sec_syms = idx ? idx + first : NULL;
			if (order[k] == DF_SEC_LEGACY_MAPS) {
				err = legacy_maps(e, i, sec_syms, cnt);
			} else if (order[k] == DF_SEC_BTF_MAPS) {
				if (cnt > 1)
					qsort_r(sec_syms, cnt, sizeof(*idx),
						cmp_sym_name, e->syms);
				err = btf_maps(e, i, sec_syms, cnt);
			} else {
				err = data_map(e, i);
			}
		}
	}
	free(idx);
	for (i = 0; i < e->sec_cnt && !err; i++)
		if (e->secs[i].map_cnt > 1)
			qsort(e->secs[i].maps, e->secs[i].map_cnt,
			      sizeof(*e->secs[i].maps), cmp_map_at);
	return err;
}

int64_t df_elf_map_at(const struct df_elf *e, uint32_t sec, uint64_t off)
{
	const struct df_elf_sec *s;
	uint32_t lo = 0, hi;

	if (sec >= e->sec_cnt)
		return -1;
	s = &e->secs[sec];
	hi = s->map_cnt;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (s->maps[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->map_cnt && s->maps[lo].off == off)
		return s->maps[lo].map;
	return -1;
}

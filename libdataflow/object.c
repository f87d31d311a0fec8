/* SPDX-License-Identifier: BSD-2-Clause */
/* Objects and programs: construction, lookup, opening by input kind. */
#include "internal.h"

#include <bpf/btf.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

struct df_object *df_object_new(const char *path, enum df_input_kind kind)
{
	struct df_object *obj = calloc(1, sizeof(*obj));

	if (!obj)
		return NULL;
	obj->path = df_strdup(path ? path : "<input>");
	if (!obj->path) {
		free(obj);
		return NULL;
	}
	obj->kind = kind;
	return obj;
}

struct df_prog *df_object_add_prog(struct df_object *obj)
{
	struct df_prog *p;

	if (df_array_push(obj->progs, obj->prog_cnt))
		return NULL;
	p = &obj->progs[obj->prog_cnt++];
	memset(p, 0, sizeof(*p));
	p->obj = obj;
	return p;
}

struct df_map *df_object_add_map(struct df_object *obj)
{
	struct df_map *m;

	if (df_array_push(obj->maps, obj->map_cnt))
		return NULL;
	m = &obj->maps[obj->map_cnt++];
	memset(m, 0, sizeof(*m));
	return m;
}

void df_prog_release(struct df_prog *prog)
{
	uint32_t i;

	free(prog->name);
	free(prog->section);
	free(prog->insns);
	for (i = 0; i < prog->func_cnt; i++)
		free(prog->funcs[i].name);
	free(prog->funcs);
	free(prog->map_refs);
	for (i = 0; i < prog->kfunc_cnt; i++)
		free(prog->kfuncs[i].name);
	free(prog->kfuncs);
	free(prog->lines);
	free(prog->err_msg);
	memset(prog, 0, sizeof(*prog));
}

void df_object_free(struct df_object *obj)
{
	uint32_t i;

	if (!obj)
		return;
	for (i = 0; i < obj->prog_cnt; i++)
		df_prog_release(&obj->progs[i]);
	free(obj->progs);
	for (i = 0; i < obj->map_cnt; i++) {
		free(obj->maps[i].name);
		free(obj->maps[i].section);
		free(obj->maps[i].inner);
	}
	free(obj->maps);
	btf__free(obj->btf);
	free(obj->license);
	free(obj->path);
	free(obj);
}

struct df_prog *df_object_find_prog(const struct df_object *obj,
				    const char *name)
{
	uint32_t i;

	for (i = 0; i < obj->prog_cnt; i++)
		if (obj->progs[i].name && !strcmp(obj->progs[i].name, name))
			return &obj->progs[i];
	for (i = 0; i < obj->prog_cnt; i++)
		if (obj->progs[i].section && !strcmp(obj->progs[i].section, name))
			return &obj->progs[i];
	errno = ENOENT;
	return NULL;
}

int df_prog_fail(struct df_prog *prog, int err, long pc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (prog->err)
		return err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	prog->err = err;
	if (pc >= 0)
		prog->err_msg = df_asprintf("pc %ld: %s", pc, msg);
	else
		prog->err_msg = df_strdup(msg);
	df_prog_err(prog, pc, "%s", msg);
	return err;
}

int df_prog_add_func(struct df_prog *prog, const char *name, uint32_t start,
		     uint32_t len, int arg_cnt, enum df_linkage linkage,
		     uint32_t btf_id)
{
	struct df_func *f;

	if (df_array_push(prog->funcs, prog->func_cnt))
		return -ENOMEM;
	f = &prog->funcs[prog->func_cnt];
	f->name = df_strdup(name);
	if (name && !f->name)
		return -ENOMEM;
	f->start = start;
	f->len = len;
	f->arg_cnt = (int8_t)arg_cnt;
	f->linkage = linkage;
	f->btf_id = btf_id;
	prog->func_cnt++;
	return 0;
}

int df_prog_add_map_ref(struct df_prog *prog, uint32_t pc, uint32_t map)
{
	if (df_array_push(prog->map_refs, prog->map_ref_cnt))
		return -ENOMEM;
	prog->map_refs[prog->map_ref_cnt].pc = pc;
	prog->map_refs[prog->map_ref_cnt].map = map;
	prog->map_ref_cnt++;
	return 0;
}

int df_prog_add_kfunc(struct df_prog *prog, const char *name, int32_t btf_id,
		      int16_t fd_idx, int arg_cnt)
{
	struct df_kfunc *k;
	uint32_t i;

	for (i = 0; i < prog->kfunc_cnt; i++)
		if (prog->kfuncs[i].btf_id == btf_id &&
		    prog->kfuncs[i].btf_fd_idx == fd_idx)
			return 0;
	if (df_array_push(prog->kfuncs, prog->kfunc_cnt))
		return -ENOMEM;
	k = &prog->kfuncs[prog->kfunc_cnt];
	k->name = df_strdup(name);
	if (name && !k->name)
		return -ENOMEM;
	k->btf_id = btf_id;
	k->btf_fd_idx = fd_idx;
	k->arg_cnt = (int8_t)arg_cnt;
	prog->kfunc_cnt++;
	return 0;
}

static int cmp_func(const void *a, const void *b)
{
	const struct df_func *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static int cmp_map_ref(const void *a, const void *b)
{
	const struct df_map_ref *x = a, *y = b;

	return (x->pc > y->pc) - (x->pc < y->pc);
}

static int cmp_line(const void *a, const void *b)
{
	const struct df_line *x = a, *y = b;

	return (x->pc > y->pc) - (x->pc < y->pc);
}

void df_prog_sort(struct df_prog *prog)
{
	if (prog->func_cnt > 1)
		qsort(prog->funcs, prog->func_cnt, sizeof(*prog->funcs), cmp_func);
	if (prog->map_ref_cnt > 1)
		qsort(prog->map_refs, prog->map_ref_cnt, sizeof(*prog->map_refs),
		      cmp_map_ref);
	if (prog->line_cnt > 1)
		qsort(prog->lines, prog->line_cnt, sizeof(*prog->lines), cmp_line);
}

const struct df_func *df_prog_func_at(const struct df_prog *prog, uint32_t pc)
{
	uint32_t lo = 0, hi = prog->func_cnt;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (prog->funcs[mid].start <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &prog->funcs[lo - 1] : NULL;
}

const struct df_map *df_prog_map_at(const struct df_prog *prog, uint32_t pc)
{
	uint32_t lo = 0, hi = prog->map_ref_cnt;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (prog->map_refs[mid].pc < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < prog->map_ref_cnt && prog->map_refs[lo].pc == pc &&
	    prog->obj && prog->map_refs[lo].map < prog->obj->map_cnt)
		return &prog->obj->maps[prog->map_refs[lo].map];
	return NULL;
}

const struct df_kfunc *df_prog_kfunc_at(const struct df_prog *prog,
					uint32_t pc)
{
	const struct df_insn *in;
	uint32_t i;

	if (pc >= prog->insn_cnt)
		return NULL;
	in = &prog->insns[pc];
	if (in->code != (DF_JMP | DF_CALL) || in->src_reg != DF_PSEUDO_KFUNC_CALL)
		return NULL;
	for (i = 0; i < prog->kfunc_cnt; i++)
		if (prog->kfuncs[i].btf_id == in->imm &&
		    prog->kfuncs[i].btf_fd_idx == in->off)
			return &prog->kfuncs[i];
	return NULL;
}

static bool looks_like_text(const unsigned char *p, size_t len)
{
	size_t i, n = len < 4096 ? len : 4096;

	if (!len)
		return false;
	for (i = 0; i < n; i++)
		if (p[i] == 0 || (p[i] < 0x20 && p[i] != '\n' && p[i] != '\t' &&
				  p[i] != '\r' && p[i] != '\f'))
			return false;
	return true;
}

int df_object_open_mem(const void *data, size_t len, const char *name,
		       const struct df_open_opts *opts,
		       struct df_object **out)
{
	enum df_input_kind kind = DF_INPUT_AUTO;
	const char *ptype = NULL;
	struct df_object *obj;
	uint32_t i;
	int err;

	*out = NULL;
	if (opts && opts->sz >= offsetof(struct df_open_opts, kind) + sizeof(opts->kind))
		kind = opts->kind;
	if (opts && opts->sz >= offsetof(struct df_open_opts, prog_type) + sizeof(opts->prog_type))
		ptype = opts->prog_type;
	if (kind == DF_INPUT_AUTO) {
		if (len >= 4 && !memcmp(data, "\177ELF", 4))
			kind = DF_INPUT_ELF;
		else if (looks_like_text(data, len))
			kind = DF_INPUT_ASM;
		else
			kind = DF_INPUT_RAW;
	}
	obj = df_object_new(name, kind);
	if (!obj)
		return -ENOMEM;
	switch (kind) {
	case DF_INPUT_ELF:
		err = df_elf_open(obj, data, len);
		break;
	case DF_INPUT_RAW:
		err = df_raw_open(obj, data, len);
		break;
	default:
		err = df_asm_into(obj, data, len);
		break;
	}
	if (!err && ptype) {
		uint32_t t;

		if (df_prog_type_by_name(ptype, &t)) {
			df_err_at(obj->path, NULL, -1, "unknown program type '%s'", ptype);
			err = -EINVAL;
		} else {
			for (i = 0; i < obj->prog_cnt; i++)
				obj->progs[i].type = t;
		}
	}
	if (err) {
		df_object_free(obj);
		return err;
	}
	*out = obj;
	return 0;
}

int df_object_open(const char *path, const struct df_open_opts *opts,
		   struct df_object **out)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd, err = 0;

	*out = NULL;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		err = -errno;
		df_err_at(path, NULL, -1, "cannot open: %s", strerror(errno));
		return err;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		df_err_at(path, NULL, -1, "not a regular file");
		close(fd);
		return -EINVAL;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			df_err_at(path, NULL, -1, "read error");
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	if (!err)
		err = df_object_open_mem(buf, got, path, opts, out);
	free(buf);
	return err;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/* Assembler directives: .license .map .kfunc .prog .type .func */
#include "asm.h"

#include <stdio.h>

static int dir_ident(struct asm_state *st, struct asm_cur *c, const char *what,
		     const char **name, size_t *len)
{
	asm_skip_ws(c);
	*len = asm_name_len(c);
	if (!*len) {
		asm_expected(st, c->p, what);
		return -EINVAL;
	}
	*name = c->p;
	c->p += *len;
	return 0;
}

/* A type name or number: letters, digits and '_'. */
static int dir_word(struct asm_state *st, struct asm_cur *c, const char *what,
		    char *buf, size_t sz)
{
	const char *s;
	size_t n;

	asm_skip_ws(c);
	s = c->p;
	while (c->p < c->end && (asm_is_ident(*c->p)))
		c->p++;
	n = (size_t)(c->p - s);
	if (!n || n >= sz) {
		c->p = s;
		asm_expected(st, s, what);
		return -EINVAL;
	}
	memcpy(buf, s, n);
	buf[n] = 0;
	return 0;
}

static int dir_string(struct asm_state *st, struct asm_cur *c, char **out)
{
	const char *s, *q;

	asm_skip_ws(c);
	s = c->p;
	if (s >= c->end || *s != '"') {
		asm_expected(st, s, "quoted string");
		return -EINVAL;
	}
	for (q = s + 1; q < st->line_end && *q != '"'; q++)
		;
	if (q >= st->line_end) {
		asm_expected(st, st->line_end, "closing '\"'");
		return -EINVAL;
	}
	*out = df_strndup(s + 1, (size_t)(q - s - 1));
	if (!*out)
		return -ENOMEM;
	c->p = q + 1;
	if (c->end < c->p)
		c->end = c->p;
	return 0;
}

static int dir_uint(struct asm_state *st, struct asm_cur *c, uint64_t max,
		    const char *what, uint64_t *out)
{
	const char *s;
	uint64_t v = 0;
	int base = 10, d;

	asm_skip_ws(c);
	s = c->p;
	if (c->end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		c->p += 2;
	}
	for (; c->p < c->end; c->p++) {
		char ch = *c->p;

		d = ch >= '0' && ch <= '9' ? ch - '0' :
		    base == 16 && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
		    base == 16 && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
		if (d < 0)
			break;
		v = v * (uint64_t)base + (uint64_t)d;
		if (v > max)
			break;
	}
	if (c->p == s || c->p == s + (base == 16 ? 2 : 0) || v > max ||
	    (c->p < c->end && asm_is_ident(*c->p))) {
		c->p = s;
		asm_expected(st, s, what);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int dir_end(struct asm_state *st, struct asm_cur *c)
{
	asm_skip_ws(c);
	if (c->p < c->end) {
		asm_expected(st, c->p, "end of line");
		return -EINVAL;
	}
	return 0;
}

static int dir_license(struct asm_state *st, struct asm_cur *c)
{
	char *s;
	int err;

	if (st->obj->license) {
		asm_error(st, c->p, "duplicate .license");
		return -EINVAL;
	}
	err = dir_string(st, c, &s);
	if (err)
		return err;
	st->obj->license = s;
	return dir_end(st, c);
}

static int dir_map(struct asm_state *st, struct asm_cur *c)
{
	static const char *const keys[] = { "key", "value", "max", "flags" };
	uint64_t vals[4] = { 0 };
	bool seen[4] = { false };
	struct df_map *m;
	char type[64];
	const char *name;
	uint32_t t, i;
	size_t len, k;
	int err;

	if (dir_ident(st, c, "map name", &name, &len))
		return -EINVAL;
	for (i = 0; i < st->obj->map_cnt; i++)
		if (strlen(st->obj->maps[i].name) == len &&
		    !memcmp(st->obj->maps[i].name, name, len)) {
			asm_error(st, name, "duplicate map '%.*s'", (int)len, name);
			return -EINVAL;
		}
	if (dir_word(st, c, "map type", type, sizeof(type)))
		return -EINVAL;
	if (df_map_type_by_name(type, &t)) {
		asm_expected(st, c->p - strlen(type), "map type (hash, array, ... or a number)");
		return -EINVAL;
	}
	for (;;) {
		asm_skip_ws(c);
		if (c->p >= c->end)
			break;
		for (k = 0; k < DF_ARRAY_SIZE(keys); k++) {
			size_t kl = strlen(keys[k]);

			if ((size_t)(c->end - c->p) > kl && !memcmp(c->p, keys[k], kl) &&
			    c->p[kl] == '=')
				break;
		}
		if (k == DF_ARRAY_SIZE(keys) || seen[k]) {
			asm_expected(st, c->p, "key=, value=, max= or flags=");
			return -EINVAL;
		}
		c->p += strlen(keys[k]) + 1;
		if (dir_uint(st, c, UINT32_MAX, "number 0..4294967295", &vals[k]))
			return -EINVAL;
		seen[k] = true;
	}
	for (k = 0; k < 3; k++)
		if (!seen[k]) {
			char what[16];

			snprintf(what, sizeof(what), "%s=", keys[k]);
			asm_expected(st, c->p, what);
			return -EINVAL;
		}
	m = df_object_add_map(st->obj);
	if (!m)
		return -ENOMEM;
	m->name = df_strndup(name, len);
	err = m->name ? 0 : -ENOMEM;
	m->type = t;
	m->key_size = (uint32_t)vals[0];
	m->value_size = (uint32_t)vals[1];
	m->max_entries = (uint32_t)vals[2];
	m->flags = (uint32_t)vals[3];
	m->origin = DF_MAP_ASM;
	return err;
}

static int dir_kfunc(struct asm_state *st, struct asm_cur *c)
{
	struct asm_kfunc *k;
	const char *name, *at;
	uint64_t args, id;
	uint32_t i;
	size_t len;

	if (dir_ident(st, c, "kfunc name", &name, &len))
		return -EINVAL;
	if (asm_find_kfunc(st, name, len)) {
		asm_error(st, name, "duplicate kfunc '%.*s'", (int)len, name);
		return -EINVAL;
	}
	if (dir_uint(st, c, DF_MAX_FUNC_ARGS, "argument count 0..12", &args))
		return -EINVAL;
	id = (uint64_t)(st->kfunc_next_id ? st->kfunc_next_id : 1);
	asm_skip_ws(c);
	at = c->p;
	if ((size_t)(c->end - c->p) > 3 && !memcmp(c->p, "id=", 3)) {
		c->p += 3;
		if (dir_uint(st, c, INT32_MAX, "kfunc id 1..2147483647", &id))
			return -EINVAL;
		if (!id) {
			asm_expected(st, at + 3, "kfunc id 1..2147483647");
			return -EINVAL;
		}
	}
	if (dir_end(st, c))
		return -EINVAL;
	for (i = 0; i < st->kfunc_cnt; i++)
		if (st->kfuncs[i].id == (int32_t)id) {
			asm_error(st, at, "duplicate kfunc id %d (kfunc '%s')",
				  (int)id, st->kfuncs[i].name);
			return -EINVAL;
		}
	if (df_array_push(st->kfuncs, st->kfunc_cnt))
		return -ENOMEM;
	k = &st->kfuncs[st->kfunc_cnt];
	k->name = df_strndup(name, len);
	if (!k->name)
		return -ENOMEM;
	k->id = (int32_t)id;
	k->args = (int8_t)args;
	st->kfunc_cnt++;
	if ((int32_t)id >= st->kfunc_next_id)
		st->kfunc_next_id = id < INT32_MAX ? (int32_t)id + 1 : INT32_MAX;
	return 0;
}

static int dir_prog(struct asm_state *st, struct asm_cur *c)
{
	char *name, *sec = NULL;
	const char *s;
	size_t len;

	if (dir_ident(st, c, "program name", &s, &len))
		return -EINVAL;
	asm_skip_ws(c);
	if (c->p < c->end && dir_string(st, c, &sec))
		return -EINVAL;
	if (dir_end(st, c)) {
		free(sec);
		return -EINVAL;
	}
	if (sec && !*sec) {
		free(sec);
		asm_expected(st, s + len, "non-empty section name");
		return -EINVAL;
	}
	name = df_strndup(s, len);
	if (!sec)
		sec = df_strndup(s, len);
	if (!name || !sec) {
		free(name);
		free(sec);
		return -ENOMEM;
	}
	return asm_start_prog(st, name, sec, false);
}

static int dir_type(struct asm_state *st, struct asm_cur *c)
{
	char type[64];
	const char *at;
	uint32_t t;
	int err;

	asm_skip_ws(c);
	at = c->p;
	if (dir_word(st, c, "program type", type, sizeof(type)) || dir_end(st, c))
		return -EINVAL;
	if (df_prog_type_by_name(type, &t)) {
		asm_expected(st, at, "program type (xdp, sched_cls, kprobe, ... or a number)");
		return -EINVAL;
	}
	err = asm_ensure_prog(st);
	if (err)
		return err;
	asm_prog(st)->type = t;
	return 0;
}

static int dir_func(struct asm_state *st, struct asm_cur *c)
{
	enum df_linkage link = DF_LINKAGE_UNKNOWN;
	const char *name;
	uint64_t args;
	size_t len;
	int err;

	if (dir_ident(st, c, "function name", &name, &len) ||
	    dir_uint(st, c, DF_MAX_FUNC_ARGS, "argument count 0..12", &args))
		return -EINVAL;
	asm_skip_ws(c);
	if (c->p < c->end) {
		const char *w = c->p;
		size_t n = asm_ident_len(c);

		if (n == 6 && !memcmp(w, "static", 6))
			link = DF_LINKAGE_STATIC;
		else if (n == 6 && !memcmp(w, "global", 6))
			link = DF_LINKAGE_GLOBAL;
		else {
			asm_expected(st, w, "static or global");
			return -EINVAL;
		}
		c->p += n;
	}
	if (dir_end(st, c))
		return -EINVAL;
	err = asm_ensure_prog(st);
	if (err)
		return err;
	if (st->func_pending) {
		asm_error_at(st, st->func_line, st->func_col,
			     "expected an instruction after .func %.*s, got '.func'",
			     (int)st->func_len, st->func_name);
		return -EINVAL;
	}
	st->func_pending = true;
	st->func_name = name;
	st->func_len = (uint32_t)len;
	st->func_args = (int)args;
	st->func_linkage = link;
	st->func_line = st->lineno;
	st->func_col = (uint32_t)(name - st->line) + 1;
	return 0;
}

int asm_directive(struct asm_state *st, struct asm_cur *c)
{
	static const struct {
		const char *name;
		int (*fn)(struct asm_state *st, struct asm_cur *c);
	} dirs[] = {
		{ "license", dir_license }, { "map", dir_map }, { "kfunc", dir_kfunc },
		{ "prog", dir_prog }, { "type", dir_type }, { "func", dir_func },
	};
	const char *at = c->p;
	size_t i, n;

	c->p++;
	n = asm_ident_len(c);
	for (i = 0; i < DF_ARRAY_SIZE(dirs); i++)
		if (strlen(dirs[i].name) == n && !memcmp(dirs[i].name, c->p, n)) {
			c->p += n;
			return dirs[i].fn(st, c);
		}
	asm_expected(st, at, "directive .license, .map, .kfunc, .prog, .type or .func");
	return -EINVAL;
}

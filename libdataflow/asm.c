/* SPDX-License-Identifier: BSD-2-Clause */
/* Assembler: lines, labels, directives and programs of an assembly text. */
#include "asm.h"

#include <bpf/btf.h>
#include <stdio.h>

static void error_at(struct asm_state *st, uint32_t line, uint32_t col,
		     const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	df_printf(DF_WARN, "%s:%u:%u: error: %s\n", st->file, line, col, msg);
	st->errored = true;
}

void asm_error_at(struct asm_state *st, uint32_t line, uint32_t col,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_at(st, line, col, fmt, ap);
	va_end(ap);
}

static uint32_t col_of(const struct asm_state *st, const char *at)
{
	return (uint32_t)(at - st->line) + 1;
}

void asm_error(struct asm_state *st, const char *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_at(st, st->lineno, col_of(st, at), fmt, ap);
	va_end(ap);
}

static bool is_op_char(char ch)
{
	return ch && strchr("=<>!&|^+-*/%", ch);
}

void asm_expected(struct asm_state *st, const char *at, const char *what)
{
	const char *q = at, *end = st->line_end;

	if (at >= end) {
		asm_error(st, at, "expected %s, got end of line", what);
		return;
	}
	if (asm_is_ident(*q) || ((*q == '-' || *q == '+') && q + 1 < end &&
				 q[1] >= '0' && q[1] <= '9')) {
		for (q++; q < end && asm_is_ident(*q); q++)
			;
	} else if (*q == '(' && end - q >= 4 && q[3] == ')') {
		q += 4;
	} else if (is_op_char(*q)) {
		for (q++; q < end && is_op_char(*q); q++)
			;
	} else {
		q++;
	}
	if (q - at > 40)
		q = at + 40;
	asm_error(st, at, "expected %s, got '%.*s'", what, (int)(q - at), at);
}

struct df_prog *asm_prog(struct asm_state *st)
{
	return &st->obj->progs[st->prog];
}

const struct asm_kfunc *asm_find_kfunc(const struct asm_state *st,
				       const char *name, size_t len)
{
	uint32_t i;

	for (i = 0; i < st->kfunc_cnt; i++)
		if (strlen(st->kfuncs[i].name) == len &&
		    !memcmp(st->kfuncs[i].name, name, len))
			return &st->kfuncs[i];
	return NULL;
}

int asm_add_fixup(struct asm_state *st, const char *at, const char *name,
		  size_t len, enum asm_fix_kind kind)
{
	struct asm_fixup *f;

	if (df_array_push(st->fix, st->fix_cnt))
		return -ENOMEM;
	f = &st->fix[st->fix_cnt++];
	f->pc = asm_prog(st)->insn_cnt;
	f->line = st->lineno;
	f->col = col_of(st, at);
	f->name = name;
	f->name_len = (uint32_t)len;
	f->kind = kind;
	return 0;
}

/* ------------------------------------------------------------------ labels */

static uint32_t hash_name(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static struct asm_label *label_slot(struct asm_state *st, const char *name,
				    size_t len)
{
	uint32_t i = hash_name(name, len) & (st->label_cap - 1);

	while (st->labels[i].name && (st->labels[i].len != len ||
				      memcmp(st->labels[i].name, name, len)))
		i = (i + 1) & (st->label_cap - 1);
	return &st->labels[i];
}

static struct asm_label *find_label(struct asm_state *st, const char *name,
				    size_t len)
{
	struct asm_label *l;

	if (!st->label_cap)
		return NULL;
	l = label_slot(st, name, len);
	return l->name ? l : NULL;
}

static int grow_labels(struct asm_state *st)
{
	struct asm_label *old = st->labels;
	uint32_t i, cap = st->label_cap;

	st->label_cap = cap ? cap * 2 : 64;
	st->labels = calloc(st->label_cap, sizeof(*st->labels));
	if (!st->labels) {
		st->labels = old;
		st->label_cap = cap;
		return -ENOMEM;
	}
	for (i = 0; i < cap; i++)
		if (old[i].name)
			*label_slot(st, old[i].name, old[i].len) = old[i];
	free(old);
	return 0;
}

static int define_label(struct asm_state *st, const char *name, size_t len,
			uint32_t line, uint32_t col)
{
	struct asm_label *l;

	if ((st->label_cnt + 1) * 2 > st->label_cap && grow_labels(st))
		return -ENOMEM;
	l = label_slot(st, name, len);
	if (l->name) {
		asm_error_at(st, line, col, "duplicate label '%.*s' (first defined at line %u)",
			     (int)len, name, l->line);
		return -EINVAL;
	}
	l->name = name;
	l->len = (uint32_t)len;
	l->pc = asm_prog(st)->insn_cnt;
	l->line = line;
	st->label_cnt++;
	return 0;
}

/* ---------------------------------------------------------------- programs */

static int resolve_fixups(struct asm_state *st, struct df_prog *prog)
{
	uint32_t i;

	for (i = 0; i < st->fix_cnt; i++) {
		const struct asm_fixup *f = &st->fix[i];
		struct asm_label *l = find_label(st, f->name, f->name_len);
		struct df_insn *in = &prog->insns[f->pc];
		int64_t rel;

		if (!l) {
			asm_error_at(st, f->line, f->col, "expected %s, got '%.*s'",
				     f->kind == ASM_FIX_CALL ?
				     "helper, kfunc declared with .kfunc or label" :
				     "label defined in this program",
				     (int)f->name_len, f->name);
			return -EINVAL;
		}
		rel = (int64_t)l->pc - f->pc - 1;
		if (f->kind == ASM_FIX_OFF ? rel < INT16_MIN || rel > INT16_MAX :
		    rel < INT32_MIN || rel > INT32_MAX) {
			asm_error_at(st, f->line, f->col,
				     "expected jump offset that fits the instruction, got '%.*s' at %+lld",
				     (int)f->name_len, f->name, (long long)rel);
			return -EINVAL;
		}
		if (f->kind == ASM_FIX_OFF)
			in->off = (int16_t)rel;
		else
			in->imm = (int32_t)rel;
	}
	return 0;
}

static int finish_prog(struct asm_state *st)
{
	struct df_prog *prog;
	uint32_t i;
	int err;

	if (!st->have_prog)
		return 0;
	prog = asm_prog(st);
	if (st->func_pending) {
		asm_error_at(st, st->func_line, st->func_col,
			     "expected an instruction after .func %.*s, got %s",
			     (int)st->func_len, st->func_name,
			     st->line_end ? "another program" : "end of file");
		return -EINVAL;
	}
	if (!prog->insn_cnt) {
		if (!st->implicit) {
			asm_error_at(st, st->prog_line, 1,
				     "expected instructions in program '%s', got %s",
				     prog->name, st->line_end ? "'.prog'" : "end of file");
			return -EINVAL;
		}
		df_prog_release(prog);
		st->obj->prog_cnt--;
		st->have_prog = false;
		return 0;
	}
	err = resolve_fixups(st, prog);
	if (err)
		return err;
	for (i = 0; i < prog->func_cnt; i++)
		prog->funcs[i].len = (i + 1 < prog->func_cnt ? prog->funcs[i + 1].start :
				      prog->insn_cnt) - prog->funcs[i].start;
	st->have_prog = false;
	return 0;
}

static char *base_name(const char *path)
{
	const char *b = strrchr(path, '/'), *dot;

	b = b ? b + 1 : path;
	dot = strrchr(b, '.');
	if (*b == '<' || !*b || dot == b)
		return df_strdup("prog");
	return dot ? df_strndup(b, (size_t)(dot - b)) : df_strdup(b);
}

int asm_start_prog(struct asm_state *st, char *name, char *section,
		   bool implicit)
{
	struct df_prog *prog;
	uint32_t i;
	int err = finish_prog(st);

	if (err)
		goto fail;
	for (i = 0; i < st->obj->prog_cnt; i++)
		if (!strcmp(st->obj->progs[i].name, name)) {
			asm_error(st, st->line, "duplicate program '%s'", name);
			err = -EINVAL;
			goto fail;
		}
	prog = df_object_add_prog(st->obj);
	if (!prog) {
		err = -ENOMEM;
		goto fail;
	}
	prog->name = name;
	prog->section = section;
	df_prog_type_by_section(section, &prog->type, &prog->expected_attach_type);
	st->prog = st->obj->prog_cnt - 1;
	st->have_prog = true;
	st->implicit = implicit;
	st->prog_line = st->lineno;
	st->fix_cnt = 0;
	st->label_cnt = 0;
	if (st->labels)
		memset(st->labels, 0, st->label_cap * sizeof(*st->labels));
	return 0;
fail:
	free(name);
	free(section);
	return err;
}

int asm_ensure_prog(struct asm_state *st)
{
	char *name, *sec;

	if (st->have_prog)
		return 0;
	name = base_name(st->file);
	sec = df_strdup(name);
	if (!name || !sec) {
		free(name);
		free(sec);
		return -ENOMEM;
	}
	return asm_start_prog(st, name, sec, true);
}

/* The pending .func, or the entry function, starts at the next instruction. */
static int place_func(struct asm_state *st)
{
	struct df_prog *prog = asm_prog(st);
	uint32_t pc = prog->insn_cnt;
	enum df_linkage link;
	char *name;
	int err;

	if (!st->func_pending)
		return pc ? 0 : df_prog_add_func(prog, prog->name, 0, 0, -1,
						 DF_LINKAGE_GLOBAL, 0);
	st->func_pending = false;
	link = st->func_linkage;
	if (link == DF_LINKAGE_UNKNOWN)
		link = pc ? DF_LINKAGE_STATIC : DF_LINKAGE_GLOBAL;
	if (!pc && (strlen(prog->name) != st->func_len ||
		    memcmp(prog->name, st->func_name, st->func_len))) {
		if (!st->implicit) {
			asm_error_at(st, st->func_line, st->func_col,
				     "expected the program's name '%s' for .func at its first instruction, got '%.*s'",
				     prog->name, (int)st->func_len, st->func_name);
			return -EINVAL;
		}
		name = df_strndup(st->func_name, st->func_len);
		if (!name)
			return -ENOMEM;
		free(prog->name);
		prog->name = name;
	}
	err = define_label(st, st->func_name, st->func_len, st->func_line, st->func_col);
	if (err)
		return err;
	name = df_strndup(st->func_name, st->func_len);
	if (!name)
		return -ENOMEM;
	err = df_prog_add_func(prog, name, pc, 0, st->func_args, link, 0);
	free(name);
	return err;
}

static int add_line_text(struct asm_state *st, const char *s, size_t n)
{
	int off;

	if (n + 1 > st->scratch_len) {
		char *p = realloc(st->scratch, n + 1);

		if (!p)
			return -ENOMEM;
		st->scratch = p;
		st->scratch_len = n + 1;
	}
	memcpy(st->scratch, s, n);
	st->scratch[n] = 0;
	off = btf__add_str(st->obj->btf, st->scratch);
	if (off < 0)
		return -ENOMEM;
	if (df_array_push(st->text_off, st->text_cnt))
		return -ENOMEM;
	st->text_off[st->text_cnt++] = (uint32_t)off;
	return 0;
}

/* [pc:] [(op)] INSTRUCTION; s..text_end is the trimmed line. */
static int do_insn(struct asm_state *st, struct asm_cur *c, const char *text_end)
{
	const char *start = c->p, *op_at = NULL;
	struct df_insn insn[2];
	struct df_prog *prog;
	struct df_line *ln;
	int opcode = -1, slots, err;
	uint32_t i;

	err = asm_ensure_prog(st);
	if (err)
		return err;
	prog = asm_prog(st);
	if (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		const char *q = c->p;
		uint64_t pc = 0;

		while (q < c->end && *q >= '0' && *q <= '9' && pc <= UINT32_MAX)
			pc = pc * 10 + (uint64_t)(*q++ - '0');
		if (q >= c->end || *q != ':' || pc != prog->insn_cnt) {
			char what[40];

			snprintf(what, sizeof(what), "pc %u", prog->insn_cnt);
			asm_expected(st, c->p, what);
			return -EINVAL;
		}
		c->p = q + 1;
		asm_skip_ws(c);
	}
	if (c->p < c->end && *c->p == '(') {
		int hi = c->end - c->p >= 4 ? c->p[1] : -1, lo = hi >= 0 ? c->p[2] : -1;

		op_at = c->p;
		if (hi < 0 || c->p[3] != ')' || !strchr("0123456789abcdefABCDEF", hi) ||
		    !strchr("0123456789abcdefABCDEF", lo) || !hi || !lo) {
			asm_expected(st, c->p, "opcode (xx)");
			return -EINVAL;
		}
		opcode = (int)strtol((char[]){ (char)hi, (char)lo, 0 }, NULL, 16);
		c->p += 4;
	}
	err = place_func(st);
	if (err)
		return err;
	slots = asm_parse_insn(st, c, opcode, op_at, insn);
	if (slots < 0)
		return slots;
	prog = asm_prog(st);
	for (i = 0; i < (uint32_t)slots; i++) {
		if (df_array_push(prog->insns, prog->insn_cnt))
			return -ENOMEM;
		prog->insns[prog->insn_cnt++] = insn[i];
	}
	if (df_array_push(prog->lines, prog->line_cnt))
		return -ENOMEM;
	ln = &prog->lines[prog->line_cnt++];
	ln->pc = prog->insn_cnt - (uint32_t)slots;
	ln->line = st->lineno;
	ln->col = col_of(st, start);
	ln->file = st->obj->path;
	ln->text = NULL;
	return add_line_text(st, start, (size_t)(text_end - start));
}

/* ------------------------------------------------------------------- lines */

static const char *comment_start(const char *s, const char *end)
{
	const char *q;

	for (q = s; q < end; q++) {
		if (*q == ';' || (*q == '/' && q + 1 < end && q[1] == '/'))
			return q;
		if (*q == '"') {
			const char *close = memchr(q + 1, '"', (size_t)(end - q - 1));

			if (close)
				q = close;
		}
	}
	return end;
}

static int do_line(struct asm_state *st, const char *line, const char *end)
{
	struct asm_cur c;
	const char *s = line, *text_end;
	size_t n;
	int err;

	while (end > line && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s == end || *s == '#' || *s == ';' || (*s == '/' && s + 1 < end && s[1] == '/'))
		return 0;
	text_end = end;
	c.p = s;
	c.end = comment_start(s, end);
	while (c.end > s && (c.end[-1] == ' ' || c.end[-1] == '\t'))
		c.end--;
	st->line = line;
	st->line_end = c.end;

	/* LABEL: (an identifier, possibly starting with '.') */
	if (*s == '.' || asm_is_ident_start(*s)) {
		struct asm_cur t = { s + (*s == '.'), c.end };

		n = asm_ident_len(&t);
		if (n && t.p + n < c.end && t.p[n] == ':') {
			const char *name = s;

			n += (size_t)(t.p - s);
			err = asm_ensure_prog(st);
			if (!err)
				err = define_label(st, name, n, st->lineno, col_of(st, name));
			if (err)
				return err;
			c.p = s + n + 1;
			asm_skip_ws(&c);
			if (c.p >= c.end)
				return 0;
			s = c.p;
		}
	}
	if (*s == '.')
		return asm_directive(st, &c);
	return do_insn(st, &c, text_end);
}

static void release_state(struct asm_state *st)
{
	uint32_t i;

	for (i = 0; i < st->kfunc_cnt; i++)
		free(st->kfuncs[i].name);
	free(st->kfuncs);
	free(st->labels);
	free(st->fix);
	free(st->text_off);
	free(st->scratch);
}

int df_asm_into(struct df_object *obj, const char *text, size_t len)
{
	struct asm_state st = { .obj = obj, .file = obj->path };
	const char *p = text, *end = text + len;
	uint32_t i, j, k = 0;
	int err = 0;

	obj->kind = DF_INPUT_ASM;
	if (!obj->btf) {
		obj->btf = btf__new_empty();
		if (!obj->btf) {
			obj->btf = NULL;
			return -ENOMEM;
		}
	}
	while (p < end && !err) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		st.lineno++;
		err = do_line(&st, p, le);
		p = nl ? nl + 1 : end;
	}
	st.line_end = NULL;
	if (!err)
		err = finish_prog(&st);
	if (!err && !obj->prog_cnt) {
		asm_error_at(&st, st.lineno ? st.lineno : 1, 1,
			     "expected an instruction, got end of file");
		err = -EINVAL;
	}
	for (i = 0; !err && i < obj->prog_cnt; i++)
		for (j = 0; j < obj->progs[i].line_cnt; j++)
			obj->progs[i].lines[j].text = btf__str_by_offset(obj->btf, st.text_off[k++]);
	if (err && !st.errored)
		df_printf(DF_WARN, "%s: error: %s\n", st.file, strerror(-err));
	release_state(&st);
	return err ? (err == -ENOMEM ? -ENOMEM : -EINVAL) : 0;
}

int df_asm(const char *text, size_t len, const char *name, struct df_object **out)
{
	struct df_object *obj;
	int err;

	*out = NULL;
	obj = df_object_new(name, DF_INPUT_ASM);
	if (!obj)
		return -ENOMEM;
	err = df_asm_into(obj, text, len);
	if (err) {
		df_object_free(obj);
		return err;
	}
	*out = obj;
	return 0;
}

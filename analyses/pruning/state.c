/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Verifier states: allocation, deep copies, references and the kernel-style
 * text of registers and states.
 *
 * States are copied at every unknown branch and every checkpoint, so a
 * frame copy is one allocation: the frame and its stack slots in one block
 * (the stack then sits right after the frame). A stack that grows later
 * moves to a block of its own. Stack buffers always hold at least
 * cap(allocated / 8) slots, cap() rounding up to a power of two, so the
 * capacity follows from `allocated` alone and vf_state_copy() reuses the
 * destination's buffers whenever they are large enough. The reference list
 * and the precision history (precise.c) follow df_array_reserve()'s rule
 * (at least 8, powers of two).
 */
#include "vf.h"

#include <inttypes.h>
#include <stdio.h>

static uint32_t pow2_ceil(uint32_t n)
{
	uint32_t c = 1;

	while (c < n)
		c <<= 1;
	return c;
}

/* Slots a frame's stack buffer holds at least. */
static uint32_t slot_cap(uint32_t allocated)
{
	return allocated ? pow2_ceil(allocated / 8) : 0;
}

/* Elements the reference list holds at least (df_array_reserve's rule). */
static uint32_t ref_cap(uint32_t cnt)
{
	return cnt ? (cnt < 8 ? 8 : pow2_ceil(cnt)) : 0;
}

static bool stack_inline(const struct df_vframe *f)
{
	return f->stack == (struct df_vslot *)(f + 1);
}

static void mark_fp(struct df_vreg *r, uint32_t frameno)
{
	memset(r, 0, sizeof(*r));
	r->type = DF_PTR_TO_STACK;
	r->frameno = (uint8_t)frameno;
}

struct df_vframe *vf_frame_new(uint32_t frameno, uint32_t callsite, uint32_t subprog)
{
	struct df_vframe *f = df_zalloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->frameno = frameno;
	f->callsite = callsite;
	f->subprog = subprog;
	mark_fp(&f->regs[DF_REG_FP], frameno);
	return f;
}

void vf_frame_free(struct df_vframe *f)
{
	if (!f)
		return;
	if (f->stack && !stack_inline(f))
		free(f->stack);
	free(f);
}

static struct df_vframe *frame_dup(const struct df_vframe *src)
{
	uint32_t cap = slot_cap(src->allocated);
	struct df_vframe *f = malloc(sizeof(*f) + (size_t)cap * sizeof(struct df_vslot));

	if (!f)
		return NULL;
	*f = *src;
	f->stack = cap ? (struct df_vslot *)(f + 1) : NULL;
	if (cap)
		memcpy(f->stack, src->stack, src->allocated / 8 * sizeof(struct df_vslot));
	return f;
}

/* dst becomes a copy of src, keeping dst's stack buffer when it is large enough. */
static int frame_copy(struct df_vframe *dst, const struct df_vframe *src)
{
	uint32_t need = slot_cap(src->allocated);
	struct df_vslot *buf = dst->stack;

	if (need > slot_cap(dst->allocated)) {
		size_t bytes = (size_t)need * sizeof(struct df_vslot);

		if (!buf || stack_inline(dst))
			buf = malloc(bytes);
		else
			buf = realloc(buf, bytes);
		if (!buf)
			return -ENOMEM;
	}
	*dst = *src;
	dst->stack = buf;
	if (src->allocated)
		memcpy(buf, src->stack, src->allocated / 8 * sizeof(struct df_vslot));
	return 0;
}

int vf_stack_grow(struct df_vframe *f, uint32_t bytes)
{
	uint32_t old = f->allocated / 8, n;

	bytes = (bytes + 7) & ~7u;
	if (bytes <= f->allocated)
		return 0;
	n = bytes / 8;
	if (slot_cap(bytes) > slot_cap(f->allocated)) {
		size_t sz = (size_t)slot_cap(bytes) * sizeof(struct df_vslot);
		struct df_vslot *s;

		if (!f->stack || stack_inline(f)) {
			s = malloc(sz);
			if (s && old)
				memcpy(s, f->stack, old * sizeof(*s));
		} else {
			s = realloc(f->stack, sz);
		}
		if (!s)
			return -ENOMEM;
		f->stack = s;
	}
	memset(f->stack + old, 0, (n - old) * sizeof(struct df_vslot));
	f->allocated = bytes;
	return 0;
}

struct df_vstate *vf_state_new(void)
{
	return df_zalloc(1, sizeof(struct df_vstate));
}

void vf_state_free(struct df_vstate *st)
{
	if (!st)
		return;
	for (uint32_t i = 0; i < DF_MAX_CALL_FRAMES; i++)
		vf_frame_free(st->frame[i]);
	free(st->refs);
	free(st->hist);
	free(st);
}

struct df_vstate *vf_state_dup(const struct df_vstate *src)
{
	struct df_vstate *st = malloc(sizeof(*st));

	if (!st)
		return NULL;
	*st = *src;
	memset(st->frame, 0, sizeof(st->frame));
	st->refs = NULL;
	st->hist = NULL;
	for (uint32_t i = 0; i <= src->curframe && i < DF_MAX_CALL_FRAMES; i++) {
		if (src->frame[i] && !(st->frame[i] = frame_dup(src->frame[i])))
			goto fail;
	}
	if (src->ref_cnt) {
		st->refs = malloc(ref_cap(src->ref_cnt) * sizeof(*st->refs));
		if (!st->refs)
			goto fail;
		memcpy(st->refs, src->refs, src->ref_cnt * sizeof(*st->refs));
	}
	if (src->hist_cnt) {
		st->hist = malloc(ref_cap(src->hist_cnt) * sizeof(*st->hist));
		if (!st->hist)
			goto fail;
		memcpy(st->hist, src->hist, src->hist_cnt * sizeof(*st->hist));
	}
	return st;
fail:
	st->ref_cnt = 0;
	st->hist_cnt = 0;
	vf_state_free(st);
	return NULL;
}

int vf_state_copy(struct df_vstate *dst, const struct df_vstate *src)
{
	uint32_t *refs = dst->refs;

	if (dst == src)
		return 0;
	for (uint32_t i = 0; i < DF_MAX_CALL_FRAMES; i++) {
		const struct df_vframe *s = i <= src->curframe ? src->frame[i] : NULL;

		if (!s) {
			vf_frame_free(dst->frame[i]);
			dst->frame[i] = NULL;
		} else if (dst->frame[i]) {
			if (frame_copy(dst->frame[i], s))
				return -ENOMEM;
		} else if (!(dst->frame[i] = frame_dup(s))) {
			return -ENOMEM;
		}
	}
	if (ref_cap(src->ref_cnt) > ref_cap(dst->ref_cnt)) {
		refs = realloc(dst->refs, ref_cap(src->ref_cnt) * sizeof(*refs));
		if (!refs)
			return -ENOMEM;
		dst->refs = refs;
	}
	if (src->ref_cnt)
		memcpy(refs, src->refs, src->ref_cnt * sizeof(*refs));
	dst->ref_cnt = src->ref_cnt;
	if (ref_cap(src->hist_cnt) > ref_cap(dst->hist_cnt)) {
		uint64_t *h = realloc(dst->hist, ref_cap(src->hist_cnt) * sizeof(*h));

		if (!h)
			return -ENOMEM;
		dst->hist = h;
	}
	if (src->hist_cnt)
		memcpy(dst->hist, src->hist, src->hist_cnt * sizeof(*dst->hist));
	dst->hist_cnt = src->hist_cnt;
	dst->curframe = src->curframe;
	dst->insn_idx = src->insn_idx;
	dst->parent = src->parent;
	dst->branches = src->branches;
	dst->loop_entry = src->loop_entry;
	return 0;
}

void vf_state_pop_frame(struct df_vstate *st)
{
	if (!st->curframe)
		return;
	vf_frame_free(st->frame[st->curframe]);
	st->frame[st->curframe] = NULL;
	st->curframe--;
}

int vf_state_add_ref(struct df_vstate *st, uint32_t id)
{
	if (df_array_push(st->refs, st->ref_cnt))
		return -ENOMEM;
	st->refs[st->ref_cnt++] = id;
	return 0;
}

bool vf_state_del_ref(struct df_vstate *st, uint32_t id)
{
	for (uint32_t i = 0; i < st->ref_cnt; i++) {
		if (st->refs[i] != id)
			continue;
		memmove(&st->refs[i], &st->refs[i + 1], (st->ref_cnt - i - 1) * sizeof(*st->refs));
		st->ref_cnt--;
		return true;
	}
	return false;
}

/* ---------------------------------------------------------------- text */

/* snprintf-like accumulation: pos counts what would have been written. */
struct sbuf {
	char *buf;
	size_t len;
	size_t pos;
};

static void DF_PRINTF(2, 3) sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->pos < b->len ? b->buf + b->pos : NULL,
		      b->pos < b->len ? b->len - b->pos : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->pos += (size_t)n;
}

/* Small numbers in decimal, others in hex, as the kernel's log does. */
static void sb_snum(struct sbuf *b, int64_t v)
{
	if (v >= INT16_MIN && v <= INT16_MAX)
		sb_add(b, "%" PRId64, v);
	else
		sb_add(b, "%#" PRIx64, (uint64_t)v);
}

static void sb_unum(struct sbuf *b, uint64_t v)
{
	if (v <= UINT16_MAX)
		sb_add(b, "%" PRIu64, v);
	else
		sb_add(b, "%#" PRIx64, v);
}

/*
 * The bounds that say something, equal ones merged ("smin=smin32=0"):
 * minimums with minimums, maximums with maximums, never a negative signed
 * value with an unsigned one. 32-bit signed bounds printed in hex are not
 * sign-extended.
 */
static void sb_ranges(struct sbuf *b, const struct df_vreg *r, const char **sep)
{
	struct {
		const char *name;
		uint64_t val;
		bool omit;
	} m[] = {
		{ "smin", (uint64_t)r->smin, r->smin == INT64_MIN },
		{ "smax", (uint64_t)r->smax, r->smax == INT64_MAX },
		{ "umin", r->umin, r->umin == 0 },
		{ "umax", r->umax, r->umax == UINT64_MAX },
		{ "smin32", r->s32min >= INT16_MIN && r->s32min <= INT16_MAX ?
			    (uint64_t)(int64_t)r->s32min : (uint32_t)r->s32min,
		  r->s32min == INT32_MIN },
		{ "smax32", r->s32max >= INT16_MIN && r->s32max <= INT16_MAX ?
			    (uint64_t)(int64_t)r->s32max : (uint32_t)r->s32max,
		  r->s32max == INT32_MAX },
		{ "umin32", r->u32min, r->u32min == 0 },
		{ "umax32", r->u32max, r->u32max == UINT32_MAX },
	};
	const size_t n = DF_ARRAY_SIZE(m);

	for (size_t i = 0; i < n; i++) {
		bool neg = m[i].name[0] == 's' && (int64_t)m[i].val < 0;

		if (m[i].omit)
			continue;
		sb_add(b, "%s%s=", *sep, m[i].name);
		*sep = ",";
		for (size_t j = i + 2; j < n; j += 2) {
			bool neg2 = m[j].name[0] == 's' && (int64_t)m[j].val < 0;

			if (m[j].omit || m[j].val != m[i].val || neg2 != neg)
				continue;
			m[j].omit = true;
			sb_add(b, "%s=", m[j].name);
		}
		if (m[i].name[0] == 's')
			sb_snum(b, (int64_t)m[i].val);
		else
			sb_unum(b, m[i].val);
	}
}

static void sb_var_off(struct sbuf *b, const struct df_vreg *r, const char **sep)
{
	char tn[64];

	if (r->var_off.mask == UINT64_MAX && !r->var_off.value)
		return;
	vf_tnum_snprint(tn, sizeof(tn), r->var_off);
	sb_add(b, "%svar_off=%s", *sep, tn);
	*sep = ",";
}

static const struct df_map *reg_map(const struct df_prog *prog, const struct df_vreg *r)
{
	if (!prog || !prog->obj || r->aux >= prog->obj->map_cnt)
		return NULL;
	return &prog->obj->maps[r->aux];
}

int vf_reg_snprint(char *buf, size_t len, const struct df_prog *prog,
		   const struct df_vreg *r, uint32_t frameno)
{
	struct sbuf b = { buf, len, 0 };
	const char *sep = "";
	const struct df_map *map;

	if (len)
		buf[0] = 0;
	if (r->type == DF_NOT_INIT) {
		sb_add(&b, "?");
		return (int)b.pos;
	}
	if (r->type == DF_SCALAR && vf_tnum_is_const(r->var_off)) {
		sb_snum(&b, (int64_t)r->var_off.value);
		return (int)b.pos;
	}
	sb_add(&b, "%s", vf_type_name(r));
	if (r->type == DF_PTR_TO_STACK) {
		if (r->frameno != frameno)
			sb_add(&b, "[%u]", r->frameno);
		if (vf_tnum_is_const(r->var_off)) {
			sb_snum(&b, (int64_t)r->var_off.value + r->off);
			return (int)b.pos;
		}
	}
	sb_add(&b, "(");
	if (r->id) {
		sb_add(&b, "%sid=%u", sep, r->id);
		sep = ",";
	}
	if (r->ref_obj_id) {
		sb_add(&b, "%sref_obj_id=%u", sep, r->ref_obj_id);
		sep = ",";
	}
	if (r->type == DF_CONST_PTR_TO_MAP || r->type == DF_PTR_TO_MAP_VALUE ||
	    r->type == DF_PTR_TO_MAP_KEY) {
		map = reg_map(prog, r);
		if (map && map->name && map->name[0]) {
			sb_add(&b, "%smap=%s", sep, map->name);
			sep = ",";
		}
		if (map) {
			sb_add(&b, "%sks=%u,vs=%u", sep, map->key_size, map->value_size);
			sep = ",";
		}
	}
	if (r->type != DF_SCALAR && r->off) {
		sb_add(&b, "%soff=", sep);
		sb_snum(&b, r->off);
		sep = ",";
	}
	if (r->type == DF_PTR_TO_PACKET || r->type == DF_PTR_TO_PACKET_META) {
		sb_add(&b, "%sr=", sep);
		sb_unum(&b, r->aux);
		sep = ",";
	}
	if (r->type == DF_PTR_TO_MEM) {
		sb_add(&b, "%ssz=", sep);
		sb_unum(&b, r->aux);
		sep = ",";
	}
	if (vf_tnum_is_const(r->var_off)) {
		if (r->var_off.value) {
			sb_add(&b, "%simm=", sep);
			sb_snum(&b, (int64_t)r->var_off.value);
		}
	} else {
		sb_ranges(&b, r, &sep);
		sb_var_off(&b, r, &sep);
	}
	sb_add(&b, ")");
	return (int)b.pos;
}

int df_vreg_snprint(char *buf, size_t len, const struct df_prog *prog, const struct df_vreg *r)
{
	return vf_reg_snprint(buf, len, prog, r, r->frameno);
}

static const char stype_char[] = {
	[DF_STACK_INVALID] = '?',
	[DF_STACK_SPILL] = 'r',
	[DF_STACK_MISC] = 'm',
	[DF_STACK_ZERO] = '0',
	[DF_STACK_POISON] = 'p',
};

static char slot_char(uint8_t t)
{
	return t < sizeof(stype_char) && stype_char[t] ? stype_char[t] : 'x';
}

/*
 * A slot as "fp-8=mmmm0000" (byte 0, nearest fp, first), or for a spill
 * the bytes before the spilled ones followed by the register:
 * "fp-8=scalar(...)", "fp-16=m??0" + "42" for a 4-byte spill of 42.
 */
static void print_slot(FILE *f, const struct df_prog *prog, const struct df_vframe *fr,
		       uint32_t k)
{
	const struct df_vslot *s = &fr->stack[k];
	char types[9], val[512];
	bool used = false;
	uint32_t j;

	for (j = 0; j < 8; j++) {
		types[j] = slot_char(s->type[j]);
		used |= s->type[j] != DF_STACK_INVALID;
	}
	types[8] = 0;
	if (!used)
		return;
	if (s->type[7] == DF_STACK_SPILL) {
		for (j = 0; j < 8 && s->type[j] != DF_STACK_SPILL; j++)
			;
		types[j] = 0;
		vf_reg_snprint(val, sizeof(val), prog, &s->spill, fr->frameno);
		fprintf(f, " fp-%u=%s%s", 8 * (k + 1), types, val);
	} else {
		fprintf(f, " fp-%u=%s", 8 * (k + 1), types);
	}
}

static void print_frame(FILE *f, const struct df_prog *prog, const struct df_vstate *st,
			uint32_t i)
{
	const struct df_vframe *fr = st->frame[i];
	const char *sep = "";
	char val[512];

	if (st->curframe) {
		fprintf(f, "frame%u:%s", i, fr->in_callback ? " cb" : "");
		sep = " ";
	}
	for (uint32_t r = 0; r < DF_NREGS; r++) {
		if (fr->regs[r].type == DF_NOT_INIT)
			continue;
		vf_reg_snprint(val, sizeof(val), prog, &fr->regs[r], fr->frameno);
		fprintf(f, "%sR%u=%s", sep, r, val);
		sep = " ";
	}
	for (uint32_t k = 0; k < fr->allocated / 8; k++)
		print_slot(f, prog, fr, k);
	for (uint32_t k = 0; k < fr->out_stack_arg_cnt && k < DF_MAX_STACK_ARG_SLOTS; k++) {
		if (fr->stack_args[k].type == DF_NOT_INIT)
			continue;
		vf_reg_snprint(val, sizeof(val), prog, &fr->stack_args[k], fr->frameno);
		fprintf(f, " sa%u=%s", k, val);
	}
}

int df_vstate_print(FILE *f, const struct df_prog *prog, const struct df_vstate *st)
{
	for (uint32_t i = 0; i <= st->curframe && i < DF_MAX_CALL_FRAMES; i++) {
		if (!st->frame[i])
			continue;
		print_frame(f, prog, st, i);
		if (i == st->curframe && st->ref_cnt) {
			fprintf(f, " refs=");
			for (uint32_t k = 0; k < st->ref_cnt; k++)
				fprintf(f, "%s%u", k ? "," : "", st->refs[k]);
		}
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}

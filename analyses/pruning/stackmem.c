/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Loads, stores and call arguments through stack pointers (semantics §1.5).
 * Reading stack bytes that were never written (INVALID) is an error, as for
 * an unprivileged program (docs/verify.md), and reading POISON bytes
 * reports a liveness bug.
 *
 * Accesses must be aligned to their size (the kernel enforces it for the
 * stack in every mode; spill tracking relies on it). A store of a scalar
 * register or an immediate at a slot boundary keeps a spill record of its
 * size, like the kernel: the spilled register is kept whole and slot bytes
 * 7..8-size are SPILL, the others keep ZERO/INVALID/POISON and otherwise
 * become MISC. A fill at the same boundary no wider than the spill returns
 * the register truncated to the load (unchanged when the value fits), so
 * 4-byte spills of bounded values stay bounded. Any other narrow store
 * makes its bytes MISC, or ZERO when the value is known 0; a store over
 * part of a spill drops the record and the rest of the slot becomes MISC,
 * so part of a pointer reads back as an unknown scalar, while reading part
 * of a spilled pointer in place is "invalid size of register fill".
 * Pointers are spilled whole only. A variable-offset store makes every byte
 * it may touch MISC (ZERO stays ZERO for a zero store; a spill of 0
 * survives a zero store); a variable-offset load needs every byte it may
 * read initialised and gives a scalar.
 *
 * Messages follow the kernel's: a fixed-offset load reports the byte
 * ("invalid read from stack off %d+%d size %d"), a range read (variable
 * offset, or memory a helper reads) names the register ("invalid read from
 * stack R%d off %d+%d size %d"); bounds errors say "read from" or "write
 * to" after the access, a helper's argument included.
 */
#include "vf.h"

#include <inttypes.h>

static bool is_zero(const struct df_vreg *r)
{
	return r->type == DF_SCALAR && vf_tnum_is_const(r->var_off) && !r->var_off.value;
}

static const char *tnum_str(char *buf, size_t len, struct df_tnum t)
{
	vf_tnum_snprint(buf, len, t);
	return buf;
}

/* Does a load of the low size bytes of r give r back (zero- or sign-extended)? */
static bool narrow_fits(const struct df_vreg *r, uint32_t size, bool sx)
{
	uint32_t bits = size * 8;

	if (size >= 8)
		return true;
	if (sx)
		return r->smin >= -(int64_t)(1ULL << (bits - 1)) &&
		       r->smax < (int64_t)(1ULL << (bits - 1));
	return r->umax < (1ULL << bits);
}

/* The register a load of the low size bytes of r gives (the kernel's coerce). */
static void reg_narrow(struct df_vreg *r, uint32_t size, bool sx)
{
	if (narrow_fits(r, size, sx))
		return;
	r->id = 0;
	if (sx)
		vf_reg_sext(r, size);
	else
		vf_reg_trunc(r, size);
}

/* Drop a spill record: its bytes, and ZERO ones, become MISC. */
static void scrub(struct df_vslot *s)
{
	for (int j = 0; j < 8; j++)
		if (s->type[j] == DF_STACK_SPILL || s->type[j] == DF_STACK_ZERO)
			s->type[j] = DF_STACK_MISC;
	memset(&s->spill, 0, sizeof(s->spill));
}

static void save_spill(struct df_vslot *s, const struct df_vreg *v, uint32_t size)
{
	uint32_t i;

	s->spill = *v;
	for (i = 8; i > 8 - size; i--)
		s->type[i - 1] = DF_STACK_SPILL;
	for (; i; i--)
		if (s->type[i - 1] == DF_STACK_SPILL)
			s->type[i - 1] = DF_STACK_MISC;
}

static struct df_vslot *slot_at(struct df_vframe *fr, int64_t addr)
{
	return &fr->stack[(-addr - 1) / 8];
}

static uint8_t *byte_at(struct df_vframe *fr, int64_t addr)
{
	return &slot_at(fr, addr)->type[(-addr - 1) % 8];
}

/*
 * A stack byte that may not be read: never written, or wiped as dead. A
 * range read (variable offset, helper argument) names the register.
 */
static int bad_byte(struct vf_env *env, const struct vf_access *a, uint8_t t, bool range,
		    int64_t lo, int64_t i)
{
	char tn[64];

	if (t == DF_STACK_POISON && !range)
		return vf_err(env, "reading from stack off %d+%d size %d, slot poisoned by "
			      "dead code elimination", (int)lo, (int)i, (int)a->size);
	if (t == DF_STACK_POISON)
		return vf_err(env, "reading from stack R%u off %d+%d size %d, slot poisoned by "
			      "dead code elimination", a->regno, (int)lo, (int)i, (int)a->size);
	if (!range)
		return vf_err(env, "invalid read from stack off %d+%d size %d", (int)lo, (int)i,
			      (int)a->size);
	if (vf_tnum_is_const(a->ptr.var_off))
		return vf_err(env, "invalid read from stack R%u off %d+%d size %d", a->regno,
			      (int)lo, (int)i, (int)a->size);
	return vf_err(env, "invalid read from stack R%u var_off %s+%d size %d", a->regno,
		      tnum_str(tn, sizeof(tn), a->ptr.var_off), (int)i, (int)a->size);
}

static void note_depth(struct vf_env *env, const struct df_vframe *fr, int64_t lo)
{
	uint32_t depth = ((uint32_t)-lo + 7) & ~7u;

	if (env->sub && (!env->cfg || fr->subprog < env->cfg->subprog_cnt) &&
	    env->sub[fr->subprog].stack_depth < depth)
		env->sub[fr->subprog].stack_depth = depth;
}

/*
 * Bounds of a stack access: the bytes [*lo, *hi) it may touch. Stores grow
 * the stack; loads stay within what was allocated, the kernel's rule
 * without allow_uninit_stack (the byte rule that goes with it is ours too).
 */
static int stack_bounds(struct vf_env *env, struct df_vframe *fr, const struct vf_access *a,
			int64_t *lo, int64_t *hi)
{
	const struct df_vreg *p = &a->ptr;
	const char *what = a->write ? " write to" : " read from";
	int64_t off = (int64_t)p->off + a->off, floor;
	char tn[64];

	if (vf_tnum_is_const(p->var_off)) {
		*lo = vf_sat_add(off, (int64_t)p->var_off.value);
		*hi = vf_sat_add(*lo, a->size);
	} else {
		if (p->smax >= VF_MAX_VAR_OFF || p->smin <= -VF_MAX_VAR_OFF)
			return vf_err(env, "invalid unbounded variable-offset%s stack R%u", what,
				      a->regno);
		*lo = p->smin + off;
		*hi = vf_sat_add(p->smax + off, a->size);
	}
	floor = a->write ? -DF_MAX_STACK : -(int64_t)fr->allocated;
	if (*lo < floor || *lo > -1 || *hi > 0) {
		if (vf_tnum_is_const(p->var_off))
			return vf_err(env, "invalid%s stack R%u off=%d size=%d", what, a->regno,
				      (int)*lo, (int)a->size);
		return vf_err(env, "invalid variable-offset%s stack R%u var_off=%s off=%d size=%d",
			      what, a->regno, tnum_str(tn, sizeof(tn), p->var_off), (int)off,
			      (int)a->size);
	}
	if (vf_stack_grow(fr, (uint32_t)-*lo))
		return -ENOMEM;
	note_depth(env, fr, *lo);
	return 0;
}

/* Every byte of [lo, hi) must be initialised; clobber: then it becomes MISC. */
static int stack_range_check(struct vf_env *env, struct df_vframe *fr, const struct vf_access *a,
			     int64_t lo, int64_t hi, bool clobber)
{
	for (int64_t i = lo; i < hi; i++) {
		uint8_t *t = byte_at(fr, i);

		if (*t != DF_STACK_MISC && *t != DF_STACK_ZERO && *t != DF_STACK_SPILL)
			return bad_byte(env, a, *t, true, lo, i - lo);
		if (!clobber)
			continue;
		if (vf_slot_has_spill(slot_at(fr, i)))
			scrub(slot_at(fr, i));
		*t = DF_STACK_MISC;
	}
	return 0;
}

static bool all_zero(struct df_vframe *fr, int64_t lo, int64_t hi)
{
	for (int64_t i = lo; i < hi; i++)
		if (*byte_at(fr, i) != DF_STACK_ZERO)
			return false;
	return true;
}

static int stack_read_fixed(struct vf_env *env, struct df_vframe *fr, const struct vf_access *a,
			    int64_t off)
{
	struct df_vslot *s = slot_at(fr, off);
	uint32_t size = (uint32_t)a->size, spill_size = 0, spill_cnt = 0, zero_cnt = 0;
	bool spilled = s->type[7] == DF_STACK_SPILL;
	int64_t slot = -off - 1;
	struct df_vreg *res = a->dst;

	/* Dead bytes first: reading them is a liveness bug, whatever else is wrong. */
	for (uint32_t i = 0; i < size; i++)
		if (s->type[(slot - i) % 8] == DF_STACK_POISON)
			return bad_byte(env, a, DF_STACK_POISON, false, off, i);
	if (spilled) {
		for (spill_size = 1; spill_size < 8 && s->type[7 - spill_size] == DF_STACK_SPILL;
		     spill_size++)
			;
		if (size == 8 && spill_size == 8) {
			if (!res) {
				if (vf_reg_is_pointer(&s->spill))
					return vf_err(env, "leaking pointer from stack off %d",
						      (int)off);
				return 0;
			}
			/* Give the value an id: the slot and the register stay linked. */
			if (s->spill.type == DF_SCALAR && !s->spill.id &&
			    !vf_tnum_is_const(s->spill.var_off))
				s->spill.id = vf_new_id(env);
			*res = s->spill;
			return 0;
		}
		if (s->spill.type != DF_SCALAR)
			return vf_err(env, "invalid size of register fill");
	}
	for (uint32_t i = 0; i < size; i++) {
		uint8_t t = s->type[(slot - i) % 8];

		spill_cnt += t == DF_STACK_SPILL;
		zero_cnt += t == DF_STACK_ZERO;
		if (t != DF_STACK_MISC && t != DF_STACK_ZERO && t != DF_STACK_SPILL)
			return bad_byte(env, a, t, false, off, i);
	}
	if (!res)
		return 0;
	if (spilled && size <= spill_size && !(off % 8)) {
		/* The low bytes of the spilled scalar. */
		if (narrow_fits(&s->spill, size, a->sx)) {
			if (!s->spill.id && !vf_tnum_is_const(s->spill.var_off))
				s->spill.id = vf_new_id(env);
			*res = s->spill;
		} else {
			*res = s->spill;
			reg_narrow(res, size, a->sx);
		}
	} else if ((spilled && spill_cnt == size && is_zero(&s->spill)) || zero_cnt == size) {
		vf_mark_known(res, 0);
	} else {
		vf_reg_from_load(res, size, a->sx);
	}
	return 0;
}

static int stack_write_fixed(struct vf_env *env, struct df_vstate *st, struct df_vframe *fr,
			     const struct vf_access *a, int64_t off)
{
	struct df_vslot *s = slot_at(fr, off);
	struct df_vreg *v = a->val;
	uint32_t size = (uint32_t)a->size;
	int64_t slot = -off - 1;
	uint8_t type;

	if (v && v->type == DF_SCALAR && !(off % 8)) {
		bool fits = narrow_fits(v, size, false);

		/* Link the register and the slot (same value) unless narrowed. */
		if (fits && !v->id && !vf_tnum_is_const(v->var_off) && a->val_regno >= 0)
			v->id = vf_new_id(env);
		save_spill(s, v, size);
		if (!fits)
			s->spill.id = 0;
		return 0;
	}
	if (v && vf_reg_is_pointer(v)) {
		if (size != 8)
			return vf_err(env, "invalid size of register spill");
		if (fr != vf_cur_frame(st) && v->type == DF_PTR_TO_STACK)
			return vf_err(env, "cannot spill pointers to stack into stack frame of the "
				      "caller");
		save_spill(s, v, 8);
		return 0;
	}
	type = v && is_zero(v) ? DF_STACK_ZERO : DF_STACK_MISC;
	if (vf_slot_has_spill(s))
		scrub(s);
	for (uint32_t i = 0; i < size; i++)
		s->type[(slot - i) % 8] = type;
	return 0;
}

static int stack_write_var(struct df_vframe *fr, const struct vf_access *a, int64_t lo, int64_t hi)
{
	bool zero = a->val && is_zero(a->val);

	for (int64_t i = lo; i < hi; i++) {
		struct df_vslot *s = slot_at(fr, i);
		uint8_t *t = byte_at(fr, i);

		if (zero && *t == DF_STACK_SPILL && is_zero(&s->spill))
			continue;
		if (vf_slot_has_spill(s))
			scrub(s);
		*t = zero && *t == DF_STACK_ZERO ? DF_STACK_ZERO : DF_STACK_MISC;
	}
	return 0;
}

static struct df_vframe *ptr_frame(const struct df_vstate *st, const struct df_vreg *p)
{
	return p->frameno <= st->curframe ? st->frame[p->frameno] : NULL;
}

int vf_stack_access(struct vf_env *env, struct df_vstate *st, const struct vf_access *a)
{
	struct df_vframe *fr = ptr_frame(st, &a->ptr);
	int64_t lo, hi;
	char tn[64];
	int err;

	if (!fr)
		return vf_err(env, "R%u points to the stack of frame %u, which has returned",
			      a->regno, a->ptr.frameno);
	if ((err = vf_check_align(env, a, "stack ")) || (err = stack_bounds(env, fr, a, &lo, &hi)))
		return err;
	if (vf_tnum_is_const(a->ptr.var_off))
		return a->write ? stack_write_fixed(env, st, fr, a, lo)
				: stack_read_fixed(env, fr, a, lo);
	if (a->write)
		return stack_write_var(fr, a, lo, hi);
	if (!a->dst)
		return vf_err(env, "variable offset stack pointer cannot be passed into helper "
			      "function; var_off=%s off=%d size=%d",
			      tnum_str(tn, sizeof(tn), a->ptr.var_off), a->ptr.off + a->off,
			      (int)a->size);
	if ((err = stack_range_check(env, fr, a, lo, hi, false)))
		return err;
	if (all_zero(fr, lo, hi))
		vf_mark_known(a->dst, 0);
	else
		vf_reg_from_load(a->dst, (uint32_t)a->size, a->sx);
	return 0;
}

/* A helper reads (every byte initialised) or writes (bytes become MISC) stack memory. */
int vf_stack_arg_mem(struct vf_env *env, struct df_vstate *st, const struct vf_access *a,
		     bool rest)
{
	struct df_vframe *fr = ptr_frame(st, &a->ptr);
	int64_t lo, hi;
	int err;

	if (!fr)
		return vf_err(env, "R%u points to the stack of frame %u, which has returned",
			      a->regno, a->ptr.frameno);
	if ((err = stack_bounds(env, fr, a, &lo, &hi)))
		return err;
	if (rest)
		hi = 0;		/* everything up to the frame pointer */
	/* A helper writing through a variable offset needs the bytes initialised first. */
	if (!a->write || !vf_tnum_is_const(a->ptr.var_off))
		return stack_range_check(env, fr, a, lo, hi, a->write);
	for (int64_t i = lo; i < hi; i++) {
		if (vf_slot_has_spill(slot_at(fr, i)))
			scrub(slot_at(fr, i));
		*byte_at(fr, i) = DF_STACK_MISC;
	}
	return 0;
}

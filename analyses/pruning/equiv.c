// SPDX-License-Identifier: BSD-2-Clause
/*
 * State equivalence for pruning (§4.2-4.5): may the path of cur be cut
 * because old, fully explored at the same pc, covers it (old ⊒ cur)?
 *
 * Registers, spilled registers and outgoing stack-argument slots go through
 * regsafe(). Old NOT_INIT covers anything (old never read it); otherwise the
 * types and flags must agree and, per type, cur's value must lie within
 * old's: scalars by all eight bounds and the tnum (with precision,
 * df_states_equal_precise(), an imprecise old scalar covers any scalar at
 * DF_NOT_EXACT: nothing below old depended on its value), map values,
 * keys and memory by equal fixed fields and contained variable parts,
 * packet pointers also by a verified range at least old's; stack pointers
 * and every other pointer must be identical. Ids go through one map per
 * comparison: an old id stands for one cur id only and the reverse (cur id
 * 0 takes a fresh temporary id, so two registers linked in old and unlinked
 * in cur fail);
 * an old value id of 0 constrains nothing (old relied on no link), while
 * reference ids must be both set or both clear.
 *
 * The stack is compared slot by slot over old's allocation. A slot whose
 * eight bytes read as one scalar on both sides (a 64-bit scalar spill, or
 * MISC/ZERO bytes, which read as the scalar whose ZERO bytes are known 0)
 * is compared as that register; old needs an exact view, cur may be
 * over-approximated (its view of a narrow spill is its known bits). Other
 * slots go byte by byte: INVALID and POISON in old are skipped, MISC covers
 * MISC, ZERO and bytes of a scalar spill, ZERO covers ZERO and spill bytes
 * known to be 0, and a spill in old needs a spill over the same bytes in
 * cur with a regsafe value.
 *
 * DF_EXACT (infinite-loop detection) wants identical states modulo ids,
 * POISON reading as INVALID. DF_RANGE_WITHIN differs from DF_NOT_EXACT only
 * where the kernel's does: an old NOT_INIT register covers only NOT_INIT.
 */
#include "vf.h"

/* Ids one comparison can meet: registers, spills and stack args of 8 frames, twice. */
#define IDMAP_MAX	(2 * DF_MAX_CALL_FRAMES * (DF_NREGS + 64 + DF_MAX_STACK_ARG_SLOTS) + 64)
#define TMP_ID		((uint64_t)1 << 32)

struct idmap {
	uint32_t cnt;
	uint32_t tmp;
	bool precise;		/* imprecise old scalars cover any scalar */
	uint32_t old[IDMAP_MAX];
	uint64_t cur[IDMAP_MAX];
};

/* old <-> cur must stay a bijection; a full map answers "different". */
static bool map_ids(struct idmap *m, uint32_t old, uint64_t cur)
{
	for (uint32_t i = 0; i < m->cnt; i++) {
		if (m->old[i] == old)
			return m->cur[i] == cur;
		if (m->cur[i] == cur)
			return false;
	}
	if (m->cnt == IDMAP_MAX)
		return false;
	m->old[m->cnt] = old;
	m->cur[m->cnt++] = cur;
	return true;
}

/* A value id (scalar links, null checks, packet ranges). */
static bool check_id(struct idmap *m, uint32_t old, uint32_t cur)
{
	if (!old)
		return true;
	return map_ids(m, old, cur ? cur : TMP_ID + ++m->tmp);
}

/* Reference and exact-level ids: both set or both clear. */
static bool check_strict(struct idmap *m, uint32_t old, uint32_t cur)
{
	if (!old != !cur)
		return false;
	return !old || map_ids(m, old, cur);
}

static bool range_within(const struct df_vreg *o, const struct df_vreg *c)
{
	return o->umin <= c->umin && o->umax >= c->umax &&
	       o->smin <= c->smin && o->smax >= c->smax &&
	       o->u32min <= c->u32min && o->u32max >= c->u32max &&
	       o->s32min <= c->s32min && o->s32max >= c->s32max;
}

static bool value_within(const struct df_vreg *o, const struct df_vreg *c)
{
	return range_within(o, c) && vf_tnum_in(o->var_off, c->var_off);
}

/* Every field but the ids and the reserved precision mark. */
static bool same_fields(const struct df_vreg *o, const struct df_vreg *c)
{
	return o->type == c->type && o->flags == c->flags && o->frameno == c->frameno &&
	       o->off == c->off && o->aux == c->aux &&
	       o->var_off.value == c->var_off.value && o->var_off.mask == c->var_off.mask &&
	       o->smin == c->smin && o->smax == c->smax && o->umin == c->umin &&
	       o->umax == c->umax && o->s32min == c->s32min && o->s32max == c->s32max &&
	       o->u32min == c->u32min && o->u32max == c->u32max;
}

static bool regs_exact(struct idmap *m, const struct df_vreg *o, const struct df_vreg *c)
{
	if (o->type != c->type)
		return false;
	if (o->type == DF_NOT_INIT)
		return true;
	return same_fields(o, c) && check_strict(m, o->id, c->id) &&
	       check_strict(m, o->ref_obj_id, c->ref_obj_id);
}

/* regsafe() past the checks every type shares. */
static __attribute__((noinline)) bool typed_safe(struct idmap *m, const struct df_vreg *o,
						 const struct df_vreg *c, enum df_exact level)
{
	switch (o->type) {
	case DF_SCALAR:
		return check_id(m, o->id, c->id) && value_within(o, c);
	case DF_PTR_TO_MAP_VALUE:
	case DF_PTR_TO_MAP_KEY:
	case DF_PTR_TO_MEM:
		return o->off == c->off && o->aux == c->aux && o->frameno == c->frameno &&
		       value_within(o, c) && check_id(m, o->id, c->id) &&
		       check_strict(m, o->ref_obj_id, c->ref_obj_id);
	case DF_PTR_TO_PACKET:
	case DF_PTR_TO_PACKET_META:
		return c->aux >= o->aux && o->off == c->off && value_within(o, c) &&
		       check_id(m, o->id, c->id) &&
		       check_strict(m, o->ref_obj_id, c->ref_obj_id);
	default:
		/* stack (frame number included), ctx, map, func, socket, packet end */
		return regs_exact(m, o, c);
	}
}

/* Inline: most registers compared are NOT_INIT in old or differ in type. */
static inline bool regsafe(struct idmap *m, const struct df_vreg *o, const struct df_vreg *c,
			   enum df_exact level)
{
	if (level == DF_EXACT)
		return regs_exact(m, o, c);
	if (o->type == DF_NOT_INIT)
		return level == DF_NOT_EXACT || c->type == DF_NOT_INIT;
	if (o->type != c->type || o->flags != c->flags)
		return false;
	/* no decision below old depended on an imprecise value */
	if (o->type == DF_SCALAR && level == DF_NOT_EXACT && m->precise && !o->precise)
		return true;
	return typed_safe(m, o, c, level);
}

/* ------------------------------------------------------------------ stack */

static inline uint8_t byte_type(const struct df_vframe *f, uint32_t k, uint32_t j)
{
	uint8_t t;

	if (k >= f->allocated / 8)
		return DF_STACK_INVALID;
	t = f->stack[k].type[j];
	return t == DF_STACK_POISON ? DF_STACK_INVALID : t;
}

static bool spill_is_scalar(const struct df_vslot *s)
{
	return s->spill.type == DF_SCALAR;
}

/*
 * The spilled value starts at the lowest address its bytes cover (the
 * highest j): byte j of the slot holds byte base - j of the value.
 */
static uint32_t spill_base(const struct df_vslot *s)
{
	uint32_t j = 8;

	while (j-- > 0)
		if (s->type[j] == DF_STACK_SPILL)
			return j;
	return 7;
}

/* Known bits of the spilled value's byte in slot byte j, as (value, mask) of 0..0xff. */
static struct df_tnum spill_byte(const struct df_vslot *s, uint32_t j)
{
	uint32_t sh = 8 * (spill_base(s) - j);

	return (struct df_tnum){ s->spill.var_off.value >> sh & 0xff,
				 s->spill.var_off.mask >> sh & 0xff };
}

static bool spill_byte_zero(const struct df_vslot *s, uint32_t j)
{
	struct df_tnum b = spill_byte(s, j);

	return !b.value && !b.mask;
}

/* A scalar whose value is exactly the bits of t (its bounds follow from them). */
static void reg_from_tnum(struct df_vreg *r, struct df_tnum t)
{
	uint32_t v32 = (uint32_t)t.value, m32 = (uint32_t)t.mask;

	memset(r, 0, sizeof(*r));
	r->type = DF_SCALAR;
	r->var_off = t;
	r->umin = t.value;
	r->umax = t.value | t.mask;
	r->smin = (int64_t)(t.value | (t.mask & ~(uint64_t)INT64_MAX));
	r->smax = (int64_t)(t.value | (t.mask & (uint64_t)INT64_MAX));
	r->u32min = v32;
	r->u32max = v32 | m32;
	r->s32min = (int32_t)(v32 | (m32 & 0x80000000u));
	r->s32max = (int32_t)(v32 | (m32 & 0x7fffffffu));
}

/*
 * The slot as one 64-bit scalar read (byte j is byte 7 - j of it). For old
 * the view must be exact: a 64-bit scalar spill, or bytes all MISC/ZERO.
 * For cur the known bits of a narrow scalar spill beside MISC/ZERO bytes
 * over-approximate it soundly.
 */
static const struct df_vreg *slot_scalar(const struct df_vframe *f, uint32_t k, bool is_old,
					 struct df_vreg *tmp)
{
	const struct df_vslot *s = &f->stack[k];
	struct df_tnum t = { 0, 0 };
	uint32_t spill = 0;

	for (uint32_t j = 0; j < 8; j++) {
		uint8_t b = byte_type(f, k, j);
		uint32_t sh = 8 * (7 - j);

		if (b == DF_STACK_SPILL) {
			struct df_tnum sb;

			if (!spill_is_scalar(s))
				return NULL;
			sb = spill_byte(s, j);
			t.value |= sb.value << sh;
			t.mask |= sb.mask << sh;
			spill++;
		} else if (b == DF_STACK_MISC) {
			t.mask |= UINT64_C(0xff) << sh;
		} else if (b != DF_STACK_ZERO) {
			return NULL;
		}
	}
	if (spill == 8)
		return &s->spill;
	if (spill && is_old)
		return NULL;
	reg_from_tnum(tmp, t);
	/* bytes carry no marks: a ZERO byte is a fact old relied on */
	tmp->precise = 1;
	return tmp;
}

static bool byte_safe(const struct df_vframe *cf, uint32_t k, uint32_t j, uint8_t ob)
{
	uint8_t cb = byte_type(cf, k, j);

	switch (ob) {
	case DF_STACK_MISC:
		if (cb == DF_STACK_SPILL)
			return spill_is_scalar(&cf->stack[k]);
		return cb == DF_STACK_MISC || cb == DF_STACK_ZERO;
	case DF_STACK_ZERO:
		if (cb == DF_STACK_SPILL)
			return spill_is_scalar(&cf->stack[k]) &&
			       spill_byte_zero(&cf->stack[k], j);
		return cb == DF_STACK_ZERO;
	default:
		return false;
	}
}

/* cn: the slots cf has allocated. */
static bool slot_safe(struct idmap *m, const struct df_vframe *of, const struct df_vframe *cf,
		      uint32_t cn, uint32_t k, enum df_exact level)
{
	const struct df_vreg *ov, *cv;
	struct df_vreg otmp, ctmp;
	uint64_t w = vf_slot_word(&of->stack[k]);
	bool ospill;

	if (!vf_word_written(w))
		return true;
	ospill = vf_word_has_spill(w);
	if (k >= cn)
		return false;
	if (w == vf_slot_word(&cf->stack[k]))
		return !ospill || regsafe(m, &of->stack[k].spill, &cf->stack[k].spill, level);
	ov = slot_scalar(of, k, true, &otmp);
	cv = ov ? slot_scalar(cf, k, false, &ctmp) : NULL;
	if (ov && cv)
		return regsafe(m, ov, cv, level);
	if (ospill) {
		for (uint32_t j = 0; j < 8; j++)
			if ((byte_type(of, k, j) == DF_STACK_SPILL) !=
			    (byte_type(cf, k, j) == DF_STACK_SPILL))
				return false;
		if (!regsafe(m, &of->stack[k].spill, &cf->stack[k].spill, level))
			return false;
	}
	for (uint32_t j = 0; j < 8; j++) {
		uint8_t b = byte_type(of, k, j);

		if (b == DF_STACK_INVALID || b == DF_STACK_SPILL)
			continue;
		if (!byte_safe(cf, k, j, b))
			return false;
	}
	return true;
}

static bool slot_exact(struct idmap *m, const struct df_vframe *of, const struct df_vframe *cf,
		       uint32_t k)
{
	bool spill = false;

	for (uint32_t j = 0; j < 8; j++) {
		uint8_t b = byte_type(of, k, j);

		if (b != byte_type(cf, k, j))
			return false;
		spill |= b == DF_STACK_SPILL;
	}
	return !spill || regs_exact(m, &of->stack[k].spill, &cf->stack[k].spill);
}

static bool stacksafe(struct idmap *m, const struct df_vframe *of, const struct df_vframe *cf,
		      enum df_exact level)
{
	uint32_t n = of->allocated / 8, cn = cf->allocated / 8;

	if (level == DF_EXACT) {
		if (cf->allocated > of->allocated)
			n = cf->allocated / 8;
		for (uint32_t k = 0; k < n; k++)
			if (!slot_exact(m, of, cf, k))
				return false;
		return true;
	}
	for (uint32_t k = 0; k < n; k++)
		if (!slot_safe(m, of, cf, cn, k, level))
			return false;
	return true;
}

/* §4.4: slot by slot over both counts, absent slots reading as NOT_INIT. */
static bool stack_arg_safe(struct idmap *m, const struct df_vframe *of,
			   const struct df_vframe *cf, enum df_exact level)
{
	static const struct df_vreg none;
	uint32_t n = of->out_stack_arg_cnt > cf->out_stack_arg_cnt ?
		     of->out_stack_arg_cnt : cf->out_stack_arg_cnt;

	if (n > DF_MAX_STACK_ARG_SLOTS)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		const struct df_vreg *o = i < of->out_stack_arg_cnt ? &of->stack_args[i] : &none;
		const struct df_vreg *c = i < cf->out_stack_arg_cnt ? &cf->stack_args[i] : &none;

		if (!regsafe(m, o, c, level))
			return false;
	}
	return true;
}

static bool func_states_equal(struct idmap *m, const struct df_vframe *of,
			      const struct df_vframe *cf, enum df_exact level)
{
	if (of->subprog != cf->subprog || of->in_callback != cf->in_callback)
		return false;
	if (level == DF_EXACT) {
		if (of->callback_depth != cf->callback_depth ||
		    of->no_stack_arg_load != cf->no_stack_arg_load)
			return false;
	} else {
		if (of->callback_depth > cf->callback_depth)
			return false;
		/* old went on with r11 loads allowed; cur must still reject them */
		if (!of->no_stack_arg_load && cf->no_stack_arg_load)
			return false;
	}
	for (uint32_t r = 0; r < DF_NREGS; r++)
		if (!regsafe(m, &of->regs[r], &cf->regs[r], level))
			return false;
	return stacksafe(m, of, cf, level) && stack_arg_safe(m, of, cf, level);
}

static bool refsafe(struct idmap *m, const struct df_vstate *old, const struct df_vstate *cur)
{
	if (old->ref_cnt != cur->ref_cnt)
		return false;
	for (uint32_t i = 0; i < old->ref_cnt; i++)
		if (!check_strict(m, old->refs[i], cur->refs[i]))
			return false;
	return true;
}

static bool states_equal(const struct df_prune_ctx *c, const struct df_vstate *old,
			 const struct df_vstate *cur, enum df_exact level, bool precise)
{
	struct idmap m;

	(void)c;
	if (!old || !cur || old->curframe != cur->curframe ||
	    old->curframe >= DF_MAX_CALL_FRAMES || old->insn_idx != cur->insn_idx)
		return false;
	for (uint32_t i = 0; i <= old->curframe; i++) {
		if (!old->frame[i] || !cur->frame[i])
			return false;
		if (old->frame[i]->callsite != cur->frame[i]->callsite)
			return false;
	}
	m.cnt = 0;
	m.tmp = 0;
	m.precise = precise;
	if (!refsafe(&m, old, cur))
		return false;
	for (uint32_t i = 0; i <= old->curframe; i++)
		if (!func_states_equal(&m, old->frame[i], cur->frame[i], level))
			return false;
	return true;
}

bool df_states_equal(const struct df_prune_ctx *c, const struct df_vstate *old,
		     const struct df_vstate *cur, enum df_exact level)
{
	return states_equal(c, old, cur, level, false);
}

bool df_states_equal_precise(const struct df_prune_ctx *c, const struct df_vstate *old,
			     const struct df_vstate *cur, enum df_exact level)
{
	return states_equal(c, old, cur, level, true);
}

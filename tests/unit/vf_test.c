/* SPDX-License-Identifier: BSD-2-Clause */
#include "vf_test.h"

#include <check.h>

struct df_vstate *vt_state(uint32_t n, uint32_t bytes)
{
	struct df_vstate *st = vf_state_new();

	ck_assert_ptr_nonnull(st);
	for (uint32_t f = 0; f < n; f++) {
		struct df_vframe *fr = st->frame[f];

		if (!fr) {
			fr = vf_frame_new(f, f ? 100 + f : UINT32_MAX, f);
			ck_assert_ptr_nonnull(fr);
			st->frame[f] = fr;
		}
		fr->callsite = f ? 100 + f : UINT32_MAX;
		fr->subprog = f;
		for (uint32_t r = 0; r < 10; r++)
			vf_mark_not_init(&fr->regs[r]);
		vf_mark_known_zero(&fr->regs[10]);
		fr->regs[10].type = DF_PTR_TO_STACK;
		fr->regs[10].frameno = f;
		if (bytes)
			ck_assert_int_eq(vf_stack_grow(fr, bytes), 0);
	}
	st->curframe = n - 1;
	st->insn_idx = VT_PC;
	return st;
}

struct df_vreg *vt_reg(struct df_vstate *st, uint32_t r)
{
	return &st->frame[st->curframe]->regs[r];
}

void vt_scalar(struct df_vreg *r, uint64_t lo, uint64_t hi)
{
	vf_mark_unknown(r);
	r->umin = lo;
	r->umax = hi;
	r->var_off = vf_tnum_range(lo, hi);
	vf_reg_bounds_sync(r);
}

void vt_ptr(struct df_vreg *r, enum df_vtype type, int32_t off, uint32_t aux)
{
	vf_mark_known_zero(r);
	r->type = type;
	r->off = off;
	r->aux = aux;
}

static const char byte_names[] = ".smzp";	/* by enum df_stype */

void vt_slot(struct df_vstate *st, uint32_t k, const char *types)
{
	struct df_vslot *s = &st->frame[st->curframe]->stack[k];

	for (uint32_t j = 0; j < 8; j++)
		s->type[j] = (uint8_t)(strchr(byte_names, types[j]) - byte_names);
}

struct df_vreg *vt_spill(struct df_vstate *st, uint32_t k)
{
	return &st->frame[st->curframe]->stack[k].spill;
}

void vt_ck_slot(const struct df_vstate *st, uint32_t k, const char *want)
{
	char got[9];

	for (uint32_t j = 0; j < 8; j++)
		got[j] = byte_names[st->frame[st->curframe]->stack[k].type[j]];
	got[8] = '\0';
	ck_assert_str_eq(got, want);
}

bool vt_eq(const struct df_vstate *old, const struct df_vstate *cur)
{
	return df_states_equal(NULL, old, cur, DF_NOT_EXACT);
}

void vt_one_way(const struct df_vstate *old, const struct df_vstate *cur)
{
	ck_assert(vt_eq(old, cur));
	ck_assert(!vt_eq(cur, old));
}

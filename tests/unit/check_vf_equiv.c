/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * State equivalence old ⊒ cur rule by rule (§4.2-4.5), each both ways:
 * registers by type, ids, stack bytes and spills, stack-argument slots,
 * frames, and the exact level.
 */
#include "vf_test.h"

#include <check.h>

/* ---------------------------------------------------------------- §4.2 regsafe */

START_TEST(identical)
{
	struct df_vstate *o = vt_state(1, 16), *c = vt_state(1, 16);

	vt_scalar(vt_reg(o, 1), 0, 10);
	vt_scalar(vt_reg(c, 1), 0, 10);
	ck_assert(vt_eq(o, c));
	ck_assert(df_states_equal(NULL, o, c, DF_RANGE_WITHIN));
	ck_assert(df_states_equal(NULL, o, c, DF_EXACT));
	c->insn_idx++;
	ck_assert(!vt_eq(o, c));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(scalar_ranges)
{
	struct df_vstate *o = vt_state(1, 0), *c = vt_state(1, 0);

	vt_scalar(vt_reg(o, 1), 0, 10);
	vt_scalar(vt_reg(c, 1), 2, 5);
	vt_one_way(o, c);
	ck_assert(!df_states_equal(NULL, o, c, DF_EXACT));
	/* the 32-bit view alone */
	vt_scalar(vt_reg(o, 1), 0, 10);
	vt_scalar(vt_reg(c, 1), 0, 10);
	vt_reg(c, 1)->s32min = -1;
	ck_assert(!vt_eq(o, c));
	/* inside the range but outside the known bits: even numbers vs 3 */
	vt_scalar(vt_reg(o, 1), 0, 14);
	vt_reg(o, 1)->var_off = (struct df_tnum){ 0, 0xe };
	vf_mark_known(vt_reg(c, 1), 3);
	ck_assert(!vt_eq(o, c));
	vf_mark_known(vt_reg(c, 1), 4);
	ck_assert(vt_eq(o, c));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

/* Each of the eight bounds on its own: cur one step outside old's. */
START_TEST(each_bound)
{
	struct df_vstate *o = vt_state(1, 0), *c = vt_state(1, 0);
	struct df_vreg *r = vt_reg(c, 1);

	vt_scalar(vt_reg(o, 1), 10, 20);
	for (int i = 0; i < 8; i++) {
		*r = *vt_reg(o, 1);
		ck_assert(vt_eq(o, c));
		switch (i) {
		case 0: r->umin--; break;
		case 1: r->umax++; break;
		case 2: r->smin--; break;
		case 3: r->smax++; break;
		case 4: r->u32min--; break;
		case 5: r->u32max++; break;
		case 6: r->s32min--; break;
		case 7: r->s32max++; break;
		}
		ck_assert_msg(!vt_eq(o, c), "bound %d", i);
		ck_assert(vt_eq(c, o));
	}
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(not_init)
{
	struct df_vstate *o = vt_state(1, 0), *c = vt_state(1, 0);

	vt_scalar(vt_reg(c, 4), 0, 10);
	vt_one_way(o, c);
	/* a loop being explored: old NOT_INIT covers only NOT_INIT */
	ck_assert(!df_states_equal(NULL, o, c, DF_RANGE_WITHIN));
	ck_assert(!df_states_equal(NULL, o, c, DF_EXACT));
	vf_mark_not_init(vt_reg(c, 4));
	ck_assert(df_states_equal(NULL, o, c, DF_RANGE_WITHIN));
	ck_assert(df_states_equal(NULL, o, c, DF_EXACT));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(map_value)
{
	struct df_vstate *o = vt_state(1, 0), *c = vt_state(1, 0);

	vt_scalar(vt_reg(o, 1), 0, 8);
	vt_reg(o, 1)->type = DF_PTR_TO_MAP_VALUE;
	vt_reg(o, 1)->off = 4;
	vt_scalar(vt_reg(c, 1), 0, 4);
	vt_reg(c, 1)->type = DF_PTR_TO_MAP_VALUE;
	vt_reg(c, 1)->off = 4;
	vt_one_way(o, c);
	vt_reg(c, 1)->off = 0;			/* fixed offset */
	ck_assert(!vt_eq(o, c));
	vt_reg(c, 1)->off = 4;
	vt_reg(c, 1)->aux = 1;			/* another map */
	ck_assert(!vt_eq(o, c));
	vt_reg(c, 1)->aux = 0;
	vt_reg(c, 1)->flags = DF_VF_MAYBE_NULL;	/* not null-checked */
	ck_assert(!vt_eq(o, c));
	vt_reg(c, 1)->flags = 0;
	vt_reg(c, 1)->type = DF_PTR_TO_MAP_KEY;
	ck_assert(!vt_eq(o, c));
	ck_assert(vt_eq(o, o));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(mem)
{
	struct df_vstate *o = vt_state(1, 0), *c = vt_state(1, 0);

	vt_ptr(vt_reg(o, 1), DF_PTR_TO_MEM, 0, 64);
	vt_ptr(vt_reg(c, 1), DF_PTR_TO_MEM, 0, 64);
	ck_assert(vt_eq(o, c));
	vt_reg(c, 1)->aux = 128;			/* size of the memory */
	ck_assert(!vt_eq(o, c));
	ck_assert(!vt_eq(c, o));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(packet)
{
	struct df_vstate *o = vt_state(1, 0), *c = vt_state(1, 0);

	vt_ptr(vt_reg(o, 2), DF_PTR_TO_PACKET, 0, 8);
	vt_ptr(vt_reg(c, 2), DF_PTR_TO_PACKET, 0, 16);
	vt_one_way(o, c);				/* cur has verified more bytes */
	vt_reg(c, 2)->off = 2;
	ck_assert(!vt_eq(o, c));
	vt_ptr(vt_reg(o, 2), DF_PTR_TO_PACKET_META, 0, 0);
	vt_ptr(vt_reg(c, 2), DF_PTR_TO_PACKET, 0, 0);
	ck_assert(!vt_eq(o, c));
	vt_ptr(vt_reg(o, 2), DF_PTR_TO_PACKET_END, 0, 0);
	vt_ptr(vt_reg(c, 2), DF_PTR_TO_PACKET_END, 0, 0);
	ck_assert(vt_eq(o, c));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(stack_ptr)
{
	struct df_vstate *o = vt_state(2, 0), *c = vt_state(2, 0);

	vt_ptr(vt_reg(o, 1), DF_PTR_TO_STACK, -8, 0);
	vt_ptr(vt_reg(c, 1), DF_PTR_TO_STACK, -8, 0);
	ck_assert(vt_eq(o, c));
	vt_reg(c, 1)->frameno = 1;			/* fp-8 of another frame */
	ck_assert(!vt_eq(o, c));
	ck_assert(!vt_eq(c, o));
	vt_reg(c, 1)->frameno = 0;
	vt_reg(c, 1)->off = -16;
	ck_assert(!vt_eq(o, c));
	/* a variable part is not compared by containment */
	vt_scalar(vt_reg(o, 1), 0, 8);
	vt_reg(o, 1)->type = DF_PTR_TO_STACK;
	vt_reg(o, 1)->off = -16;
	vt_scalar(vt_reg(c, 1), 0, 4);
	vt_reg(c, 1)->type = DF_PTR_TO_STACK;
	vt_reg(c, 1)->off = -16;
	ck_assert(!vt_eq(o, c));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(other_ptrs)
{
	struct df_vstate *o = vt_state(1, 0), *c = vt_state(1, 0);

	vt_ptr(vt_reg(o, 1), DF_PTR_TO_CTX, 0, 0);
	vt_ptr(vt_reg(c, 1), DF_PTR_TO_CTX, 0, 0);
	ck_assert(vt_eq(o, c));
	vt_reg(c, 1)->off = 8;
	ck_assert(!vt_eq(o, c));
	vt_ptr(vt_reg(o, 1), DF_CONST_PTR_TO_MAP, 0, 0);
	vt_ptr(vt_reg(c, 1), DF_CONST_PTR_TO_MAP, 0, 1);
	ck_assert(!vt_eq(o, c));
	vt_ptr(vt_reg(o, 1), DF_PTR_TO_FUNC, 0, 2);
	vt_ptr(vt_reg(c, 1), DF_PTR_TO_FUNC, 0, 2);
	ck_assert(vt_eq(o, c));
	vt_reg(c, 1)->aux = 3;
	ck_assert(!vt_eq(o, c));
	/* an unknown scalar does not cover a pointer, nor the reverse */
	vf_mark_unknown(vt_reg(o, 1));
	vt_ptr(vt_reg(c, 1), DF_PTR_TO_CTX, 0, 0);
	ck_assert(!vt_eq(o, c));
	ck_assert(!vt_eq(c, o));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(ids)
{
	struct df_vstate *o = vt_state(1, 0), *c = vt_state(1, 0);

	/* old r1 and r2 are one value, cur's are independent */
	vt_scalar(vt_reg(o, 1), 0, 10);
	vt_reg(o, 1)->id = 1;
	*vt_reg(o, 2) = *vt_reg(o, 1);
	vt_scalar(vt_reg(c, 1), 0, 10);
	vt_reg(c, 1)->id = 2;
	*vt_reg(c, 2) = *vt_reg(c, 1);
	vt_reg(c, 2)->id = 3;
	ck_assert(!vt_eq(o, c));
	vt_reg(c, 1)->id = vt_reg(c, 2)->id = 0;		/* fresh temporary ids differ */
	ck_assert(!vt_eq(o, c));
	vt_reg(c, 1)->id = vt_reg(c, 2)->id = 7;		/* renamed */
	ck_assert(vt_eq(o, c));
	ck_assert(df_states_equal(NULL, o, c, DF_EXACT));
	/* old relies on no link: cur's links do not matter */
	vt_reg(o, 1)->id = vt_reg(o, 2)->id = 0;
	ck_assert(vt_eq(o, c));
	ck_assert(!df_states_equal(NULL, o, c, DF_EXACT));
	/* two old values cannot both be one cur value */
	vt_reg(o, 1)->id = 1;
	vt_reg(o, 2)->id = 2;
	ck_assert(!vt_eq(o, c));

	/* null checks: two copies of one lookup result vs two lookups */
	vt_ptr(vt_reg(o, 1), DF_PTR_TO_MAP_VALUE, 0, 0);
	vt_reg(o, 1)->flags = DF_VF_MAYBE_NULL;
	vt_reg(o, 1)->id = 4;
	*vt_reg(o, 2) = *vt_reg(o, 1);
	*vt_reg(c, 1) = *vt_reg(o, 1);
	*vt_reg(c, 2) = *vt_reg(o, 1);
	vt_reg(c, 1)->id = 5;
	vt_reg(c, 2)->id = 5;
	ck_assert(vt_eq(o, c));
	vt_reg(c, 2)->id = 6;
	ck_assert(!vt_eq(o, c));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(refs)
{
	struct df_vstate *o = vt_state(1, 0), *c = vt_state(1, 0);

	vt_ptr(vt_reg(o, 6), DF_PTR_TO_SOCKET, 0, 0);
	vt_reg(o, 6)->ref_obj_id = vt_reg(o, 6)->id = 3;
	ck_assert_int_eq(vf_state_add_ref(o, 3), 0);
	vt_ptr(vt_reg(c, 6), DF_PTR_TO_SOCKET, 0, 0);
	vt_reg(c, 6)->ref_obj_id = vt_reg(c, 6)->id = 9;
	ck_assert_int_eq(vf_state_add_ref(c, 9), 0);
	ck_assert(vt_eq(o, c));
	ck_assert(df_states_equal(NULL, o, c, DF_EXACT));
	/* the reference in the register is not the one held */
	vt_reg(c, 6)->ref_obj_id = 8;
	ck_assert(!vt_eq(o, c));
	vt_reg(c, 6)->ref_obj_id = 9;
	ck_assert(vf_state_del_ref(c, 9));
	ck_assert(!vt_eq(o, c));
	ck_assert_int_eq(vf_state_add_ref(c, 9), 0);
	ck_assert_int_eq(vf_state_add_ref(c, 10), 0);
	ck_assert(!vt_eq(o, c));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

/* ---------------------------------------------------------------- §4.3 stacksafe */

START_TEST(stack_bytes)
{
	struct df_vstate *o = vt_state(1, 16), *c = vt_state(1, 16);

	vt_slot(o, 0, "mmmm....");
	ck_assert(!vt_eq(o, c));			/* old read it, cur never wrote it */
	vt_slot(c, 0, "mmmmmmmm");
	vt_one_way(o, c);				/* old never needed the far half */
	vt_slot(c, 0, "zzzzmmmm");
	ck_assert(vt_eq(o, c));			/* zero is one of the unknowns */
	vt_slot(o, 0, "zzzz....");
	vt_slot(c, 0, "mmmm....");
	vt_one_way(c, o);
	vt_slot(o, 0, "mmmm....");
	vt_slot(c, 0, "mmpp....");
	ck_assert(!vt_eq(o, c));			/* POISON is INVALID */
	vt_slot(o, 0, "pppp....");
	ck_assert(vt_eq(o, c));
	vt_slot(c, 0, "........");
	ck_assert(vt_eq(o, c));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(stack_alloc)
{
	struct df_vstate *o = vt_state(1, 16), *c = vt_state(1, 8);

	vt_slot(c, 0, "mmmmmmmm");
	vt_slot(o, 0, "mmmmmmmm");
	ck_assert(vt_eq(o, c));			/* old's second slot is unused */
	o->frame[0]->stack[1].type[3] = DF_STACK_MISC;
	ck_assert(!vt_eq(o, c));			/* beyond cur's stack */
	ck_assert(vt_eq(c, o));
	ck_assert(!df_states_equal(NULL, c, o, DF_EXACT));
	o->frame[0]->stack[1].type[3] = DF_STACK_POISON;
	ck_assert(df_states_equal(NULL, c, o, DF_EXACT));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(spill_vs_misc)
{
	struct df_vstate *o = vt_state(1, 8), *c = vt_state(1, 8);

	/* step 5: an unknown scalar spill and MISC bytes read the same */
	vt_slot(o, 0, "ssssssss");
	vf_mark_unknown(vt_spill(o, 0));
	vt_slot(c, 0, "mmmmmmmm");
	ck_assert(vt_eq(o, c));
	ck_assert(vt_eq(c, o));
	ck_assert(!df_states_equal(NULL, o, c, DF_EXACT));
	/* a bounded spill does not cover unknown bytes */
	vt_scalar(vt_spill(o, 0), 0, 10);
	vt_one_way(c, o);
	/* ZERO bytes are the constant 0 */
	vt_slot(c, 0, "zzzzzzzz");
	vf_mark_known(vt_spill(o, 0), 0);
	ck_assert(vt_eq(o, c));
	ck_assert(vt_eq(c, o));
	vf_mark_known(vt_spill(o, 0), 1);
	ck_assert(!vt_eq(c, o));
	/* known-zero bytes of a spill match ZERO bytes, per byte */
	vt_slot(c, 0, "zzzzmmmm");
	vf_mark_known(vt_spill(o, 0), 5);
	vt_one_way(c, o);
	vf_mark_known(vt_spill(o, 0), UINT64_C(5) << 40);
	ck_assert(!vt_eq(c, o));
	vt_slot(c, 0, "zzmzmmmm");			/* byte 5 of the value is slot byte 2 */
	ck_assert(vt_eq(c, o));
	/* old bytes that are no one scalar: ZERO against the spill's bytes one by one */
	vt_slot(c, 0, "zzzz....");
	vf_mark_known(vt_spill(o, 0), 5);
	vt_one_way(c, o);
	vf_mark_known(vt_spill(o, 0), UINT64_C(5) << 40);
	ck_assert(!vt_eq(c, o));
	vt_slot(c, 0, "mmmm....");
	ck_assert(vt_eq(c, o));
	/* a cur narrow spill (the far half) next to MISC or ZERO bytes */
	vt_slot(o, 0, "mmmmmmmm");
	vt_slot(c, 0, "mmmmssss");
	vf_mark_known(vt_spill(c, 0), 7);
	ck_assert(vt_eq(o, c));
	vt_slot(o, 0, "zzzzmmmm");
	ck_assert(!vt_eq(o, c));
	vt_slot(c, 0, "zzzzssss");
	ck_assert(vt_eq(o, c));
	/* only its low 4 bytes are stored */
	vf_mark_known(vt_spill(c, 0), UINT64_C(1) << 32);
	ck_assert(vt_eq(o, c));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(spill_scalars)
{
	struct df_vstate *o = vt_state(1, 8), *c = vt_state(1, 8);

	vt_slot(o, 0, "ssssssss");
	vt_slot(c, 0, "ssssssss");
	vt_scalar(vt_spill(o, 0), 0, 100);
	vt_scalar(vt_spill(c, 0), 10, 20);
	vt_one_way(o, c);
	/* a narrow spill in old needs the same bytes spilled in cur */
	vt_slot(o, 0, "mmmmssss");
	vt_slot(c, 0, "mmmmssss");
	vt_scalar(vt_spill(o, 0), 0, 100);
	vt_scalar(vt_spill(c, 0), 10, 20);
	vt_one_way(o, c);
	vt_slot(c, 0, "ssssssss");
	ck_assert(!vt_eq(o, c));
	vt_slot(c, 0, "mmmmmmmm");
	ck_assert(!vt_eq(o, c));
	/* ids of spills go through the same map as registers */
	vt_slot(o, 0, "ssssssss");
	vt_slot(c, 0, "ssssssss");
	vt_scalar(vt_spill(o, 0), 0, 10);
	*vt_spill(c, 0) = *vt_spill(o, 0);
	vt_spill(o, 0)->id = 1;
	vt_spill(c, 0)->id = 2;
	*vt_reg(o, 1) = *vt_spill(o, 0);
	*vt_reg(c, 1) = *vt_spill(c, 0);
	ck_assert(vt_eq(o, c));
	vt_reg(c, 1)->id = 3;
	ck_assert(!vt_eq(o, c));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(spill_pointers)
{
	struct df_vstate *o = vt_state(1, 8), *c = vt_state(1, 8);

	vt_slot(o, 0, "ssssssss");
	vt_slot(c, 0, "ssssssss");
	vt_ptr(vt_spill(o, 0), DF_PTR_TO_MAP_VALUE, 0, 0);
	vt_ptr(vt_spill(c, 0), DF_PTR_TO_MAP_VALUE, 0, 0);
	ck_assert(vt_eq(o, c));
	vt_spill(c, 0)->flags = DF_VF_MAYBE_NULL;
	ck_assert(!vt_eq(o, c));
	vf_mark_unknown(vt_spill(c, 0));
	ck_assert(!vt_eq(o, c));			/* pointer vs scalar */
	ck_assert(!vt_eq(c, o));
	/* MISC bytes never cover a spilled pointer */
	vt_ptr(vt_spill(c, 0), DF_PTR_TO_CTX, 0, 0);
	vt_slot(o, 0, "mmmmmmmm");
	ck_assert(!vt_eq(o, c));
	ck_assert(!vt_eq(c, o));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

/* ---------------------------------------------------------------- §4.4, §4.5 */

START_TEST(b16_stack_arg_not_init)
{
	struct df_vstate *o = vt_state(1, 0), *c = vt_state(1, 0);

	c->frame[0]->out_stack_arg_cnt = 1;
	vf_mark_known(&c->frame[0]->stack_args[0], 6);
	vt_one_way(o, c);
	/* a present but NOT_INIT slot (invalidated) is the same as none */
	o->frame[0]->out_stack_arg_cnt = 2;
	vf_mark_not_init(&o->frame[0]->stack_args[0]);
	vf_mark_not_init(&o->frame[0]->stack_args[1]);
	vt_one_way(o, c);
	/* slot by slot within the ranges */
	vt_scalar(&o->frame[0]->stack_args[0], 0, 10);
	ck_assert(vt_eq(o, c));
	vf_mark_known(&c->frame[0]->stack_args[0], 11);
	ck_assert(!vt_eq(o, c));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(b15_stack_arg_types)
{
	struct df_vstate *o = vt_state(1, 0), *c = vt_state(1, 0);

	o->frame[0]->out_stack_arg_cnt = c->frame[0]->out_stack_arg_cnt = 1;
	vt_ptr(&o->frame[0]->stack_args[0], DF_PTR_TO_MAP_VALUE, 0, 0);
	vf_mark_known(&c->frame[0]->stack_args[0], 0);
	ck_assert(!vt_eq(o, c));
	ck_assert(!vt_eq(c, o));
	vt_ptr(&c->frame[0]->stack_args[0], DF_PTR_TO_MAP_VALUE, 0, 0);
	ck_assert(vt_eq(o, c));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(b9c_no_stack_arg_load)
{
	struct df_vstate *o = vt_state(2, 0), *c = vt_state(2, 0);

	c->frame[1]->no_stack_arg_load = true;
	vt_one_way(c, o);				/* old false, cur true: unsafe */
	ck_assert(!df_states_equal(NULL, c, o, DF_EXACT));
	o->frame[1]->no_stack_arg_load = true;
	ck_assert(df_states_equal(NULL, c, o, DF_EXACT));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(frames)
{
	struct df_vstate *o = vt_state(2, 8), *c = vt_state(2, 8);

	o->frame[1]->callback_depth = 1;
	vt_one_way(c, o);				/* old deeper in callbacks: unsafe */
	o->frame[1]->callback_depth = 0;
	c->frame[1]->callsite = 200;
	ck_assert(!vt_eq(o, c));
	c->frame[1]->callsite = o->frame[1]->callsite;
	ck_assert(vt_eq(o, c));
	/* outer frames are compared too */
	o->frame[0]->stack[0].type[0] = DF_STACK_MISC;
	ck_assert(!vt_eq(o, c));
	c->frame[0]->stack[0].type[0] = DF_STACK_MISC;
	vt_scalar(&o->frame[0]->regs[6], 0, 1);
	vt_scalar(&c->frame[0]->regs[6], 0, 2);
	ck_assert(!vt_eq(o, c));
	ck_assert(vt_eq(c, o));
	c->curframe = 0;
	ck_assert(!vt_eq(o, c));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(exact_level)
{
	struct df_vstate *o = vt_state(1, 8), *c = vt_state(1, 8);

	vt_scalar(vt_reg(o, 1), 0, 10);
	vt_scalar(vt_reg(c, 1), 0, 10);
	vt_slot(o, 0, "mmmmpppp");
	vt_slot(c, 0, "mmmm....");
	ck_assert(df_states_equal(NULL, o, c, DF_EXACT));
	vt_slot(c, 0, "mmmmzzzz");
	ck_assert(!df_states_equal(NULL, o, c, DF_EXACT));
	ck_assert(vt_eq(o, c));
	vt_slot(c, 0, "mmmm....");
	vt_scalar(vt_reg(c, 1), 0, 9);
	ck_assert(!df_states_equal(NULL, o, c, DF_EXACT));
	ck_assert(vt_eq(o, c));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vf_equiv");
	TCase *t = tcase_create("equiv");

	tcase_add_test(t, identical);
	tcase_add_test(t, scalar_ranges);
	tcase_add_test(t, each_bound);
	tcase_add_test(t, not_init);
	tcase_add_test(t, map_value);
	tcase_add_test(t, mem);
	tcase_add_test(t, packet);
	tcase_add_test(t, stack_ptr);
	tcase_add_test(t, other_ptrs);
	tcase_add_test(t, ids);
	tcase_add_test(t, refs);
	tcase_add_test(t, stack_bytes);
	tcase_add_test(t, stack_alloc);
	tcase_add_test(t, spill_vs_misc);
	tcase_add_test(t, spill_scalars);
	tcase_add_test(t, spill_pointers);
	tcase_add_test(t, b16_stack_arg_not_init);
	tcase_add_test(t, b15_stack_arg_types);
	tcase_add_test(t, b9c_no_stack_arg_load);
	tcase_add_test(t, frames);
	tcase_add_test(t, exact_level);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int fails;

	srunner_run_all(r, CK_NORMAL);
	fails = srunner_ntests_failed(r);
	srunner_free(r);
	return fails ? 1 : 0;
}

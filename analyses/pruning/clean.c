// SPDX-License-Identifier: BSD-2-Clause
/*
 * Cleaning a state with the liveness results before it is compared and
 * cached (§3.13), and the liveness queries the modes use (§3.11, §3.12).
 *
 * Registers: r0..r9 of frame F that are not live before F's pc (the top
 * frame's insn, an outer frame's call insn) become NOT_INIT; r10 stays.
 *
 * Stack, per slot with near half 2k (bytes 0..3) and far half 2k+1:
 *   both halves alive        unchanged;
 *   one half dead            a spill lying wholly in the live half stays;
 *                            a spilled pointer reaching into the dead
 *                            half leaves the slot unchanged (it cannot be
 *                            split); a spilled scalar reaching into it is
 *                            dropped and its bytes in the live half become
 *                            MISC, or ZERO when the value is known 0;
 *   then                     every byte of a dead half becomes POISON.
 * The reference leaves a spill with a dead near half and a live far half
 * open; it is treated like the other direction (pointer kept whole, scalar
 * demoted to MISC/ZERO bytes in the far half), which only forgets facts.
 * INVALID bytes stay INVALID: poisoning them would turn a read of
 * never-written stack into a report of a liveness bug.
 */
#include "vf.h"
#include "liveness.h"

#define BPF_FP	10

/* pc of frame F of st: the top frame's insn, an outer frame's call insn. */
static uint32_t frame_pc(const struct df_vstate *st, uint32_t frame)
{
	return frame == st->curframe ? st->insn_idx : st->frame[frame + 1]->callsite;
}

static uint16_t live_regs(const struct df_prune_ctx *c, const struct df_vstate *st,
			  uint32_t frame)
{
	uint32_t pc = frame_pc(st, frame);
	uint16_t mask;

	if (!c || !c->regs)
		return 0xffff;
	if (!c->live)
		return df_regs_live_before(c->regs, pc, &mask) ? 0xffff : mask;
	/* checkpoints ask for their pcs again and again: all of them in one pass */
	if (!c->live->ready && df_regs_live_all(c->regs, c->live->pc))
		memset(c->live->pc, 0, df_solver_prog(c->regs)->insn_cnt * sizeof(uint32_t));
	c->live->ready = true;
	return c->live->pc[pc] ? (uint16_t)c->live->pc[pc] : 0xffff;
}

bool df_prune_reg_live(const struct df_prune_ctx *c, const struct df_vstate *st,
		       uint32_t frame, uint32_t regno)
{
	if (regno >= BPF_FP || !st || frame > st->curframe)
		return true;
	return live_regs(c, st, frame) & (1u << regno);
}

/* The frames' pcs and entry call sites as df_stack_alive() wants them. */
static void stack_chain(const struct df_prune_ctx *c, const struct df_vstate *st,
			uint32_t *pcs, uint32_t *callsites)
{
	const struct df_cfg *cfg = df_solver_cfg(c->stack);
	uint32_t sub = st->frame[0]->subprog;

	for (uint32_t j = 0; j <= st->curframe; j++) {
		pcs[j] = frame_pc(st, j);
		callsites[j] = st->frame[j]->callsite;
	}
	callsites[0] = cfg && sub < cfg->subprog_cnt ? cfg->subprogs[sub].start : pcs[0];
}

bool df_prune_half_live(const struct df_prune_ctx *c, const struct df_vstate *st,
			uint32_t frame, uint32_t half)
{
	uint32_t pcs[DF_MAX_CALL_FRAMES], callsites[DF_MAX_CALL_FRAMES];

	if (!c || !c->stack || !st || st->curframe >= DF_MAX_CALL_FRAMES ||
	    frame > st->curframe || half >= DF_HALVES)
		return true;
	stack_chain(c, st, pcs, callsites);
	return df_stack_alive(c->stack, pcs, callsites, st->curframe, frame, half);
}

void df_clean_regs(const struct df_prune_ctx *c, struct df_vstate *st)
{
	if (!c || !c->regs || !st)
		return;
	for (uint32_t f = 0; f <= st->curframe && f < DF_MAX_CALL_FRAMES; f++) {
		uint16_t live = live_regs(c, st, f);

		for (uint32_t r = 0; r < BPF_FP; r++)
			if (!(live & (1u << r)) && st->frame[f]->regs[r].type != DF_NOT_INIT)
				vf_mark_not_init(&st->frame[f]->regs[r]);
	}
}

/* Some byte is SPILL, MISC or ZERO: the types with one of the two low bits set. */
static bool slot_written(const struct df_vslot *s)
{
	uint64_t w;

	_Static_assert(DF_STACK_INVALID == 0 && DF_STACK_SPILL == 1 && DF_STACK_MISC == 2 &&
		       DF_STACK_ZERO == 3 && DF_STACK_POISON == 4, "byte types as tested");
	memcpy(&w, s->type, sizeof(w));
	return w & UINT64_C(0x0303030303030303);
}

static void clean_slot(struct df_vslot *s, bool near_live, bool far_live)
{
	/* bit j: byte j is in a dead half */
	uint8_t dead = (near_live ? 0 : 0x0f) | (far_live ? 0 : 0xf0);
	uint8_t spill = 0;

	for (uint32_t j = 0; j < 8; j++)
		if (s->type[j] == DF_STACK_SPILL)
			spill |= 1u << j;
	if (spill & dead && dead != 0xff) {
		bool zero = !s->spill.var_off.value && !s->spill.var_off.mask;

		if (s->spill.type != DF_SCALAR)
			return;
		for (uint32_t j = 0; j < 8; j++)
			if (spill & ~dead & (1u << j))
				s->type[j] = zero ? DF_STACK_ZERO : DF_STACK_MISC;
		spill = 0;
	}
	for (uint32_t j = 0; j < 8; j++) {
		if (dead & (1u << j) && s->type[j] != DF_STACK_INVALID) {
			s->type[j] = DF_STACK_POISON;
			spill &= ~(1u << j);
		}
	}
	if (!spill && s->spill.type != DF_NOT_INIT)
		vf_mark_not_init(&s->spill);
}

void df_clean_stack(const struct df_prune_ctx *c, struct df_vstate *st)
{
	uint32_t pcs[DF_MAX_CALL_FRAMES], callsites[DF_MAX_CALL_FRAMES];

	if (!c || !c->stack || !st || st->curframe >= DF_MAX_CALL_FRAMES)
		return;
	stack_chain(c, st, pcs, callsites);
	for (uint32_t f = 0; f <= st->curframe; f++) {
		struct df_vframe *fr = st->frame[f];
		uint32_t n = fr->allocated / 8;

		if (n > DF_HALVES / 2)
			n = DF_HALVES / 2;
		struct df_halves live;
		bool asked = false;

		for (uint32_t k = 0; k < n; k++) {
			struct df_vslot *s = &fr->stack[k];
			bool near, far;

			if (!slot_written(s))
				continue;
			if (!asked) {
				df_stack_alive_mask(c->stack, pcs, callsites, st->curframe, f,
						    &live);
				asked = true;
			}
			near = df_halves_test(&live, 2 * k);
			far = df_halves_test(&live, 2 * k + 1);
			if (!near || !far)
				clean_slot(s, near, far);
		}
	}
}

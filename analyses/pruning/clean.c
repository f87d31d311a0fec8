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
		struct df_vreg *regs = st->frame[f]->regs;
		uint32_t dead = ~(uint32_t)live_regs(c, st, f) & ((1u << BPF_FP) - 1);

		for (; dead; dead &= dead - 1) {
			uint32_t r = (uint32_t)__builtin_ctz(dead);

			if (regs[r].type != DF_NOT_INIT)
				vf_mark_not_init(&regs[r]);
		}
	}
}

/* 0xff in each byte of w that is not 0, 0 in the others. */
static uint64_t nonzero_bytes(uint64_t w)
{
	return (((((w & VF_BYTES(0x7f)) + VF_BYTES(0x7f)) | w) & VF_BYTES(0x80)) >> 7) * 0xff;
}

static bool slot_written(const struct df_vslot *s)
{
	return vf_word_written(vf_slot_word(s));
}

/* Bytes 0..3 (the near half) of a slot word. */
static uint64_t near_bytes(void)
{
	static const uint8_t b[8] = { 0xff, 0xff, 0xff, 0xff };
	uint64_t w;

	memcpy(&w, b, sizeof(w));
	return w;
}

static void clean_slot(struct df_vslot *s, bool near_live, bool far_live)
{
	uint64_t w = vf_slot_word(s), near = near_bytes();
	uint64_t dead = (near_live ? 0 : near) | (far_live ? 0 : ~near);
	uint64_t spill = ~nonzero_bytes(w ^ VF_BYTES(DF_STACK_SPILL));
	uint64_t keep = spill & ~dead, poison;

	if (spill & dead && ~dead) {
		bool zero = !s->spill.var_off.value && !s->spill.var_off.mask;

		if (s->spill.type != DF_SCALAR)
			return;
		w = (w & ~keep) | (keep & VF_BYTES(zero ? DF_STACK_ZERO : DF_STACK_MISC));
		keep = 0;
	}
	poison = dead & nonzero_bytes(w);
	w = (w & ~poison) | (poison & VF_BYTES(DF_STACK_POISON));
	memcpy(s->type, &w, sizeof(w));
	if (!keep && s->spill.type != DF_NOT_INIT)
		vf_mark_not_init(&s->spill);
}

/* Cleans the written slots of fr with a dead half; live is asked only when one is written. */
static void clean_frame(const struct df_prune_ctx *c, const uint32_t *pcs,
			const uint32_t *callsites, uint32_t cur, uint32_t f, struct df_vframe *fr)
{
	uint32_t n = fr->allocated / 8, k = 0;
	struct df_halves live;

	if (n > DF_HALVES / 2)
		n = DF_HALVES / 2;
	while (k < n && !slot_written(&fr->stack[k]))
		k++;
	if (k == n)
		return;
	df_stack_alive_mask(c->stack, pcs, callsites, cur, f, &live);
	for (uint32_t w = k / 32; w < 2 && 32 * w < n; w++) {
		uint32_t lo = 32 * w;
		uint64_t d = ~live.w[w];
		/* bit 2i: slot lo + i, in [k, n), has a dead half */
		uint64_t m = (d | d >> 1) & UINT64_C(0x5555555555555555);

		if (n - lo < 32)
			m &= (UINT64_C(1) << (2 * (n - lo))) - 1;
		if (k > lo)
			m &= ~((UINT64_C(1) << (2 * (k - lo))) - 1);
		for (; m; m &= m - 1) {
			uint32_t b = (uint32_t)__builtin_ctzll(m);
			struct df_vslot *s = &fr->stack[lo + b / 2];

			if (slot_written(s))
				clean_slot(s, !(d >> b & 1), !(d >> (b + 1) & 1));
		}
	}
}

void df_clean_stack(const struct df_prune_ctx *c, struct df_vstate *st)
{
	uint32_t pcs[DF_MAX_CALL_FRAMES], callsites[DF_MAX_CALL_FRAMES];

	if (!c || !c->stack || !st || st->curframe >= DF_MAX_CALL_FRAMES)
		return;
	stack_chain(c, st, pcs, callsites);
	for (uint32_t f = 0; f <= st->curframe; f++)
		clean_frame(c, pcs, callsites, st->curframe, f, st->frame[f]);
}

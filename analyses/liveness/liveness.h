/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Liveness: registers ("regs") and 4-byte stack half-slots ("stack").
 * Design and equations in regs.c, stack.c and docs/liveness.md.
 */
#ifndef DF_LIVENESS_H
#define DF_LIVENESS_H

#include "dataflow.h"

/*
 * ---- register liveness: backward, intraprocedural; state uint32_t ----
 * Bit r: the low 32 bits of rN are live; bit 16 + r: its upper 32 bits
 * (r0..r9; r10 is never tracked).
 */
extern DF_API const struct df_analysis df_regs_analysis;	/* "regs" */

/* Registers live before pc (bit r = rN), joined over contexts; -ENOENT if unreached. */
DF_API int df_regs_live_before(const struct df_solver *s, uint32_t pc, uint16_t *mask);
/*
 * The same for every pc in one pass: live[pc] (insn_cnt entries) gets the
 * mask | DF_REGS_REACHED, or 0 where no context reaches pc.
 */
#define DF_REGS_REACHED	(1u << 16)
DF_API int df_regs_live_all(const struct df_solver *s, uint32_t *live);
/*
 * Whether the instruction at pc writes a 32-bit subregister whose upper
 * half is live after it (a JIT that does not zero-extend must do it).
 */
DF_API int df_regs_zext(const struct df_solver *s, uint32_t pc, bool *zext);
/*
 * The kernel's "Live regs before insn:" listing, one line per instruction
 * ("%3d: " then r0..r9 as digit or '.', a space, "(%02x) " and the
 * disassembly); unreached instructions show no live register, as in the
 * kernel.
 */
DF_API int df_regs_dump(FILE *f, const struct df_solver *s);

/* ---- half-slot stack liveness: "stack", requires "argtrack" ---- */
#define DF_HALVES	128	/* 4-byte halves per frame; half h = [fp-4(h+1), fp-4h) */

struct df_halves {
	uint64_t w[2];		/* bit h of w[h / 64] */
};

static inline bool df_halves_test(const struct df_halves *h, uint32_t i)
{
	return i < DF_HALVES && (h->w[i / 64] >> (i % 64)) & 1;
}

extern DF_API const struct df_analysis df_stack_analysis;	/* "stack" */

/* An instance: a subprogram analysed at (callsite, depth), variants merged. */
struct df_stack_instance {
	uint32_t subprog;
	uint32_t callsite;	/* subprog start for depth-0 roots */
	uint32_t depth;
};

DF_API uint32_t df_stack_instance_cnt(const struct df_solver *s);
/* Instances sorted by callsite, then depth (the kernel's listing order). */
DF_API int df_stack_instance(const struct df_solver *s, uint32_t i,
			     struct df_stack_instance *out);
/*
 * Masks of frame 0..depth of instance i at pc: may_read ("use"),
 * must_write ("def") and live_before. -ENOENT: pc not reached there.
 */
DF_API int df_stack_masks(const struct df_solver *s, uint32_t i, uint32_t pc,
			  uint32_t frame, struct df_halves *use,
			  struct df_halves *def, struct df_halves *live);

/*
 * §3.11: is half h of frame F alive in a verifier state whose frames
 * 0..cur run at pcs[0..cur] (pcs[j] for j < cur is the call insn that
 * created frame j+1) with callsites[j] the call that entered frame j
 * (callsites[0] = the root's start)? Missing instances answer alive.
 */
DF_API bool df_stack_alive(const struct df_solver *s, const uint32_t *pcs,
			   const uint32_t *callsites, uint32_t cur, uint32_t F,
			   uint32_t h);
/* The same for every half of frame F at once: live gets the alive ones. */
DF_API void df_stack_alive_mask(const struct df_solver *s, const uint32_t *pcs,
				const uint32_t *callsites, uint32_t cur, uint32_t F,
				struct df_halves *live);

/* Half-slot list of one frame: "fp0-8 fp0-16h fp0-24..-40". */
DF_API int df_halves_snprint(char *buf, size_t len, uint32_t frame,
			     const struct df_halves *h);

/*
 * Stack access of argument arg (0-based: r1..r5, then the stack args) of
 * the helper or kfunc call at pc, from the prototype table, with map sizes
 * and constant size arguments as known before the call (argtrack is the
 * solved "argtrack" analysis): 0 none, n > 0 reads n bytes, n < 0 writes -n
 * bytes, DF_ACCESS_UNKNOWN reads everything from the pointer up to the
 * frame pointer. -ENOENT: the callee is not in the table (the recording
 * pass then reads every half of every frame).
 */
#define DF_ACCESS_UNKNOWN INT64_MIN
DF_API int df_call_stack_access(const struct df_solver *argtrack, uint32_t pc,
				unsigned arg, int64_t *size);

#endif

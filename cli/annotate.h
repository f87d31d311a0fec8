/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-instruction facts of the built-in analyses as text, shared by
 * `bpfdf analyze` and the fixture runner (docs/analyze.md).
 */
#ifndef BPFDF_ANNOTATE_H
#define BPFDF_ANNOTATE_H

#include "dataflow.h"
#include "argtrack.h"
#include "liveness.h"

#include <stdbool.h>
#include <stdio.h>

/* ".1....6..." : one column per r0..r9. */
void an_regs_str(char buf[11], uint16_t mask);

/*
 * The kernel's "stack use/def" listing of one instance: a header line,
 * then "%3d: (op) insn ; use: ... def: ..." for the instructions with a
 * non-empty use or def. Frames are printed from the highest down.
 */
int an_stack_instance(FILE *f, const struct df_prog *prog, const struct df_cfg *cfg,
		      const struct df_solver *stack, uint32_t inst);
/* All instances, in the solver's order (callsite, then depth). */
int an_stack_listing(FILE *f, const struct df_prog *prog, const struct df_cfg *cfg,
		     const struct df_solver *stack);

/* Frames 0..depth of masks as "fp1-8 fp0-16h" (highest frame first); "" if empty. */
void an_halves_frames(char *buf, size_t len, const struct df_halves *h, uint32_t nframes);

/*
 * Masks at pc united over the instances whose subprogram holds pc, per
 * absolute frame (DF_MAX_CALL_FRAMES of each). Returns the number of
 * instances that reached pc.
 */
uint32_t an_stack_at(const struct df_solver *stack, const struct df_cfg *cfg, uint32_t pc,
		     struct df_halves *use, struct df_halves *def, struct df_halves *live);

/*
 * The arg-tracking state before (after = false) or after pc, joined over
 * the contexts that reached pc, or over the one context with the given
 * callsite and depth when want_ctx. Returns 0, or -ENOENT if unreached.
 */
int an_args_at(const struct df_solver *args, uint32_t pc, bool after, bool want_ctx,
	       uint32_t callsite, uint32_t depth, struct df_argtrack_state *out);

/* "r1=fp0-8 fp-8=fp0-24 sa0=fp0-16": the locations that differ between a and b, b's values. */
void an_args_changes(char *buf, size_t len, const struct df_argtrack_state *a,
		     const struct df_argtrack_state *b);

/*
 * A state printed by the print callback of c's analysis, as a malloc'd
 * string ("" when the analysis has none); NULL when out of memory.
 */
char *an_state_str(const struct df_ctx *c, const void *state);

/* Instruction text "(op) body" of pc. */
void an_insn_str(char *buf, size_t len, const struct df_prog *prog, uint32_t pc);

#endif

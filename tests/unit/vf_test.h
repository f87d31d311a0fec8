/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the verifier's state tests: hand-built states and their parts. */
#ifndef VF_TEST_H
#define VF_TEST_H

#include "vf.h"

#define VT_PC	5	/* the pc of vt_state()'s states */

/* Frames 0..n-1 with bytes of stack each; r10 = fp of its frame, r0..r9 NOT_INIT. */
struct df_vstate *vt_state(uint32_t n, uint32_t bytes);
/* Register r of the top frame. */
struct df_vreg *vt_reg(struct df_vstate *st, uint32_t r);
/* An unknown scalar within [lo, hi] (bounds and known bits in agreement). */
void vt_scalar(struct df_vreg *r, uint64_t lo, uint64_t hi);
void vt_ptr(struct df_vreg *r, enum df_vtype type, int32_t off, uint32_t aux);
/* Slot k of the top frame: its 8 byte types, "s" spill "m" misc "z" zero "." invalid "p" poison. */
void vt_slot(struct df_vstate *st, uint32_t k, const char *types);
struct df_vreg *vt_spill(struct df_vstate *st, uint32_t k);
void vt_ck_slot(const struct df_vstate *st, uint32_t k, const char *want);
/* old covers cur (DF_NOT_EXACT, no liveness) */
bool vt_eq(const struct df_vstate *old, const struct df_vstate *cur);
/* old covers cur and cur does not cover old */
void vt_one_way(const struct df_vstate *old, const struct df_vstate *cur);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Arg tracking: which registers, outgoing stack-argument slots and spill
 * slots may hold a pointer into which frame's stack, at which offsets.
 * The lattice, join and transfer are in argtrack.c and docs/argtrack.md.
 */
#ifndef DF_ARGTRACK_H
#define DF_ARGTRACK_H

#include "dataflow.h"

#define DF_ARG_UNVISITED	(-2)	/* bottom */
#define DF_ARG_NONE		(-1)	/* not a stack pointer */
#define DF_ARG_IMPRECISE	(-3)	/* some frame in mask, offset unknown */
#define DF_ARG_MAX_OFFS		4

/* One tracked location. */
struct df_arg {
	int8_t frame;		/* >= 0: absolute frame number; or a DF_ARG_* marker */
	int8_t off_cnt;		/* frame >= 0: 1..4 offsets, 0 = offset-imprecise */
	union {
		int16_t off[DF_ARG_MAX_OFFS];	/* sorted, distinct, from that frame's r10 */
		uint16_t mask;			/* DF_ARG_IMPRECISE: frame bits */
	};
};

#define DF_ARG_NREGS	11	/* r0..r10 */
#define DF_ARG_NSA	7	/* outgoing stack-arg slots sa0..sa6 (r11-8 .. r11-56) */
#define DF_ARG_NSPILL	64	/* spill slots fp-8 .. fp-512 of the instance's frame */
#define DF_ARG_NLOCS	(DF_ARG_NREGS + DF_ARG_NSA + DF_ARG_NSPILL)

#define DF_ARG_SA0	DF_ARG_NREGS
#define DF_ARG_SPILL0	(DF_ARG_NREGS + DF_ARG_NSA)

/*
 * The state at one instruction: locations 0..10 registers, 11..17 sa0..6,
 * 18.. spills. entry is constant within a context: the call record that
 * entered it (its incoming stack args and the callers' spill slots),
 * DF_ARG_ENTRY_ROOT for roots, DF_ARG_ENTRY_NONE in bottom states. It makes
 * every call reach its own context, as the kernel analyses every reach.
 */
#define DF_ARG_ENTRY_NONE	UINT32_MAX
#define DF_ARG_ENTRY_ROOT	(UINT32_MAX - 1)
struct df_argtrack_state {
	struct df_arg loc[DF_ARG_NLOCS];
	uint32_t entry;
};

/* Analysis "argtrack": forward, DF_CTX_CALLSITE_DEPTH. */
extern DF_API const struct df_analysis df_argtrack_analysis;

/*
 * The kernel's notation: "fp0-8", "fp1-16|fp1+0", "fp0 ?" (offset-imprecise),
 * "IMP5" (imprecise, hex frame mask), "_" (none), "?" (unvisited).
 */
DF_API int df_arg_snprint(char *buf, size_t len, const struct df_arg *a);
/* Location name: "r3", "sa0", "fp-8". */
DF_API int df_arg_loc_snprint(char *buf, size_t len, unsigned loc);
DF_API bool df_arg_equal(const struct df_arg *a, const struct df_arg *b);
/* a := a ⊔ b; returns whether a changed. */
DF_API bool df_arg_join(struct df_arg *a, const struct df_arg *b);

/*
 * The call record of a context: loc[1..5] its entry values of r1..r5,
 * loc[DF_ARG_SA0 + i] the caller's outgoing slot sa_i (the incoming stack
 * argument i), loc[DF_ARG_SPILL0 + k] the caller's spill slot k at the call
 * (used for fills through parent-frame pointers). Roots get a record of
 * NONE values. NULL when the context does not exist.
 */
DF_API const struct df_argtrack_state *
df_argtrack_entry(const struct df_solver *s, uint32_t context);

#endif

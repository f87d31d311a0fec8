/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers of the arg-tracking tests (check_argtrack.c, check_argtrack_xfer.c). */
#ifndef ARGTRACK_TEST_H
#define ARGTRACK_TEST_H

#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "argtrack_int.h"
#include "internal.h"

#define NONE df_arg_none()
#define UNV df_arg_unvisited()
#define ONE(f, o) df_arg_single(f, o)
#define OFFI(f) df_arg_off_imprecise(f)
#define IMP(m) df_arg_imprecise(m)

static inline struct df_arg offs(int f, int n, ...)
{
	int16_t o[8];
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		o[i] = (int16_t)va_arg(ap, int);
	va_end(ap);
	return df_arg_offsets(f, o, n);
}

static inline const char *str(struct df_arg a)
{
	static char buf[8][64];
	static int k;

	k = (k + 1) % 8;
	df_arg_snprint(buf[k], sizeof(buf[k]), &a);
	return buf[k];
}

#define ck_arg(got, want) do {						\
	struct df_arg g_ = (got), w_ = (want);				\
	ck_assert_msg(df_arg_equal(&g_, &w_), "got %s, want %s",	\
		      str(g_), str(w_));				\
	ck_assert_msg(!memcmp(&g_, &w_, sizeof(g_)), "%s not canonical", str(g_)); \
} while (0)

/* join both ways: the table is commutative */
static inline void ck_join(struct df_arg a, struct df_arg b, struct df_arg want)
{
	ck_arg(df_arg_join_val(a, b), want);
	ck_arg(df_arg_join_val(b, a), want);
}

static inline const struct df_arg *samples(size_t *n)
{
	static struct df_arg s[12];

	s[0] = UNV;
	s[1] = NONE;
	s[2] = offs(0, 2, -8, -16);
	s[3] = offs(0, 2, -16, -24);
	s[4] = OFFI(0);
	s[5] = offs(1, 2, -8, -32);
	s[6] = offs(1, 3, -8, -16, -24);
	s[7] = OFFI(1);
	s[8] = IMP(1);
	s[9] = IMP(6);
	s[10] = offs(2, 2, -512, -504);
	s[11] = IMP(0x80);
	*n = 12;
	return s;
}

#define ALU64K(op, d, k)	((struct df_insn){ .code = DF_ALU64 | DF_K | (op), .dst_reg = d, .imm = k })
#define ALU64X(op, d, s)	((struct df_insn){ .code = DF_ALU64 | DF_X | (op), .dst_reg = d, .src_reg = s })
#define ALU32K(op, d, k)	((struct df_insn){ .code = DF_ALU | DF_K | (op), .dst_reg = d, .imm = k })
#define LDX(sz, d, s, o)	((struct df_insn){ .code = DF_LDX | DF_MEM | (sz), .dst_reg = d, .src_reg = s, .off = o })
#define STX(sz, d, s, o)	((struct df_insn){ .code = DF_STX | DF_MEM | (sz), .dst_reg = d, .src_reg = s, .off = o })
#define ST(sz, d, o, k)		((struct df_insn){ .code = DF_ST | DF_MEM | (sz), .dst_reg = d, .off = o, .imm = k })
#define ATOMIC(sz, d, s, o, op)	((struct df_insn){ .code = DF_STX | DF_ATOMIC | (sz), .dst_reg = d, .src_reg = s, .off = o, .imm = op })

extern struct df_arg in_sa[DF_ARG_NSA];
extern struct df_arg parent0[DF_ARG_NSPILL];

static inline const struct df_arg *parents(void *cookie, int frame)
{
	(void)cookie;
	return frame == 0 ? parent0 : NULL;
}

static inline struct df_at_env env_at(int depth)
{
	return (struct df_at_env){ .depth = depth, .in_sa = depth ? in_sa : NULL,
				   .parent_spills = parents };
}

static inline struct df_argtrack_state fresh(int depth)
{
	struct df_argtrack_state s;

	memset(&s, 0, sizeof(s));
	for (int i = 0; i < DF_ARG_NLOCS; i++)
		s.loc[i] = NONE;
	s.loc[DF_REG_FP] = ONE(depth, 0);
	for (int i = 0; i < DF_ARG_NSA; i++)
		in_sa[i] = NONE;
	for (int i = 0; i < DF_ARG_NSPILL; i++)
		parent0[i] = NONE;
	return s;
}

static inline void run(int depth, struct df_insn in, struct df_argtrack_state *s)
{
	struct df_at_env e = env_at(depth);

	df_at_xfer(&e, &in, s);
}

#define SP(s, k) ((s).loc[DF_ARG_SPILL0 + (k)])

static inline bool leq(const struct df_argtrack_state *a, const struct df_argtrack_state *b)
{
	for (int l = 0; l < DF_ARG_NLOCS; l++) {
		struct df_arg j = df_arg_join_val(a->loc[l], b->loc[l]);

		if (!df_arg_equal(&j, &b->loc[l]))
			return false;
	}
	return true;
}


#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared by the memory-access tests (check_vf_mem, check_vf_stackmem): one
 * program of a given section with two maps ("vals": array key=4 value=8,
 * "ro": read-only value=16), an environment to verify it in, and a state
 * of one frame (r1 = ctx, r10 = fp) that the tests change by hand and run
 * instructions over with vf_mem_insn().
 */
#ifndef VF_MEM_TEST_H
#define VF_MEM_TEST_H

#include "vf.h"

#define B	DF_B
#define H	DF_H
#define W	DF_W
#define DW	DF_DW
#define LDX(sz, d, s, o)	((struct df_insn){ .code = DF_LDX | DF_MEM | (sz), \
						   .dst_reg = (d), .src_reg = (s), .off = (o) })
#define LDSX(sz, d, s, o)	((struct df_insn){ .code = DF_LDX | DF_MEMSX | (sz), \
						   .dst_reg = (d), .src_reg = (s), .off = (o) })
#define STX(sz, d, s, o)	((struct df_insn){ .code = DF_STX | DF_MEM | (sz), \
						   .dst_reg = (d), .src_reg = (s), .off = (o) })
#define ST(sz, d, o, i)		((struct df_insn){ .code = DF_ST | DF_MEM | (sz), \
						   .dst_reg = (d), .off = (o), .imm = (i) })
#define ATOMIC(sz, d, s, o, op)	((struct df_insn){ .code = DF_STX | DF_ATOMIC | (sz), \
						   .dst_reg = (d), .src_reg = (s), .off = (o), \
						   .imm = (op) })

extern struct df_object *obj;
extern struct df_prog *prog;
extern struct df_verify_result res;
extern struct vf_subprog subs[4];
extern struct vf_env env;
extern struct df_vstate *st;

uint32_t map_idx(const char *name);
struct df_vframe *fr(uint32_t i);
/* Register r of the top frame. */
struct df_vreg *R(uint32_t r);
/* A fresh program of that section, environment and state. */
void load(const char *section);
void setup(void);	/* load("tc") */
void teardown(void);

/* Register constructors (pointers have a constant zero variable part). */
void set_ptr(struct df_vreg *r, enum df_vtype t, int32_t off, uint32_t aux);
void set_fp(struct df_vreg *r, uint32_t frameno, int32_t off);
void set_range(struct df_vreg *r, uint64_t lo, uint64_t hi);
/* A pointer whose variable part lies in [lo, hi]. */
void set_var(struct df_vreg *r, uint64_t lo, uint64_t hi);

int run(struct df_insn in);
/* The instruction is accepted. */
void ok(struct df_insn in);
/* The instruction is rejected with msg (one '*' matching any text). */
void fails(struct df_insn in, const char *msg);
/* Forget the recorded rejection. */
void clear_err(void);

/* Text of a register; of a state (to free); of st, compared with expect. */
const char *reg_str(const struct df_vreg *r);
char *state_str(const struct df_vstate *s);
void ck_state(const char *expect);
/* The 8 byte types of slot k of a frame, one of "?rm0p" each. */
const char *slot_types(uint32_t frame, uint32_t k);

#endif

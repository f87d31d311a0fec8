/* SPDX-License-Identifier: BSD-2-Clause */
/* Private data of the "stack" analysis (stack.c, stack_instances.c). */
#ifndef DF_STACK_PRIV_H
#define DF_STACK_PRIV_H

#include "stack_int.h"

struct df_stack_inst {
	uint32_t subprog, callsite, depth;
	bool initialized;		/* live_before computed once */
	struct df_rec_sink sink;	/* the masks */
};

struct df_stack_child {
	uint32_t parent, callsite, ctx;
};

struct df_stack_priv {
	const struct df_prog *prog;
	const struct df_cfg *cfg;
	const struct df_solver *at;		/* argtrack */
	const struct df_argtrack_priv *atp;
	struct df_stack_inst *insts;		/* sorted by callsite, depth after the run */
	uint32_t inst_cnt;
	struct df_stack_child *children;	/* sorted by parent, callsite */
	uint32_t child_cnt;
	uint32_t **po, *po_cnt;			/* per subprogram: insn postorder */
	uint32_t analyses;
	uint32_t cur_sub;
	/* own-frame summary over all instances of each subprogram, per slot */
	struct df_halves *own_use, *own_def;
};

uint32_t df_stack_child(const struct df_stack_priv *p, uint32_t parent,
			uint32_t callsite);
int df_stack_run(struct df_stack_priv *p);
void df_stack_update(struct df_stack_priv *p, struct df_stack_inst *in);
void df_stack_insts_free(struct df_stack_priv *p);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The access log of arg tracking: per context, the values that the stack
 * liveness's recording pass reads (semantics §3.6-§3.8), kept as the solve
 * goes so that the recording needs no second pass over the states.
 *
 * A memory instruction logs its address register; a call logs r1..r5 and
 * sa0..sa6 (helper arguments, callback arguments and the entry values of
 * a pseudo call). The transfer writes the entry of pc from the state
 * before it on every visit; the last visit of a segment starts from the
 * converged state of its root (docs/engine.md), so what stays is the
 * converged value. An entry nothing wrote holds UNVISITED, which no reached
 * state holds (states come from NONE-filled boundaries and entries, and
 * neither the transfer nor the join makes UNVISITED out of visited
 * values): its instruction was not reached in that context.
 *
 * Stored: per instruction, where its entry starts in a context's log
 * (4 bytes); per context, one df_arg per memory instruction and twelve
 * per call of its subprogram, allocated at its first transfer. The init
 * also lists each subprogram's calls, for the constant pass and the stack
 * liveness, which would otherwise scan the instructions again.
 */
#include "argtrack_int.h"
#include "internal.h"

int df_at_log_init(struct df_at_log *l, const struct df_prog *prog,
		   const struct df_cfg *cfg)
{
	uint32_t subs = cfg->subprog_cnt, calls = 0;

	memset(l, 0, sizeof(*l));
	l->insn_cnt = prog->insn_cnt;
	/* one piece: slot[], nvals[], call_first[]; call_pc[] once counted */
	l->slot = df_arena_zalloc(&l->arena, ((size_t)prog->insn_cnt + 2 * (size_t)subs + 2) *
				  sizeof(uint32_t));
	if (!l->slot)
		return -ENOMEM;
	l->nvals = l->slot + prog->insn_cnt;
	l->call_first = l->nvals + subs + 1;
	for (uint32_t s = 0; s < subs; s++) {
		const struct df_subprog *sp = &cfg->subprogs[s];
		uint32_t n = 0, end = sp->end;
		uint32_t *slot = l->slot;

		l->call_first[s] = calls;
		/* second ld_imm64 slots have code 0: no call, no access */
		for (uint32_t pc = sp->start; pc < end; pc++) {
			const struct df_insn *in = &prog->insns[pc];
			int reg = df_at_access_reg(in);

			if (reg >= 0) {
				slot[pc] = (uint32_t)reg << DF_AT_SLOT_BITS | n;
				n++;
			} else if (in->code == (DF_JMP | DF_CALL)) {
				slot[pc] = (uint32_t)DF_AT_LOG_CALL << DF_AT_SLOT_BITS | n;
				n += DF_AT_CALL_VALS;
				calls++;
			} else {
				slot[pc] = DF_AT_NO_SLOT;
			}
		}
		if (n >= 1u << DF_AT_SLOT_BITS) {
			df_at_log_free(l);
			return -E2BIG;
		}
		l->nvals[s] = n;
	}
	l->call_first[subs] = calls;
	l->call_cnt = calls;
	l->call_pc = df_arena_zalloc(&l->arena, (calls ? calls : 1) * sizeof(*l->call_pc));
	if (!l->call_pc) {
		df_at_log_free(l);
		return -ENOMEM;
	}
	calls = 0;
	for (uint32_t s = 0; s < subs; s++)
		for (uint32_t pc = cfg->subprogs[s].start; calls < l->call_first[s + 1]; pc++)
			if (prog->insns[pc].code == (DF_JMP | DF_CALL))
				l->call_pc[calls++] = pc;
	return 0;
}

void df_at_log_free(struct df_at_log *l)
{
	df_arena_free(&l->arena);
	free(l->ctx);
	memset(l, 0, sizeof(*l));
}

struct df_arg *df_at_log_ctx(struct df_at_log *l, uint32_t ctx, uint32_t sub)
{
	struct df_arg *v;

	if (ctx >= l->ctx_cap) {
		uint32_t cap = l->ctx_cap ? l->ctx_cap : 64;
		struct df_arg **t;

		while (cap <= ctx)
			cap *= 2;
		t = realloc(l->ctx, cap * sizeof(*t));
		if (!t)
			return NULL;
		memset(t + l->ctx_cap, 0, (cap - l->ctx_cap) * sizeof(*t));
		l->ctx = t;
		l->ctx_cap = cap;
	}
	if (l->ctx[ctx])
		return l->ctx[ctx];
	v = df_arena_zalloc(&l->arena, (l->nvals[sub] ? l->nvals[sub] : 1) * sizeof(*v));
	if (!v)
		return NULL;
	/* 0xfe bytes: frame DF_ARG_UNVISITED; nothing reads the rest of an unwritten entry */
	memset(v, 0xfe, l->nvals[sub] * sizeof(*v));
	l->ctx[ctx] = v;
	return v;
}

const struct df_arg *df_at_log_get(const struct df_at_log *l, uint32_t ctx,
				   uint32_t pc)
{
	uint32_t slot = pc < l->insn_cnt ? l->slot[pc] : DF_AT_NO_SLOT;
	const struct df_arg *v;

	if (slot == DF_AT_NO_SLOT || ctx >= l->ctx_cap || !l->ctx[ctx])
		return NULL;
	v = l->ctx[ctx] + (slot & ((1u << DF_AT_SLOT_BITS) - 1));
	return v->frame == DF_ARG_UNVISITED ? NULL : v;
}

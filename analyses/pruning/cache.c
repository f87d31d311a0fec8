// SPDX-License-Identifier: BSD-2-Clause
/*
 * The visited-state cache (§4.7): per prune point, the checkpoints created
 * there, each with hit and miss counters, in a JudyL array pc -> list.
 *
 * At a prune point the current state is cleaned by the mode (and goes on
 * cleaned), then compared with the checkpoints at its pc, newest first:
 *   - a checkpoint with unfinished paths below it (branches > 0) never
 *     prunes; if it is an ancestor of cur and equal under DF_EXACT the
 *     program loops forever;
 *   - a fully explored one equal under DF_NOT_EXACT prunes the path.
 * On a miss a checkpoint is added when forced (opts.state_freq) or when at
 * least 2 jumps and 8 insns went by since the last one; while a loop is
 * being unrolled (a checkpoint here still has open branches) the kernel's
 * stricter 20 jumps or 100 insns applies, so that long loops do not leave
 * one checkpoint per iteration. Fully explored checkpoints that missed
 * more than 3 * hits + 3 times are freed; the others live until the end.
 */
#include "vf.h"

struct vf_visit {
	struct df_vstate *st;
	uint32_t hit, miss;
};

struct vf_visit_list {
	struct vf_visit *v;	/* oldest first */
	uint32_t cnt;
};

static bool is_ancestor(const struct df_vstate *ck, const struct df_vstate *st)
{
	for (const struct df_vstate *p = st->parent; p; p = p->parent)
		if (p == ck)
			return true;
	return false;
}

static void drop(struct vf_env *env, struct vf_visit_list *l, uint32_t i)
{
	vf_state_free(l->v[i].st);
	memmove(&l->v[i], &l->v[i + 1], (l->cnt - i - 1) * sizeof(l->v[0]));
	l->cnt--;
	env->cur_states--;
}

static int infinite_loop(struct vf_env *env, const struct df_vstate *old, uint32_t pc)
{
	if (env->opts.log && env->opts.log_level >= 1) {
		vf_log(env, 1, "cur state:");
		df_vstate_print(env->opts.log, env->prog, env->cur);
		vf_log(env, 1, "old state:");
		df_vstate_print(env->opts.log, env->prog, old);
	}
	return vf_err(env, "infinite loop detected at insn %d", (int)pc);
}

static struct vf_visit_list *list_at(struct vf_env *env, uint32_t pc, bool create)
{
	struct vf_visit_list *l;
	PWord_t slot;

	JLG(slot, env->visited, pc);
	if (slot)
		return (struct vf_visit_list *)*slot;
	if (!create)
		return NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	JLI(slot, env->visited, pc);
	if (slot == PJERR) {
		free(l);
		return NULL;
	}
	*slot = (Word_t)l;
	return l;
}

static int add_checkpoint(struct vf_env *env, uint32_t pc)
{
	struct vf_visit_list *l = list_at(env, pc, true);
	struct df_vstate *cur = env->cur, *ck;

	if (!l || df_array_push(l->v, l->cnt))
		return -ENOMEM;
	ck = vf_state_dup(cur);
	if (!ck)
		return -ENOMEM;
	ck->parent = cur->parent;
	ck->branches = 1;
	cur->parent = ck;
	l->v[l->cnt++] = (struct vf_visit){ .st = ck };
	env->stats.total_states++;
	env->cur_states++;
	if (env->cur_states > env->stats.peak_states)
		env->stats.peak_states = env->cur_states;
	env->jmps_since_ckpt = 0;
	env->insns_since_ckpt = 0;
	return 0;
}

int vf_is_state_visited(struct vf_env *env, uint32_t pc)
{
	const struct df_prune_mode *mode = env->mode;
	struct df_vstate *cur = env->cur;
	struct vf_visit_list *l;
	bool force = env->opts.state_freq;
	bool add = force || (env->jmps_since_ckpt >= 2 && env->insns_since_ckpt >= 8);
	uint32_t seen = 0;

	if (mode->clean)
		mode->clean(&env->pctx, cur);
	l = list_at(env, pc, false);
	for (uint32_t i = l ? l->cnt : 0; i-- > 0;) {
		struct vf_visit *e = &l->v[i];

		seen++;
		if (e->st->branches) {
			if (mode->equal(&env->pctx, e->st, cur, DF_EXACT) &&
			    is_ancestor(e->st, cur))
				return infinite_loop(env, e->st, pc);
			if (!force && env->jmps_since_ckpt < 20 && env->insns_since_ckpt < 100)
				add = false;
		} else if (mode->equal(&env->pctx, e->st, cur, DF_NOT_EXACT)) {
			e->hit++;
			env->stats.prune_hits++;
			return 1;
		}
		/* misses count only when a state is added: loop iterations evict early ones */
		if (add)
			e->miss++;
		if (!e->st->branches && e->miss > 3 * e->hit + 3)
			drop(env, l, i);
	}
	if (seen > env->stats.max_states_per_insn)
		env->stats.max_states_per_insn = seen;
	return add ? add_checkpoint(env, pc) : 0;
}

void vf_branch_done(struct vf_env *env, struct df_vstate *st)
{
	(void)env;
	for (struct df_vstate *p = st ? st->parent : NULL; p && p->branches; p = p->parent)
		if (--p->branches)
			break;
}

void vf_cache_free(struct vf_env *env)
{
	PWord_t slot;
	Word_t pc = 0;
	Word_t bytes;

	JLF(slot, env->visited, pc);
	while (slot) {
		struct vf_visit_list *l = (struct vf_visit_list *)*slot;

		for (uint32_t i = 0; i < l->cnt; i++)
			vf_state_free(l->v[i].st);
		free(l->v);
		free(l);
		JLN(slot, env->visited, pc);
	}
	JLFA(bytes, env->visited);
	(void)bytes;
	env->cur_states = 0;
}

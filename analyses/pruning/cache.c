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
 * A checkpoint created takes the path's history and starts without
 * precision marks; a pruned path takes the marks of the one that pruned it
 * (precise.c).
 */
#include "vf.h"

struct vf_visit {
	struct df_vstate *st;
	uint64_t hash;		/* exact_hash() of st */
	uint32_t hit, miss;
};

struct vf_visit_list {
	struct vf_visit *v;	/* oldest first */
	uint32_t cnt;
	uint32_t done_cnt;	/* entries fully explored (branches 0, never up again) */
};

/*
 * A hash of what DF_EXACT compares in the registers: states equal under it
 * hash alike, so a different hash skips the comparison (ids are compared
 * as set or clear, the stack is left out). Loops that never converge meet
 * every checkpoint of the loop at each visit.
 */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2);
	return h;
}

static uint64_t exact_hash(const struct df_vstate *st)
{
	uint64_t h = mix(st->curframe, st->insn_idx);

	for (uint32_t fr = 0; fr <= st->curframe && fr < DF_MAX_CALL_FRAMES; fr++) {
		const struct df_vframe *f = st->frame[fr];

		if (!f)
			continue;
		h = mix(h, (uint64_t)f->subprog << 32 | f->callback_depth);
		h = mix(h, (uint64_t)f->no_stack_arg_load << 1 | f->in_callback);
		for (uint32_t r = 0; r < DF_NREGS; r++) {
			const struct df_vreg *v = &f->regs[r];

			h = mix(h, v->type);
			if (v->type == DF_NOT_INIT)
				continue;
			h = mix(h, (uint64_t)v->flags << 40 | (uint64_t)v->frameno << 32 |
				   (uint32_t)v->off);
			h = mix(h, v->var_off.value);
			h = mix(h, v->var_off.mask);
			h = mix(h, (uint64_t)v->smin);
			h = mix(h, v->umax);
			h = mix(h, (uint64_t)!v->id << 1 | !v->ref_obj_id);
		}
	}
	return h;
}

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
	l->done_cnt--;
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
	l = df_zalloc(1, sizeof(*l));
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

/* Count the open checkpoints per hash: a hash none has skips the exact comparisons. */
static int open_count(struct vf_env *env, uint64_t hash, int delta)
{
	PWord_t slot;
	int rc;

	if (delta > 0) {
		JLI(slot, env->open_hashes, (Word_t)hash);
		if (slot == PJERR)
			return -ENOMEM;
		(*slot)++;
		return 0;
	}
	JLG(slot, env->open_hashes, (Word_t)hash);
	if (slot && !--*slot)
		JLD(rc, env->open_hashes, (Word_t)hash);
	(void)rc;
	return 0;
}

static bool hash_open(const struct vf_env *env, uint64_t hash)
{
	PWord_t slot;

	JLG(slot, env->open_hashes, (Word_t)hash);
	return slot != NULL;
}

/* hash: exact_hash(cur), which precision marks (cleared in the copy) do not enter */
static int add_checkpoint(struct vf_env *env, uint32_t pc, uint64_t hash)
{
	struct vf_visit_list *l = list_at(env, pc, true);
	struct df_vstate *cur = env->cur, *ck;
	uint64_t *hist = cur->hist;
	uint32_t hist_cnt = cur->hist_cnt;

	if (!l || df_array_push(l->v, l->cnt))
		return -ENOMEM;
	/* the checkpoint keeps the path that led to it; cur starts a new one */
	cur->hist = NULL;
	cur->hist_cnt = 0;
	ck = vf_state_dup(cur);
	if (!ck) {
		cur->hist = hist;
		cur->hist_cnt = hist_cnt;
		return -ENOMEM;
	}
	ck->hist = hist;
	ck->hist_cnt = hist_cnt;
	vf_precise_clear(ck);
	ck->parent = cur->parent;
	ck->branches = 1;
	cur->parent = ck;
	l->v[l->cnt] = (struct vf_visit){ .st = ck, .hash = hash };
	if (open_count(env, l->v[l->cnt].hash, 1)) {
		vf_state_free(ck);
		return -ENOMEM;
	}
	l->cnt++;
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
	uint64_t hash = 0;
	uint32_t seen = 0, done_left;
	bool open, hashed;

	if (mode->clean)
		mode->clean(&env->pctx, cur);
	l = list_at(env, pc, false);
	hashed = l && l->cnt > l->done_cnt;
	open = hashed && hash_open(env, hash = exact_hash(cur));
	done_left = l ? l->done_cnt : 0;
	for (uint32_t i = l ? l->cnt : 0; i-- > 0;) {
		struct vf_visit *e = &l->v[i];

		/* only open checkpoints left, none can match and none counts a miss */
		if (!open && !add && !done_left) {
			seen += i + 1;
			break;
		}
		seen++;
		done_left -= !e->st->branches;
		if (e->st->branches) {
			if (open && e->hash == hash &&
			    mode->equal(&env->pctx, e->st, cur, DF_EXACT) &&
			    is_ancestor(e->st, cur))
				return infinite_loop(env, e->st, pc);
			if (!force && env->jmps_since_ckpt < 20 && env->insns_since_ckpt < 100)
				add = false;
		} else if (mode->equal(&env->pctx, e->st, cur, DF_NOT_EXACT)) {
			e->hit++;
			env->stats.prune_hits++;
			vf_precise_propagate(env, e->st, cur);
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
	return add ? add_checkpoint(env, pc, hashed ? hash : exact_hash(cur)) : 0;
}

/* Checkpoint ck has no open branches left: it may prune from now on. */
static void close_checkpoint(struct vf_env *env, struct df_vstate *ck)
{
	struct vf_visit_list *l = list_at(env, ck->insn_idx, false);

	if (!l)
		return;
	l->done_cnt++;
	/* open checkpoints are never dropped: ck is in the list */
	for (uint32_t i = l->cnt; i-- > 0;) {
		if (l->v[i].st == ck) {
			open_count(env, l->v[i].hash, -1);
			return;
		}
	}
}

void vf_branch_done(struct vf_env *env, struct df_vstate *st)
{
	for (struct df_vstate *p = st ? st->parent : NULL; p && p->branches; p = p->parent) {
		if (--p->branches)
			break;
		close_checkpoint(env, p);
	}
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
	JLFA(bytes, env->open_hashes);
	(void)bytes;
	env->cur_states = 0;
}

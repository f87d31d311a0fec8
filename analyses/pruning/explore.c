/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The path walk (docs/verify.md). One state, env->cur, follows one path
 * depth first. A conditional jump whose outcome the state does not decide
 * continues with the fall-through and pushes a refined copy for the taken
 * side, as the kernel does; may_goto pushes its exit and continues into
 * the loop. At prune points (jump targets and the instruction after each
 * call) the cache may cut the path or add a checkpoint. A path ends at the
 * exit of frame 0, when pruned, or when a refinement proves it impossible;
 * the walk then resumes the most recently pushed path. Every instruction
 * goes into the path's history first, and what it needs precise is
 * backtracked (precise.c).
 */
#include "vf.h"

#include <linux/bpf.h>
#include <stdarg.h>
#include <stdio.h>

/* The kernel's limit on pending paths (BPF_COMPLEXITY_LIMIT_JMP_SEQ). */
#define VF_MAX_PENDING	8192
/* Lines of the current path printed with a rejection at log level 1. */
#define VF_PATH_TAIL	256

/* ---------------------------------------------------------------- reports */

static int record(struct vf_env *env, enum df_verdict v, int err, const char *prefix,
		  const char *fmt, va_list ap)
{
	struct df_verify_result *res = env->res;
	size_t n;

	if (!res || res->msg[0])
		return err;
	res->verdict = v;
	res->err_pc = env->insn_idx == UINT32_MAX ? -1 : (int64_t)env->insn_idx;
	n = (size_t)snprintf(res->msg, sizeof(res->msg), "%s", prefix);
	if (n < sizeof(res->msg))
		vsnprintf(res->msg + n, sizeof(res->msg) - n, fmt, ap);
	return err;
}

int vf_err(struct vf_env *env, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = record(env, DF_VERDICT_REJECT, -EACCES, "", fmt, ap);
	va_end(ap);
	return err;
}

int vf_unsupported(struct vf_env *env, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = record(env, DF_VERDICT_UNSUPPORTED, -EOPNOTSUPP, "unsupported: ", fmt, ap);
	va_end(ap);
	return err;
}

int vf_limit(struct vf_env *env, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = record(env, DF_VERDICT_LIMIT, -E2BIG, "", fmt, ap);
	va_end(ap);
	return err;
}

void vf_warn(struct vf_env *env, const char *fmt, ...)
{
	va_list ap;

	if (env->res)
		env->res->warn_cnt++;
	if (!env->opts.log)
		return;
	if (env->insn_idx != UINT32_MAX)
		fprintf(env->opts.log, "%u: ", env->insn_idx);
	fputs("warning: ", env->opts.log);
	va_start(ap, fmt);
	vfprintf(env->opts.log, fmt, ap);
	va_end(ap);
	fputc('\n', env->opts.log);
}

void vf_log(struct vf_env *env, int level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	if (!env->opts.log || env->opts.log_level < level)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	fputs(buf, env->opts.log);
	if (!n || (size_t)n >= sizeof(buf) || buf[n - 1] != '\n')
		fputc('\n', env->opts.log);
}

int vf_check_reg_read(struct vf_env *env, struct df_vstate *st, uint32_t regno)
{
	if (regno >= DF_NREGS)
		return vf_err(env, "R%u is invalid", regno);
	if (vf_cur_frame(st)->regs[regno].type == DF_NOT_INIT)
		return vf_err(env, "R%u !read_ok", regno);
	return 0;
}

/* ---------------------------------------------------------------- prune points */

/* Blocks of subprogram sp that lie on a cycle through block b (reach b and are reached from it). */
static int mark_loop(const struct df_cfg *cfg, uint32_t b, uint8_t *mark, uint32_t *work)
{
	const struct df_subprog *sp = &cfg->subprogs[cfg->blocks[b].subprog];
	uint32_t first = sp->first_block, cnt = sp->block_cnt, top;
	uint8_t *seen = df_zalloc(cnt, 1);

	if (!seen)
		return -ENOMEM;
	for (int dir = 0; dir < 2; dir++) {
		uint8_t bit = (uint8_t)(1u << dir);

		top = 0;
		work[top++] = b;
		seen[b - first] |= bit;
		while (top) {
			const struct df_block *blk = &cfg->blocks[work[--top]];
			uint32_t n = dir ? blk->pred_cnt : blk->succ_cnt;

			for (uint32_t k = 0; k < n; k++) {
				uint32_t id = dir ? blk->pred[k] : blk->succ[k];
				const struct df_edge *e = &cfg->edges[id];
				uint32_t o = dir ? e->from : e->to;

				if (e->kind == DF_EDGE_CALL || e->kind == DF_EDGE_RETURN ||
				    o < first || o >= first + cnt || (seen[o - first] & bit))
					continue;
				seen[o - first] |= bit;
				work[top++] = o;
			}
		}
	}
	for (uint32_t i = 0; i < cnt; i++)
		if (seen[i] == 3)
			mark[first + i] = 1;
	free(seen);
	return 0;
}

/*
 * Jump targets, may_goto instructions and the instruction after each call.
 * Inside a loop that holds a may_goto only the may_goto itself stays one:
 * the state carries no iteration count, so equal states one iteration
 * apart would look like an infinite loop anywhere else in the body.
 */
static int prune_points(struct vf_env *env)
{
	const struct df_prog *prog = env->prog;
	const struct df_cfg *cfg = env->cfg;
	uint32_t n = prog->insn_cnt, pc;
	uint8_t *loop = NULL;
	uint32_t *work = NULL;
	bool *pp = df_zalloc(n, sizeof(*pp));
	int err = 0;

	if (!pp)
		return -ENOMEM;
	for (pc = 0; pc < n; pc += df_insn_slots(&prog->insns[pc])) {
		const struct df_insn *in = &prog->insns[pc];
		int64_t t = df_insn_jump_target(in, pc);

		if (t >= 0 && t < n)
			pp[t] = true;
		if (df_insn_is_call(in) && pc + 1 < n)
			pp[pc + 1] = true;
		if (in->code == (DF_JMP | DF_JCOND)) {
			pp[pc] = true;
			if (!loop) {
				loop = df_zalloc(cfg->block_cnt, 1);
				work = malloc((size_t)cfg->block_cnt * sizeof(*work));
				if (!loop || !work) {
					err = -ENOMEM;
					goto out;
				}
			}
			err = mark_loop(cfg, cfg->block_of[pc], loop, work);
			if (err)
				goto out;
		}
	}
	for (pc = 0; loop && pc < n; pc++)
		if (loop[cfg->block_of[pc]] && prog->insns[pc].code != (DF_JMP | DF_JCOND))
			pp[pc] = false;
out:
	free(loop);
	free(work);
	if (err) {
		free(pp);
		return err;
	}
	env->prune_point = pp;
	return 0;
}

/* ---------------------------------------------------------------- paths */

static void path_add(struct vf_env *env, uint32_t pc)
{
	if (!env->opts.log || env->opts.log_level < 1)
		return;
	if (df_array_push(env->path, env->path_cnt))
		return;
	env->path[env->path_cnt++] = pc;
}

int vf_push_branch(struct vf_env *env, struct df_vstate *st, uint32_t from)
{
	if (env->stack_cnt >= VF_MAX_PENDING) {
		vf_state_free(st);
		return vf_limit(env, "The sequence of %u jumps is too complex.",
				env->stack_cnt + 1);
	}
	if (df_array_push(env->stack, env->stack_cnt)) {
		vf_state_free(st);
		return -ENOMEM;
	}
	if (st->parent)
		st->parent->branches++;
	env->stack[env->stack_cnt++] = (struct vf_branch){
		.st = st, .from = from, .path_len = env->path_cnt,
	};
	return 0;
}

/* Stack bytes a frame touched count for its subprogram (the JIT's frame size). */
static void note_depths(struct vf_env *env, const struct df_vstate *st)
{
	for (uint32_t i = 0; i <= st->curframe; i++) {
		const struct df_vframe *f = st->frame[i];

		if (f && env->sub[f->subprog].stack_depth < f->allocated)
			env->sub[f->subprog].stack_depth = f->allocated;
	}
}

/* The current path is over; continue with the latest pending one (from: its jump). */
static uint32_t next_path(struct vf_env *env)
{
	struct vf_branch b;

	note_depths(env, env->cur);
	vf_branch_done(env, env->cur);
	vf_state_free(env->cur);
	env->cur = NULL;
	if (!env->stack_cnt)
		return UINT32_MAX;
	b = env->stack[--env->stack_cnt];
	env->cur = b.st;
	env->path_cnt = b.path_len < env->path_cnt ? b.path_len : env->path_cnt;
	if (env->opts.log && env->opts.log_level >= 2) {
		fprintf(env->opts.log, "from %u to %u: ", b.from, b.st->insn_idx);
		df_vstate_print(env->opts.log, env->prog, b.st);
	}
	return b.from;
}

/* At log level 1 and up, what led to a rejection: the path's insns and the state. */
static void log_rejection(struct vf_env *env)
{
	FILE *f = env->opts.log;
	uint32_t i = 0;
	char buf[128];

	if (!f || env->opts.log_level < 1 || !env->res ||
	    env->res->verdict == DF_VERDICT_ACCEPT)
		return;
	if (env->opts.log_level == 1) {
		if (env->path_cnt > VF_PATH_TAIL) {
			i = env->path_cnt - VF_PATH_TAIL;
			fprintf(f, "... %u earlier insns on this path\n", i);
		}
		for (; i < env->path_cnt; i++) {
			uint32_t pc = env->path[i];

			df_insn_snprint(buf, sizeof(buf), env->prog, env->prog->insns,
					env->prog->insn_cnt, pc);
			fprintf(f, "%u: (%02x) %s\n", pc, env->prog->insns[pc].code, buf);
		}
	}
	if (env->opts.log_level >= 2 && env->insn_idx < env->prog->insn_cnt) {
		df_insn_snprint(buf, sizeof(buf), env->prog, env->prog->insns,
				env->prog->insn_cnt, env->insn_idx);
		fprintf(f, "%u: (%02x) %s\n", env->insn_idx,
			env->prog->insns[env->insn_idx].code, buf);
	}
	if (env->cur)
		df_vstate_print(f, env->prog, env->cur);
	fprintf(f, "%s\n", env->res->msg);
}

/* ---------------------------------------------------------------- instructions */

static void set_ptr(struct df_vreg *r, enum df_vtype type)
{
	vf_mark_known_zero(r);
	r->type = (uint8_t)type;
}

/* Index of the object map an ld_imm64 at pc refers to, or -1. */
static int64_t map_index(const struct vf_env *env, uint32_t pc)
{
	const struct df_map *m = df_prog_map_at(env->prog, pc);

	if (!m || !env->prog->obj)
		return -1;
	return m - env->prog->obj->maps;
}

static int ld_imm64(struct vf_env *env, struct df_vstate *st, const struct df_insn *in)
{
	struct df_vreg *dst = &vf_cur_frame(st)->regs[in->dst_reg];
	uint32_t pc = st->insn_idx;
	int64_t map, t;

	if (in->dst_reg == DF_REG_FP)
		return vf_err(env, "frame pointer is read only");
	switch (in->src_reg) {
	case 0:
		vf_mark_known(dst, (uint32_t)in[0].imm | ((uint64_t)(uint32_t)in[1].imm << 32));
		break;
	case DF_PSEUDO_MAP_FD:
	case DF_PSEUDO_MAP_IDX:
	case DF_PSEUDO_MAP_VALUE:
	case DF_PSEUDO_MAP_IDX_VALUE:
		map = map_index(env, pc);
		if (map < 0)
			return vf_err(env, "fd %d is not pointing to valid bpf_map", in->imm);
		if (in->src_reg == DF_PSEUDO_MAP_FD || in->src_reg == DF_PSEUDO_MAP_IDX) {
			set_ptr(dst, DF_CONST_PTR_TO_MAP);
		} else {
			const struct df_map *m = &env->prog->obj->maps[map];

			if ((uint32_t)in[1].imm >= m->value_size)
				return vf_err(env, "invalid access to map value pointer, "
					      "value_size=%u off=%u", m->value_size,
					      (uint32_t)in[1].imm);
			set_ptr(dst, DF_PTR_TO_MAP_VALUE);
			dst->off = in[1].imm;
		}
		dst->aux = (uint32_t)map;
		break;
	case DF_PSEUDO_FUNC:
		t = (int64_t)pc + in->imm + 1;
		set_ptr(dst, DF_PTR_TO_FUNC);
		dst->aux = df_cfg_subprog_of(env->cfg, (uint32_t)t);
		break;
	case DF_PSEUDO_BTF_ID:
		return vf_unsupported(env, "ld_imm64 of a kernel variable (btf_id)");
	default:
		return vf_err(env, "invalid bpf_ld_imm64 insn");
	}
	st->insn_idx = pc + 2;
	return 0;
}

static bool may_access_skb(uint32_t type)
{
	return type == BPF_PROG_TYPE_SOCKET_FILTER || type == BPF_PROG_TYPE_SCHED_CLS ||
	       type == BPF_PROG_TYPE_SCHED_ACT;
}

/* Legacy packet loads: r6 holds the skb; r1-r5 are clobbered, r0 gets the data. */
static int ld_abs(struct vf_env *env, struct df_vstate *st, const struct df_insn *in)
{
	struct df_vframe *f = vf_cur_frame(st);
	int err;

	if (!may_access_skb(env->prog->type))
		return vf_err(env, "BPF_LD_[ABS|IND] instructions not allowed for this "
			      "program type");
	if (env->cfg->subprog_cnt > 1)
		return vf_err(env, "BPF_LD_[ABS|IND] instructions cannot be mixed with "
			      "bpf-to-bpf calls");
	if (st->ref_cnt)
		return vf_err(env, "BPF_LD_[ABS|IND] would lead to reference leak");
	err = vf_check_reg_read(env, st, 6);
	if (err)
		return err;
	if (DF_MODE(in->code) == DF_IND && (err = vf_check_reg_read(env, st, in->src_reg)))
		return err;
	if (f->regs[6].type != DF_PTR_TO_CTX)
		return vf_err(env, "at the time of BPF_LD_ABS|IND R6 != pointer to skb");
	for (uint32_t r = 1; r <= DF_MAX_REG_ARGS; r++)
		vf_mark_not_init(&f->regs[r]);
	vf_mark_unknown(&f->regs[0]);
	st->insn_idx++;
	return 0;
}

/* A conditional jump: 1 when the current path turned out impossible. */
static int cond_jump(struct vf_env *env, struct df_vstate *st, const struct df_insn *in)
{
	uint32_t pc = st->insn_idx, target = (uint32_t)df_insn_jump_target(in, pc);
	struct df_vstate *other;
	int taken, r_other, r_cur, err;

	taken = vf_branch_taken(env, st, in);
	if (taken < -1)
		return taken;
	if (taken >= 0) {
		vf_precise_operands(env, st, in);
		st->insn_idx = taken ? target : pc + 1;
		return 0;
	}
	err = vf_precise_links(env, st, in);
	if (err)
		return err;
	other = vf_state_dup(st);
	if (!other)
		return -ENOMEM;
	r_other = vf_branch_refine(env, other, in, true);
	r_cur = r_other < 0 ? 0 : vf_branch_refine(env, st, in, false);
	if (r_other < 0 || r_cur < 0) {
		vf_state_free(other);
		return r_other < 0 ? r_other : r_cur;
	}
	/* a side proved impossible: the outcome depends on the operands' values */
	if (r_other || r_cur)
		vf_precise_operands(env, st, in);
	if (r_other) {
		vf_state_free(other);
	} else {
		other->insn_idx = target;
		err = vf_push_branch(env, other, pc);
		if (err)
			return err;
	}
	st->insn_idx = pc + 1;
	return r_cur ? 1 : 0;
}

/* may_goto: the taken side leaves the loop (budget spent) and is pushed; the walk stays in. */
static int may_goto(struct vf_env *env, struct df_vstate *st, const struct df_insn *in)
{
	uint32_t pc = st->insn_idx;
	struct df_vstate *exit = vf_state_dup(st);

	if (!exit)
		return -ENOMEM;
	exit->insn_idx = (uint32_t)df_insn_jump_target(in, pc);
	st->insn_idx = pc + 1;
	return vf_push_branch(env, exit, pc);
}

/*
 * The loop of a may_goto converged when the state is within one the same
 * path had at this may_goto before: the exit pushed then covers this
 * iteration's exit, and the body from here repeats what follows.
 */
static bool may_goto_converged(struct vf_env *env, uint32_t pc)
{
	struct df_vstate *cur = env->cur;

	if (env->mode->clean)
		env->mode->clean(&env->pctx, cur);
	for (const struct df_vstate *p = cur->parent; p; p = p->parent) {
		if (p->insn_idx == pc && p->curframe == cur->curframe &&
		    env->mode->equal(&env->pctx, p, cur, DF_RANGE_WITHIN)) {
			/* p's marks are not final yet: every scalar of cur counts */
			vf_precise_all(env, cur);
			return true;
		}
	}
	return false;
}

static void log_insn(struct vf_env *env, const struct df_vstate *st, uint32_t pc)
{
	char buf[128];

	df_insn_snprint(buf, sizeof(buf), env->prog, env->prog->insns, env->prog->insn_cnt, pc);
	fprintf(env->opts.log, "%u: (%02x) %s ; ", pc, env->prog->insns[pc].code, buf);
	df_vstate_print(env->opts.log, env->prog, st);
}

/* One instruction of the current path: 0 go on, 1 the path ended, < 0 an error. */
static int step(struct vf_env *env, struct df_vstate *st, const struct df_insn *in)
{
	uint8_t cls = DF_CLASS(in->code);
	int err;

	switch (cls) {
	case DF_ALU:
	case DF_ALU64:
		err = vf_alu(env, st, in);
		st->insn_idx++;
		return err;
	case DF_LDX:
		err = in->src_reg == DF_REG_PARAMS ? vf_stack_arg_load(env, st, in) :
						     vf_mem_insn(env, st, in);
		st->insn_idx++;
		return err;
	case DF_ST:
	case DF_STX:
		err = in->dst_reg == DF_REG_PARAMS ? vf_stack_arg_store(env, st, in) :
						     vf_mem_insn(env, st, in);
		st->insn_idx++;
		return err;
	case DF_LD:
		if (df_insn_is_ldimm64(in))
			return ld_imm64(env, st, in);
		if (DF_MODE(in->code) == DF_ABS || DF_MODE(in->code) == DF_IND)
			return ld_abs(env, st, in);
		return vf_err(env, "unknown opcode %02x", in->code);
	default:
		break;
	}
	env->jmps_since_ckpt++;
	switch (DF_OP(in->code)) {
	case DF_JA:
		if (DF_SRC(in->code) == DF_X)
			return vf_unsupported(env, "indirect jump (gotox)");
		st->insn_idx = (uint32_t)df_insn_jump_target(in, st->insn_idx);
		return 0;
	case DF_CALL:
		return vf_call(env, st, in);
	case DF_EXIT:
		return vf_exit(env, st);
	case DF_JCOND:
		return may_goto(env, st, in);
	default:
		return cond_jump(env, st, in);
	}
}

int vf_walk(struct vf_env *env)
{
	const struct df_prog *prog = env->prog;
	uint32_t from = UINT32_MAX;
	int err = 0;

	env->path_cnt = 0;
	while (env->cur) {
		struct df_vstate *st = env->cur;
		uint32_t pc = st->insn_idx;

		env->insn_idx = pc;
		if (pc >= prog->insn_cnt) {
			err = vf_err(env, "invalid insn idx %u insn_cnt %u", pc, prog->insn_cnt);
			break;
		}
		if (++env->stats.processed > env->opts.insn_limit) {
			err = vf_limit(env, "BPF program is too large. Processed %llu insn",
				       (unsigned long long)env->stats.processed);
			break;
		}
		if (env->prune_point[pc]) {
			if (prog->insns[pc].code == (DF_JMP | DF_JCOND)) {
				if (may_goto_converged(env, pc)) {
					env->stats.prune_hits++;
					vf_log(env, 2, "%u: safe", pc);
					from = next_path(env);
					continue;
				}
				/* a checkpoint per iteration: the next one compares with it */
				env->jmps_since_ckpt = UINT32_MAX / 2;
				env->insns_since_ckpt = UINT32_MAX / 2;
			}
			err = vf_is_state_visited(env, pc);
			if (err < 0)
				break;
			if (err == 1) {
				if (from != UINT32_MAX)
					vf_log(env, 2, "from %u to %u: safe", from, pc);
				else
					vf_log(env, 2, "%u: safe", pc);
				from = next_path(env);
				err = 0;
				continue;
			}
		}
		from = UINT32_MAX;
		env->insns_since_ckpt++;
		path_add(env, pc);
		err = vf_precise_insn(env, st, &prog->insns[pc]);
		if (err < 0)
			break;
		err = step(env, st, &prog->insns[pc]);
		if (err < 0)
			break;
		if (env->opts.log && env->opts.log_level >= 2)
			log_insn(env, st, pc);
		if (err == 1) {
			err = 0;
			from = next_path(env);
		}
	}
	if (err < 0)
		log_rejection(env);
	return err;
}

void vf_walk_reset(struct vf_env *env)
{
	while (env->stack_cnt) {
		struct df_vstate *st = env->stack[--env->stack_cnt].st;

		vf_branch_done(env, st);
		vf_state_free(st);
	}
	if (env->cur) {
		vf_branch_done(env, env->cur);
		vf_state_free(env->cur);
		env->cur = NULL;
	}
	env->path_cnt = 0;
	env->jmps_since_ckpt = 0;
	env->insns_since_ckpt = 0;
}

int vf_explore_init(struct vf_env *env)
{
	/* only the value comparison ignores the marks; any other mode may use them */
	env->precise = env->mode->equal != df_states_equal;
	return prune_points(env);
}

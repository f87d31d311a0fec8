/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helper calls, checked against the prototype table (libdataflow/protos.c):
 * the program type may call it, each argument against its kind, the map
 * against the helper (a map of maps yields its inner template), then
 * references, tail calls, packet invalidation and the return value.
 * bpf_loop's callback is verified once as a nested frame from a caller
 * state made general enough for any iteration, and the caller goes on from
 * that same general state (docs/verify.md).
 */
#include "vf.h"

#include <linux/bpf.h>

#define MEM_TYPES	"fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, " \
			"trusted_ptr_"
#define KEY_TYPES	"fp, pkt, pkt_meta, map_key, map_value, mem"
#define SOCK_TYPES	"sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_"
/* The kernel's bound on sizes passed to helpers (BPF_MAX_VAR_SIZ). */
#define MAX_VAR_SIZ	(1ull << 29)

/* What the arguments of one helper call established. */
struct call_meta {
	int64_t map;			/* object map index of the P argument, -1 none */
	const struct df_vreg *mem;	/* the M/m argument waiting for its size */
	uint32_t mem_argno;
	char mem_kind;
	uint64_t alloc_size;		/* the A argument */
	uint32_t release;		/* reference released by an S/R argument */
	int64_t cb;			/* subprogram of the f argument, -1 none */
	int64_t const_key;		/* the K argument's value when known, else -1 */
	struct df_vreg cb_ctx;		/* the n argument */
};

/* ---------------------------------------------------------------- helper arguments */

static int bad_type(struct vf_env *env, uint32_t argno, const struct df_vreg *r,
		    const char *expected)
{
	return vf_err(env, "R%u type=%s expected=%s", argno, vf_type_name(r), expected);
}

static bool is_mem(const struct df_vreg *r)
{
	if (r->flags & DF_VF_MAYBE_NULL)
		return false;
	switch (r->type) {
	case DF_PTR_TO_STACK:
	case DF_PTR_TO_PACKET:
	case DF_PTR_TO_PACKET_META:
	case DF_PTR_TO_MAP_KEY:
	case DF_PTR_TO_MAP_VALUE:
	case DF_PTR_TO_MEM:
		return true;
	default:
		return false;
	}
}

static bool is_null(const struct df_vreg *r)
{
	return r->type == DF_SCALAR && vf_reg_is_const(r) && r->var_off.value == 0;
}

static const struct df_map *meta_map(const struct vf_env *env, const struct call_meta *m)
{
	return m->map < 0 ? NULL : vf_map(env->prog, (uint64_t)m->map);
}

/* Maps whose lookup at a constant index in range cannot fail. */
static bool elides_null(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

/*
 * The value of a map key on the stack, when the walk knows it: bytes that
 * are all ZERO, or a spilled constant scalar exactly the key's size, as
 * the kernel reads it (get_constant_map_key). A spilled value decides the
 * lookup's result, so it becomes precise. -1 when unknown.
 */
static int64_t const_key(struct vf_env *env, struct df_vstate *st, const struct df_vreg *r,
			 uint32_t key_size)
{
	const struct df_vframe *f;
	const struct df_vslot *slot;
	uint32_t k, j, zero = 0, spill = 0;
	int64_t off;

	if (r->type != DF_PTR_TO_STACK || !vf_tnum_is_const(r->var_off) ||
	    r->frameno > st->curframe || !key_size || key_size > 8)
		return -1;
	off = (int64_t)r->off + (int64_t)r->var_off.value;
	f = st->frame[r->frameno];
	if (off >= 0 || !f || (uint64_t)-off > f->allocated)
		return -1;
	k = (uint32_t)((-off - 1) / 8);
	j = (uint32_t)((-off - 1) % 8);
	slot = &f->stack[k];
	for (uint32_t i = j + 1; i-- > 0 && slot->type[i] == DF_STACK_ZERO;)
		zero++;
	if (zero >= key_size)
		return 0;
	if (!vf_slot_has_spill(slot) || slot->type[7] != DF_STACK_SPILL ||
	    slot->spill.type != DF_SCALAR)
		return -1;
	for (uint32_t i = j + 1; i-- > 0 && slot->type[i] == DF_STACK_SPILL;)
		spill++;
	if (spill != key_size || !vf_tnum_is_const(slot->spill.var_off) ||
	    slot->spill.var_off.value > INT64_MAX)
		return -1;
	vf_precise_slot(env, st, r->frameno, k);
	return (int64_t)slot->spill.var_off.value;
}

/* A map key or value argument of the P argument's map. */
static int map_mem_arg(struct vf_env *env, struct df_vstate *st, uint32_t argno,
		       const struct df_vreg *r, struct call_meta *m, char kind)
{
	const struct df_map *map = meta_map(env, m);
	int err;

	if (!map)
		return vf_err(env, "invalid map_ptr to access map->%s", kind == 'K' ? "key" :
			      "value");
	if (!is_mem(r))
		return bad_type(env, argno, r, kind == 'K' ? KEY_TYPES : MEM_TYPES);
	err = vf_check_arg_mem(env, st, argno, r, kind == 'K' ? map->key_size :
			       map->value_size, kind == 'v');
	if (!err && kind == 'K' && elides_null(map->type))
		m->const_key = const_key(env, st, r, map->key_size);
	return err;
}

/* The size argument of the preceding M/m argument (ARG_CONST_SIZE[_OR_ZERO]). */
static int size_arg(struct vf_env *env, struct df_vstate *st, const struct df_helper_proto *p,
		    uint32_t argno, const struct df_vreg *r, struct call_meta *m, char kind)
{
	int err;

	if (r->type != DF_SCALAR)
		return bad_type(env, argno, r, "scalar");
	if (r->smin < 0)
		return vf_err(env, "R%u min value is negative, either use unsigned or "
			      "'var &= const'", argno);
	if (kind == 's' && r->umin == 0)
		return vf_err(env, "R%u invalid zero-sized read: u64=[%llu,%llu]", argno,
			      (unsigned long long)r->umin, (unsigned long long)r->umax);
	if (r->umax >= MAX_VAR_SIZ)
		return vf_err(env, "R%u unbounded memory access, use 'var &= const' or "
			      "'if (var < const)'", argno);
	if (!m->mem)
		return 0;
	if (is_null(m->mem)) {
		if (kind == 'z' && (p->flags & DF_PROTO_MEM_NULL) && r->umax == 0)
			return 0;
		return bad_type(env, m->mem_argno, m->mem, MEM_TYPES);
	}
	if (!r->umax)
		return 0;
	err = vf_check_arg_mem(env, st, m->mem_argno, m->mem, (int64_t)r->umax,
			       m->mem_kind == 'm');
	if (!err && m->mem_kind == 'M' && (p->flags & DF_PROTO_MEM_RW))
		err = vf_check_arg_mem(env, st, m->mem_argno, m->mem, (int64_t)r->umax, true);
	m->mem = NULL;
	return err;
}

static int release_arg(struct vf_env *env, uint32_t argno, const struct df_vreg *r,
		       struct call_meta *m, char kind)
{
	bool ok = kind == 'S' ? r->type == DF_PTR_TO_SOCKET : r->type == DF_PTR_TO_MEM;

	if (!ok || (r->flags & DF_VF_MAYBE_NULL))
		return bad_type(env, argno, r, kind == 'S' ? SOCK_TYPES : "ringbuf_mem");
	if (!r->ref_obj_id)
		return vf_err(env, "R%u must be referenced when passed to release function", argno);
	if (r->off || !vf_tnum_is_const(r->var_off) || r->var_off.value)
		return vf_err(env, "R%u must have zero offset when passed to release func", argno);
	m->release = r->ref_obj_id;
	return 0;
}

static int check_arg(struct vf_env *env, struct df_vstate *st, const struct df_helper_proto *p,
		     uint32_t argno, struct call_meta *m)
{
	const struct df_vreg *r = &vf_cur_frame(st)->regs[argno];
	char kind = p->args[argno - 1];
	int err;

	if (kind == '-')
		return 0;
	err = vf_check_reg_read(env, st, argno);
	if (err)
		return err;
	switch (kind) {
	case 'a':
		return 0;
	case 'c':
		if (r->type != DF_PTR_TO_CTX)
			return bad_type(env, argno, r, "ctx");
		if (r->off || !vf_tnum_is_const(r->var_off) || r->var_off.value)
			return vf_err(env, "dereference of modified ctx ptr R%u off=%d disallowed",
				      argno, r->off);
		return 0;
	case 'P':
		if (r->type != DF_CONST_PTR_TO_MAP || (r->flags & DF_VF_MAYBE_NULL))
			return bad_type(env, argno, r, "map_ptr");
		m->map = r->aux;
		if (!meta_map(env, m))
			return vf_unsupported(env, "map pointer of unknown map #%u", r->aux);
		return 0;
	case 'K':
	case 'V':
	case 'v':
		return map_mem_arg(env, st, argno, r, m, kind);
	case 'M':
	case 'm':
		if (!is_mem(r) && !((p->flags & DF_PROTO_MEM_NULL) && is_null(r)))
			return bad_type(env, argno, r, MEM_TYPES);
		m->mem = r;
		m->mem_argno = argno;
		m->mem_kind = kind;
		return 0;
	case 's':
	case 'z':
		return size_arg(env, st, p, argno, r, m, kind);
	case 'A':
		if (r->type != DF_SCALAR || !vf_tnum_is_const(r->var_off))
			return vf_err(env, "R%u is not a known constant'", argno);
		m->alloc_size = r->var_off.value;
		return 0;
	case 'L':
		if (!is_mem(r))
			return bad_type(env, argno, r, MEM_TYPES);
		return vf_check_arg_mem(env, st, argno, r, 8, true);
	case 'f':
		if (r->type != DF_PTR_TO_FUNC)
			return bad_type(env, argno, r, "func");
		m->cb = r->aux;
		return 0;
	case 'n':
		if (r->type != DF_PTR_TO_STACK && !is_null(r))
			return bad_type(env, argno, r, "fp");
		m->cb_ctx = *r;
		return 0;
	case 'S':
	case 'R':
		return release_arg(env, argno, r, m, kind);
	default:
		return vf_err(env, "R%u has an argument kind the verifier does not know", argno);
	}
}

/* The kernel's map/helper pairing (check_map_func_compatibility), for the maps modelled. */
static bool map_func_ok(uint32_t type, int32_t func)
{
	switch (type) {
	case BPF_MAP_TYPE_PROG_ARRAY:
		return func == BPF_FUNC_tail_call;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		return func == BPF_FUNC_perf_event_read || func == BPF_FUNC_perf_event_output ||
		       func == BPF_FUNC_perf_event_read_value;
	case BPF_MAP_TYPE_RINGBUF:
		return func == BPF_FUNC_ringbuf_output || func == BPF_FUNC_ringbuf_reserve;
	case BPF_MAP_TYPE_STACK_TRACE:
		return func == BPF_FUNC_get_stackid;
	case BPF_MAP_TYPE_CGROUP_ARRAY:
		return func == BPF_FUNC_skb_under_cgroup ||
		       func == BPF_FUNC_current_task_under_cgroup;
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_XSKMAP:
		return func == BPF_FUNC_redirect_map || func == BPF_FUNC_map_lookup_elem;
	case BPF_MAP_TYPE_CPUMAP:
		return func == BPF_FUNC_redirect_map;
	case BPF_MAP_TYPE_SOCKMAP:
		return func == BPF_FUNC_sk_redirect_map || func == BPF_FUNC_sock_map_update ||
		       func == BPF_FUNC_map_lookup_elem || func == BPF_FUNC_map_update_elem ||
		       func == BPF_FUNC_map_delete_elem;
	case BPF_MAP_TYPE_SOCKHASH:
		return func == BPF_FUNC_sk_redirect_hash || func == BPF_FUNC_sock_hash_update ||
		       func == BPF_FUNC_msg_redirect_hash || func == BPF_FUNC_map_lookup_elem ||
		       func == BPF_FUNC_map_update_elem || func == BPF_FUNC_map_delete_elem;
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		return func == BPF_FUNC_map_lookup_elem;
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return func == BPF_FUNC_map_push_elem || func == BPF_FUNC_map_pop_elem ||
		       func == BPF_FUNC_map_peek_elem;
	default:
		break;
	}
	switch (func) {
	case BPF_FUNC_tail_call:
	case BPF_FUNC_perf_event_read:
	case BPF_FUNC_perf_event_output:
	case BPF_FUNC_perf_event_read_value:
	case BPF_FUNC_ringbuf_output:
	case BPF_FUNC_ringbuf_reserve:
	case BPF_FUNC_get_stackid:
	case BPF_FUNC_skb_under_cgroup:
	case BPF_FUNC_current_task_under_cgroup:
	case BPF_FUNC_redirect_map:
	case BPF_FUNC_sk_redirect_map:
	case BPF_FUNC_sock_map_update:
	case BPF_FUNC_sk_redirect_hash:
	case BPF_FUNC_sock_hash_update:
	case BPF_FUNC_msg_redirect_hash:
	case BPF_FUNC_map_push_elem:
	case BPF_FUNC_map_pop_elem:
	case BPF_FUNC_map_peek_elem:
		return false;
	default:
		return true;
	}
}

/* ---------------------------------------------------------------- helpers */

static void set_ptr(struct df_vreg *r, enum df_vtype type)
{
	vf_mark_known_zero(r);
	r->type = (uint8_t)type;
}

/* bpf_loop: the callback runs on top of the current frames; the caller goes on meanwhile. */
static int call_callback(struct vf_env *env, struct df_vstate *st, uint32_t pc,
			 const struct call_meta *m)
{
	struct df_vframe *caller = vf_cur_frame(st), *f;
	const struct df_subprog *sp;
	struct df_vstate *after;

	if (m->cb < 0 || m->cb >= env->cfg->subprog_cnt)
		return vf_err(env, "callback of %s is not a known subprogram", "bpf_loop");
	sp = &env->cfg->subprogs[m->cb];
	if (sp->arg_cnt > DF_MAX_REG_ARGS)
		return vf_err(env, "callback subprog cannot have stack args");
	if (st->curframe + 1 >= DF_MAX_CALL_FRAMES)
		return vf_err(env, "the call stack of %u frames is too deep", st->curframe + 2);
	if (m->cb_ctx.type == DF_PTR_TO_STACK)
		vf_havoc_frame(st->frame[m->cb_ctx.frameno]);
	vf_clobber_args(caller);
	after = vf_state_dup(st);
	if (!after)
		return -ENOMEM;
	vf_mark_unknown(&vf_cur_frame(after)->regs[0]);
	vf_clear_out_args(vf_cur_frame(after));
	after->insn_idx = pc + 1;
	f = vf_frame_new(st->curframe + 1, pc, (uint32_t)m->cb);
	if (!f) {
		vf_state_free(after);
		return -ENOMEM;
	}
	vf_mark_not_init(&caller->regs[0]);
	for (uint32_t r = 0; r < DF_REG_FP; r++)
		vf_mark_not_init(&f->regs[r]);
	vf_mark_unknown(&f->regs[1]);
	f->regs[2] = m->cb_ctx;
	f->in_callback = true;
	st->frame[++st->curframe] = f;
	st->insn_idx = sp->start;
	/* the caller's continuation is explored after the callback, like a pushed branch */
	return vf_push_branch(env, after, pc);
}

static int set_return(struct vf_env *env, struct df_vstate *st, uint32_t pc,
		      const struct df_helper *h, const struct df_helper_proto *p,
		      const struct call_meta *m)
{
	struct df_vreg *r0 = &vf_cur_frame(st)->regs[0];
	const struct df_map *map;
	uint32_t id;
	int err;

	switch (p->ret) {
	case DF_RET_INTEGER:
		vf_mark_unknown(r0);
		return 0;
	case DF_RET_VOID:
		vf_mark_not_init(r0);
		return 0;
	case DF_RET_MAP_VALUE_OR_NULL:
		map = meta_map(env, m);
		if (!map)
			return vf_err(env, "kernel subsystem misconfigured verifier");
		if (map->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
		    map->type == BPF_MAP_TYPE_HASH_OF_MAPS) {
			/* the inner map, as the template the outer one was created with */
			if (!map->inner)
				return vf_unsupported(env, "map-in-map lookup without the inner "
						      "map's definition (%s#%d)", h->name, h->id);
			set_ptr(r0, DF_CONST_PTR_TO_MAP);
			r0->flags = DF_VF_MAYBE_NULL;
			r0->aux = (uint32_t)m->map | VF_MAP_INNER;
			r0->id = vf_new_id(env);
			return 0;
		}
		set_ptr(r0, DF_PTR_TO_MAP_VALUE);
		r0->aux = (uint32_t)m->map;
		/* an array's element at a constant index in range always exists */
		if (h->id == BPF_FUNC_map_lookup_elem && elides_null(map->type) &&
		    m->const_key >= 0 && (uint64_t)m->const_key < map->max_entries)
			return 0;
		r0->flags = DF_VF_MAYBE_NULL;
		r0->id = vf_new_id(env);
		return 0;
	case DF_RET_SOCKET_OR_NULL:
	case DF_RET_MEM_OR_NULL:
		err = vf_ref_acquire(env, st, pc, &id);
		if (err)
			return err;
		set_ptr(r0, p->ret == DF_RET_SOCKET_OR_NULL ? DF_PTR_TO_SOCKET : DF_PTR_TO_MEM);
		r0->flags = DF_VF_MAYBE_NULL;
		r0->id = id;
		r0->ref_obj_id = id;
		if (p->ret == DF_RET_MEM_OR_NULL)
			r0->aux = (uint32_t)m->alloc_size;
		return 0;
	default:
		return vf_unsupported(env, "helper %s#%d", h->name, h->id);
	}
}

int vf_call_helper(struct vf_env *env, struct df_vstate *st, uint32_t pc,
		   const struct df_insn *insn)
{
	const struct df_helper *h = df_helper_by_id(insn->imm);
	const struct df_helper_proto *p = df_helper_proto(insn->imm);
	struct call_meta m = { .map = -1, .cb = -1, .const_key = -1 };
	struct df_vframe *f = vf_cur_frame(st);
	bool acquires;
	int err;

	if (!h || !h->name)
		return vf_err(env, "invalid func unknown#%d", insn->imm);
	err = df_helper_allowed(p, env->prog->type);
	if (err == -EOPNOTSUPP)
		return vf_unsupported(env, "helper %s#%d is available only under some kernel "
				      "configurations", h->name, insn->imm);
	if (!err)
		return vf_err(env, "program of this type cannot use helper %s#%d", h->name,
			      insn->imm);
	if (!df_helper_proto_complete(p, h->nargs))
		return vf_unsupported(env, "helper %s#%d", h->name, insn->imm);
	for (uint32_t a = 1; a <= (uint32_t)h->nargs; a++) {
		err = check_arg(env, st, p, a, &m);
		if (err)
			return err;
	}
	if (m.map >= 0 && !map_func_ok(meta_map(env, &m)->type, insn->imm))
		return vf_err(env, "cannot pass map_type %u into func %s#%d",
			      meta_map(env, &m)->type, h->name, insn->imm);
	acquires = p->ret == DF_RET_SOCKET_OR_NULL || p->ret == DF_RET_MEM_OR_NULL;
	if ((acquires || m.release) && vf_in_callback(st))
		return vf_unsupported(env, "references acquired or released in a callback (%s#%d)",
				      h->name, insn->imm);
	if (p->flags & DF_PROTO_TAIL_CALL) {
		if (st->ref_cnt)
			return vf_err(env, "tail_call would lead to reference leak");
		env->sub[f->subprog].has_tail_call = true;
	}
	if (m.release) {
		if (!vf_state_del_ref(st, m.release))
			return vf_err(env, "reference id=%u is not held", m.release);
		vf_mem_invalidate_id(st, m.release);
		vf_invalidate_slots(st, m.release);
	}
	if (p->flags & DF_PROTO_CALLBACK)
		return call_callback(env, st, pc, &m);
	vf_clobber_args(f);
	err = set_return(env, st, pc, h, p, &m);
	if (err)
		return err;
	if (p->flags & DF_PROTO_PKT_DATA) {
		vf_mem_invalidate_packet(st);
		vf_invalidate_slots(st, 0);
	}
	st->insn_idx = pc + 1;
	return 0;
}

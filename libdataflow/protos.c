/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helper and kfunc prototypes: one table serves the half-slot stack
 * liveness (how many bytes a callee reads or writes through an argument
 * that may point into a stack, semantics §3.8) and the verifier (the kind
 * each argument must have, the return value, side effects). Written from
 * the kernel's bpf_func_proto definitions; docs/liveness.md and
 * docs/verify.md explain the rules and how to add a callee.
 *
 * Helper arguments, one letter per register r1..r5. Letters with a stack
 * access (liveness and verifier):
 *   n  the callback context of a callback helper: a stack pointer or NULL,
 *      not accessed by the helper itself
 *   P  the map pointer that sizes a later K/V/v argument
 *   K  map key, read (key_size)       V / v  map value, read / written
 *   M  memory read, size in the next argument
 *   m  memory written (uninitialised), size in the next argument
 *   D  dynptr read (16 bytes)         d  dynptr written (16 bytes)
 *   L  8-byte result written (strtol)
 * Letters for the verifier only (to the liveness: unknown size if the
 * argument is a stack pointer):
 *   a  anything initialised           -  not checked (variadic tail)
 *   s  constant size > 0              z  constant size or zero
 *   A  constant allocation size       c  the program's context
 *   f  a subprogram (callback)        S  a socket reference, released
 *   R  ring-buffer memory, released
 *   .  kind not described: the verifier does not support the helper
 */
#include "internal.h"
#include "argtrack_int.h"
#include "liveness.h"

#include <linux/bpf.h>

#define DYNPTR_SIZE 16

/* Shorter names for the table. */
#define INT	DF_RET_INTEGER
#define VOID	DF_RET_VOID
#define MAPV	DF_RET_MAP_VALUE_OR_NULL
#define SOCK	DF_RET_SOCKET_OR_NULL
#define RBUF	DF_RET_MEM_OR_NULL
#define PKT	DF_PROTO_PKT_DATA
#define TAIL	DF_PROTO_TAIL_CALL
#define CB	DF_PROTO_CALLBACK
#define MNULL	DF_PROTO_MEM_NULL
#define MRW	DF_PROTO_MEM_RW

/*
 * Program types that may call a helper (the last column), as the kernel's
 * per-type func_proto callbacks answer for a privileged loader. The table
 * has facts for the types below only; others are not checked. NONE: the
 * kernel offers the helper only under a configuration (override_return:
 * CONFIG_BPF_KPROBE_OVERRIDE; probe_write_user: no lockdown), so whether a
 * program may call it is not the verifier's to say.
 */
#define PT(t)	(1u << BPF_PROG_TYPE_##t)
#define SF	PT(SOCKET_FILTER)
#define KP	PT(KPROBE)
#define TC	(PT(SCHED_CLS) | PT(SCHED_ACT))
#define TP	PT(TRACEPOINT)
#define XDP	PT(XDP)
#define PE	PT(PERF_EVENT)
#define CGS	PT(CGROUP_SKB)
#define CSK	PT(CGROUP_SOCK)
#define LX	PT(LWT_XMIT)
#define LWT	(PT(LWT_IN) | PT(LWT_OUT) | LX | PT(LWT_SEG6LOCAL))
#define SOP	PT(SOCK_OPS)
#define SKB	PT(SK_SKB)
#define DEV	PT(CGROUP_DEVICE)
#define MSG	PT(SK_MSG)
#define RTP	PT(RAW_TRACEPOINT)
#define TRACE	(KP | TP | PE | RTP)
#define ALL	(SF | TC | XDP | CGS | CSK | LWT | SOP | SKB | DEV | MSG | TRACE)
#define NONE	0

/*
 * Sorted by id (binary search). A row without a return kind is
 * liveness-only. Columns: id, argument kinds, return kind, flags, the
 * program types that may call it.
 */
static const struct df_helper_proto helpers[] = {
	{ 1, "PK", MAPV, 0, ALL },			/* map_lookup_elem */
	{ 2, "PKVa", INT, 0, ALL },			/* map_update_elem */
	{ 3, "PK", INT, 0, ALL },			/* map_delete_elem */
	{ 4, "mza", INT, 0, TRACE },			/* probe_read */
	{ 5, "", INT, 0, ALL },				/* ktime_get_ns */
	{ 6, "Ms", INT, 0, ALL },			/* trace_printk: r3..r5 unchecked */
	{ 7, "", INT, 0, ALL },				/* get_prandom_u32 */
	{ 8, "", INT, 0, ALL },				/* get_smp_processor_id */
	{ 9, "caMsa", INT, PKT, TC | LX | SKB },	/* skb_store_bytes */
	{ 10, "caaaa", INT, PKT, TC | LX },		/* l3_csum_replace */
	{ 11, "caaaa", INT, PKT, TC | LX },		/* l4_csum_replace */
	{ 12, "cPa", VOID, TAIL, ALL },			/* tail_call */
	{ 13, "caa", INT, PKT, TC | LX },		/* clone_redirect */
	{ 14, "", INT, 0, ALL },			/* get_current_pid_tgid */
	{ 15, "", INT, 0, ALL },			/* get_current_uid_gid */
	{ 16, "ms", INT, 0, ALL },			/* get_current_comm */
	{ 17, "c", INT, 0, ALL },			/* get_cgroup_classid */
	{ 18, "caa", INT, PKT, TC },			/* skb_vlan_push */
	{ 19, "c", INT, PKT, TC },			/* skb_vlan_pop */
	{ 20, "cmsa", INT, 0, TC | LX },		/* skb_get_tunnel_key */
	{ 21, "cMsa", INT, 0, TC | LX },		/* skb_set_tunnel_key */
	{ 22, "Pa", INT, 0, ALL },			/* perf_event_read */
	{ 23, "aa", INT, 0, TC | XDP | LX },		/* redirect */
	{ 24, "c", INT, 0, LWT | TC },			/* get_route_realm */
	{ 25, "cPaMz", INT, 0, ALL },			/* perf_event_output */
	{ 26, "cams", INT, 0, LWT | TC | SF | CGS | SKB },	/* skb_load_bytes */
	{ 27, "cPa", INT, 0, TRACE },			/* get_stackid */
	{ 28, "MzMza", INT, MNULL, LWT | TC | XDP },	/* csum_diff */
	{ 29, "cms", INT, 0, TC | LX },			/* skb_get_tunnel_opt */
	{ 30, "cMs", INT, 0, TC | LX },			/* skb_set_tunnel_opt */
	{ 31, "caa", INT, PKT, TC },			/* skb_change_proto */
	{ 32, "ca", INT, 0, TC },			/* skb_change_type */
	{ 33, "cPa", INT, 0, LWT | TC },		/* skb_under_cgroup */
	{ 34, "c", INT, 0, LWT | TC },			/* get_hash_recalc */
	{ 35, "", INT, 0, ALL },			/* get_current_task */
	{ 36, "aMs", INT, 0, NONE },			/* probe_write_user */
	{ 37, "Pa", INT, 0, ALL },			/* current_task_under_cgroup */
	{ 38, "caa", INT, PKT, TC | LX | SKB },		/* skb_change_tail */
	{ 39, "ca", INT, PKT, LWT | TC | SKB },		/* skb_pull_data */
	{ 40, "ca", INT, 0, TC | LX },			/* csum_update */
	{ 41, "c", VOID, 0, TC | LX },			/* set_hash_invalid */
	{ 42, "", INT, 0, ALL },			/* get_numa_node_id */
	{ 43, "caa", INT, PKT, TC | LX | SKB },		/* skb_change_head */
	{ 44, "ca", INT, PKT, XDP },			/* xdp_adjust_head */
	{ 45, "mza", INT, 0, TRACE },			/* probe_read_str */
	{ 46, "c", INT, 0, TC | SF | CGS | CSK | SOP | SKB },	/* get_socket_cookie */
	{ 47, "c", INT, 0, TC | SF | CGS | SKB },	/* get_socket_uid */
	{ 48, "ca", INT, 0, TC },			/* set_hash */
	{ 49, "caaMs", INT, 0, SOP },			/* setsockopt (sock_ops) */
	{ 50, "caaa", INT, PKT, TC | SKB },		/* skb_adjust_room */
	{ 51, "Paa", INT, 0, XDP },			/* redirect_map */
	{ 52, "cPaa", INT, 0, SKB },			/* sk_redirect_map */
	{ 53, "cPKa", INT, 0, SOP },			/* sock_map_update */
	{ 54, "ca", INT, PKT, XDP },			/* xdp_adjust_meta */
	{ 55, "Pams", INT, 0, ALL },			/* perf_event_read_value */
	{ 56, "cms", INT, 0, PE },			/* perf_prog_read_value */
	{ 57, "caams", INT, 0, SOP },			/* getsockopt (sock_ops) */
	{ 58, "ca", INT, 0, NONE },			/* override_return */
	{ 65, "ca", INT, PKT, XDP },			/* xdp_adjust_tail */
	{ 67, "cmza", INT, 0, TRACE },			/* get_stack */
	{ 69, "cMsa", INT, MRW, TC | XDP },		/* fib_lookup: params read and written */
	{ 70, "cPKa", INT, 0, SOP },			/* sock_hash_update */
	{ 71, "cPKa", INT, 0, MSG },			/* msg_redirect_hash */
	{ 72, "cPKa", INT, 0, SKB },			/* sk_redirect_hash */
	{ 84, "cMsaa", SOCK, 0, TC | XDP | CGS | SKB },	/* sk_lookup_tcp */
	{ 85, "cMsaa", SOCK, 0, TC | XDP | CGS | SKB },	/* sk_lookup_udp */
	{ 86, "S", INT, 0, TC | XDP | CGS | SKB },	/* sk_release */
	{ 87, "PVa", INT, 0, ALL },			/* map_push_elem */
	{ 88, "Pv", INT, 0, ALL },			/* map_pop_elem */
	{ 89, "Pv", INT, 0, ALL },			/* map_peek_elem */
	{ 99, "cMsaa", 0, 0, TC | XDP | CGS | SKB },	/* skc_lookup_tcp: sock_common */
	{ 105, "MsaL", INT, 0, ALL },			/* strtol */
	{ 106, "MsaL", INT, 0, ALL },			/* strtoul */
	{ 112, "mza", INT, 0, ALL },			/* probe_read_user */
	{ 113, "mza", INT, 0, ALL },			/* probe_read_kernel */
	{ 114, "mza", INT, 0, ALL },			/* probe_read_user_str */
	{ 115, "mza", INT, 0, ALL },			/* probe_read_kernel_str */
	{ 118, "", INT, 0, ALL },			/* jiffies64 */
	{ 130, "PMza", INT, 0, ALL },			/* ringbuf_output */
	{ 131, "PAa", RBUF, 0, ALL },			/* ringbuf_reserve */
	{ 132, "Ra", VOID, 0, ALL },			/* ringbuf_submit */
	{ 133, "Ra", VOID, 0, ALL },			/* ringbuf_discard */
	{ 148, "mza", INT, 0, ALL },			/* copy_from_user */
	{ 164, "P.n.", 0, 0, ALL },			/* for_each_map_elem */
	{ 165, "m..M.", 0, 0, ALL },			/* snprintf: constant format string */
	{ 177, "MsMz", INT, MNULL, ALL },		/* trace_vprintk */
	{ 180, "...n.", 0, 0, ALL },			/* find_vma */
	{ 181, "afna", INT, CB, ALL },			/* loop */
	{ 195, "PKa", MAPV, 0, ALL },			/* map_lookup_percpu_elem */
	{ 197, "m..d", 0, 0, ALL },			/* dynptr_from_mem */
	{ 198, "P..d", 0, 0, ALL },			/* ringbuf_reserve_dynptr */
	{ 199, "D.", 0, 0, ALL },			/* ringbuf_submit_dynptr */
	{ 200, "D.", 0, 0, ALL },			/* ringbuf_discard_dynptr */
	{ 201, "m.D..", 0, 0, ALL },			/* dynptr_read */
	{ 202, "D.M..", 0, 0, ALL },			/* dynptr_write */
	{ 203, "D..", 0, 0, ALL },			/* dynptr_data */
	{ 209, "P.n.", 0, 0, ALL },			/* user_ringbuf_drain */
};

/*
 * Kfunc arguments: an access in bytes (> 0 read, < 0 written), 0 for a
 * non-pointer, KSZ for a buffer sized by the next argument, UNK unknown.
 * These kfuncs take iterators, dynptrs or kernel objects: the verifier
 * does not model them.
 */
#define KSZ	(INT64_MIN + 1)
#define UNK	DF_ACCESS_UNKNOWN

struct kproto {
	const char *name;
	int8_t nargs;
	int64_t acc[5];
};

static const struct kproto kfuncs[] = {
	{ "bpf_iter_num_new", 3, { -8, 0, 0 } },
	{ "bpf_iter_num_next", 1, { 8 } },
	{ "bpf_iter_num_destroy", 1, { 8 } },
	{ "bpf_iter_bits_new", 3, { -16, 8, 0 } },
	{ "bpf_iter_bits_next", 1, { 16 } },
	{ "bpf_iter_bits_destroy", 1, { 16 } },
	{ "bpf_iter_task_vma_new", 3, { -8, 0, 0 } },
	{ "bpf_iter_task_vma_next", 1, { 8 } },
	{ "bpf_iter_task_vma_destroy", 1, { 8 } },
	{ "bpf_iter_css_task_new", 3, { -8, 0, 0 } },
	{ "bpf_iter_css_task_next", 1, { 8 } },
	{ "bpf_iter_css_task_destroy", 1, { 8 } },
	{ "bpf_iter_task_new", 3, { -24, 0, 0 } },
	{ "bpf_iter_task_next", 1, { 24 } },
	{ "bpf_iter_task_destroy", 1, { 24 } },
	{ "bpf_iter_css_new", 3, { -24, 0, 0 } },
	{ "bpf_iter_css_next", 1, { 24 } },
	{ "bpf_iter_css_destroy", 1, { 24 } },
	{ "bpf_dynptr_from_skb", 3, { 0, 0, -DYNPTR_SIZE } },
	{ "bpf_dynptr_from_xdp", 3, { 0, 0, -DYNPTR_SIZE } },
	{ "bpf_dynptr_slice", 4, { DYNPTR_SIZE, 0, KSZ, 0 } },
	{ "bpf_dynptr_slice_rdwr", 4, { DYNPTR_SIZE, 0, KSZ, 0 } },
	{ "bpf_dynptr_adjust", 3, { DYNPTR_SIZE, 0, 0 } },
	{ "bpf_dynptr_is_null", 1, { DYNPTR_SIZE } },
	{ "bpf_dynptr_is_rdonly", 1, { DYNPTR_SIZE } },
	{ "bpf_dynptr_size", 1, { DYNPTR_SIZE } },
	{ "bpf_dynptr_clone", 2, { DYNPTR_SIZE, -DYNPTR_SIZE } },
	{ "bpf_local_irq_save", 1, { 8 } },
	{ "bpf_local_irq_restore", 1, { 8 } },
	{ "bpf_rcu_read_lock", 0, { 0 } },
	{ "bpf_rcu_read_unlock", 0, { 0 } },
	{ "bpf_obj_new_impl", 2, { 0, UNK } },
	{ "bpf_obj_drop_impl", 2, { UNK, UNK } },
};

const struct df_helper_proto *df_helper_proto(int32_t id)
{
	uint32_t lo = 0, hi = DF_ARRAY_SIZE(helpers);

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (helpers[mid].id < id)
			lo = mid + 1;
		else if (helpers[mid].id > id)
			hi = mid;
		else
			return &helpers[mid];
	}
	return NULL;
}

int df_helper_allowed(const struct df_helper_proto *p, uint32_t prog_type)
{
	if (!p)
		return -ENOENT;
	if (!p->types)
		return -EOPNOTSUPP;
	if (prog_type >= 32 || !((1u << prog_type) & ALL))
		return -ENOENT;
	return !!(p->types & (1u << prog_type));
}

bool df_helper_proto_complete(const struct df_helper_proto *p, int nargs)
{
	size_t len;

	if (!p || !p->ret || nargs < 0 || nargs > DF_MAX_REG_ARGS)
		return false;
	len = strlen(p->args);
	for (int i = 0; i < nargs; i++)
		if ((size_t)i >= len || !strchr("nPKVvMmLascAzfSR-", p->args[i]))
			return false;
	return true;
}

static const struct kproto *kfunc_proto(const struct df_prog *prog, uint32_t pc)
{
	const struct df_kfunc *k = df_prog_kfunc_at(prog, pc);

	if (!k || !k->name)
		return NULL;
	for (size_t i = 0; i < DF_ARRAY_SIZE(kfuncs); i++)
		if (!strcmp(kfuncs[i].name, k->name))
			return &kfuncs[i];
	return NULL;
}

bool df_kfunc_proto_known(const struct df_prog *prog, uint32_t pc)
{
	return kfunc_proto(prog, pc) != NULL;
}

int df_proto_nparams(const struct df_prog *prog, uint32_t pc)
{
	const struct df_insn *in = &prog->insns[pc];

	if (in->src_reg == DF_PSEUDO_HELPER) {
		const struct df_helper *h = df_helper_by_id(in->imm);

		return h ? h->nargs : DF_MAX_REG_ARGS;
	}
	if (in->src_reg == DF_PSEUDO_KFUNC_CALL) {
		const struct kproto *kp = kfunc_proto(prog, pc);
		const struct df_kfunc *k = df_prog_kfunc_at(prog, pc);

		if (kp)
			return kp->nargs;
		return k && k->arg_cnt >= 0 ? k->arg_cnt : DF_MAX_REG_ARGS;
	}
	return DF_MAX_REG_ARGS;
}

static bool const_reg(const struct df_call_consts *cc, int reg, int64_t *v)
{
	if (!cc || reg < 1 || reg > 5 || cc->r[reg].kind != DF_CV_SCALAR)
		return false;
	*v = cc->r[reg].val;
	return true;
}

/* Key or value size of the map in the P argument before arg, else the largest of the program. */
static int64_t map_size(const struct df_prog *prog, const char *args, unsigned arg,
			const struct df_call_consts *cc, bool key)
{
	const struct df_object *obj = prog->obj;
	uint32_t best = 0;
	unsigned i;

	for (i = 0; i < arg && args[i] != 'P'; i++)
		;
	if (i < arg && cc && cc->r[i + 1].kind == DF_CV_MAP && obj &&
	    cc->r[i + 1].val >= 0 && cc->r[i + 1].val < (int64_t)obj->map_cnt) {
		const struct df_map *m = &obj->maps[cc->r[i + 1].val];

		return key ? m->key_size : m->value_size;
	}
	for (uint32_t r = 0; obj && r < prog->map_ref_cnt; r++) {
		const struct df_map *m;
		uint32_t sz;

		if (prog->map_refs[r].map >= obj->map_cnt)
			continue;
		m = &obj->maps[prog->map_refs[r].map];
		sz = key ? m->key_size : m->value_size;
		if (sz > best)
			best = sz;
	}
	return best ? (int64_t)best : DF_ACCESS_UNKNOWN;
}

/* The stack access of one helper argument; letters without one read "unknown". */
static int64_t helper_access(const struct df_prog *prog, const char *args,
			     unsigned arg, const struct df_call_consts *cc)
{
	char k = arg < strlen(args) ? args[arg] : '.';
	int64_t sz;

	switch (k) {
	case 'n':
		return 0;
	case 'K':
	case 'V':
	case 'v':
		sz = map_size(prog, args, arg, cc, k == 'K');
		if (sz == DF_ACCESS_UNKNOWN)
			return sz;
		return k == 'v' ? -sz : sz;
	case 'M':
	case 'm':
		if (const_reg(cc, (int)arg + 2, &sz))
			return k == 'm' ? -sz : sz;
		return k == 'm' ? 0 : DF_MAX_STACK;
	case 'D':
		return DYNPTR_SIZE;
	case 'd':
		return -DYNPTR_SIZE;
	case 'L':
		return -8;
	default:
		return DF_ACCESS_UNKNOWN;
	}
}

int df_proto_access(const struct df_prog *prog, uint32_t pc, unsigned arg,
		    const struct df_call_consts *cc, int64_t *size)
{
	const struct df_insn *in = &prog->insns[pc];

	if (in->code != (DF_JMP | DF_CALL))
		return -EINVAL;
	if (in->src_reg == DF_PSEUDO_HELPER) {
		const struct df_helper_proto *h = df_helper_proto(in->imm);

		if (!h)
			return -ENOENT;
		*size = helper_access(prog, h->args, arg, cc);
		return 0;
	}
	if (in->src_reg == DF_PSEUDO_KFUNC_CALL) {
		const struct kproto *k = kfunc_proto(prog, pc);
		int64_t v;

		if (!k)
			return -ENOENT;
		if (arg >= (unsigned)k->nargs || arg >= DF_ARRAY_SIZE(k->acc)) {
			*size = 0;
			return 0;
		}
		*size = k->acc[arg];
		if (*size == KSZ)
			*size = const_reg(cc, (int)arg + 2, &v) ? v : DF_MAX_STACK;
		return 0;
	}
	return -ENOENT;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Context access models: per program type, which byte ranges of the
 * context may be loaded or stored at which sizes, and what a load yields.
 *
 * A model is a list of rows, each a byte range of the context with the
 * access sizes allowed for loads and stores and the type of a loaded value.
 * An access of size n at off is valid when off is a multiple of n (every
 * context the kernel checks requires natural alignment) and the first row
 * containing [off, off + n) allows size n for that direction. Offsets no
 * row covers are invalid. The rows follow the kernel's is_valid_access
 * callbacks of net/core/filter.c and kernel/trace/bpf_trace.c; types
 * without a model are unsupported (docs/verify.md, Program types).
 */
#include "vf.h"

#include <linux/bpf.h>

#define S1	0x01
#define S2	0x02
#define S4	0x04
#define S8	0x08
#define NARROW	(S1 | S2 | S4)		/* loads of part of a u32 field */
#define ANY	(S1 | S2 | S4 | S8)

struct vf_ctx_field {
	uint16_t off;
	uint16_t len;		/* bytes [off, off + len) */
	uint8_t rd;		/* load sizes allowed, S1..S8 */
	uint8_t wr;		/* store sizes allowed */
	uint8_t res;		/* enum vf_ctx_result of a load */
};

struct vf_ctx_model {
	uint32_t prog_type;
	uint32_t attach;	/* expected_attach_type to match, 0 for any */
	uint32_t size;		/* bytes readable through the context pointer */
	const struct vf_ctx_field *rows;
	uint32_t row_cnt;
};

#define SCALAR	VF_CTX_SCALAR
#define PKT	VF_CTX_PKT
#define PKT_END	VF_CTX_PKT_END
#define META	VF_CTX_PKT_META
#define UNSUP	VF_CTX_UNSUPPORTED

/*
 * struct __sk_buff (192 bytes): u32 fields 0..140 (cb[] at 48..68, data at
 * 76, data_end at 80, family..local_port at 88..140), data_meta 140,
 * flow_keys 144, tstamp 152, wire_len 160, gso_segs 164, sk 168,
 * gso_size 176, tstamp_type 180, hwtstamp 184.
 */
static const struct vf_ctx_field skb_tc[] = {
	{ 0, 8, NARROW, 0, SCALAR },		/* len, pkt_type */
	{ 8, 4, NARROW, S4, SCALAR },		/* mark */
	{ 12, 4, NARROW, S4, SCALAR },		/* queue_mapping */
	{ 16, 16, NARROW, 0, SCALAR },		/* protocol .. vlan_proto */
	{ 32, 4, NARROW, S4, SCALAR },		/* priority */
	{ 36, 8, NARROW, 0, SCALAR },		/* ingress_ifindex, ifindex */
	{ 44, 4, NARROW, S4, SCALAR },		/* tc_index */
	{ 48, 20, ANY, ANY, SCALAR },		/* cb[5] */
	{ 68, 4, NARROW, 0, SCALAR },		/* hash */
	{ 72, 4, NARROW, S4, SCALAR },		/* tc_classid */
	{ 76, 4, S4, 0, PKT },			/* data */
	{ 80, 4, S4, 0, PKT_END },		/* data_end */
	{ 84, 4, NARROW, 0, SCALAR },		/* napi_id */
	{ 140, 4, S4, 0, META },		/* data_meta */
	{ 152, 8, S8, S8, SCALAR },		/* tstamp */
	{ 160, 8, NARROW, 0, SCALAR },		/* wire_len, gso_segs */
	{ 168, 8, S8, 0, UNSUP },		/* sk: sock_common_or_null */
	{ 176, 4, NARROW, 0, SCALAR },		/* gso_size */
	{ 184, 8, S8, 0, SCALAR },		/* hwtstamp */
};

static const struct vf_ctx_field skb_socket[] = {
	{ 0, 48, NARROW, 0, SCALAR },		/* len .. tc_index */
	{ 48, 20, ANY, ANY, SCALAR },		/* cb[5] */
	{ 68, 4, NARROW, 0, SCALAR },		/* hash */
	{ 84, 4, NARROW, 0, SCALAR },		/* napi_id */
	{ 164, 4, NARROW, 0, SCALAR },		/* gso_segs */
	{ 168, 8, S8, 0, UNSUP },		/* sk */
	{ 176, 4, NARROW, 0, SCALAR },		/* gso_size */
};

static const struct vf_ctx_field skb_cgroup[] = {
	{ 0, 8, NARROW, 0, SCALAR },		/* len, pkt_type */
	{ 8, 4, NARROW, S4, SCALAR },		/* mark */
	{ 12, 20, NARROW, 0, SCALAR },		/* queue_mapping .. vlan_proto */
	{ 32, 4, NARROW, S4, SCALAR },		/* priority */
	{ 36, 12, NARROW, 0, SCALAR },		/* ingress_ifindex .. tc_index */
	{ 48, 20, ANY, ANY, SCALAR },		/* cb[5] */
	{ 68, 4, NARROW, 0, SCALAR },		/* hash */
	{ 76, 4, S4, 0, PKT },			/* data */
	{ 80, 4, S4, 0, PKT_END },		/* data_end */
	{ 84, 56, NARROW, 0, SCALAR },		/* napi_id, family .. local_port */
	{ 152, 8, S8, S8, SCALAR },		/* tstamp */
	{ 164, 4, NARROW, 0, SCALAR },		/* gso_segs */
	{ 168, 8, S8, 0, UNSUP },		/* sk */
	{ 176, 4, NARROW, 0, SCALAR },		/* gso_size */
	{ 184, 8, S8, 0, SCALAR },		/* hwtstamp */
};

/*
 * Lightweight-tunnel programs (lwt_in, lwt_out, lwt_xmit, seg6local): the
 * tc view without tc_classid, the socket fields, data_meta and the
 * timestamps; mark, priority and cb[] writable.
 */
static const struct vf_ctx_field skb_lwt[] = {
	{ 0, 8, NARROW, 0, SCALAR },		/* len, pkt_type */
	{ 8, 4, NARROW, S4, SCALAR },		/* mark */
	{ 12, 20, NARROW, 0, SCALAR },		/* queue_mapping .. vlan_proto */
	{ 32, 4, NARROW, S4, SCALAR },		/* priority */
	{ 36, 12, NARROW, 0, SCALAR },		/* ingress_ifindex .. tc_index */
	{ 48, 20, ANY, ANY, SCALAR },		/* cb[5] */
	{ 68, 4, NARROW, 0, SCALAR },		/* hash */
	{ 76, 4, S4, 0, PKT },			/* data */
	{ 80, 4, S4, 0, PKT_END },		/* data_end */
	{ 84, 4, NARROW, 0, SCALAR },		/* napi_id */
	{ 164, 4, NARROW, 0, SCALAR },		/* gso_segs */
	{ 168, 8, S8, 0, UNSUP },		/* sk */
	{ 176, 4, NARROW, 0, SCALAR },		/* gso_size */
};

/* struct xdp_md: six u32, whole-field loads only; egress_ifindex for devmap. */
static const struct vf_ctx_field xdp_devmap[] = {
	{ 0, 4, S4, 0, PKT },			/* data */
	{ 4, 4, S4, 0, PKT_END },		/* data_end */
	{ 8, 4, S4, 0, META },			/* data_meta */
	{ 12, 12, S4, 0, SCALAR },		/* ingress_ifindex .. egress_ifindex */
};

static const struct vf_ctx_field xdp[] = {
	{ 0, 4, S4, 0, PKT },
	{ 4, 4, S4, 0, PKT_END },
	{ 8, 4, S4, 0, META },
	{ 12, 8, S4, 0, SCALAR },		/* ingress_ifindex, rx_queue_index */
};

/* struct pt_regs of x86-64: 21 u64, read only. */
static const struct vf_ctx_field kprobe[] = {
	{ 0, 168, ANY, 0, SCALAR },
};

/*
 * A tracepoint's record: its size depends on the event, which the
 * verifier does not know; the kernel bounds reads by PERF_MAX_TRACE_SIZE
 * (8192) and skips the 8-byte common header.
 */
static const struct vf_ctx_field tracepoint[] = {
	{ 8, 8184, ANY, 0, SCALAR },
};

/* Raw tracepoint: up to MAX_BPF_FUNC_ARGS u64 arguments. */
static const struct vf_ctx_field raw_tp[] = {
	{ 0, 96, ANY, 0, SCALAR },
};

/* struct bpf_perf_event_data: pt_regs (whole u64 loads), sample_period, addr. */
static const struct vf_ctx_field perf_event[] = {
	{ 0, 168, S8, 0, SCALAR },
	{ 168, 16, ANY, 0, SCALAR },
};

/*
 * struct bpf_sock_ops (224 bytes): u32 fields read whole, op at 0,
 * reply/replylong[4] at 4..20 and sk_txhash at 164 writable; the u64
 * fields from 168 read whole; skb_tcp_flags may be read narrow.
 */
static const struct vf_ctx_field sock_ops[] = {
	{ 0, 4, S4, 0, SCALAR },		/* op */
	{ 4, 16, S4, S4, SCALAR },		/* args[4] / reply / replylong[4] */
	{ 20, 144, S4, 0, SCALAR },		/* family .. sacked_out */
	{ 164, 4, S4, S4, SCALAR },		/* sk_txhash */
	{ 168, 16, S8, 0, SCALAR },		/* bytes_received, bytes_acked */
	{ 184, 8, S8, 0, UNSUP },		/* sk: socket or NULL */
	{ 192, 8, S8, 0, PKT },			/* skb_data */
	{ 200, 8, S8, 0, PKT_END },		/* skb_data_end */
	{ 208, 4, S4, 0, SCALAR },		/* skb_len */
	{ 212, 4, NARROW, 0, SCALAR },		/* skb_tcp_flags */
	{ 216, 8, S8, 0, SCALAR },		/* skb_hwtstamp */
};

/*
 * struct bpf_sock (80 bytes) for cgroup/sock programs. state, family,
 * type, protocol, src_port and rx_queue_mapping may be read narrow only at
 * the field's first byte (three rows: the first row containing an access
 * decides); the addresses narrow anywhere; dst_port as its u16 or the
 * whole u32. Which of bound_dev_if, mark, priority and the source address
 * exist depends on the attach point.
 */
#define AT_START(o)	{ o, 1, S1, 0, SCALAR }, { o, 2, S2, 0, SCALAR }, \
			{ o, 4, S4, 0, SCALAR }
#define SOCK_COMMON \
	AT_START(4), AT_START(8), AT_START(12),	/* family, type, protocol */ \
	{ 48, 2, S1 | S2, 0, SCALAR },		/* dst_port */ \
	{ 48, 4, S4, 0, SCALAR }, \
	{ 52, 20, NARROW, 0, SCALAR },		/* dst_ip4, dst_ip6 */ \
	AT_START(72), AT_START(76)		/* state, rx_queue_mapping */

static const struct vf_ctx_field sock_create[] = {
	{ 0, 4, S4, S4, SCALAR },		/* bound_dev_if */
	{ 16, 8, S4, S4, SCALAR },		/* mark, priority */
	SOCK_COMMON,
};

static const struct vf_ctx_field sock_post_bind4[] = {
	{ 24, 4, NARROW, 0, SCALAR },		/* src_ip4 */
	AT_START(44),				/* src_port */
	SOCK_COMMON,
};

static const struct vf_ctx_field sock_post_bind6[] = {
	{ 28, 16, NARROW, 0, SCALAR },		/* src_ip6 */
	AT_START(44),
	SOCK_COMMON,
};

#define MODEL(t, a, sz, rows) { t, a, sz, rows, DF_ARRAY_SIZE(rows) }

/* First match wins: attach-specific models before the generic one. */
static const struct vf_ctx_model models[] = {
	MODEL(BPF_PROG_TYPE_SOCKET_FILTER, 0, 192, skb_socket),
	MODEL(BPF_PROG_TYPE_SCHED_CLS, 0, 192, skb_tc),
	MODEL(BPF_PROG_TYPE_SCHED_ACT, 0, 192, skb_tc),
	MODEL(BPF_PROG_TYPE_CGROUP_SKB, 0, 192, skb_cgroup),
	MODEL(BPF_PROG_TYPE_LWT_IN, 0, 192, skb_lwt),
	MODEL(BPF_PROG_TYPE_LWT_OUT, 0, 192, skb_lwt),
	MODEL(BPF_PROG_TYPE_LWT_XMIT, 0, 192, skb_lwt),
	MODEL(BPF_PROG_TYPE_LWT_SEG6LOCAL, 0, 192, skb_lwt),
	MODEL(BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, 24, xdp_devmap),
	MODEL(BPF_PROG_TYPE_XDP, 0, 24, xdp),
	MODEL(BPF_PROG_TYPE_KPROBE, 0, 168, kprobe),
	MODEL(BPF_PROG_TYPE_TRACEPOINT, 0, 8192, tracepoint),
	MODEL(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 96, raw_tp),
	MODEL(BPF_PROG_TYPE_PERF_EVENT, 0, 184, perf_event),
	MODEL(BPF_PROG_TYPE_SOCK_OPS, 0, 224, sock_ops),
	MODEL(BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND, 80, sock_post_bind4),
	MODEL(BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND, 80, sock_post_bind6),
	MODEL(BPF_PROG_TYPE_CGROUP_SOCK, 0, 80, sock_create),
};

static const struct vf_ctx_model *model_of(const struct df_prog *prog)
{
	for (size_t i = 0; i < DF_ARRAY_SIZE(models); i++) {
		const struct vf_ctx_model *m = &models[i];

		if (m->prog_type == prog->type &&
		    (!m->attach || m->attach == prog->expected_attach_type))
			return m;
	}
	return NULL;
}

uint32_t vf_ctx_size(const struct df_prog *prog)
{
	const struct vf_ctx_model *m = model_of(prog);

	return m ? m->size : 0;
}

int vf_ctx_access(const struct df_prog *prog, int64_t off, uint32_t size, bool write,
		  bool sx, enum vf_ctx_result *res)
{
	const struct vf_ctx_model *m = model_of(prog);
	uint8_t bit;

	if (!m)
		return -EOPNOTSUPP;
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -EACCES;
	bit = (uint8_t)size;	/* S1..S8 are the sizes themselves */
	if (off < 0 || off % size || off + size > m->size)
		return -EACCES;
	for (uint32_t i = 0; i < m->row_cnt; i++) {
		const struct vf_ctx_field *f = &m->rows[i];

		if (off < f->off || off + size > (int64_t)f->off + f->len)
			continue;
		if (!((write ? f->wr : f->rd) & bit))
			return -EACCES;
		/* Pointer fields are loaded whole and never sign-extended. */
		if (f->res != VF_CTX_SCALAR && sx)
			return -EACCES;
		if (f->res == VF_CTX_UNSUPPORTED)
			return -EOPNOTSUPP;
		*res = f->res;
		return 0;
	}
	return -EACCES;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/* Program and map types: guessing from section names, short names. */
#include "internal.h"

#include <bpf/libbpf.h>
#include <ctype.h>
#include <linux/bpf.h>

/* Types newer than the oldest libbpf we build with (1.1). */
#define PROG_TYPE_NETFILTER	32
#define MAP_TYPE_ARENA		33
#define MAP_TYPE_INSN_ARRAY	34

struct sec_rule {
	const char *prefix;
	bool exact;
	uint32_t type;
	uint32_t attach;
};

/*
 * Section names that libbpf 1.x no longer accepts but older loaders
 * (iproute2, bcc-era samples, Cilium, Suricata) used. First match wins, so
 * longer prefixes come before shorter ones.
 */
static const struct sec_rule legacy_rules[] = {
	{ "socket", false, BPF_PROG_TYPE_SOCKET_FILTER, 0 },
	{ "kprobe/", false, BPF_PROG_TYPE_KPROBE, 0 },
	{ "kretprobe/", false, BPF_PROG_TYPE_KPROBE, 0 },
	{ "uprobe/", false, BPF_PROG_TYPE_KPROBE, 0 },
	{ "uretprobe/", false, BPF_PROG_TYPE_KPROBE, 0 },
	{ "tracepoint/", false, BPF_PROG_TYPE_TRACEPOINT, 0 },
	{ "tp/", false, BPF_PROG_TYPE_TRACEPOINT, 0 },
	{ "raw_tracepoint/", false, BPF_PROG_TYPE_RAW_TRACEPOINT, 0 },
	{ "raw_tp/", false, BPF_PROG_TYPE_RAW_TRACEPOINT, 0 },
	{ "xdp", false, BPF_PROG_TYPE_XDP, BPF_XDP },
	{ "classifier", false, BPF_PROG_TYPE_SCHED_CLS, 0 },
	{ "action", false, BPF_PROG_TYPE_SCHED_ACT, 0 },
	{ "tc", false, BPF_PROG_TYPE_SCHED_CLS, 0 },
	{ "cgroup/skb", false, BPF_PROG_TYPE_CGROUP_SKB, 0 },
	{ "cgroup_skb/", false, BPF_PROG_TYPE_CGROUP_SKB, 0 },
	{ "cgroup/sock", false, BPF_PROG_TYPE_CGROUP_SOCK,
	  BPF_CGROUP_INET_SOCK_CREATE },
	{ "cgroup/dev", false, BPF_PROG_TYPE_CGROUP_DEVICE, BPF_CGROUP_DEVICE },
	{ "sockops", false, BPF_PROG_TYPE_SOCK_OPS, BPF_CGROUP_SOCK_OPS },
	{ "sk_skb", false, BPF_PROG_TYPE_SK_SKB, 0 },
	{ "sk_msg", false, BPF_PROG_TYPE_SK_MSG, BPF_SK_MSG_VERDICT },
	{ "lwt_in", false, BPF_PROG_TYPE_LWT_IN, 0 },
	{ "lwt_out", false, BPF_PROG_TYPE_LWT_OUT, 0 },
	{ "lwt_xmit", false, BPF_PROG_TYPE_LWT_XMIT, 0 },
	{ "lwt_seg6local", false, BPF_PROG_TYPE_LWT_SEG6LOCAL, 0 },
	{ "perf_event", false, BPF_PROG_TYPE_PERF_EVENT, 0 },
	{ "netfilter", false, PROG_TYPE_NETFILTER, 0 },
	/* Cilium's datapath entry points. */
	{ "from-", false, BPF_PROG_TYPE_SCHED_CLS, 0 },
	{ "to-", false, BPF_PROG_TYPE_SCHED_CLS, 0 },
	/* iproute2's default for "tc filter ... bpf obj". */
	{ "filter", true, BPF_PROG_TYPE_SCHED_CLS, 0 },
};

/* iproute2 tail-call sections "ID/KEY" (e.g. "2/7", "1/0x1010"). */
static bool is_tail_call_section(const char *s)
{
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	if (*s++ != '/' || !isalnum((unsigned char)*s))
		return false;
	while (isalnum((unsigned char)*s))
		s++;
	return !*s;
}

int df_prog_type_by_section(const char *section, uint32_t *type,
			    uint32_t *expected_attach_type)
{
	enum bpf_prog_type t = BPF_PROG_TYPE_UNSPEC;
	enum bpf_attach_type a = 0;
	uint32_t dummy;
	size_t i;

	if (!type)
		type = &dummy;
	if (!expected_attach_type)
		expected_attach_type = &dummy;
	*type = 0;
	*expected_attach_type = 0;
	if (!section || !*section)
		return -ENOENT;
	if (!libbpf_prog_type_by_name(section, &t, &a)) {
		*type = t;
		*expected_attach_type = a;
		return 0;
	}
	for (i = 0; i < DF_ARRAY_SIZE(legacy_rules); i++) {
		const struct sec_rule *r = &legacy_rules[i];
		bool match = r->exact ? !strcmp(section, r->prefix) :
			!strncmp(section, r->prefix, strlen(r->prefix));

		if (match) {
			*type = r->type;
			*expected_attach_type = r->attach;
			return 0;
		}
	}
	if (is_tail_call_section(section)) {
		*type = BPF_PROG_TYPE_SCHED_CLS;
		return 0;
	}
	return -ENOENT;
}

static const char *prog_type_str(uint32_t type)
{
	if (type == PROG_TYPE_NETFILTER)
		return "netfilter";
	if (type > INT32_MAX)
		return NULL;
	return libbpf_bpf_prog_type_str((enum bpf_prog_type)type);
}

const char *df_prog_type_name(uint32_t type)
{
	return prog_type_str(type);
}

static const struct {
	const char *alias;
	uint32_t type;
} prog_aliases[] = {
	{ "socket", BPF_PROG_TYPE_SOCKET_FILTER },
	{ "tc", BPF_PROG_TYPE_SCHED_CLS },
	{ "classifier", BPF_PROG_TYPE_SCHED_CLS },
	{ "action", BPF_PROG_TYPE_SCHED_ACT },
	{ "tp", BPF_PROG_TYPE_TRACEPOINT },
	{ "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "sockops", BPF_PROG_TYPE_SOCK_OPS },
	{ "uprobe", BPF_PROG_TYPE_KPROBE },
};

/* A decimal or 0x number naming a type directly. */
static int parse_number(const char *s, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -ENOENT;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return -ENOENT;
	*out = (uint32_t)v;
	return 0;
}

int df_prog_type_by_name(const char *name, uint32_t *type)
{
	const char *s;
	uint32_t t;
	size_t i;

	if (!name)
		return -EINVAL;
	for (t = 0; (s = prog_type_str(t)) || t <= PROG_TYPE_NETFILTER; t++) {
		if (s && !strcmp(s, name)) {
			*type = t;
			return 0;
		}
	}
	for (i = 0; i < DF_ARRAY_SIZE(prog_aliases); i++) {
		if (!strcmp(prog_aliases[i].alias, name)) {
			*type = prog_aliases[i].type;
			return 0;
		}
	}
	return parse_number(name, type);
}

static const char *map_type_str(uint32_t type)
{
	if (type == MAP_TYPE_ARENA)
		return "arena";
	if (type == MAP_TYPE_INSN_ARRAY)
		return "insn_array";
	if (type > INT32_MAX)
		return NULL;
	return libbpf_bpf_map_type_str((enum bpf_map_type)type);
}

const char *df_map_type_name(uint32_t type)
{
	return map_type_str(type);
}

int df_map_type_by_name(const char *name, uint32_t *type)
{
	const char *s;
	uint32_t t;

	if (!name)
		return -EINVAL;
	for (t = 0; (s = map_type_str(t)) || t <= MAP_TYPE_INSN_ARRAY; t++) {
		if (s && !strcmp(s, name)) {
			*type = t;
			return 0;
		}
	}
	return parse_number(name, type);
}

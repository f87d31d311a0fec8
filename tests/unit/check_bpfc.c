/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The BPF C programs of tests/bpf, compiled by clang during make check, read
 * back with df_object_open: every expectation below is stated by the C
 * source (names, sections, prototypes, map declarations, which function
 * calls which), never copied from a previous run.
 */
#include "dataflow.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAXF 8
#define MAXR 6
#define MAXP 8
#define MAXM 8

enum { ANY_DEPTH = 0 };

struct exp_func {
	const char *name;
	int args;
	enum df_linkage linkage;
	enum df_subprog_kind kind;
};

/* The program loads map NAME between min and max times (ld_imm64 refs). */
struct exp_ref {
	const char *map;	/* a map name, or ".rodata"/".data"/".bss" for global data */
	int min, max;
};

/* Instructions the source forces the compiler to emit. */
struct exp_insn {
	const char *what;
	bool (*match)(const struct df_insn *in);
	int min;
};

struct exp_prog {
	const char *name;
	const char *section;
	uint32_t type;
	int attach;		/* expected_attach_type, -1 not checked */
	struct exp_func funcs[MAXF];	/* entry first; the rest in any order */
	struct exp_ref refs[MAXR];	/* every map the program references */
	int helpers[4];		/* helper ids that must be called; 0 ends */
	int no_helper;		/* a helper id that must not be called, 0 none */
	uint32_t depth;		/* max_call_depth, ANY_DEPTH not checked */
	int back_edges;		/* -1 not checked */
	struct exp_insn insns[10];
};

struct exp_map {
	const char *name;	/* NULL for global data: matched by section */
	uint32_t type, key, value, max;
	enum df_map_origin origin;
	const char *section;
	uint32_t flags;
};

struct exp_obj {
	const char *file;
	const char *license;
	uint32_t kern_version;
	int map_cnt;		/* -1: at least the listed maps */
	struct exp_prog progs[MAXP];
	struct exp_map maps[MAXM];
};

#define G DF_LINKAGE_GLOBAL
#define S DF_LINKAGE_STATIC
#define MAIN(n) { n, 1, G, DF_SUBPROG_MAIN }

static bool is_ldabs(const struct df_insn *in)
{
	return DF_CLASS(in->code) == DF_LD && DF_MODE(in->code) == DF_ABS;
}

static bool is_ldind(const struct df_insn *in)
{
	return DF_CLASS(in->code) == DF_LD && DF_MODE(in->code) == DF_IND;
}

static bool is_atomic(const struct df_insn *in, int size, int32_t op)
{
	return in->code == (DF_STX | DF_ATOMIC | size) && in->imm == op;
}

static bool is_lock_add64(const struct df_insn *in) { return is_atomic(in, DF_DW, DF_ADD); }
static bool is_lock_add32(const struct df_insn *in) { return is_atomic(in, DF_W, DF_ADD); }
static bool is_fetch_add(const struct df_insn *in) { return is_atomic(in, DF_DW, DF_ADD | DF_FETCH); }
static bool is_fetch_or(const struct df_insn *in) { return is_atomic(in, DF_DW, DF_OR | DF_FETCH); }
static bool is_fetch_and(const struct df_insn *in) { return is_atomic(in, DF_DW, DF_AND | DF_FETCH); }
static bool is_fetch_xor(const struct df_insn *in) { return is_atomic(in, DF_DW, DF_XOR | DF_FETCH); }
static bool is_cmpxchg64(const struct df_insn *in) { return is_atomic(in, DF_DW, DF_CMPXCHG); }
static bool is_cmpxchg32(const struct df_insn *in) { return is_atomic(in, DF_W, DF_CMPXCHG); }
static bool is_xchg64(const struct df_insn *in) { return is_atomic(in, DF_DW, DF_XCHG); }

static bool is_memsx(const struct df_insn *in)
{
	return DF_CLASS(in->code) == DF_LDX && DF_MODE(in->code) == DF_MEMSX;
}

static bool is_sdiv_smod(const struct df_insn *in)
{
	int cls = DF_CLASS(in->code);

	return (cls == DF_ALU || cls == DF_ALU64) && in->off == 1 &&
	       (DF_OP(in->code) == DF_DIV || DF_OP(in->code) == DF_MOD);
}

static bool is_bswap(const struct df_insn *in)
{
	return in->code == (DF_ALU64 | DF_END | DF_TO_LE) && in->imm == 64;
}

static bool is_pseudo_func(const struct df_insn *in)
{
	return df_insn_is_ldimm64(in) && in->src_reg == DF_PSEUDO_FUNC;
}

static bool is_pseudo_call(const struct df_insn *in)
{
	return in->code == (DF_JMP | DF_CALL) && in->src_reg == DF_PSEUDO_CALL;
}

static const struct exp_obj objects[] = {
{
	.file = "calls", .license = "GPL", .map_cnt = 0,
	.progs = {
		{ "tc_calls", "tc", BPF_PROG_TYPE_SCHED_CLS, -1,
		  { MAIN("tc_calls"), { "add3", 3, S, DF_SUBPROG_CALLED },
		    { "add2", 2, S, DF_SUBPROG_CALLED }, { "add1", 1, S, DF_SUBPROG_CALLED },
		    { "scale", 2, S, DF_SUBPROG_CALLED } },
		  .depth = 4, .back_edges = 0,
		  .insns = { { "bpf-to-bpf call", is_pseudo_call, 4 } } },
		{ "xdp_calls", "xdp", BPF_PROG_TYPE_XDP, -1,
		  { MAIN("xdp_calls"), { "scale", 2, S, DF_SUBPROG_CALLED } },
		  .depth = 2, .back_edges = 0,
		  .insns = { { "bpf-to-bpf call", is_pseudo_call, 1 } } },
	},
},
{
	.file = "global_func", .license = "Dual BSD/GPL", .map_cnt = 0,
	.progs = {
		{ "tc_global", "tc", BPF_PROG_TYPE_SCHED_CLS, -1,
		  { MAIN("tc_global"), { "checksum", 3, G, DF_SUBPROG_CALLED },
		    { "mix", 2, S, DF_SUBPROG_CALLED } },
		  .depth = 3, .back_edges = 1 },
		{ "cg_global", "cgroup_skb/ingress", BPF_PROG_TYPE_CGROUP_SKB,
		  BPF_CGROUP_INET_INGRESS,
		  { MAIN("cg_global"), { "checksum", 3, G, DF_SUBPROG_CALLED },
		    { "mix", 2, S, DF_SUBPROG_CALLED } },
		  .depth = 3, .back_edges = 1 },
	},
},
{
	.file = "maps_btf", .license = "GPL", .map_cnt = 5,
	.progs = {
		{ "count_flows", "tc", BPF_PROG_TYPE_SCHED_CLS, -1, { MAIN("count_flows") },
		  { { "flows", 1, 2 } }, { 1, 2 } },
		{ "read_config", "xdp", BPF_PROG_TYPE_XDP, -1, { MAIN("read_config") },
		  { { "config", 1, 1 }, { "counters", 1, 1 } }, { 1 } },
		{ "emit_event", "kprobe/do_sys_openat2", BPF_PROG_TYPE_KPROBE, -1,
		  { MAIN("emit_event") }, { { "events", 1, 1 } }, { 131, 132 } },
		{ "dispatch", "tc", BPF_PROG_TYPE_SCHED_CLS, -1, { MAIN("dispatch") },
		  { { "jumps", 1, 1 } }, { 12 } },
	},
	.maps = {
		{ "flows", BPF_MAP_TYPE_HASH, 12, 8, 1024, DF_MAP_BTF, ".maps" },
		{ "config", BPF_MAP_TYPE_ARRAY, 4, 4, 16, DF_MAP_BTF, ".maps" },
		{ "counters", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4, DF_MAP_BTF, ".maps" },
		{ "events", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, DF_MAP_BTF, ".maps" },
		{ "jumps", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 8, DF_MAP_BTF, ".maps" },
	},
},
{
	.file = "maps_legacy", .license = "GPL", .kern_version = 0x060100, .map_cnt = 2,
	.progs = {
		{ "legacy_count", "socket", BPF_PROG_TYPE_SOCKET_FILTER, -1,
		  { MAIN("legacy_count") }, { { "pkt_count", 1, 1 } }, { 1 } },
		{ "legacy_seen", "xdp", BPF_PROG_TYPE_XDP, -1,
		  { MAIN("legacy_seen") }, { { "seen", 1, 1 } }, { 2 } },
	},
	.maps = {
		{ "pkt_count", BPF_MAP_TYPE_ARRAY, 4, 8, 256, DF_MAP_LEGACY, "maps" },
		{ "seen", BPF_MAP_TYPE_LRU_HASH, 4, 4, 10000, DF_MAP_LEGACY, "maps" },
	},
},
{
	.file = "loops", .license = "GPL", .map_cnt = 0,
	.progs = {
		{ "sum_loop", "kprobe/vfs_read", BPF_PROG_TYPE_KPROBE, -1,
		  { MAIN("sum_loop") }, .helpers = { 7 }, .depth = 1, .back_edges = 1 },
		{ "nested_loop", "xdp", BPF_PROG_TYPE_XDP, -1,
		  { MAIN("nested_loop") }, .depth = 1, .back_edges = 2 },
	},
},
{
	.file = "bpf_loop", .license = "GPL", .map_cnt = 0,
	.progs = {
		{ "loop_prog", "tc", BPF_PROG_TYPE_SCHED_CLS, -1,
		  { MAIN("loop_prog"), { "step", 2, S, DF_SUBPROG_CALLBACK } },
		  .helpers = { 181 }, .back_edges = 0,
		  .insns = { { "ld_imm64 of a function", is_pseudo_func, 1 } } },
	},
},
{
	.file = "for_each", .license = "GPL", .map_cnt = 1,
	.progs = {
		{ "walk_values", "tc", BPF_PROG_TYPE_SCHED_CLS, -1,
		  { MAIN("walk_values"), { "visit", 4, S, DF_SUBPROG_CALLBACK } },
		  { { "values", 1, 1 } }, { 164 }, .back_edges = 0,
		  .insns = { { "ld_imm64 of a function", is_pseudo_func, 1 } } },
	},
	.maps = {
		{ "values", BPF_MAP_TYPE_ARRAY, 4, 8, 32, DF_MAP_BTF, ".maps" },
	},
},
{
	.file = "atomics", .license = "GPL", .map_cnt = 1,
	.progs = {
		{ "atomic_ops", "tc", BPF_PROG_TYPE_SCHED_CLS, -1, { MAIN("atomic_ops") },
		  { { ".bss", 1, 8 } }, .back_edges = 0,
		  .insns = {
			{ "lock add (u64)", is_lock_add64, 1 },
			{ "lock add (u32)", is_lock_add32, 1 },
			{ "atomic64_fetch_add", is_fetch_add, 1 },
			{ "atomic64_fetch_or", is_fetch_or, 1 },
			{ "atomic64_fetch_and", is_fetch_and, 1 },
			{ "atomic64_fetch_xor", is_fetch_xor, 1 },
			{ "atomic64_cmpxchg", is_cmpxchg64, 1 },
			{ "atomic_cmpxchg", is_cmpxchg32, 1 },
			{ "atomic64_xchg", is_xchg64, 1 },
		  } },
	},
	/* total64, total32, flags64, result: 28 bytes with padding in between */
	.maps = { { NULL, BPF_MAP_TYPE_ARRAY, 4, 28, 1, DF_MAP_DATA, ".bss" } },
},
{
	.file = "cpuv4", .license = "GPL", .map_cnt = 1,
	.progs = {
		{ "v4_ops", "xdp", BPF_PROG_TYPE_XDP, -1,
		  { MAIN("v4_ops"), { "sdiv", 2, S, DF_SUBPROG_CALLED } },
		  { { ".bss", 1, 8 } }, .depth = 2,
		  .insns = {
			{ "sign-extending load", is_memsx, 1 },
			{ "signed div/mod", is_sdiv_smod, 2 },
			{ "bswap64", is_bswap, 1 },
		  } },
	},
	.maps = { { NULL, BPF_MAP_TYPE_ARRAY, 4, 32, 1, DF_MAP_DATA, ".bss" } },
},
{
	.file = "globals", .license = "GPL", .map_cnt = 3,
	.progs = {
		{ "use_globals", "tc", BPF_PROG_TYPE_SCHED_CLS, -1, { MAIN("use_globals") },
		  { { ".data", 1, 2 }, { ".rodata", 1, 2 }, { ".bss", 1, 2 } } },
	},
	.maps = {
		{ NULL, BPF_MAP_TYPE_ARRAY, 4, 8, 1, DF_MAP_DATA, ".data" },	/* hits */
		{ NULL, BPF_MAP_TYPE_ARRAY, 4, 12, 1, DF_MAP_DATA, ".rodata",
		  BPF_F_RDONLY_PROG },	/* threshold, banner */
		{ NULL, BPF_MAP_TYPE_ARRAY, 4, 68, 1, DF_MAP_DATA, ".bss" },	/* last_len, histogram */
	},
},
{
	.file = "multi", .license = "GPL", .map_cnt = 0,
	.progs = {
		{ "m_socket", "socket", BPF_PROG_TYPE_SOCKET_FILTER, -1,
		  { MAIN("m_socket"), { "low_bit", 1, S, DF_SUBPROG_CALLED } }, .depth = 2 },
		{ "m_xdp", "xdp", BPF_PROG_TYPE_XDP, -1,
		  { MAIN("m_xdp"), { "low_bit", 1, S, DF_SUBPROG_CALLED } }, .depth = 2 },
		{ "m_tc", "tc", BPF_PROG_TYPE_SCHED_CLS, -1, { MAIN("m_tc") }, .depth = 1 },
		{ "m_kprobe", "kprobe/tcp_v4_connect", BPF_PROG_TYPE_KPROBE, -1,
		  { MAIN("m_kprobe"), { "low_bit", 1, S, DF_SUBPROG_CALLED } },
		  .helpers = { 8 }, .depth = 2 },
		{ "m_tracepoint", "tracepoint/syscalls/sys_enter_openat",
		  BPF_PROG_TYPE_TRACEPOINT, -1, { MAIN("m_tracepoint") }, .depth = 1 },
		{ "m_cgroup", "cgroup_skb/egress", BPF_PROG_TYPE_CGROUP_SKB,
		  BPF_CGROUP_INET_EGRESS, { MAIN("m_cgroup") }, .depth = 1 },
	},
},
{
	.file = "tailcall", .license = "GPL", .map_cnt = 1,
	.progs = {
		{ "stage0", "xdp", BPF_PROG_TYPE_XDP, -1, { MAIN("stage0") },
		  { { "stages", 1, 1 } }, { 12 } },
		{ "stage1", "xdp", BPF_PROG_TYPE_XDP, -1, { MAIN("stage1") },
		  { { "stages", 1, 1 } }, { 12 } },
		{ "stage2", "xdp", BPF_PROG_TYPE_XDP, -1, { MAIN("stage2") },
		  .no_helper = 12 },
	},
	.maps = { { "stages", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, DF_MAP_BTF, ".maps" } },
},
{
	.file = "xdp", .license = "GPL", .map_cnt = 1,
	.progs = {
		{ "xdp_parse", "xdp", BPF_PROG_TYPE_XDP, -1, { MAIN("xdp_parse") },
		  { { "proto_count", 1, 2 } }, { 1, 2 } },
	},
	.maps = { { "proto_count", BPF_MAP_TYPE_PERCPU_HASH, 1, 8, 256, DF_MAP_BTF, ".maps" } },
},
{
	.file = "tc", .license = "GPL", .map_cnt = 0,
	.progs = {
		{ "tc_mark", "tc", BPF_PROG_TYPE_SCHED_CLS, -1, { MAIN("tc_mark") },
		  .helpers = { 26 }, .depth = 1 },
	},
},
{
	.file = "kprobe", .license = "GPL", .map_cnt = -1,
	.progs = {
		{ "on_enter", "kprobe/vfs_write", BPF_PROG_TYPE_KPROBE, -1,
		  { MAIN("on_enter") }, { { "start", 1, 1 } }, { 14, 5, 2 } },
		/* bpf_printk's format string lives in read-only data */
		{ "on_exit", "kretprobe/vfs_write", BPF_PROG_TYPE_KPROBE, -1,
		  { MAIN("on_exit") }, { { "start", 2, 2 }, { ".rodata", 1, 1 } },
		  { 1, 3, 6 } },
	},
	.maps = { { "start", BPF_MAP_TYPE_HASH, 4, 8, 8192, DF_MAP_BTF, ".maps" } },
},
{
	.file = "socket_ldabs", .license = "GPL", .map_cnt = 0,
	.progs = {
		{ "ldabs_filter", "socket", BPF_PROG_TYPE_SOCKET_FILTER, -1,
		  { MAIN("ldabs_filter") }, .depth = 1,
		  .insns = { { "LD_ABS", is_ldabs, 4 }, { "LD_IND", is_ldind, 1 } } },
	},
},
};

static int count_progs(const struct exp_obj *e)
{
	int n = 0;

	while (n < MAXP && e->progs[n].name)
		n++;
	return n;
}

static int count_maps(const struct exp_obj *e)
{
	int n = 0;

	while (n < MAXM && e->maps[n].type)
		n++;
	return n;
}

static bool starts_with(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

/* The object map an expectation names: by name, or global data by section. */
static bool map_matches(const struct df_map *m, const char *want)
{
	if (want[0] == '.')
		return m->origin == DF_MAP_DATA && starts_with(m->section, want);
	return m->name && !strcmp(m->name, want);
}

static void check_maps(const struct df_object *obj, const struct exp_obj *e)
{
	int n = count_maps(e), i;
	uint32_t j;

	if (e->map_cnt >= 0)
		ck_assert_msg(obj->map_cnt == (uint32_t)e->map_cnt,
			      "%s: %u maps, the source declares %d", e->file,
			      obj->map_cnt, e->map_cnt);
	for (i = 0; i < n; i++) {
		const struct exp_map *x = &e->maps[i];
		const struct df_map *m = NULL;

		for (j = 0; j < obj->map_cnt && !m; j++)
			if (x->name ? map_matches(&obj->maps[j], x->name) :
			    map_matches(&obj->maps[j], x->section))
				m = &obj->maps[j];
		ck_assert_msg(m, "%s: map %s not found", e->file,
			      x->name ? x->name : x->section);
		ck_assert_msg(m->type == x->type, "%s: map %s: type %u, want %u",
			      e->file, m->name, m->type, x->type);
		ck_assert_msg(m->key_size == x->key, "%s: map %s: key_size %u, want %u",
			      e->file, m->name, m->key_size, x->key);
		if (x->origin == DF_MAP_DATA)
			/* the section may be padded after the last variable */
			ck_assert_msg(m->value_size >= x->value && m->value_size < x->value + 8,
				      "%s: map %s: value_size %u, variables need %u",
				      e->file, m->name, m->value_size, x->value);
		else
			ck_assert_msg(m->value_size == x->value,
				      "%s: map %s: value_size %u, want %u",
				      e->file, m->name, m->value_size, x->value);
		ck_assert_msg(m->max_entries == x->max, "%s: map %s: max_entries %u, want %u",
			      e->file, m->name, m->max_entries, x->max);
		ck_assert_msg(m->origin == x->origin, "%s: map %s: origin %d, want %d",
			      e->file, m->name, m->origin, x->origin);
		ck_assert_msg(m->section && !strcmp(m->section, x->section),
			      "%s: map %s: section %s, want %s", e->file, m->name,
			      m->section ? m->section : "(null)", x->section);
		if (x->flags)
			ck_assert_msg((m->flags & x->flags) == x->flags,
				      "%s: map %s: flags 0x%x lack 0x%x", e->file,
				      m->name, m->flags, x->flags);
	}
}

static const struct exp_func *find_exp_func(const struct exp_prog *x, const char *name)
{
	int i;

	for (i = 0; i < MAXF && x->funcs[i].name; i++)
		if (name && !strcmp(x->funcs[i].name, name))
			return &x->funcs[i];
	return NULL;
}

static void check_funcs(const char *file, const struct df_prog *p,
			const struct exp_prog *x)
{
	uint32_t i, want = 0;

	while (want < MAXF && x->funcs[want].name)
		want++;
	ck_assert_msg(p->func_cnt == want, "%s/%s: %u functions, the source has %u",
		      file, x->name, p->func_cnt, want);
	ck_assert_msg(p->funcs[0].start == 0 && p->funcs[0].name &&
		      !strcmp(p->funcs[0].name, x->name),
		      "%s/%s: funcs[0] is %s at %u, not the entry", file, x->name,
		      p->funcs[0].name ? p->funcs[0].name : "(null)", p->funcs[0].start);
	for (i = 0; i < p->func_cnt; i++) {
		const struct df_func *f = &p->funcs[i];
		const struct exp_func *ef = find_exp_func(x, f->name);
		uint32_t next = i + 1 < p->func_cnt ? p->funcs[i + 1].start : p->insn_cnt;

		ck_assert_msg(ef, "%s/%s: function %s was appended but is never called",
			      file, x->name, f->name ? f->name : "(null)");
		ck_assert_msg(f->arg_cnt == ef->args, "%s/%s: %s has %d args in BTF, want %d",
			      file, x->name, f->name, f->arg_cnt, ef->args);
		ck_assert_msg(f->linkage == ef->linkage, "%s/%s: %s linkage %d, want %d",
			      file, x->name, f->name, f->linkage, ef->linkage);
		ck_assert_msg(f->btf_id != 0, "%s/%s: %s has no BTF id", file, x->name, f->name);
		/* functions tile the program: .text is appended whole-function */
		ck_assert_msg(f->start + f->len == next,
			      "%s/%s: %s covers [%u, %u) but the next function starts at %u",
			      file, x->name, f->name, f->start, f->start + f->len, next);
	}
}

static int count_helper_calls(const struct df_prog *p, int id)
{
	uint32_t pc;
	int n = 0;

	for (pc = 0; pc < p->insn_cnt; pc += df_insn_slots(&p->insns[pc]))
		if (p->insns[pc].code == (DF_JMP | DF_CALL) &&
		    p->insns[pc].src_reg == DF_PSEUDO_HELPER && p->insns[pc].imm == id)
			n++;
	return n;
}

static void check_refs(const char *file, const struct df_prog *p,
		       const struct exp_prog *x)
{
	const struct df_object *obj = p->obj;
	uint32_t i;
	int r;

	for (i = 0; i < p->map_ref_cnt; i++) {
		const struct df_map_ref *ref = &p->map_refs[i];
		const struct df_map *m;
		bool expected = false;

		ck_assert_msg(ref->map < obj->map_cnt && ref->pc + 1 < p->insn_cnt &&
			      df_insn_is_ldimm64(&p->insns[ref->pc]),
			      "%s/%s: map ref %u at pc %u to map %u is not an ld_imm64 of a map",
			      file, x->name, i, ref->pc, ref->map);
		m = &obj->maps[ref->map];
		for (r = 0; r < MAXR && x->refs[r].map; r++)
			expected |= map_matches(m, x->refs[r].map);
		ck_assert_msg(expected, "%s/%s: pc %u refers to map %s, which the source does not use",
			      file, x->name, ref->pc, m->name ? m->name : "(null)");
	}
	for (r = 0; r < MAXR && x->refs[r].map; r++) {
		int n = 0;

		for (i = 0; i < p->map_ref_cnt; i++)
			n += map_matches(&obj->maps[p->map_refs[i].map], x->refs[r].map);
		ck_assert_msg(n >= x->refs[r].min && n <= x->refs[r].max,
			      "%s/%s: %d references to %s, the source makes %d..%d",
			      file, x->name, n, x->refs[r].map, x->refs[r].min, x->refs[r].max);
	}
}

static void check_insns(const char *file, const struct df_prog *p,
			const struct exp_prog *x)
{
	int k;

	for (k = 0; k < 4 && x->helpers[k]; k++)
		ck_assert_msg(count_helper_calls(p, x->helpers[k]) > 0,
			      "%s/%s: no call to helper %d", file, x->name, x->helpers[k]);
	if (x->no_helper)
		ck_assert_msg(count_helper_calls(p, x->no_helper) == 0,
			      "%s/%s: unexpected call to helper %d", file, x->name,
			      x->no_helper);
	for (k = 0; k < 10 && x->insns[k].what; k++) {
		uint32_t pc;
		int n = 0;

		for (pc = 0; pc < p->insn_cnt; pc += df_insn_slots(&p->insns[pc]))
			n += x->insns[k].match(&p->insns[pc]);
		ck_assert_msg(n >= x->insns[k].min, "%s/%s: %d %s instructions, want >= %d",
			      file, x->name, n, x->insns[k].what, x->insns[k].min);
	}
}

static void check_cfg(const char *file, const struct df_prog *p,
		      const struct exp_prog *x)
{
	struct df_cfg *cfg = NULL;
	uint32_t i, back = 0;
	int err;

	err = df_prog_check(p);
	ck_assert_msg(err == 0, "%s/%s: df_prog_check: %d", file, x->name, err);
	err = df_cfg_build(p, &cfg);
	ck_assert_msg(err == 0 && cfg, "%s/%s: df_cfg_build: %d", file, x->name, err);
	ck_assert_msg(cfg->subprog_cnt == p->func_cnt,
		      "%s/%s: %u subprograms in the CFG, %u functions", file, x->name,
		      cfg->subprog_cnt, p->func_cnt);
	for (i = 0; i < cfg->subprog_cnt; i++) {
		const struct df_subprog *sp = &cfg->subprogs[i];
		const struct exp_func *ef = find_exp_func(x, sp->name);

		ck_assert_msg(ef, "%s/%s: subprogram %u (%s) at %u is not in the source",
			      file, x->name, i, sp->name ? sp->name : "(null)", sp->start);
		ck_assert_msg(sp->kind == ef->kind, "%s/%s: subprogram %s kind %d, want %d",
			      file, x->name, sp->name, sp->kind, ef->kind);
		ck_assert_msg(sp->arg_cnt == ef->args && sp->linkage == ef->linkage,
			      "%s/%s: subprogram %s: %d args linkage %d, want %d/%d",
			      file, x->name, sp->name, sp->arg_cnt, sp->linkage,
			      ef->args, ef->linkage);
	}
	for (i = 0; i < cfg->edge_cnt; i++)
		back += cfg->edges[i].back;
	if (x->back_edges >= 0)
		ck_assert_msg(back == (uint32_t)x->back_edges,
			      "%s/%s: %u back edges, the source has %d loops", file,
			      x->name, back, x->back_edges);
	if (x->depth != ANY_DEPTH)
		ck_assert_msg(cfg->max_call_depth == x->depth,
			      "%s/%s: max call depth %u frames, want %u", file, x->name,
			      cfg->max_call_depth, x->depth);
	df_cfg_free(cfg);
}

static void check_prog(const struct df_object *obj, const struct exp_obj *e,
		       const struct exp_prog *x)
{
	struct df_prog *p = df_object_find_prog(obj, x->name);

	ck_assert_msg(p, "%s: program %s not found", e->file, x->name);
	ck_assert_msg(p->err == 0, "%s/%s: load failed: %s", e->file, x->name,
		      p->err_msg ? p->err_msg : "?");
	ck_assert_msg(p->section && !strcmp(p->section, x->section),
		      "%s/%s: section %s, want %s", e->file, x->name,
		      p->section ? p->section : "(null)", x->section);
	ck_assert_msg(p->type == x->type, "%s/%s: type %u (%s), want %u (%s)", e->file,
		      x->name, p->type, df_prog_type_name(p->type), x->type,
		      df_prog_type_name(x->type));
	if (x->attach >= 0)
		ck_assert_msg(p->expected_attach_type == (uint32_t)x->attach,
			      "%s/%s: expected_attach_type %u, want %d", e->file,
			      x->name, p->expected_attach_type, x->attach);
	ck_assert_msg(p->insn_cnt > 0 && p->kfunc_cnt == 0, "%s/%s: %u insns %u kfuncs",
		      e->file, x->name, p->insn_cnt, p->kfunc_cnt);
	check_funcs(e->file, p, x);
	check_refs(e->file, p, x);
	check_insns(e->file, p, x);
	check_cfg(e->file, p, x);
}

START_TEST(test_object)
{
	const struct exp_obj *e = &objects[_i];
	struct df_object *obj = NULL;
	char path[512], skip[512];
	int i, n = count_progs(e), err;

	snprintf(path, sizeof(path), "%s/tests/bpf/%s.bpf.o", BUILDDIR, e->file);
	snprintf(skip, sizeof(skip), "%s/tests/bpf/%s.bpf.skip", BUILDDIR, e->file);
	if (access(path, R_OK) && !access(skip, R_OK)) {
		printf("SKIP: %s.bpf.o: see %s\n", e->file, skip);
		return;
	}
	err = df_object_open(path, NULL, &obj);
	ck_assert_msg(err == 0 && obj, "%s: df_object_open: %d (built by make check?)",
		      path, err);
	ck_assert_msg(obj->kind == DF_INPUT_ELF, "%s: kind %d", e->file, obj->kind);
	ck_assert_msg(obj->prog_cnt == (uint32_t)n, "%s: %u programs, the source has %d",
		      e->file, obj->prog_cnt, n);
	ck_assert_msg(obj->license && !strcmp(obj->license, e->license),
		      "%s: license %s, want %s", e->file,
		      obj->license ? obj->license : "(null)", e->license);
	ck_assert_msg(obj->btf, "%s: no BTF (compiled with -g)", e->file);
	if (e->kern_version)
		ck_assert_msg(obj->kern_version == e->kern_version,
			      "%s: kern_version 0x%x, want 0x%x", e->file,
			      obj->kern_version, e->kern_version);
	check_maps(obj, e);
	for (i = 0; i < n; i++)
		check_prog(obj, e, &e->progs[i]);
	df_object_free(obj);
}
END_TEST

/* Every C file of tests/bpf has expectations here. */
START_TEST(test_all_sources_listed)
{
	DIR *d = opendir(SRCDIR "/tests/bpf");
	struct dirent *de;
	int seen = 0;
	size_t j;

	ck_assert_msg(d, "%s/tests/bpf: %s", SRCDIR, strerror(errno));
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		bool found = false;

		if (len < 3 || strcmp(de->d_name + len - 2, ".c"))
			continue;
		for (j = 0; j < ARRAY_SIZE(objects); j++)
			found |= strlen(objects[j].file) == len - 2 &&
				 !strncmp(objects[j].file, de->d_name, len - 2);
		ck_assert_msg(found, "no expectations for tests/bpf/%s", de->d_name);
		seen++;
	}
	closedir(d);
	ck_assert_int_eq(seen, (int)ARRAY_SIZE(objects));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bpfc");
	TCase *tc = tcase_create("objects");
	SRunner *sr;
	int failed;

#ifndef HAVE_BPF_CLANG
	printf("SKIP: clang not found by configure; the BPF C programs were not built\n");
	return 77;
#endif
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_all_sources_listed);
	tcase_add_loop_test(tc, test_object, 0, (int)ARRAY_SIZE(objects));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

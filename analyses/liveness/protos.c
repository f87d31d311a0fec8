/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Stack access of helper and kfunc arguments (semantics §3.8): how many
 * bytes a callee reads or writes through an argument that may point into
 * a stack. Written from the argument kinds of the kernel's prototypes;
 * docs/liveness.md explains the rules and how to add a callee.
 *
 * Helper arguments, one letter per register r1..r5:
 *   .  any other kind: unknown size if it is a stack pointer
 *   n  the callback context of a callback helper: not accessed here
 *   P  the map pointer that sizes a later K/V/v argument
 *   K  map key, read (key_size)       V / v  map value, read / written
 *   M  memory read, size in the next argument
 *   m  memory written (uninitialised), size in the next argument
 *   D  dynptr read (16 bytes)         d  dynptr written (16 bytes)
 *   L  8-byte result written (strtol)
 */
#include "stack_int.h"
#include "internal.h"

#define DYNPTR_SIZE 16

struct hproto {
	int32_t id;
	const char *args;
};

static const struct hproto helpers[] = {
	{ 1, "PK" }, { 2, "PKV." }, { 3, "PK" }, { 4, "m.." }, { 5, "" },
	{ 6, "M...." }, { 7, "" }, { 8, "" }, { 9, "..M.." }, { 10, "....." },
	{ 11, "....." }, { 12, ".P." }, { 13, "..." }, { 14, "" }, { 15, "" },
	{ 16, "m." }, { 17, "." }, { 18, "..." }, { 19, "." }, { 20, ".m.." },
	{ 21, ".M.." }, { 22, "P." }, { 23, ".." }, { 24, "." }, { 25, ".P.M." },
	{ 26, "..m." }, { 27, ".P." }, { 28, "M.M.." }, { 29, ".m." },
	{ 30, ".M." }, { 31, "..." }, { 32, ".." }, { 33, ".P." }, { 34, "." },
	{ 35, "" }, { 36, ".M." }, { 37, "P." }, { 38, "..." }, { 39, ".." },
	{ 40, ".." }, { 41, "." }, { 42, "" }, { 43, "..." }, { 44, ".." },
	{ 45, "m.." }, { 46, "." }, { 47, "." }, { 48, ".." }, { 49, "...M." },
	{ 50, "...." }, { 51, "P.." }, { 52, ".P.." }, { 53, ".PK." },
	{ 54, ".." }, { 55, "P.m." }, { 56, ".m." }, { 57, "...m." },
	{ 58, ".." }, { 65, ".." }, { 67, ".m.." }, { 69, ".M.." },
	{ 70, ".PK." }, { 71, ".PK." }, { 72, ".PK." }, { 84, ".M..." },
	{ 85, ".M..." }, { 86, "." }, { 87, "PV." }, { 88, "Pv" }, { 89, "Pv" },
	{ 99, ".M..." }, { 105, "M..L" }, { 106, "M..L" }, { 112, "m.." },
	{ 113, "m.." }, { 114, "m.." }, { 115, "m.." }, { 118, "" },
	{ 130, "PM.." }, { 131, "P.." }, { 132, ".." }, { 133, ".." },
	{ 148, "m.." }, { 164, "P.n." }, { 165, "m..M." }, { 177, "M.M." },
	{ 180, "...n." }, { 181, "..n." }, { 195, "PK." }, { 197, "m..d" },
	{ 198, "P..d" }, { 199, "D." }, { 200, "D." }, { 201, "m.D.." },
	{ 202, "D.M.." }, { 203, "D.." }, { 209, "P.n." },
};

/*
 * Kfunc arguments: an access in bytes (> 0 read, < 0 written), 0 for a
 * non-pointer, KSZ for a buffer sized by the next argument, UNK unknown.
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

static const struct hproto *helper_proto(int32_t id)
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
		const struct hproto *h = helper_proto(in->imm);

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

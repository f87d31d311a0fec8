/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Loads, stores and atomics (semantics §1.4, §1.5) and the memory
 * arguments of calls. The rules are the kernel's check_mem_access() for a
 * privileged program, with two deliberate restrictions:
 *  - reading stack bytes that were never written (INVALID) is an error, as
 *    for an unprivileged program (docs/verify.md), and reading POISON bytes
 *    reports a liveness bug;
 *  - a pointer may be stored to the stack only: storing one into a map
 *    value, packet, memory or the context, or with an atomic, is rejected.
 * Accesses through stack pointers are in stackmem.c.
 *
 * Packets. A comparison with pkt_end proves a range for every pointer of
 * an id (branch.c), and pointers sharing an id share their variable part:
 * an access is checked with its fixed offset alone, as the kernel's
 * check_packet_access() does, and the variable part may not be negative.
 *
 * Invalidation (released references, packet data that may have moved):
 * registers and spilled copies become unknown scalars, as the kernel does
 * for privileged programs (mark_reg_invalid); outgoing stack-argument slots
 * become NOT_INIT so that a call needing them fails (§5.4).
 */
#include "vf.h"

#include <inttypes.h>
#include <linux/bpf.h>

#define MAP_F_RDONLY_PROG	0x80
#define MAP_F_WRONLY_PROG	0x100

static const char *tnum_str(char *buf, size_t len, struct df_tnum t)
{
	vf_tnum_snprint(buf, len, t);
	return buf;
}

/*
 * The address must be a multiple of the size. Packets (desc NULL) are
 * checked as the kernel does, as if data sat at 2 mod 4 (NET_IP_ALIGN).
 */
int vf_check_align(struct vf_env *env, const struct vf_access *a, const char *desc)
{
	int64_t bias = desc ? 0 : 2;
	struct df_tnum t;
	char tn[64];

	if (a->size == 1)
		return 0;
	t = vf_tnum_add(a->ptr.var_off, vf_tnum_const((uint64_t)(bias + a->ptr.off + a->off)));
	if (!((t.value | t.mask) & (uint64_t)(a->size - 1)))
		return 0;
	tnum_str(tn, sizeof(tn), a->ptr.var_off);
	if (!desc)
		return vf_err(env, "misaligned packet access off 2+%s+%d+%d size %d", tn,
			      a->ptr.off, a->off, (int)a->size);
	return vf_err(env, "misaligned %saccess off %s+%d+%d size %d", desc, tn, a->ptr.off,
		      a->off, (int)a->size);
}

/* ---------------------------------------------------------------- other memory */

enum region { R_MAP_VALUE, R_MAP_KEY, R_MEM, R_PKT };

static int region_msg(struct vf_env *env, enum region k, const struct vf_access *a, int64_t off,
		      uint64_t mem)
{
	switch (k) {
	case R_MAP_VALUE:
		return vf_err(env, "invalid access to map value, value_size=%d off=%d size=%d",
			      (int)mem, (int)off, (int)a->size);
	case R_MAP_KEY:
		return vf_err(env, "invalid access to map key, key_size=%d off=%d size=%d",
			      (int)mem, (int)off, (int)a->size);
	case R_PKT:
		return vf_err(env, "invalid access to packet, off=%d size=%d, "
			      "R%u(id=%u,off=%d,r=%d)", (int)off, (int)a->size, a->regno,
			      a->ptr.id, (int)off, (int)mem);
	default:
		return vf_err(env, "invalid access to memory, mem_size=%u off=%d size=%d",
			      (unsigned int)mem, (int)off, (int)a->size);
	}
}

static bool fits(int64_t off, int64_t size, uint64_t mem)
{
	return off >= 0 && size >= 0 && (uint64_t)off + (uint64_t)size <= mem;
}

/* [ptr + off, + size) inside [0, mem) for every value of the pointer's variable part. */
static int region_check(struct vf_env *env, enum region k, const struct vf_access *a,
			uint64_t mem)
{
	const struct df_vreg *p = &a->ptr;
	int64_t off = (int64_t)p->off + a->off, lo;

	if (p->smin < 0 && (p->smin == INT64_MIN || __builtin_add_overflow(p->smin, off, &lo) ||
			    lo != (int32_t)lo || lo < 0))
		return vf_err(env, "R%u min value is negative, either use unsigned index or do a "
			      "if (index >=0) check.", a->regno);
	lo = vf_sat_add(p->smin, off);
	if (!fits(lo, a->size, mem))
		return region_msg(env, k, a, lo, mem);
	if (p->umax >= (uint64_t)VF_MAX_VAR_OFF)
		return vf_err(env, "R%u unbounded memory access, make sure to bounds check any "
			      "such access", a->regno);
	if (!fits((int64_t)p->umax + off, a->size, mem))
		return region_msg(env, k, a, (int64_t)p->umax + off, mem);
	return 0;
}

/* Packets: the fixed offset against the range of the pointer's id (see above). */
static int pkt_check(struct vf_env *env, const struct vf_access *a)
{
	const struct df_vreg *p = &a->ptr;
	int64_t off = (int64_t)p->off + a->off;

	if (p->smin < 0)
		return vf_err(env, "R%u min value is negative, either use unsigned index or do a "
			      "if (index >=0) check.", a->regno);
	if (!fits(off, a->size, p->aux))
		return region_msg(env, R_PKT, a, off, p->aux);
	return 0;
}

const struct df_map *vf_map(const struct df_prog *prog, uint64_t aux)
{
	const struct df_object *obj = prog ? prog->obj : NULL;
	uint64_t idx = aux & ~(uint64_t)VF_MAP_INNER;

	if (!obj || idx >= obj->map_cnt)
		return NULL;
	return aux & VF_MAP_INNER ? obj->maps[idx].inner : &obj->maps[idx];
}

static const struct df_map *map_of(const struct vf_env *env, const struct df_vreg *p)
{
	return vf_map(env->prog, p->aux);
}

static int map_rw(struct vf_env *env, const struct vf_access *a, const struct df_map *m)
{
	int64_t off = vf_sat_add(a->ptr.smin, (int64_t)a->ptr.off + a->off);

	if (a->write && (m->flags & MAP_F_RDONLY_PROG))
		return vf_err(env, "write into map forbidden, value_size=%u off=%" PRId64
			      " size=%d", m->value_size, off, (int)a->size);
	if (!a->write && (m->flags & MAP_F_WRONLY_PROG))
		return vf_err(env, "read from map forbidden, value_size=%u off=%" PRId64
			      " size=%d", m->value_size, off, (int)a->size);
	return 0;
}

static bool pkt_writable(const struct df_prog *prog)
{
	switch (prog ? prog->type : 0) {
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_SK_SKB:
	case BPF_PROG_TYPE_SK_MSG:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
		return true;
	default:
		return false;
	}
}

static int leak(struct vf_env *env, const struct vf_access *a, const char *into)
{
	if (a->write && a->val && a->val_regno >= 0 && vf_reg_is_pointer(a->val))
		return vf_err(env, "R%d leaks addr into %s", a->val_regno, into);
	return 0;
}

static int load_unknown(const struct vf_access *a)
{
	if (!a->write && a->dst)
		vf_reg_from_load(a->dst, (uint32_t)a->size, a->sx);
	return 0;
}

static int ctx_access(struct vf_env *env, const struct vf_access *a)
{
	const struct df_vreg *p = &a->ptr;
	enum vf_ctx_result res;
	const char *tname;
	int64_t off;
	char tn[64];
	int err;

	if ((err = leak(env, a, "ctx")))
		return err;
	if (!vf_tnum_is_const(p->var_off))
		return vf_err(env, "variable ctx access var_off=%s disallowed",
			      tnum_str(tn, sizeof(tn), p->var_off));
	if (p->smin < 0)
		return vf_err(env, "negative offset ctx ptr R%u off=%" PRId64 " disallowed",
			      a->regno, (int64_t)p->var_off.value);
	if (p->var_off.value)
		return vf_err(env, "dereference of modified ctx ptr R%u off=%" PRId64 " disallowed",
			      a->regno, (int64_t)p->var_off.value);
	off = (int64_t)p->off + a->off;
	err = vf_ctx_access(env->prog, off, (uint32_t)a->size, a->write, a->sx, &res);
	if (err == -EOPNOTSUPP && env->prog && !env->prog->type)
		return vf_unsupported(env, "no program type for section '%s' (use --type)",
				      env->prog->section ? env->prog->section : "");
	if (err == -EOPNOTSUPP) {
		tname = env->prog ? df_prog_type_name(env->prog->type) : NULL;
		return vf_unsupported(env, "context access off=%d size=%d of program type %s",
				      (int)off, (int)a->size, tname ? tname : "unspec");
	}
	if (err)
		return vf_err(env, "invalid bpf_context access off=%d size=%d", (int)off,
			      (int)a->size);
	if (a->write || !a->dst)
		return 0;
	if (res == VF_CTX_SCALAR)
		return load_unknown(a);
	memset(a->dst, 0, sizeof(*a->dst));
	a->dst->type = res == VF_CTX_PKT ? DF_PTR_TO_PACKET :
		       res == VF_CTX_PKT_END ? DF_PTR_TO_PACKET_END : DF_PTR_TO_PACKET_META;
	return 0;
}

static int mem_access(struct vf_env *env, struct df_vstate *st, const struct vf_access *a)
{
	const struct df_vreg *p = &a->ptr;
	const struct df_map *m;
	int err;

	if (p->flags & DF_VF_MAYBE_NULL)
		goto invalid;
	switch (p->type) {
	case DF_PTR_TO_STACK:
		return vf_stack_access(env, st, a);
	case DF_PTR_TO_MAP_VALUE:
		if (!(m = map_of(env, p)))
			return vf_unsupported(env, "map value of unknown map #%u", p->aux);
		if ((a->strict && (err = vf_check_align(env, a, "value "))) ||
		    (err = leak(env, a, "map")) || (err = map_rw(env, a, m)) ||
		    (err = region_check(env, R_MAP_VALUE, a, m->value_size)))
			return err;
		return load_unknown(a);
	case DF_PTR_TO_MAP_KEY:
		if (!(m = map_of(env, p)))
			return vf_unsupported(env, "map key of unknown map #%u", p->aux);
		if (a->strict && (err = vf_check_align(env, a, "key ")))
			return err;
		if (a->write)
			return vf_err(env, "write to change key R%u not allowed", a->regno);
		if ((err = region_check(env, R_MAP_KEY, a, m->key_size)))
			return err;
		return load_unknown(a);
	case DF_PTR_TO_MEM:
		if ((a->strict && (err = vf_check_align(env, a, ""))) ||
		    (err = leak(env, a, "mem")) || (err = region_check(env, R_MEM, a, p->aux)))
			return err;
		return load_unknown(a);
	case DF_PTR_TO_PACKET:
	case DF_PTR_TO_PACKET_META:
		if (a->strict && (err = vf_check_align(env, a, NULL)))
			return err;
		if (a->write && !pkt_writable(env->prog))
			return vf_err(env, "cannot write into packet");
		if ((err = leak(env, a, "packet")) || (err = pkt_check(env, a)))
			return err;
		return load_unknown(a);
	case DF_PTR_TO_CTX:
		return ctx_access(env, a);
	case DF_PTR_TO_SOCKET:
		if (a->write)
			return vf_err(env, "R%u cannot write into %s", a->regno, vf_type_name(p));
		return vf_unsupported(env, "load through a socket pointer");
	case DF_CONST_PTR_TO_MAP:
		return vf_unsupported(env, "load through a map pointer");
	default:
		break;
	}
invalid:
	return vf_err(env, "R%u invalid mem access '%s'", a->regno, vf_type_name(p));
}

/* ---------------------------------------------------------------- instructions */

static uint32_t size_bytes(uint8_t code)
{
	switch (DF_SIZE(code)) {
	case DF_B:
		return 1;
	case DF_H:
		return 2;
	case DF_W:
		return 4;
	default:
		return 8;
	}
}

/* Atomics may not target the context, packets or sockets. */
static bool atomic_type_ok(const struct df_vreg *p)
{
	switch (p->type) {
	case DF_PTR_TO_CTX:
	case DF_PTR_TO_PACKET:
	case DF_PTR_TO_PACKET_META:
		return false;
	case DF_PTR_TO_SOCKET:
		return p->flags & DF_VF_MAYBE_NULL;
	default:
		return true;
	}
}

static int atomic(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn)
{
	struct df_vframe *fr = vf_cur_frame(st);
	uint32_t src = insn->src_reg, dst = insn->dst_reg, load = src;
	struct vf_access a = { .off = insn->off, .size = size_bytes(insn->code), .strict = true,
			       .val_regno = -1 };
	bool fetch = insn->imm & DF_FETCH;
	struct df_vreg old;
	int err;

	switch (insn->imm) {
	case DF_LOAD_ACQ:
		if ((err = vf_check_reg_read(env, st, src)))
			return err;
		if (dst == DF_REG_FP)
			return vf_err(env, "frame pointer is read only");
		a.regno = src;
		a.ptr = fr->regs[src];
		a.dst = &fr->regs[dst];
		if ((err = mem_access(env, st, &a)))
			return err;
		if (!atomic_type_ok(&a.ptr))
			return vf_err(env, "BPF_ATOMIC loads from R%u %s is not allowed", src,
				      vf_type_name(&a.ptr));
		return 0;
	case DF_STORE_REL:
		if ((err = vf_check_reg_read(env, st, src)) ||
		    (err = vf_check_reg_read(env, st, dst)))
			return err;
		a.regno = dst;
		a.ptr = fr->regs[dst];
		a.write = true;
		a.val = &fr->regs[src];
		a.val_regno = (int)src;
		if ((err = mem_access(env, st, &a)))
			return err;
		if (!atomic_type_ok(&a.ptr))
			return vf_err(env, "BPF_ATOMIC stores into R%u %s is not allowed", dst,
				      vf_type_name(&a.ptr));
		return 0;
	case DF_ADD: case DF_ADD | DF_FETCH:
	case DF_OR: case DF_OR | DF_FETCH:
	case DF_AND: case DF_AND | DF_FETCH:
	case DF_XOR: case DF_XOR | DF_FETCH:
	case DF_XCHG:
	case DF_CMPXCHG:
		break;
	default:
		return vf_err(env, "BPF_ATOMIC uses invalid atomic opcode %02x", insn->imm);
	}
	if (a.size != 4 && a.size != 8)
		return vf_err(env, "invalid atomic operand size");
	if ((err = vf_check_reg_read(env, st, src)) || (err = vf_check_reg_read(env, st, dst)))
		return err;
	if (insn->imm == DF_CMPXCHG) {
		if ((err = vf_check_reg_read(env, st, 0)))
			return err;
		if (vf_reg_is_pointer(&fr->regs[0]))
			return vf_err(env, "R0 leaks addr into mem");
		load = 0;
	}
	if (vf_reg_is_pointer(&fr->regs[src]))
		return vf_err(env, "R%u leaks addr into mem", src);
	if (!atomic_type_ok(&fr->regs[dst]))
		return vf_err(env, "BPF_ATOMIC stores into R%u %s is not allowed", dst,
			      vf_type_name(&fr->regs[dst]));
	if (fetch && load == DF_REG_FP)
		return vf_err(env, "frame pointer is read only");
	a.regno = dst;
	a.ptr = fr->regs[dst];
	/* Read (the old value when fetching), then write unknown bytes. */
	if ((err = mem_access(env, st, &a)))
		return err;
	if (fetch) {
		a.dst = &old;
		if ((err = mem_access(env, st, &a)))
			return err;
		a.dst = NULL;
	}
	a.write = true;
	if ((err = mem_access(env, st, &a)))
		return err;
	if (fetch)
		fr->regs[load] = old;
	return 0;
}

int vf_mem_insn(struct vf_env *env, struct df_vstate *st, const struct df_insn *insn)
{
	struct df_vframe *fr = vf_cur_frame(st);
	struct vf_access a = { .off = insn->off, .size = size_bytes(insn->code), .val_regno = -1 };
	uint8_t mode = DF_MODE(insn->code);
	struct df_vreg imm;
	int err;

	switch (DF_CLASS(insn->code)) {
	case DF_LDX:
		if (insn->src_reg == DF_REG_PARAMS)
			return vf_stack_arg_load(env, st, insn);
		if (mode != DF_MEM && mode != DF_MEMSX)
			break;
		if ((err = vf_check_reg_read(env, st, insn->src_reg)))
			return err;
		if (insn->dst_reg == DF_REG_FP)
			return vf_err(env, "frame pointer is read only");
		a.regno = insn->src_reg;
		a.ptr = fr->regs[insn->src_reg];
		a.sx = mode == DF_MEMSX;
		a.dst = &fr->regs[insn->dst_reg];
		return mem_access(env, st, &a);
	case DF_ST:
		if (insn->dst_reg == DF_REG_PARAMS)
			return vf_stack_arg_store(env, st, insn);
		if (mode != DF_MEM)
			break;
		if ((err = vf_check_reg_read(env, st, insn->dst_reg)))
			return err;
		if (fr->regs[insn->dst_reg].type == DF_PTR_TO_CTX)
			return vf_err(env, "BPF_ST stores into R%u %s is not allowed",
				      insn->dst_reg, vf_type_name(&fr->regs[insn->dst_reg]));
		vf_mark_known(&imm, (uint64_t)(int64_t)insn->imm);
		a.regno = insn->dst_reg;
		a.ptr = fr->regs[insn->dst_reg];
		a.write = true;
		a.val = &imm;
		return mem_access(env, st, &a);
	case DF_STX:
		if (mode == DF_ATOMIC)
			return atomic(env, st, insn);
		if (insn->dst_reg == DF_REG_PARAMS)
			return vf_stack_arg_store(env, st, insn);
		if (mode != DF_MEM)
			break;
		if ((err = vf_check_reg_read(env, st, insn->src_reg)) ||
		    (err = vf_check_reg_read(env, st, insn->dst_reg)))
			return err;
		a.regno = insn->dst_reg;
		a.ptr = fr->regs[insn->dst_reg];
		a.write = true;
		a.val = &fr->regs[insn->src_reg];
		a.val_regno = insn->src_reg;
		return mem_access(env, st, &a);
	default:
		break;
	}
	return vf_err(env, "unknown opcode %02x", insn->code);
}

/* ---------------------------------------------------------------- call arguments */

int vf_check_arg_mem(struct vf_env *env, struct df_vstate *st, uint32_t argno,
		     const struct df_vreg *ptr, int64_t size, bool write)
{
	struct vf_access a = { .regno = argno, .ptr = *ptr, .size = size < 0 ? 0 : size,
			       .write = write, .val_regno = -1 };
	const struct df_map *m;
	int err;

	if (size > VF_MAX_VAR_OFF)
		return vf_err(env, "R%u unbounded memory access, use 'var &= const' or "
			      "'if (var < const)'", argno);
	if (ptr->flags & DF_VF_MAYBE_NULL)
		goto bad;
	switch (ptr->type) {
	case DF_PTR_TO_STACK:
		return vf_stack_arg_mem(env, st, &a, size < 0);
	case DF_PTR_TO_MAP_VALUE:
		if (!(m = map_of(env, ptr)))
			return vf_unsupported(env, "map value of unknown map #%u", ptr->aux);
		if ((err = map_rw(env, &a, m)))
			return err;
		return region_check(env, R_MAP_VALUE, &a, m->value_size);
	case DF_PTR_TO_MAP_KEY:
		if (!(m = map_of(env, ptr)))
			return vf_unsupported(env, "map key of unknown map #%u", ptr->aux);
		if (write)
			return vf_err(env, "R%u cannot write into %s", argno, vf_type_name(ptr));
		return region_check(env, R_MAP_KEY, &a, m->key_size);
	case DF_PTR_TO_MEM:
		return region_check(env, R_MEM, &a, ptr->aux);
	case DF_PTR_TO_PACKET:
	case DF_PTR_TO_PACKET_META:
		return pkt_check(env, &a);
	default:
		break;
	}
	if (!size && ptr->type == DF_SCALAR && vf_tnum_is_const(ptr->var_off) &&
	    !ptr->var_off.value)
		return 0;
bad:
	return vf_err(env, "R%u type=%s expected=fp", argno, vf_type_name(ptr));
}

/* ---------------------------------------------------------------- invalidation */

typedef bool (*reg_match)(const struct df_vreg *r, uint32_t id);

static void forget(struct df_vstate *st, reg_match match, uint32_t id)
{
	for (uint32_t f = 0; f <= st->curframe && f < DF_MAX_CALL_FRAMES; f++) {
		struct df_vframe *fr = st->frame[f];

		if (!fr)
			continue;
		for (uint32_t r = 0; r < DF_NREGS; r++) {
			if (match(&fr->regs[r], id)) {
				memset(&fr->regs[r], 0, sizeof(fr->regs[r]));
				vf_mark_unknown(&fr->regs[r]);
			}
		}
		for (uint32_t k = 0; k < fr->allocated / 8; k++) {
			struct df_vslot *s = &fr->stack[k];

			if (vf_slot_has_spill(s) && match(&s->spill, id)) {
				memset(&s->spill, 0, sizeof(s->spill));
				vf_mark_unknown(&s->spill);
			}
		}
		for (uint32_t k = 0; k < fr->out_stack_arg_cnt && k < DF_MAX_STACK_ARG_SLOTS; k++) {
			if (match(&fr->stack_args[k], id)) {
				memset(&fr->stack_args[k], 0, sizeof(fr->stack_args[k]));
				vf_mark_not_init(&fr->stack_args[k]);
			}
		}
	}
}

static bool holds_ref(const struct df_vreg *r, uint32_t id)
{
	return r->type != DF_NOT_INIT && r->ref_obj_id == id;
}

static bool is_pkt(const struct df_vreg *r, uint32_t id)
{
	(void)id;
	return r->type == DF_PTR_TO_PACKET || r->type == DF_PTR_TO_PACKET_META ||
	       r->type == DF_PTR_TO_PACKET_END;
}

void vf_mem_invalidate_id(struct df_vstate *st, uint32_t ref_obj_id)
{
	if (ref_obj_id)
		forget(st, holds_ref, ref_obj_id);
}

void vf_mem_invalidate_packet(struct df_vstate *st)
{
	forget(st, is_pkt, 0);
}

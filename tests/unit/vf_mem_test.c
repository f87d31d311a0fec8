/* SPDX-License-Identifier: BSD-2-Clause */
/* The memory-access tests' fixture: one program, a state built by hand, insns run one by one. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_test.h"
#include "vf_mem_test.h"

struct df_object *obj;
struct df_prog *prog;
struct df_verify_result res;
struct vf_subprog subs[4];
struct vf_env env;
struct df_vstate *st;

uint32_t map_idx(const char *name)
{
	for (uint32_t i = 0; i < obj->map_cnt; i++)
		if (!strcmp(obj->maps[i].name, name))
			return i;
	ck_abort_msg("no map %s", name);
	return 0;
}

struct df_vframe *fr(uint32_t i)
{
	return st->frame[i];
}

struct df_vreg *R(uint32_t r)
{
	return &vf_cur_frame(st)->regs[r];
}

void load(const char *section)
{
	char text[512];

	snprintf(text, sizeof(text),
		 ".license \"GPL\"\n"
		 ".map vals array key=4 value=8 max=1\n"
		 ".map ro array key=4 value=16 max=1 flags=128\n"
		 ".prog p \"%s\"\n"
		 "\tr0 = 0\n\texit\n", section);
	asm_test_setup();
	obj = asm_test_assemble(text, "mem.s");
	prog = &obj->progs[0];
	memset(&res, 0, sizeof(res));
	memset(subs, 0, sizeof(subs));
	memset(&env, 0, sizeof(env));
	env.prog = prog;
	env.res = &res;
	env.sub = subs;
	st = vf_state_new();
	ck_assert_ptr_nonnull(st);
	st->frame[0] = vf_frame_new(0, UINT32_MAX, 0);
	ck_assert_ptr_nonnull(st->frame[0]);
	R(1)->type = DF_PTR_TO_CTX;
	R(1)->var_off = vf_tnum_const(0);
}

void setup(void)
{
	load("tc");
}

void teardown(void)
{
	vf_state_free(st);
	df_object_free(obj);
	asm_test_teardown();
}

/* Register constructors (pointers have a constant zero variable part). */
void set_ptr(struct df_vreg *r, enum df_vtype t, int32_t off, uint32_t aux)
{
	memset(r, 0, sizeof(*r));
	r->type = (uint8_t)t;
	r->off = off;
	r->aux = aux;
	r->var_off = vf_tnum_const(0);
}

void set_fp(struct df_vreg *r, uint32_t frameno, int32_t off)
{
	set_ptr(r, DF_PTR_TO_STACK, off, 0);
	r->frameno = (uint8_t)frameno;
}

void set_range(struct df_vreg *r, uint64_t lo, uint64_t hi)
{
	vf_mark_unknown(r);
	r->umin = lo;
	r->umax = hi;
	vf_reg_bounds_sync(r);
}

/* A pointer whose variable part lies in [lo, hi]. */
void set_var(struct df_vreg *r, uint64_t lo, uint64_t hi)
{
	uint8_t t = r->type, fno = r->frameno;
	int32_t off = r->off;
	uint32_t aux = r->aux;

	set_range(r, lo, hi);
	r->type = t;
	r->frameno = fno;
	r->off = off;
	r->aux = aux;
}

int run(struct df_insn in)
{
	return vf_mem_insn(&env, st, &in);
}

void ok(struct df_insn in)
{
	int err = run(in);

	ck_assert_msg(!err, "insn %02x failed (%d): %s", in.code, err, res.msg);
	ck_assert_int_eq(res.verdict, DF_VERDICT_ACCEPT);
}

void clear_err(void)
{
	res.verdict = DF_VERDICT_ACCEPT;
	res.msg[0] = 0;
}

/* Does text match pattern, where one '*' stands for any text? */
static bool matches(const char *text, const char *pattern)
{
	const char *star = strchr(pattern, '*');
	size_t pre, post, n = strlen(text);

	if (!star)
		return !strcmp(text, pattern);
	pre = (size_t)(star - pattern);
	post = strlen(star + 1);
	return n >= pre + post && !strncmp(text, pattern, pre) &&
	       !strcmp(text + n - post, star + 1);
}

/* The instruction is rejected with msg (one '*' matching any text). */
void fails(struct df_insn in, const char *msg)
{
	int err = run(in);

	ck_assert_msg(err < 0, "insn %02x accepted, expected '%s'", in.code, msg);
	ck_assert_msg(matches(res.msg, msg), "'%s' does not match '%s'", res.msg, msg);
	clear_err();
}

const char *reg_str(const struct df_vreg *r)
{
	static char buf[4][256];
	static int k;

	k = (k + 1) % 4;
	df_vreg_snprint(buf[k], sizeof(buf[k]), prog, r);
	return buf[k];
}

char *state_str(const struct df_vstate *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(df_vstate_print(f, prog, s), 0);
	fclose(f);
	return text;
}

void ck_state(const char *expect)
{
	char *text = state_str(st);

	ck_assert_str_eq(text, expect);
	free(text);
}

const char *slot_types(uint32_t frame, uint32_t k)
{
	static char buf[9];

	for (int j = 0; j < 8; j++)
		buf[j] = "?rm0p"[fr(frame)->stack[k].type[j]];
	buf[8] = 0;
	return buf;
}

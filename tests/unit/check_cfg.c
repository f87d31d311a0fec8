/* SPDX-License-Identifier: BSD-2-Clause */
/* CFG and call graph on hand-built programs, and a 1,000,000-insn program. */
#include "internal.h"

#include <check.h>
#include <stdio.h>
#include <time.h>

#define INSN(c, d, s, o, i) \
	((struct df_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define MOV(d, i)	INSN(DF_ALU64 | DF_MOV | DF_K, d, 0, 0, i)
#define ADD(d, i)	INSN(DF_ALU64 | DF_ADD | DF_K, d, 0, 0, i)
#define JA(o)		INSN(DF_JMP | DF_JA, 0, 0, o, 0)
#define GOTOL(i)	INSN(DF_JMP32 | DF_JA, 0, 0, 0, i)
#define GOTOX(r)	INSN(DF_JMP | DF_JA | DF_X, r, 0, 0, 0)
#define JEQ(d, i, o)	INSN(DF_JMP | DF_JEQ | DF_K, d, 0, o, i)
#define JLT(d, i, o)	INSN(DF_JMP | DF_JLT | DF_K, d, 0, o, i)
#define MAY_GOTO(o)	INSN(DF_JMP | DF_JCOND, 0, 0, o, 0)
#define CALL(i)		INSN(DF_JMP | DF_CALL, 0, DF_PSEUDO_CALL, 0, i)
#define HELPER(id)	INSN(DF_JMP | DF_CALL, 0, 0, 0, id)
#define LDFUNC(d, i)	INSN(DF_LD | DF_IMM | DF_DW, d, DF_PSEUDO_FUNC, 0, i), INSN(0, 0, 0, 0, 0)
#define LDIMM(d, v)	INSN(DF_LD | DF_IMM | DF_DW, d, 0, 0, v), INSN(0, 0, 0, 0, 0)
#define STARG(o, i)	INSN(DF_ST | DF_MEM | DF_DW, DF_REG_PARAMS, 0, o, i)
#define LDARG(d, o)	INSN(DF_LDX | DF_MEM | DF_DW, d, DF_REG_PARAMS, o, 0)
#define EXIT		INSN(DF_JMP | DF_EXIT, 0, 0, 0, 0)

static char diag[4096];

static int capture(enum df_print_level level, const char *fmt, va_list ap)
{
	size_t n = strlen(diag);

	if (level != DF_WARN || n + 1 >= sizeof(diag))
		return 0;
	return vsnprintf(diag + n, sizeof(diag) - n, fmt, ap);
}

static struct df_object *obj;

static struct df_prog *mkprog(const struct df_insn *insns, uint32_t n)
{
	struct df_prog *p;

	diag[0] = 0;
	df_set_print(capture);
	obj = df_object_new("test.o", DF_INPUT_RAW);
	ck_assert_ptr_nonnull(obj);
	p = df_object_add_prog(obj);
	ck_assert_ptr_nonnull(p);
	p->name = df_strdup("main");
	p->section = df_strdup("xdp");
	p->insns = malloc(n * sizeof(*insns));
	ck_assert_ptr_nonnull(p->insns);
	memcpy(p->insns, insns, n * sizeof(*insns));
	p->insn_cnt = n;
	return p;
}

#define MKPROG(...) \
	mkprog((const struct df_insn[]){ __VA_ARGS__ }, \
	       sizeof((const struct df_insn[]){ __VA_ARGS__ }) / sizeof(struct df_insn))

static void teardown(void)
{
	df_object_free(obj);
	obj = NULL;
}

static struct df_cfg *build_ok(struct df_prog *p)
{
	struct df_cfg *g = NULL;
	int err = df_cfg_build(p, &g);

	ck_assert_msg(!err, "df_cfg_build: %d: %s", err, diag);
	ck_assert_ptr_nonnull(g);
	return g;
}

static void build_fails(struct df_prog *p, int want, const char *msg)
{
	struct df_cfg *g = (struct df_cfg *)1;
	int err = df_cfg_build(p, &g);

	ck_assert_int_eq(err, want);
	ck_assert_ptr_null(g);
	ck_assert_msg(strstr(diag, msg), "expected '%s' in '%s'", msg, diag);
	ck_assert_msg(strstr(diag, "test.o: section 'xdp': pc "), "no location in '%s'", diag);
}

/* Find the edge from -> to of a kind; -1 when absent. */
static long edge(const struct df_cfg *g, uint32_t from, uint32_t to,
		 enum df_edge_kind kind)
{
	uint32_t k;

	for (k = 0; k < g->blocks[from].succ_cnt; k++) {
		const struct df_edge *e = &g->edges[g->blocks[from].succ[k]];

		if (e->to == to && e->kind == kind)
			return g->blocks[from].succ[k];
	}
	return -1;
}

static void check_block(const struct df_cfg *g, uint32_t id, uint32_t start,
			uint32_t end, uint32_t nsucc)
{
	ck_assert_uint_lt(id, g->block_cnt);
	ck_assert_uint_eq(g->blocks[id].start, start);
	ck_assert_uint_eq(g->blocks[id].end, end);
	ck_assert_uint_eq(g->blocks[id].succ_cnt, nsucc);
}

/* Invariants every CFG must satisfy. */
static void check_invariants(const struct df_cfg *g)
{
	uint32_t i, k;

	for (i = 0; i < g->edge_cnt; i++) {
		const struct df_edge *e = &g->edges[i];
		const struct df_block *t = &g->blocks[e->to];
		bool found = false;

		for (k = 0; k < t->pred_cnt; k++)
			found |= t->pred[k] == i;
		ck_assert_msg(found, "edge %u missing from pred of %u", i, e->to);
		if (e->kind == DF_EDGE_FALLTHROUGH || e->kind == DF_EDGE_TAKEN)
			ck_assert_uint_eq(g->blocks[e->from].subprog, t->subprog);
	}
	for (i = 0; i < g->block_cnt; i++) {
		const struct df_block *b = &g->blocks[i];

		for (k = 0; k < b->succ_cnt; k++)
			ck_assert_uint_eq(g->edges[b->succ[k]].from, i);
		for (k = b->start; k < b->end; k++)
			ck_assert_uint_eq(g->block_of[k], i);
		ck_assert_uint_eq(df_cfg_subprog_of(g, b->start), b->subprog);
	}
	for (i = 0; i < g->subprog_cnt; i++) {
		const struct df_subprog *s = &g->subprogs[i];

		ck_assert_uint_eq(g->blocks[s->first_block].start, s->start);
		ck_assert_uint_eq(g->blocks[s->first_block + s->block_cnt - 1].end, s->end);
		ck_assert_uint_ge(s->rpo_cnt, 1);
		ck_assert_uint_eq(s->rpo[0], s->first_block);
	}
}

START_TEST(straight_line)
{
	struct df_prog *p = MKPROG(MOV(0, 1), ADD(0, 2), EXIT);
	struct df_cfg *g = build_ok(p);

	ck_assert_uint_eq(g->subprog_cnt, 1);
	ck_assert_uint_eq(g->block_cnt, 1);
	ck_assert_uint_eq(g->edge_cnt, 0);
	check_block(g, 0, 0, 3, 0);
	ck_assert(g->blocks[0].reachable);
	ck_assert_uint_eq(g->subprogs[0].kind, DF_SUBPROG_MAIN);
	ck_assert_uint_eq(g->subprogs[0].rpo_cnt, 1);
	ck_assert_uint_eq(g->topo[0], 0);
	ck_assert_uint_eq(g->max_call_depth, 1);
	ck_assert_uint_eq(g->call_cnt, 0);
	ck_assert_uint_eq(df_cfg_subprog_of(g, 2), 0);
	ck_assert_uint_eq(df_cfg_subprog_of(g, 3), UINT32_MAX);
	check_invariants(g);
	df_cfg_free(g);
}
END_TEST

START_TEST(if_else)
{
	struct df_prog *p = MKPROG(JEQ(1, 0, 2), MOV(0, 1), JA(1), MOV(0, 2), EXIT);
	struct df_cfg *g = build_ok(p);
	const struct df_subprog *s = &g->subprogs[0];

	ck_assert_uint_eq(g->block_cnt, 4);
	check_block(g, 0, 0, 1, 2);
	check_block(g, 1, 1, 3, 1);
	check_block(g, 2, 3, 4, 1);
	check_block(g, 3, 4, 5, 0);
	ck_assert_int_ge(edge(g, 0, 1, DF_EDGE_FALLTHROUGH), 0);
	ck_assert_int_ge(edge(g, 0, 2, DF_EDGE_TAKEN), 0);
	ck_assert_int_ge(edge(g, 1, 3, DF_EDGE_TAKEN), 0);
	ck_assert_int_ge(edge(g, 2, 3, DF_EDGE_FALLTHROUGH), 0);
	ck_assert_uint_eq(g->blocks[3].pred_cnt, 2);
	/* fallthrough explored first: postorder 3 1 2 0 */
	ck_assert_uint_eq(s->rpo_cnt, 4);
	ck_assert_uint_eq(s->rpo[0], 0);
	ck_assert_uint_eq(s->rpo[1], 2);
	ck_assert_uint_eq(s->rpo[2], 1);
	ck_assert_uint_eq(s->rpo[3], 3);
	for (uint32_t i = 0; i < g->edge_cnt; i++)
		ck_assert(!g->edges[i].back);
	check_invariants(g);
	df_cfg_free(g);
}
END_TEST

START_TEST(loop_back_edge)
{
	struct df_prog *p = MKPROG(MOV(0, 0), ADD(0, 1), JLT(0, 10, -2), EXIT);
	struct df_cfg *g = build_ok(p);
	long e;

	ck_assert_uint_eq(g->block_cnt, 3);
	check_block(g, 1, 1, 3, 2);
	e = edge(g, 1, 1, DF_EDGE_TAKEN);
	ck_assert_int_ge(e, 0);
	ck_assert(g->edges[e].back);
	ck_assert(!g->edges[edge(g, 0, 1, DF_EDGE_FALLTHROUGH)].back);
	ck_assert(!g->edges[edge(g, 1, 2, DF_EDGE_FALLTHROUGH)].back);
	check_invariants(g);
	df_cfg_free(g);
}
END_TEST

START_TEST(nested_loops)
{
	/* 0: i=0  1: j=0  2: j++  3: if j<10 goto 2  4: i++  5: if i<10 goto 1  6: exit */
	struct df_prog *p = MKPROG(MOV(1, 0), MOV(2, 0), ADD(2, 1), JLT(2, 10, -2),
				   ADD(1, 1), JLT(1, 10, -5), EXIT);
	struct df_cfg *g = build_ok(p);
	uint32_t i, back = 0;

	ck_assert_uint_eq(g->block_cnt, 5);
	check_block(g, 1, 1, 2, 1);
	check_block(g, 2, 2, 4, 2);
	check_block(g, 3, 4, 6, 2);
	ck_assert(g->edges[edge(g, 2, 2, DF_EDGE_TAKEN)].back);
	ck_assert(g->edges[edge(g, 3, 1, DF_EDGE_TAKEN)].back);
	for (i = 0; i < g->edge_cnt; i++)
		back += g->edges[i].back;
	ck_assert_uint_eq(back, 2);
	check_invariants(g);
	df_cfg_free(g);
}
END_TEST

START_TEST(unreachable)
{
	struct df_prog *p = MKPROG(JA(1), MOV(0, 1), EXIT);
	struct df_cfg *g = build_ok(p);

	ck_assert_uint_eq(g->block_cnt, 3);
	ck_assert(g->blocks[0].reachable);
	ck_assert(!g->blocks[1].reachable);
	ck_assert(g->blocks[2].reachable);
	ck_assert_uint_eq(g->subprogs[0].rpo_cnt, 2);
	ck_assert_uint_eq(g->subprogs[0].rpo[1], 2);
	ck_assert_int_ge(edge(g, 1, 2, DF_EDGE_FALLTHROUGH), 0);
	check_invariants(g);
	df_cfg_free(g);
}
END_TEST

START_TEST(gotol_and_may_goto)
{
	struct df_prog *p = MKPROG(MAY_GOTO(2), MOV(0, 1), GOTOL(1), MOV(0, 2), EXIT);
	struct df_cfg *g = build_ok(p);

	ck_assert_uint_eq(g->block_cnt, 4);
	ck_assert_int_ge(edge(g, 0, 1, DF_EDGE_FALLTHROUGH), 0);
	ck_assert_int_ge(edge(g, 0, 2, DF_EDGE_TAKEN), 0);
	check_block(g, 1, 1, 3, 1);
	ck_assert_int_ge(edge(g, 1, 3, DF_EDGE_TAKEN), 0);
	check_invariants(g);
	df_cfg_free(g);
}
END_TEST

START_TEST(ldimm64_in_block)
{
	/* 0: if r1 == 0 goto 4; 1-2: r2 = imm64; 3: r0 = 0; 4: exit */
	struct df_prog *p = MKPROG(JEQ(1, 0, 3), LDIMM(2, 7), MOV(0, 0), EXIT);
	struct df_cfg *g = build_ok(p);

	ck_assert_uint_eq(g->block_cnt, 3);
	check_block(g, 1, 1, 4, 1);
	ck_assert_uint_eq(g->block_of[1], 1);
	ck_assert_uint_eq(g->block_of[2], 1);
	check_invariants(g);
	df_cfg_free(g);
}
END_TEST

START_TEST(ldimm64_last_and_jump_into)
{
	struct df_prog *p = MKPROG(JEQ(1, 0, 1), LDIMM(2, 7), EXIT);

	build_fails(p, -EINVAL, "jump into the middle of ldimm64 insn 1");
	teardown();
	p = MKPROG(MOV(0, 0), EXIT, LDIMM(2, 7));
	build_fails(p, -EINVAL, "last insn is not an exit or jmp");
	ck_assert_ptr_nonnull(strstr(diag, "pc 2: "));
	teardown();
	p = MKPROG(MOV(0, 0), EXIT, INSN(DF_LD | DF_IMM | DF_DW, 0, 0, 0, 0));
	build_fails(p, -EINVAL, "invalid bpf_ld_imm64 insn");
}
END_TEST

START_TEST(subprog_call)
{
	/* main: 0: r1 = 1; 1: call 4; 2: r0 += 1; 3: exit; f: 4: r0 = r1; 5: exit */
	struct df_prog *p = MKPROG(MOV(1, 1), CALL(2), ADD(0, 1), EXIT, MOV(0, 5), EXIT);
	struct df_cfg *g;

	ck_assert_int_eq(df_prog_add_func(p, "main", 0, 4, 0, DF_LINKAGE_GLOBAL, 0), 0);
	ck_assert_int_eq(df_prog_add_func(p, "f", 4, 2, 1, DF_LINKAGE_STATIC, 0), 0);
	g = build_ok(p);
	ck_assert_uint_eq(g->subprog_cnt, 2);
	ck_assert_str_eq(g->subprogs[1].name, "f");
	ck_assert_uint_eq(g->subprogs[1].kind, DF_SUBPROG_CALLED);
	ck_assert_int_eq(g->subprogs[1].arg_cnt, 1);
	ck_assert_uint_eq(g->subprogs[1].linkage, DF_LINKAGE_STATIC);
	ck_assert_uint_eq(g->subprogs[0].end, 4);
	ck_assert_uint_eq(g->block_cnt, 3);
	check_block(g, 0, 0, 2, 2);
	ck_assert_int_ge(edge(g, 0, 1, DF_EDGE_FALLTHROUGH), 0);
	ck_assert_int_ge(edge(g, 0, 2, DF_EDGE_CALL), 0);
	ck_assert_int_ge(edge(g, 2, 1, DF_EDGE_RETURN), 0);
	ck_assert_uint_eq(g->subprogs[1].first_block, 2);
	ck_assert_uint_eq(g->call_cnt, 1);
	ck_assert_uint_eq(g->calls[0].pc, 1);
	ck_assert_uint_eq(g->calls[0].caller, 0);
	ck_assert_uint_eq(g->calls[0].callee, 1);
	ck_assert(!g->calls[0].callback);
	ck_assert_uint_eq(g->topo[0], 1);
	ck_assert_uint_eq(g->topo[1], 0);
	ck_assert_uint_eq(g->max_call_depth, 2);
	ck_assert_uint_eq(df_cfg_subprog_of(g, 5), 1);
	check_invariants(g);
	df_cfg_free(g);
}
END_TEST

START_TEST(return_edges_per_site)
{
	/* two call sites of f, f has two exits: four return edges */
	struct df_prog *p = MKPROG(CALL(3), CALL(2), MOV(0, 0), EXIT,
				   JEQ(1, 0, 1), EXIT, EXIT);
	struct df_cfg *g = build_ok(p);
	uint32_t i, ret = 0;

	for (i = 0; i < g->edge_cnt; i++)
		ret += g->edges[i].kind == DF_EDGE_RETURN;
	ck_assert_uint_eq(ret, 4);
	ck_assert_int_ge(edge(g, 4, 1, DF_EDGE_RETURN), 0);
	ck_assert_int_ge(edge(g, 4, 2, DF_EDGE_RETURN), 0);
	ck_assert_int_ge(edge(g, 5, 1, DF_EDGE_RETURN), 0);
	ck_assert_int_ge(edge(g, 5, 2, DF_EDGE_RETURN), 0);
	check_invariants(g);
	df_cfg_free(g);
}
END_TEST

START_TEST(callback_bpf_loop)
{
	/* 0: r1 = 10; 1-2: r2 = cb; 3: r3 = 0; 4: r4 = 0; 5: call bpf_loop; 6: exit; cb: 7, 8 */
	struct df_prog *p = MKPROG(MOV(1, 10), LDFUNC(2, 5), MOV(3, 0), MOV(4, 0),
				   HELPER(181), EXIT, MOV(0, 0), EXIT);
	struct df_cfg *g = build_ok(p);
	uint32_t i;

	ck_assert_uint_eq(g->subprog_cnt, 2);
	ck_assert_uint_eq(g->subprogs[1].start, 7);
	ck_assert_uint_eq(g->subprogs[1].kind, DF_SUBPROG_CALLBACK);
	ck_assert_ptr_null(g->subprogs[1].name);
	ck_assert_int_eq(g->subprogs[1].arg_cnt, -1);
	ck_assert_uint_eq(g->call_cnt, 1);
	ck_assert(g->calls[0].callback);
	ck_assert_uint_eq(g->calls[0].pc, 1);
	ck_assert_uint_eq(g->max_call_depth, 2);
	/* a helper call does not end a block and a callback has no CFG edge */
	ck_assert_uint_eq(g->subprogs[0].block_cnt, 1);
	for (i = 0; i < g->edge_cnt; i++)
		ck_assert_uint_ne(g->edges[i].kind, DF_EDGE_CALL);
	check_invariants(g);
	df_cfg_free(g);
}
END_TEST

START_TEST(twelve_args)
{
	struct df_prog *p = MKPROG(MOV(1, 1), MOV(2, 2), MOV(3, 3), MOV(4, 4), MOV(5, 5),
				   STARG(-8, 6), STARG(-56, 12), CALL(1), EXIT,
				   LDARG(0, 8), LDARG(1, 56), INSN(DF_ALU64 | DF_ADD | DF_X, 0, 1, 0, 0),
				   EXIT);
	struct df_cfg *g;

	ck_assert_int_eq(df_prog_add_func(p, "caller", 0, 9, 0, DF_LINKAGE_GLOBAL, 0), 0);
	ck_assert_int_eq(df_prog_add_func(p, "sum12", 9, 4, 12, DF_LINKAGE_STATIC, 0), 0);
	g = build_ok(p);
	ck_assert_uint_eq(g->subprog_cnt, 2);
	ck_assert_int_eq(g->subprogs[1].arg_cnt, 12);
	ck_assert_str_eq(g->subprogs[0].name, "caller");
	ck_assert_uint_eq(g->subprogs[0].linkage, DF_LINKAGE_GLOBAL);
	ck_assert_uint_eq(g->block_cnt, 3);
	check_block(g, 0, 0, 8, 2);
	check_invariants(g);
	df_cfg_free(g);
}
END_TEST

START_TEST(recursion)
{
	struct df_prog *p = MKPROG(CALL(1), EXIT, MOV(0, 0), CALL(-2), EXIT);

	ck_assert_int_eq(df_prog_add_func(p, "main", 0, 2, 0, DF_LINKAGE_GLOBAL, 0), 0);
	ck_assert_int_eq(df_prog_add_func(p, "f", 2, 3, 0, DF_LINKAGE_STATIC, 0), 0);
	build_fails(p, -EINVAL, "pc 3: recursive call from f() to f()");
	teardown();
	/* mutual, without names: main -> 1 -> 2 -> 1 */
	p = MKPROG(CALL(1), EXIT, CALL(1), EXIT, CALL(-3), EXIT);
	build_fails(p, -EINVAL, "pc 4: recursive call from func#2() to func#1()");
	teardown();
	/* a callback that takes its own address */
	p = MKPROG(LDFUNC(2, 2), EXIT, LDFUNC(2, -1), EXIT);
	build_fails(p, -EINVAL, "pc 3: recursive call from func#1() to func#1()");
}
END_TEST

/* main and a chain of n - 1 subprogs, each calling the next; the last may
 * take the address of a callback instead of calling. */
static struct df_prog *chain(uint32_t n, bool callback)
{
	struct df_insn in[64];
	uint32_t k = 0, i;

	for (i = 0; i + 1 < n; i++) {
		if (callback && i + 2 == n) {
			in[k++] = INSN(DF_LD | DF_IMM | DF_DW, 2, DF_PSEUDO_FUNC, 0, 2);
			in[k++] = INSN(0, 0, 0, 0, 0);
		} else {
			in[k++] = CALL(1);
		}
		in[k++] = EXIT;
	}
	in[k++] = MOV(0, 0);
	in[k++] = EXIT;
	return mkprog(in, k);
}

START_TEST(call_depth)
{
	struct df_cfg *g;

	g = build_ok(chain(8, false));
	ck_assert_uint_eq(g->max_call_depth, 8);
	ck_assert_uint_eq(g->subprog_cnt, 8);
	for (uint32_t i = 0; i < 8; i++)
		ck_assert_uint_eq(g->topo[i], 7 - i);
	df_cfg_free(g);
	teardown();
	build_fails(chain(9, false), -EINVAL, "pc 14: the call stack of 9 frames is too deep");
	teardown();
	g = build_ok(chain(8, true));
	ck_assert_uint_eq(g->max_call_depth, 8);
	df_cfg_free(g);
	teardown();
	build_fails(chain(9, true), -EINVAL, "the call stack of 9 frames is too deep");
}
END_TEST

START_TEST(jump_out_of_subprog)
{
	struct df_prog *p = MKPROG(CALL(2), JA(3), EXIT, MOV(0, 0), EXIT, EXIT);

	build_fails(p, -EINVAL, "pc 1: jump out of range from insn 1 to 5");
	teardown();
	p = MKPROG(CALL(2), EXIT, EXIT, JEQ(1, 0, -3), EXIT);
	build_fails(p, -EINVAL, "pc 3: jump out of range from insn 3 to 1");
}
END_TEST

START_TEST(last_insn_not_exit)
{
	struct df_prog *p = MKPROG(CALL(2), MOV(0, 0), MOV(0, 1), EXIT);

	build_fails(p, -EINVAL, "pc 2: last insn is not an exit or jmp");
	teardown();
	p = MKPROG(CALL(1), JEQ(1, 0, -1), EXIT);
	build_fails(p, -EINVAL, "pc 1: last insn is not an exit or jmp");
}
END_TEST

START_TEST(bad_inputs)
{
	struct df_prog *p = MKPROG(CALL(5), EXIT);
	struct df_cfg *g;

	build_fails(p, -EINVAL, "pc 0: call to invalid destination");
	teardown();
	p = MKPROG(GOTOX(1), EXIT);
	build_fails(p, -EOPNOTSUPP, "gotox");
	teardown();
	p = MKPROG(EXIT);
	p->insn_cnt = 0;
	ck_assert_int_eq(df_cfg_build(p, &g), -EINVAL);
	ck_assert_ptr_nonnull(strstr(diag, "empty program"));
	ck_assert_int_eq(df_cfg_build(NULL, &g), -EINVAL);
	ck_assert_str_eq(df_edge_kind_name(DF_EDGE_RETURN), "return");
	ck_assert_str_eq(df_edge_kind_name(DF_EDGE_FALLTHROUGH), "fallthrough");
	ck_assert_str_eq(df_edge_kind_name((enum df_edge_kind)42), "unknown");
	df_cfg_free(NULL);
}
END_TEST

START_TEST(dump)
{
	struct df_prog *p = MKPROG(JEQ(1, 0, 2), CALL(3), JA(-3), MOV(0, 0), EXIT,
				   LDFUNC(1, 2), EXIT, EXIT);
	struct df_cfg *g;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(df_prog_add_func(p, "main", 0, 5, 1, DF_LINKAGE_GLOBAL, 0), 0);
	ck_assert_int_eq(df_prog_add_func(p, "g", 5, 3, 2, DF_LINKAGE_STATIC, 0), 0);
	g = build_ok(p);
	f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(df_cfg_dump(f, g), 0);
	fclose(f);
	ck_assert_str_eq(buf,
		"subprog 0 main [0,5) main args 1 global\n"
		"rpo 0 3 1 2\n"
		"block 0 [0,1) -> 1 fallthrough, 3 taken\n"
		"block 1 [1,2) -> 2 fallthrough, 4 call\n"
		"block 2 [2,3) -> 0 taken back\n"
		"block 3 [3,5)\n"
		"subprog 1 g [5,8) called args 2 static\n"
		"rpo 4\n"
		"block 4 [5,8) -> 2 return\n"
		"subprog 2 - [8,9) callback\n"
		"rpo 5\n"
		"block 5 [8,9)\n"
		"call 1 0 -> 1\n"
		"callback 5 1 -> 2\n"
		"topo 2 1 0\n"
		"depth 3\n");
	free(buf);
	df_cfg_free(g);
}
END_TEST

/* 8,200 call sites of a subprogram with 8,201 exits: 67 million return edges. */
START_TEST(edge_cap)
{
	const uint32_t C = 8200;
	uint32_t n = 0, i, cnt = C + 1 + 2 * C + 1;
	struct df_insn *in = calloc(cnt, sizeof(*in));
	struct df_cfg *g = (struct df_cfg *)1;

	ck_assert_ptr_nonnull(in);
	for (i = 0; i < C; i++, n++)
		in[n] = CALL((int32_t)(C - i));
	in[n++] = EXIT;
	for (i = 0; i < C; i++) {
		in[n++] = JEQ(1, (int32_t)i, 1);
		in[n++] = EXIT;
	}
	in[n++] = EXIT;
	ck_assert_uint_eq(n, cnt);
	mkprog(in, n);
	free(in);
	ck_assert_int_eq(df_cfg_build(&obj->progs[0], &g), -E2BIG);
	ck_assert_ptr_null(g);
	ck_assert_ptr_nonnull(strstr(diag, "control-flow graph too large"));
}
END_TEST

/* ------------------------------------------------------------------ */
/* A generated 1,000,000-instruction program                          */
/* ------------------------------------------------------------------ */

struct gen {
	struct df_insn *in;
	uint32_t n, cap;
	uint32_t loops;		/* back edges expected */
};

static void emit(struct gen *g, struct df_insn in)
{
	ck_assert_uint_lt(g->n, g->cap);
	g->in[g->n++] = in;
}

/* m nested loops: m headers, then m latches, innermost first. */
static void nested(struct gen *g, uint32_t m)
{
	uint32_t h0 = g->n, j;

	for (j = 0; j < m; j++)
		emit(g, ADD(0, 1));
	for (j = 0; j < m; j++) {
		uint32_t header = h0 + m - 1 - j;

		emit(g, JLT(0, 10, (int16_t)((int64_t)header - g->n - 1)));
	}
	g->loops += m;
}

/* k conditional jumps that all skip to the end of the chain. */
static void ladder(struct gen *g, uint32_t k)
{
	uint32_t end = g->n + 2 * k, j;

	for (j = 0; j < k; j++) {
		emit(g, JEQ(1, (int32_t)j, 1));
		emit(g, GOTOL((int32_t)(end - g->n - 1)));
	}
}

START_TEST(million)
{
	const uint32_t N = 1000000, SUBS = 999;
	struct gen gen = { .cap = N };
	struct df_cfg *g;
	struct timespec t0, t1;
	uint32_t i, back = 0, sub_start[1000], call_pc[1000];
	double ms;

	gen.in = calloc(N, sizeof(*gen.in));
	ck_assert_ptr_nonnull(gen.in);
	/* main: calls every subprog, one deep forward ladder, then exit */
	for (i = 0; i < SUBS; i++) {
		call_pc[i] = gen.n;
		emit(&gen, CALL(0));
	}
	ladder(&gen, 1000);
	emit(&gen, MOV(0, 0));
	emit(&gen, EXIT);
	/* subprogs 1..6 call the next one, so the deepest chain has 8 frames */
	for (i = 0; i < SUBS; i++) {
		sub_start[i] = gen.n;
		if (i < 6)
			emit(&gen, CALL(0));
		if (i == 0) {
			/* one huge body: ten 10,000-deep loop nests and a
			 * 100,000-step ladder, the DFS goes 200,000 deep */
			for (uint32_t r = 0; r < 10; r++)
				nested(&gen, 10000);
			ladder(&gen, 100000);
		} else {
			nested(&gen, 50);
			emit(&gen, JEQ(1, 0, 1));
			emit(&gen, MOV(0, 1));
		}
		emit(&gen, EXIT);
	}
	for (i = 0; i < SUBS; i++)
		gen.in[call_pc[i]].imm = (int32_t)(sub_start[i] - call_pc[i] - 1);
	for (i = 0; i < 6; i++)
		gen.in[sub_start[i]].imm = (int32_t)(sub_start[i + 1] - sub_start[i] - 1);
	/* pad the last subprog's body up to exactly N slots */
	while (gen.n < N) {
		gen.in[gen.n - 1] = ADD(0, 1);
		emit(&gen, EXIT);
	}
	mkprog(gen.in, N);
	ck_assert_int_eq(df_prog_check(&obj->progs[0]), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(df_cfg_build(&obj->progs[0], &g), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("million: %u insns, %u subprogs, %u blocks, %u edges: %.1f ms\n",
	       N, g->subprog_cnt, g->block_cnt, g->edge_cnt, ms);
	ck_assert_uint_eq(g->subprog_cnt, SUBS + 1);
	ck_assert_uint_eq(g->max_call_depth, 8);
	ck_assert_uint_eq(g->call_cnt, SUBS + 6);
	for (i = 0; i < g->edge_cnt; i++)
		back += g->edges[i].back;
	ck_assert_uint_eq(back, gen.loops);
	for (i = 0; i < g->block_cnt; i++)
		ck_assert(g->blocks[i].reachable);
	for (i = 0; i < g->subprog_cnt; i++)
		ck_assert_uint_eq(g->subprogs[i].rpo_cnt, g->subprogs[i].block_cnt);
	ck_assert_uint_eq(g->topo[g->subprog_cnt - 1], 0);
	check_invariants(g);
	/* generous bound: sanitizer builds are several times slower */
	ck_assert_msg(ms < 5000, "CFG of 1M insns took %.0f ms", ms);
	df_cfg_free(g);
	free(gen.in);
}
END_TEST

static Suite *cfg_suite(void)
{
	Suite *s = suite_create("cfg");
	TCase *tc = tcase_create("cfg");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, straight_line);
	tcase_add_test(tc, if_else);
	tcase_add_test(tc, loop_back_edge);
	tcase_add_test(tc, nested_loops);
	tcase_add_test(tc, unreachable);
	tcase_add_test(tc, gotol_and_may_goto);
	tcase_add_test(tc, ldimm64_in_block);
	tcase_add_test(tc, ldimm64_last_and_jump_into);
	tcase_add_test(tc, subprog_call);
	tcase_add_test(tc, return_edges_per_site);
	tcase_add_test(tc, callback_bpf_loop);
	tcase_add_test(tc, twelve_args);
	tcase_add_test(tc, recursion);
	tcase_add_test(tc, call_depth);
	tcase_add_test(tc, jump_out_of_subprog);
	tcase_add_test(tc, last_insn_not_exit);
	tcase_add_test(tc, bad_inputs);
	tcase_add_test(tc, dump);
	tcase_add_test(tc, edge_cap);
	tcase_add_test(tc, million);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cfg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
